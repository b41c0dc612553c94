from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from archive import ArchiveError
from scraper.crawl.frontier.sqlite import NEXT_SQL, CrawlRequest, FrontierCounts, Kind, SqliteFrontier


def request(url: str, depth: int = 0, priority: int = 0, kind: Kind = Kind.PAGE) -> CrawlRequest:
    return CrawlRequest(url, url, kind, depth, priority)


def test_seen_urls_are_queued_once(tmp_path: Path) -> None:
    frontier = SqliteFrontier(tmp_path / "f.sqlite")
    assert frontier.add([request("http://a/1"), request("http://a/2"), request("http://a/1")]) == 2
    first = frontier.claim()
    assert first is not None
    frontier.finish(first, "stored")
    assert frontier.add([request("http://a/1")]) == 0
    assert frontier.counts().done == 1


def test_order_is_priority_then_depth_then_discovery(tmp_path: Path) -> None:
    frontier = SqliteFrontier(tmp_path / "f.sqlite")
    frontier.add([request("http://a/deep", 2), request("http://a/top", 0),
                  request("http://a/sitemap.xml", 0, -1, Kind.SITEMAP), request("http://a/mid", 1)])
    order = []
    while (item := frontier.claim()) is not None:
        order.append(item.url)
    assert order == ["http://a/sitemap.xml", "http://a/top", "http://a/mid", "http://a/deep"]


def test_deferred_request_goes_behind_the_queue(tmp_path: Path) -> None:
    frontier = SqliteFrontier(tmp_path / "f.sqlite")
    frontier.add([request("http://a/amp"), request("http://a/other", 3)])
    amp = frontier.claim()
    assert amp is not None and amp.url == "http://a/amp"
    frontier.defer(amp)
    assert frontier.counts() == true_counts(tmp_path / "f.sqlite") == FrontierCounts(2, 0, 0)
    other = frontier.claim()
    assert other is not None and other.url == "http://a/other"
    again = frontier.claim()
    assert again is not None and again.url == "http://a/amp" and again.deferred


def test_state_survives_reopening_and_active_work_is_requeued(tmp_path: Path) -> None:
    path = tmp_path / "f.sqlite"
    frontier = SqliteFrontier(path)
    frontier.add([request(f"http://a/{n}") for n in range(5)])
    done = frontier.claim()
    assert done is not None
    frontier.finish(done, "stored")
    assert frontier.claim() is not None  # active when the process "dies"
    frontier.close()

    reopened = SqliteFrontier(path)
    assert reopened.counts().active == 1
    assert reopened.resume() == 1
    assert reopened.counts().queued == 4
    assert reopened.add([request("http://a/5")]) == 1
    claimed = []
    while (item := reopened.claim()) is not None:
        claimed.append(item.url)
    assert done.url not in claimed
    assert len(claimed) == 5


def test_reset_forgets_everything_and_remembers_the_crawl_start(tmp_path: Path) -> None:
    path = tmp_path / "f.sqlite"
    frontier = SqliteFrontier(path)
    assert frontier.started_at() is None
    frontier.add([request("http://a/1"), request("http://a/2")])
    assert frontier.claim() is not None
    frontier.reset("2024-05-13T04:00:00Z")
    assert frontier.counts() == FrontierCounts(queued=0, active=0, done=0)
    assert frontier.add([request("http://a/1")]) == 1
    frontier.close()
    assert SqliteFrontier(path).started_at() == "2024-05-13T04:00:00Z"


def test_requests_left_active_come_back_flagged_interrupted(tmp_path: Path) -> None:
    path = tmp_path / "f.sqlite"
    frontier = SqliteFrontier(path)
    frontier.add([request("http://a/1"), request("http://a/2"), request("http://a/3")])
    killed = frontier.claim()
    assert killed is not None and not killed.interrupted
    frontier.close()  # the process dies while working on http://a/1

    reopened = SqliteFrontier(path)
    assert reopened.resume() == 1
    claimed = {}
    while (item := reopened.claim()) is not None:
        claimed[item.url] = item.interrupted
    assert claimed == {"http://a/1": True, "http://a/2": False, "http://a/3": False}


