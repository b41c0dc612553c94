"""Crawl progress shows counts and the rate, never a percentage of a total that grows as pages
are discovered; without a terminal it is plain log lines."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from scraper.cli.main import main
from scraper.crawl.progress import LogProgress, progress_text
from scraper.crawl.summary import CrawlSummary
from scraper.demo import DemoServer
from tests.tuned_demo import tuned_server


def test_progress_text_is_counts_and_rate() -> None:
    summary = CrawlSummary(fetched=10, stored=4, gone=1)
    text = progress_text(summary, queued=40, waiting_hosts=2, elapsed=5.0)
    assert text == ("fetched 10 (2.0 pages/s), stored 4, queued 40, duplicates 0, unchanged 0, "
                    "gone 1, errors 0, hosts waiting 2")
    assert "%" not in text
    assert progress_text(CrawlSummary(), 0, 0, 0.0).startswith("fetched 0 (0.0 pages/s)")


def test_log_progress_prints_plain_lines_and_the_last_state() -> None:
    stream = io.StringIO()
    progress = LogProgress(stream, interval=3600)
    progress.update(CrawlSummary(fetched=1), queued=9, waiting_hosts=0)
    progress.update(CrawlSummary(fetched=3), queued=7, waiting_hosts=0)
    assert stream.getvalue() == ""  # less than an interval went by
    progress.close()
    assert stream.getvalue().startswith("progress: fetched 3 (")
    assert stream.getvalue().count("\n") == 1


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    with tuned_server() as running:
        yield running


def test_a_crawl_without_a_terminal_logs_plain_lines(server: DemoServer, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("politeness:\n  delay: 0\n")
    assert main(["crawl", server.base_url + "/", "--max-pages", "4", "--archive",
                 str(tmp_path / "archive"), "--config", str(config)]) == 0
    err = capsys.readouterr().err
    progress = [line for line in err.splitlines() if line.startswith("progress: ")]
    assert progress and progress[-1].startswith("progress: fetched 4 (")
    assert "\r" not in err and "%" not in err
