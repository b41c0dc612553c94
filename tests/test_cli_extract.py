"""``broadsheet extract`` over hostile files (issue 13, items 11 and 19): a crashing page is
that file's failure and the others go on; a gzip file inflates only up to fetch.max_bytes."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import scraper.cli.extract_command
from scraper.cli.main import main

PAGE = ("<html><head><title>Ferry service resumes</title></head><body><article><h1>Ferry "
        "service resumes</h1>" + "<p>The harbour reopened on Monday after three days of storms, "
        "and the first ferries left on time with cars and passengers.</p>" * 5
        + "</article></body></html>")
ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "scraper", "-q", *args], capture_output=True,
                          text=True, env=env, timeout=120, check=False)


def test_a_page_that_crashes_the_extractor_is_reported_and_the_rest_go_on(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    real_extract = scraper.cli.extract_command.extract

    def crashing(html: bytes | str, url: str | None = None) -> object:
        if b"CRASH" in (html if isinstance(html, bytes) else html.encode()):
            raise RuntimeError("boom")
        return real_extract(html, url)

    monkeypatch.setattr(scraper.cli.extract_command, "extract", crashing)
    (tmp_path / "a.html").write_text(PAGE)
    (tmp_path / "b.html").write_text(PAGE.replace("Monday", "CRASH"))
    (tmp_path / "c.html").write_text(PAGE)
    code = main(["extract", "-q", *(str(tmp_path / name) for name in ("a.html", "b.html", "c.html"))])
    captured = capsys.readouterr()
    assert code == 1
    assert len(captured.out.splitlines()) == 2
    errors = captured.err.splitlines()
    assert len(errors) == 1
    assert "b.html" in errors[0] and "RuntimeError: boom" in errors[0]
    assert "Traceback" not in captured.err


def test_a_hostile_page_file_does_not_stop_the_command(tmp_path: Path) -> None:
    """A real CLI run: JSON-LD nested 100,000 deep crashed ``extract`` with a RecursionError
    (issue 13, item 5).  Whether it yields a record or an error line, the next file is read."""
    deep = "[" * 100_000 + "]" * 100_000
    hostile = PAGE.replace("</head>", f'<script type="application/ld+json">{deep}</script></head>')
    (tmp_path / "hostile.html").write_text(hostile)
    (tmp_path / "good.html").write_text(PAGE)
    result = _run("extract", str(tmp_path / "hostile.html"), str(tmp_path / "good.html"))
    assert "Traceback" not in result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records and records[-1]["title"] == "Ferry service resumes"
    failed = len(result.stderr.splitlines())
    assert len(records) + failed == 2
    assert result.returncode == (1 if failed else 0)


def test_a_gzip_bomb_is_that_files_failure(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.html.gz"
    with gzip.open(bomb, "wb") as file:
        chunk = b"<p>" + b"a" * (1 << 20) + b"</p>"
        for _ in range(64):  # 64 MB inflated
            file.write(chunk)
    (tmp_path / "good.html.gz").write_bytes(gzip.compress(PAGE.encode()))
    config = tmp_path / "config.yaml"
    config.write_text("fetch:\n  max_bytes: 1000000\n")
    result = _run("extract", "--config", str(config), str(bomb), str(tmp_path / "good.html.gz"))
    assert result.returncode == 1
    assert len(result.stdout.splitlines()) == 1
    error, = result.stderr.splitlines()
    assert "bomb.html.gz" in error and "max_bytes=1000000" in error


def test_a_gzip_bomb_keeps_memory_bounded(tmp_path: Path) -> None:
    """Inflating stops at the cap: peak memory stays far below the inflated size."""
    bomb = tmp_path / "bomb.gz"
    with gzip.open(bomb, "wb") as file:
        for _ in range(300):
            file.write(b"\0" * (1 << 20))  # 300 MB inflated
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the forking (pytest) process
    code = ("import re, sys; from pathlib import Path; "
            "from scraper.cli.extract_command import read_page\n"
            "try:\n    read_page(Path(sys.argv[1]), 10 * 1024 * 1024)\nexcept Exception as e:\n"
            "    print(type(e).__name__)\n"
            "status = Path('/proc/self/status').read_text()\n"
            "print(re.search(r'VmHWM:\\s*(\\d+)', status).group(1))")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", code, str(bomb)], capture_output=True,
                            text=True, env=env, timeout=120, check=True)
    kind, peak_kb = result.stdout.split()
    assert kind == "UsageError"
    assert int(peak_kb) < 200 * 1024  # 300 MB inflated