def true_counts(path: Path) -> FrontierCounts:
    """Counted from the rows themselves, to check the maintained counters against."""
    with sqlite3.connect(path) as db:
        found = dict(db.execute("SELECT state, COUNT(*) FROM frontier GROUP BY state").fetchall())
    return FrontierCounts(found.get("queued", 0), found.get("active", 0), found.get("done", 0))


def test_twenty_thousand_urls_keep_their_order_and_counts(tmp_path: Path) -> None:
    path = tmp_path / "f.sqlite"
    frontier = SqliteFrontier(path)
    total = 20_000
    urls = [f"https://news.example.org/section-{n % 37}/2024/05/{n:06d}-a-slug" for n in range(total)]
    rank = {url: (-1 if n % 9 == 0 else 0, n % 4, n) for n, url in enumerate(urls)}
    for start in range(0, total, 1000):  # discovered in batches, some more than once
        batch = [request(url, rank[url][1], rank[url][0]) for url in urls[start:start + 1000]]
        frontier.add(batch + batch[:10])
    assert frontier.counts() == FrontierCounts(queued=total, active=0, done=0)

    claimed = []
    while (item := frontier.claim()) is not None:
        claimed.append(item.url)
        if len(claimed) % 2:
            frontier.finish(item, "stored")
    assert claimed == sorted(urls, key=rank.__getitem__)  # priority, depth, discovery
    assert frontier.counts() == true_counts(path) == FrontierCounts(0, total // 2, total // 2)
    assert frontier.resume() == total // 2
    assert frontier.counts() == true_counts(path) == FrontierCounts(total // 2, 0, total // 2)


def test_claim_is_answered_from_the_index(tmp_path: Path) -> None:
    frontier = SqliteFrontier(tmp_path / "f.sqlite")
    with sqlite3.connect(tmp_path / "f.sqlite") as db:
        plan = " ".join(row[-1] for row in db.execute("EXPLAIN QUERY PLAN " + NEXT_SQL))
    assert "USING INDEX frontier_next" in plan, plan
    assert "TEMP B-TREE" not in plan, plan  # no sort of the whole queue
    frontier.close()


FORMAT_0 = """
CREATE TABLE frontier (url_key TEXT PRIMARY KEY, url TEXT NOT NULL, kind TEXT NOT NULL,
    depth INTEGER NOT NULL, priority INTEGER NOT NULL, deferred INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL DEFAULT 'queued', outcome TEXT, seq INTEGER NOT NULL);
CREATE INDEX frontier_next ON frontier (state, priority, depth, seq);
INSERT INTO frontier (url_key, url, kind, depth, priority, state, seq) VALUES
    ('http://a/1', 'http://a/1', 'page', 0, 0, 'done', 1),
    ('http://a/2', 'http://a/2', 'page', 1, 0, 'active', 2),
    ('http://a/3', 'http://a/3', 'page', 1, 0, 'queued', 3);
"""


def test_a_frontier_of_the_first_format_is_upgraded_and_resumes(tmp_path: Path) -> None:
    path = tmp_path / "f.sqlite"
    with sqlite3.connect(path) as db:
        db.executescript(FORMAT_0)
    frontier = SqliteFrontier(path)
    assert frontier.counts() == FrontierCounts(queued=1, active=1, done=1)
    assert frontier.started_at() is None
    assert frontier.resume() == 1
    first, second = frontier.claim(), frontier.claim()
    assert first is not None and (first.url, first.interrupted) == ("http://a/2", True)
    assert second is not None and (second.url, second.interrupted) == ("http://a/3", False)
    assert frontier.add([request("http://a/1"), request("http://a/4")]) == 1
    assert frontier.counts() == true_counts(path) == FrontierCounts(queued=1, active=2, done=1)


def test_a_frontier_of_a_newer_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "f.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 99")
    with pytest.raises(ArchiveError, match="newer than this broadsheet"):
        SqliteFrontier(path)


def test_an_unopenable_frontier_is_an_archive_error(tmp_path: Path) -> None:
    with pytest.raises(ArchiveError, match="crawl frontier"):
        SqliteFrontier(tmp_path)  # a directory
