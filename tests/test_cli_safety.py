"""The command's edges under hostile conditions, as a real subprocess: an archive path that is a
file, an export onto a place it cannot write or to a stdout that is closed or full.  Each is one
line on stderr, no traceback, and the documented exit code."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = [["crawl", "http://127.0.0.1:9/"], ["demo"], ["snapshot"], ["watch"], ["export"],
            ["stats"], ["verify"], ["reindex"], ["reextract"]]


def broadsheet(*args: str, **options: object) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "scraper", *args], capture_output=True,
                          text=True, timeout=60, cwd=ROOT, env=env, **options)  # type: ignore[call-overload, no-any-return]


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
