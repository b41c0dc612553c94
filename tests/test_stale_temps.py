"""Temporary files a killed writer left are deleted by the next writer, and only those.

Real processes killed with SIGKILL in the middle of a write (the child stages a temporary file
exactly as the archive or an export does, then kills itself), and crafted temporary files named
by a dead pid, a live pid, another machine, or the old random-only form."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from archive.temps import SPACE
from tests.test_export import build_archive

ROOT = Path(__file__).resolve().parent.parent


def broadsheet(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "scraper", *args], capture_output=True,
                          text=True, timeout=120, cwd=ROOT, env=env, check=False)


def killed_child(script: str) -> int:
    """Run ``script`` in a child that ends by SIGKILL (it must kill itself); returns its pid,
    which no process has any more."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.run([sys.executable, "-c", textwrap.dedent(script)], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=60, check=False)
    assert child.returncode == -signal.SIGKILL, child.stderr
    pid = int(child.stdout.split()[-1])
    return pid


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Path]:
    root = tmp_path / "archive"
    build_archive(root)
    yield root


def temps(root: Path) -> list[str]:
    return sorted(path.relative_to(root).as_posix() for path in root.rglob("*.tmp"))


def verify(root: Path) -> dict[str, Any]:
    done = broadsheet("verify", "--archive", str(root), "--json", "--quick")
    report: dict[str, Any] = json.loads(done.stdout)
    return report


@pytest.mark.parametrize("command", [["reindex"], ["reextract", "--quiet"],
                                     ["crawl", "http://127.0.0.1:9/", "--quiet"]],
                         ids=lambda command: command[0])
def test_a_writer_killed_mid_write_leaves_temps_the_next_writing_command_deletes(
        archive: Path, command: list[str]) -> None:
    record = next(archive.glob("articles/*/*/*.json"))
    pid = killed_child(f"""
        import os, signal
        from pathlib import Path
        from archive import Archive
        from archive.layout import write_staged
        archive = Archive({str(archive)!r})  # registers this process as a writer
        write_staged(Path({str(record)!r}), b'half a record')
        write_staged(Path({str(archive / 'raw' / 'ab' / ('ab' * 32 + '.html.gz'))!r}), b'gz')
        print(os.getpid(), flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
        """)
    left = temps(archive)
    assert len(left) == 2 and all(f".{pid}-{SPACE}." in name for name in left)
    assert verify(archive)["problems_by_kind"] == {"stray_temp": 2}  # verify changes nothing
    assert temps(archive) == left

    done = broadsheet(*command, "--archive", str(archive))
    assert "Traceback" not in done.stderr
    assert temps(archive) == []
    assert verify(archive)["ok"] is True
    assert [path.name for path in archive.glob(".writer.*")] == []  # ours and the dead one's


def test_only_temps_provably_left_by_a_dead_writer_are_deleted(archive: Path) -> None:
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        gone, alive = dead_pid(), sleeper.pid
        site = next(archive.glob("articles/*/*"))
        stale = [site / f".x.json.{gone}-{SPACE}.0a1b2c3d.tmp",
                 archive / "raw" / f".y.html.gz.{gone}-{SPACE}.0a1b2c3e.tmp",
                 archive / f".write-probe.{gone}-{SPACE}.0a1b2c3f.tmp"]
        kept = [site / f".x.json.{alive}-{SPACE}.0a1b2c3d.tmp",  # a live writer's
                site / f".x.json.{gone}-{'f' * 8 if SPACE != 'f' * 8 else '0' * 8}.0a1b2c3d.tmp",
                site / ".x.json.0a1b2c3d.tmp"]  # the old form: no owner to prove dead
        for path in stale + kept:
            path.write_bytes(b"partial")
        (archive / f".writer.{gone}-{SPACE}").write_bytes(b"")  # it was killed
        (archive / f".writer.{alive}-{SPACE}").write_bytes(b"")  # it still writes
        done = broadsheet("reindex", "--archive", str(archive))
        assert done.returncode == 0, done.stderr
        assert [path for path in stale if path.exists()] == []
        assert [path for path in kept if not path.exists()] == []
        assert sorted(path.name for path in archive.glob(".writer.*")) == [
            f".writer.{alive}-{SPACE}"]
        report = verify(archive)
        assert report["problems_by_kind"] == {"stray_temp": 3}
    finally:
        sleeper.kill()
        sleeper.wait()


def test_an_export_killed_mid_write_leaves_a_partial_file_the_next_export_deletes(
        archive: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text("previous export\n")
    pid = killed_child(f"""
        import os, signal
        from scraper.output import output
        with output({str(out)!r}, binary=False) as stream:
            stream.write('{{"half": ')
            stream.flush()
            print(os.getpid(), flush=True)
            os.kill(os.getpid(), signal.SIGKILL)
        """)
    partial = [path.name for path in tmp_path.glob(".out.jsonl.*.tmp")]
    assert len(partial) == 1 and f".{pid}-{SPACE}." in partial[0]
    assert out.read_text() == "previous export\n"

    done = broadsheet("export", "--archive", str(archive), "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert list(tmp_path.glob(".out.jsonl.*")) == []
    assert len(out.read_text().splitlines()) == 7
