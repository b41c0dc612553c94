"""The command's edges under hostile conditions, as a real subprocess: an archive path that is a
file, an export onto a place it cannot write or to a stdout that is closed or full.  Each is one
line on stderr, no traceback, and the documented exit code."""

from __future__ import annotations

import errno
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.test_export import build_archive

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = [["crawl", "http://127.0.0.1:9/"], ["demo"], ["snapshot"], ["watch"], ["export"],
            ["stats"], ["verify"], ["reindex"], ["reextract"]]


def broadsheet(*args: str, **options: Any) -> subprocess.CompletedProcess[str]:
    """The command as a child process; stdout and stderr captured unless ``options`` say."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    options = {"stdout": subprocess.PIPE, **options}
    done: subprocess.CompletedProcess[str] = subprocess.run(
        [sys.executable, "-m", "scraper", "-q", *args], stderr=subprocess.PIPE, text=True,
        timeout=60, cwd=ROOT, env=env, check=False, **options)
    return done


def one_error_line(done: subprocess.CompletedProcess[str]) -> str:
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("broadsheet: error: "), lines[0]
    assert "Traceback" not in done.stderr
    return lines[0]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: command[0])
@pytest.mark.parametrize("under", [False, True], ids=["file", "under-a-file"])
def test_an_archive_path_that_is_a_file_is_a_usage_error(tmp_path: Path, command: list[str],
                                                          under: bool) -> None:
    afile = tmp_path / "notes.txt"
    afile.write_text("not an archive\n")
    archive = afile / "archive" if under else afile
    done = broadsheet(*command, "--archive", str(archive))
    assert done.returncode == 2
    assert "not a directory" in one_error_line(done)
    assert afile.read_text() == "not an archive\n"


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("safety") / "archive"
    build_archive(root)
    return root


@pytest.fixture
def full_device(tmp_path: Path) -> Path:
    """A device node like /dev/full (every write: ENOSPC) of the test's own, so a broken export
    cannot replace the system's."""
    path = tmp_path / "full"
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
        with open(path, "wb") as probe:
            probe.write(b"x")
            probe.flush()
    except OSError as error:
        if error.errno != errno.ENOSPC:
            pytest.skip(f"cannot make a full device here: {error}")
    return path


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_export_to_a_full_stdout_is_one_line(archive: Path, full_device: Path, fmt: str) -> None:
    with open(full_device, "wb") as stdout:
        done = broadsheet("export", "--archive", str(archive), "--format", fmt, stdout=stdout)
    assert done.returncode == 1
    assert "cannot write to stdout: No space left on device" in one_error_line(done)


def test_export_to_a_stdout_whose_reader_is_gone_is_one_line(archive: Path) -> None:
    reader, writer = os.pipe()
    os.close(reader)  # every write: EPIPE
    try:
        done = broadsheet("export", "--archive", str(archive), stdout=writer)
    finally:
        os.close(writer)
    assert done.returncode == 1
    assert "cannot write to stdout: its reader stopped reading" in one_error_line(done)


def test_export_to_a_closed_stdout_is_a_usage_error(archive: Path) -> None:
    done = broadsheet("export", "--archive", str(archive), preexec_fn=lambda: os.close(1))
    assert done.returncode == 2
    assert "stdout is closed" in one_error_line(done)


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_export_onto_a_full_device_writes_it_and_never_replaces_it(
        archive: Path, full_device: Path, fmt: str) -> None:
    done = broadsheet("export", "--archive", str(archive), "--format", fmt, "-o",
                      str(full_device))
    assert done.returncode == 2
    assert "No space left on device" in one_error_line(done)
    assert stat.S_ISCHR(full_device.stat().st_mode)  # still the device, not a regular file
    assert [path.name for path in full_device.parent.iterdir()] == ["full"]


def test_export_to_a_link_to_stdout_writes_to_stdout(archive: Path, tmp_path: Path) -> None:
    """Like ``-o /dev/stdout`` (a link to the process's stdout, here a pipe), without risking
    the system's /dev/stdout if the export replaced the link."""
    link = tmp_path / "stdout"
    link.symlink_to("/proc/self/fd/1")
    done = broadsheet("export", "--archive", str(archive), "-o", str(link))
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 7
    assert link.is_symlink()


def mounted(tmp_path: Path, options: str, script: str) -> subprocess.CompletedProcess[str]:
    """Run ``script`` (sh) with a fresh 8 KiB tmpfs holding ``out.jsonl`` mounted on
    tmp_path/mnt in a private mount namespace (nothing outside this test sees it); then list
    that directory and print ``out.jsonl``.  Skips where mounting is not allowed."""
    mount = tmp_path / "mnt"
    mount.mkdir()
    if shutil.which("unshare") is None:
        pytest.skip("no unshare")
    probe = subprocess.run(["unshare", "-m", "mount", "-t", "tmpfs", "tmpfs", str(mount)],
                           capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip("cannot mount a filesystem here (needs root)")
    command = (f"mount -t tmpfs -o size=8k tmpfs {mount} && printf old > {mount}/out.jsonl && "
               f"mount -o remount,{options} {mount} && {script} ; "
               f"echo; ls -A {mount}; cat {mount}/out.jsonl")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(["unshare", "-m", "sh", "-c", command], capture_output=True,
                          text=True, timeout=60, cwd=ROOT, env=env, check=False)


@pytest.mark.parametrize("name", ["out.jsonl", "new.jsonl"])
@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_export_onto_a_read_only_filesystem_is_one_line(archive: Path, tmp_path: Path,
                                                         name: str, fmt: str) -> None:
    done = mounted(tmp_path, "ro", f"{sys.executable} -m scraper -q export --archive {archive} "
                   f"--format {fmt} -o {tmp_path}/mnt/{name}")
    assert "Traceback" not in done.stderr
    assert done.stderr.strip() == (f"broadsheet: error: cannot write {tmp_path}/mnt/{name}: "
                                   "Read-only file system; choose another file with -o")
    assert done.stdout.split() == ["out.jsonl", "old"]  # nothing replaced, nothing left


def test_export_onto_a_full_filesystem_keeps_the_old_file(archive: Path, tmp_path: Path) -> None:
    done = mounted(tmp_path, "rw", f"{sys.executable} -m scraper -q export --archive {archive} "
                   f"-o {tmp_path}/mnt/out.jsonl")
    assert "Traceback" not in done.stderr
    assert "No space left on device" in done.stderr and len(done.stderr.splitlines()) == 1
    assert done.stdout.split() == ["out.jsonl", "old"]
