"""``broadsheet stats``: articles per site and month, duplicates, history, crawl failures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from archive import Archive
from archive.stats import archive_stats
from scraper.cli.main import main
from scraper.crawl.frontier.failures import crawl_outcomes
from scraper.crawl.frontier.sqlite import CrawlRequest, Kind, SqliteFrontier
from tests.test_export import WHEN, article, build_archive


def test_counts_per_site_and_month_and_duplicates(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "archive"
    build_archive(root)
    assert main(["stats", "--archive", str(root), "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["articles"] == 7
    assert stats["by_site"] == {"news.example.com": 3, "other.example.org": 2,
                                "third.example.net": 2}
    assert stats["by_month"] == {"2023-12": 1, "2024-05": 2, "2024-06": 4}
    assert stats["aliases"] == 3 and stats["articles_with_aliases"] == 1
    assert stats["failures"] is None
    assert main(["stats", "--archive", str(root)]) == 0
    text = capsys.readouterr().out
    assert text.startswith(f"7 articles in {root}\n")
    assert "  news.example.com  3" in text and "  2023-12  1" in text
    assert "failures: no crawl recorded" in text


def test_snapshots_and_versions_are_counted(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    url = "https://news.example.com/story"
    with Archive(root) as archive:
        for n, views in enumerate((10, 20, 30)):
            archive.store(article(url, 1, views=views), url_keys=[url], fetched_url=url,
                          fetched_at=f"2024-06-0{n + 1}T08:00:00Z")
        edited = {**article(url, 1), "body": "An edited body, long enough to count. " * 3}
        archive.store(edited, url_keys=[url], fetched_url=url, fetched_at="2024-06-05T08:00:00Z")
        other = "https://news.example.com/other"
        archive.store(article(other, 2), url_keys=[other], fetched_url=other, fetched_at=WHEN)
    stats = archive_stats(root)
    assert stats.articles == 2
    assert stats.snapshots == 4 + 1
    assert stats.versions == 1 and stats.articles_with_versions == 1


def test_failures_of_the_latest_crawl_come_from_the_frontier(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "archive"
    build_archive(root)
    frontier = SqliteFrontier(root / "frontier.sqlite")
    try:
        urls = [f"https://news.example.com/{n}" for n in range(4)]
        frontier.add(CrawlRequest(url, url, Kind.PAGE, 0, 0) for url in urls)
        for outcome in ("failed:http_404", "failed:http_404", "failed:timeout", "stored"):
            request = frontier.claim()
            assert request is not None
            frontier.finish(request, outcome)
    finally:
        frontier.close()
    before = (root / "frontier.sqlite").read_bytes()
    assert archive_stats(root).failures is None  # the archive does not read the crawl queue
    counts = archive_stats(root, outcomes=lambda: crawl_outcomes(root / "frontier.sqlite"))
    assert counts.failures == {"http_404": 2, "timeout": 1} and counts.gone == 0
    assert main(["stats", "--archive", str(root)]) == 0
    assert "failures in the latest crawl: 3 (http_404 2, timeout 1)" in capsys.readouterr().out
    assert (root / "frontier.sqlite").read_bytes() == before


def test_a_corrupt_file_is_one_line_and_the_rest_are_counted(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "archive"
    total = build_archive(root)
    victim = next((root / "articles").rglob("*.json"))
    victim.write_bytes(victim.read_bytes()[:50])
    assert main(["-q", "stats", "--archive", str(root)]) == 1
    captured = capsys.readouterr()
    assert captured.out.startswith(f"{total - 1} articles in {root}")
    corrupt, closing = captured.err.splitlines()
    assert "is corrupt" in corrupt and victim.name in corrupt
    assert closing == "broadsheet: skipped 1 corrupt record; the others were read"
