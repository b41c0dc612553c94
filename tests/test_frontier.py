from __future__ import annotations

from pathlib import Path

from scraper.frontier import CrawlRequest, Kind, SqliteFrontier


def request(url: str, depth: int = 0, priority: int = 0, kind: Kind = Kind.PAGE) -> CrawlRequest:
    return CrawlRequest(url, url, kind, depth, priority)


def test_seen_urls_are_queued_once(tmp_path: Path) -> None:
    frontier = SqliteFrontier(tmp_path / "f.sqlite")
    assert frontier.add([request("http://a/1"), request("http://a/2"), request("http://a/1")]) == 2
    first = frontier.claim()
    assert first is not None
    frontier.finish(first.url_key, "stored")
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
    frontier.finish(done.url_key, "stored")
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


def test_reset_forgets_everything(tmp_path: Path) -> None:
    frontier = SqliteFrontier(tmp_path / "f.sqlite")
    frontier.add([request("http://a/1")])
    frontier.reset()
    assert frontier.counts().queued == 0
    assert frontier.add([request("http://a/1")]) == 1
