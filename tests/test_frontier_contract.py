"""The ``Frontier`` contract, the same tests over the memory, SQLite and PostgreSQL frontiers."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from scraper.crawl.frontier.base import (
    CrawlRequest,
    CrawlState,
    Frontier,
    FrontierCounts,
    Kind,
    LeaseLost,
)
from scraper.crawl.frontier.memory import MemoryFrontier
from scraper.crawl.frontier.postgres import PostgresFrontier
from scraper.crawl.frontier.sqlite import SqliteFrontier

LEASE = 1.0
Factory = Callable[..., Frontier]


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def make(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Factory]:
    """Opens frontiers of one backend, all on the same storage (a second one is another
    worker, or the same process after a restart); closes them afterwards."""
    opened: list[Frontier] = []
    memory = MemoryFrontier(lease_seconds=LEASE)
    dsn = request.getfixturevalue("postgres_dsn") if request.param == "postgres" else ""

    def factory(worker: str = "w1", lease: float = LEASE) -> Frontier:
        if request.param == "memory":
            memory.lease_seconds = lease
            return memory
        frontier: Frontier = (SqliteFrontier(tmp_path / "f.sqlite", lease_seconds=lease)
                              if request.param == "sqlite"
                              else PostgresFrontier(dsn, worker_id=worker, lease_seconds=lease))
        opened.append(frontier)
        return frontier

    yield factory
    for frontier in opened:
        frontier.close()


def req(url: str, depth: int = 0, priority: int = 0, kind: Kind = Kind.PAGE) -> CrawlRequest:
    return CrawlRequest(url, url, kind, depth, priority)


def claimed(frontier: Frontier) -> CrawlRequest:
    request = frontier.claim()
    assert request is not None
    return request


def test_seen_urls_are_queued_once_and_counted(make: Factory) -> None:
    frontier = make()
    frontier.reset("2024-01-01T00:00:00Z")
    assert frontier.add([req("http://a/1"), req("http://a/2"), req("http://a/1")]) == 2
    first = claimed(frontier)
    assert first.lease_token and first.lease_expires is not None
    assert frontier.counts() == FrontierCounts(queued=1, active=1, done=0)
    frontier.finish(first, "stored")
    assert frontier.add([req("http://a/1")]) == 0
    assert frontier.counts() == FrontierCounts(queued=1, active=0, done=1)
    assert frontier.started_at() == "2024-01-01T00:00:00Z"


def test_order_is_priority_then_depth_then_discovery(make: Factory) -> None:
    frontier = make()
    frontier.reset("s")
    frontier.add([req("http://a/deep", 2), req("http://a/top", 0),
                  req("http://a/sitemap.xml", 0, -1, Kind.SITEMAP), req("http://a/mid", 1),
                  req("http://a/top2", 0)])
    order = []
    while (item := frontier.claim()) is not None:
        order.append(item.url)
        frontier.finish(item, "stored")  # one host: its concurrency limit must not stop us
    assert order == ["http://a/sitemap.xml", "http://a/top", "http://a/top2", "http://a/mid",
                     "http://a/deep"]
    assert frontier.ready_in() is None  # nothing queued


def test_deferred_request_goes_behind_the_queue(make: Factory) -> None:
    frontier = make()
    frontier.reset("s")
    frontier.add([req("http://a/amp"), req("http://a/other", 3)])
    amp = claimed(frontier)
    assert amp.url == "http://a/amp"
    frontier.defer(amp)
    assert frontier.counts() == FrontierCounts(2, 0, 0)
    other = claimed(frontier)
    assert other.url == "http://a/other"
    frontier.finish(other, "stored")
    again = claimed(frontier)
    assert again.url == "http://a/amp" and again.deferred
    with pytest.raises(LeaseLost):
        frontier.finish(amp, "stored")  # the token of the first claim is spent


def test_an_expired_lease_is_reaped_and_claimed_again_flagged_interrupted(make: Factory) -> None:
    frontier = make()
    frontier.reset("s")
    frontier.add([req("http://a/1"), req("http://b/2")])
    stale = claimed(frontier)
    kept = frontier.renew(claimed(frontier))
    assert frontier.reap_expired() == 0  # nothing expired yet
    time.sleep(LEASE * 0.6)
    kept = frontier.renew(kept)  # renewed in time: survives the reap below
    time.sleep(LEASE * 0.6)
    other = make("w2")
    assert other.reap_expired() == 1
    assert frontier.counts() == FrontierCounts(queued=1, active=1, done=0)
    again = claimed(other)
    assert (again.url_key, again.interrupted, again.interruptions) == (stale.url_key, True, 1)
    assert again.lease_token != stale.lease_token
    with pytest.raises(LeaseLost):
        frontier.finish(stale, "stored")  # the paused worker's late result is refused
    with pytest.raises(LeaseLost):
        frontier.renew(stale)
    with pytest.raises(LeaseLost):
        frontier.defer(stale)
    other.finish(again, "stored")
    frontier.finish(kept, "stored")
    assert frontier.counts() == FrontierCounts(queued=0, active=0, done=2)


def test_the_page_budget_is_shared_and_uncounted_claims_give_it_back(make: Factory) -> None:
    first = make("w1")
    first.reset("s", max_pages=3)
    first.add([req(f"http://h{n}/p") for n in range(6)])
    second = make("w2")
    one, two = claimed(first), claimed(second)
    second.finish(two, "robots", counted=False)  # no request was sent: not a page
    three, four = claimed(first), claimed(second)
    assert first.claim() is None and second.claim() is None
    assert first.ready_in() is None
    state = second.crawl_state()
    assert (state.max_pages, state.pages_claimed) == (3, 3)
    for request in (one, three, four):
        first.finish(request, "stored")
    assert first.counts() == FrontierCounts(queued=2, active=0, done=4)


def test_crawl_state_is_shared(make: Factory) -> None:
    first = make("w1")
    first.reset("2024-05-13T04:00:00Z", max_pages=10)
    first.end_crawl("2024-05-13T05:00:00Z")
    assert make("w2").crawl_state() == CrawlState("2024-05-13T04:00:00Z",
                                                  "2024-05-13T05:00:00Z", 10, 0)


def test_reset_forgets_every_url(make: Factory) -> None:
    frontier = make()
    frontier.reset("one")
    frontier.add([req("http://a/1"), req("http://a/2")])
    claimed(frontier)
    frontier.reset("two")
    assert frontier.counts() == FrontierCounts(0, 0, 0)
    assert frontier.add([req("http://a/1")]) == 1
    assert frontier.started_at() == "two"
