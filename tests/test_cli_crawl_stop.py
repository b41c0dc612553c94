"""How a crawl stops and says so: the stop reason and the URLs left queued, 404/410 as
``gone`` (not a failure), SIGTERM handled like Ctrl-C (exit 143), and one crawl per queue."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scraper.cli.main import main
from scraper.demo import DemoServer
from tests.tuned_demo import article_paths, tuned_server

ROOT = Path(__file__).resolve().parent.parent
FAST = "politeness:\n  delay: 0\n  concurrency: 4\n"
SLOW = "politeness:\n  delay: 0.05\n  per_host_concurrency: 1\n  concurrency: 1\n"
WAIT = 60.0


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    with tuned_server() as running:
        yield running


@pytest.fixture(scope="module")
def slow_server() -> Iterator[DemoServer]:
    with tuned_server(delay=0.1) as running:
        yield running


def config(tmp_path: Path, text: str = FAST) -> str:
    path = tmp_path / ("slow.yaml" if text == SLOW else "config.yaml")
    path.write_text(text, encoding="utf-8")
    return str(path)


def crawl_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any]]:
    code = main(["crawl", *argv, "-q", "--json"])
    return code, json.loads(capsys.readouterr().out.splitlines()[-1])


def test_a_page_limit_is_a_stop_reason_with_the_urls_left(
        server: DemoServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    common = ["--archive", str(tmp_path / "archive"), "--config", config(tmp_path)]
    code, summary = crawl_json(capsys, server.base_url + "/", "--max-pages", "5", *common)
    assert code == 0
    assert summary["stop_reason"] == "max_pages" and summary["interrupted"] is False
    assert summary["queued"] > 0

    assert main(["crawl", server.base_url + "/", "--max-pages", "3", "-q", *common]) == 0
    out = capsys.readouterr().out
    assert "  stopped: page limit reached (--max-pages, crawl.max_pages); " in out
    assert " URLs still queued (run the same command again to go on)" in out

    code, summary = crawl_json(capsys, server.base_url + "/", *common)
    assert code == 0
    assert (summary["stop_reason"], summary["queued"]) == ("finished", 0)


def test_a_404_is_gone_not_a_failure(server: DemoServer, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "archive"
    missing = server.base_url + "/2024/01/01/no-such-story/"
    code = main(["crawl", server.base_url + "/", missing, "--archive", str(root), "--config",
                 config(tmp_path), "-q"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert " 1 gone, 0 failed" in out.splitlines()[0]
    assert main(["stats", "--archive", str(root), "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert (stats["gone"], stats["failures"]) == (1, {})
    assert main(["stats", "--archive", str(root)]) == 0
    assert "gone in the latest crawl (404, 410): 1" in capsys.readouterr().out


def start_slow_crawl(server: DemoServer, root: Path, config_path: str,
                     *extra: str) -> subprocess.Popen[str]:
    """``broadsheet crawl`` in a child process, returned once it holds the queue lock and has
    fetched a few pages."""
    before = len(server.requests)
    process = subprocess.Popen(
        [sys.executable, "-m", "scraper", "crawl", server.base_url + "/", "--archive", str(root),
         "--config", config_path, "-q", *extra],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lock = root / "frontier.sqlite.lock"
    deadline = time.monotonic() + WAIT
    while not (lock.exists() and lock.read_text().strip() == str(process.pid)
               and len(server.requests) >= before + 5):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the crawl did not start"
        time.sleep(0.02)
    return process


def test_sigterm_prints_the_summary_exits_143_and_the_crawl_resumes(
        slow_server: DemoServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "archive"
    slow = config(tmp_path, SLOW)
    process = start_slow_crawl(slow_server, root, slow)
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=WAIT)
    assert process.returncode == 143, err
    assert "broadsheet: terminated (SIGTERM); run the same command again to resume" in err
    assert "Traceback" not in err
    assert out.startswith("fetched ")
    assert "  stopped: terminated (SIGTERM); " in out

    code, summary = crawl_json(capsys, slow_server.base_url + "/", "--archive", str(root),
                               "--config", config(tmp_path))
    assert code == 0
    assert summary["resumed"] > 0 and summary["stop_reason"] == "finished"


def test_a_second_crawl_is_refused_but_snapshot_and_add_run_beside_it(
        slow_server: DemoServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "archive"
    fast = config(tmp_path)
    article = slow_server.base_url + article_paths()[0]
    assert main(["add", article, "--archive", str(root), "--config", fast, "-q"]) == 0
    capsys.readouterr()
    process = start_slow_crawl(slow_server, root, config(tmp_path, SLOW))
    try:
        assert main(["crawl", slow_server.base_url + "/", "--archive", str(root),
                     "--config", fast, "-q"]) == 2
        err = capsys.readouterr().err
        assert err == (f"broadsheet: error: another crawl (pid {process.pid}) is using this "
                       f"archive's crawl queue {root / 'frontier.sqlite'}; wait for it to end, "
                       "or stop it (it resumes later)\n")

        assert main(["snapshot", "--now", "2100-01-01T00:00:00", "--archive", str(root),
                     "--config", fast, "-q", "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["fetched"] == 1
        other = slow_server.base_url + article_paths()[1]
        assert main(["add", other, "--archive", str(root), "--config", fast, "-q",
                     "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["stored"] == 1
        assert process.poll() is None  # the crawl was running all along
    finally:
        process.terminate()
        process.communicate(timeout=WAIT)
    assert process.returncode == 143
    assert (root / "frontier.sqlite.lock").read_text() == ""  # no stale pid left
