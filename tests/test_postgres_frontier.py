"""The shared PostgreSQL frontier under many workers, on a real PostgreSQL.

Every time here is the database's clock: claim times are ``lease_expires - lease_seconds``."""

from __future__ import annotations

import itertools
import threading
from collections import defaultdict
from datetime import timedelta

import psycopg
import pytest

from archive.errors import ArchiveError
from scraper.config import PolitenessConfig
from scraper.crawl.frontier.base import CrawlRequest, FrontierCounts
from scraper.crawl.frontier.postgres import PostgresFrontier
from scraper.net.politeness_postgres import PostgresHostGate

LEASE = 30.0


def requests(hosts: int, per_host: int) -> list[CrawlRequest]:
    urls = [f"http://h{h}.test/p{n}" for n in range(per_host) for h in range(hosts)]
    return [CrawlRequest(url, url) for url in urls]


def recount(dsn: str) -> FrontierCounts:
    """Counted from the rows themselves, to check the striped counters against."""
    with psycopg.connect(dsn) as db:
        found = dict(db.execute("SELECT state, count(*) FROM frontier_urls GROUP BY state")
                     .fetchall())
    return FrontierCounts(found.get("queued", 0), found.get("active", 0), found.get("done", 0))


def claim_all(dsn: str, workers: int, delay: float, per_host: int = 100) -> list[CrawlRequest]:
    """``workers`` threads, each its own connection, claim (and finish) until the queue is empty."""
    got: list[CrawlRequest] = []
    lock = threading.Lock()

    def work(name: str) -> None:
        frontier = PostgresFrontier(dsn, worker_id=name, lease_seconds=LEASE, delay=delay,
                                    per_host_concurrency=per_host)
        try:
            while True:
                request = frontier.claim()
                if request is None:
                    wait = frontier.ready_in()
                    if wait is None:
                        return
                    threading.Event().wait(min(wait, 0.05))
                    continue
                with lock:
                    got.append(request)
                frontier.finish(request, "stored")
        finally:
            frontier.close()

    threads = [threading.Thread(target=work, args=(f"w{n}",)) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return got


def test_concurrent_workers_never_claim_the_same_url(postgres_dsn: str) -> None:
    setup = PostgresFrontier(postgres_dsn, worker_id="setup")
    setup.reset("s")
    queued = requests(hosts=8, per_host=60)
    assert setup.add(queued) == len(queued)
    got = claim_all(postgres_dsn, workers=6, delay=0.0)
    keys = [request.url_key for request in got]
    assert len(keys) == len(set(keys)) == len(queued)
    assert setup.counts() == recount(postgres_dsn) == FrontierCounts(0, 0, len(queued))
    setup.close()


def test_concurrent_workers_stop_at_the_shared_page_budget(postgres_dsn: str) -> None:
    setup = PostgresFrontier(postgres_dsn, worker_id="setup")
    setup.reset("s", max_pages=37)
    setup.add(requests(hosts=5, per_host=40))
    got = claim_all(postgres_dsn, workers=5, delay=0.0)
    assert len({request.url_key for request in got}) == len(got) == 37
    assert setup.crawl_state().pages_claimed == 37
    assert setup.counts() == recount(postgres_dsn) == FrontierCounts(200 - 37, 0, 37)
    setup.close()


def test_claims_of_one_host_are_at_least_the_delay_apart(postgres_dsn: str) -> None:
    delay = 0.15
    setup = PostgresFrontier(postgres_dsn, worker_id="setup")
    setup.reset("s")
    setup.add(requests(hosts=2, per_host=6))
    got = claim_all(postgres_dsn, workers=4, delay=delay)
    assert len(got) == 12
    starts: dict[str, list[float]] = defaultdict(list)
    for request in got:
        assert request.lease_expires is not None
        moment = request.lease_expires - timedelta(seconds=LEASE)
        starts[request.url.split("/")[2]].append(moment.timestamp())
    for host, moments in starts.items():
        moments.sort()
        gaps = [b - a for a, b in itertools.pairwise(moments)]
        assert min(gaps) >= delay - 1e-6, (host, gaps)
    setup.close()


def test_a_paused_host_is_not_claimed_and_the_wait_is_told(postgres_dsn: str) -> None:
    frontier = PostgresFrontier(postgres_dsn, worker_id="w1")
    frontier.reset("s")
    frontier.add(requests(hosts=1, per_host=2))
    gate = PostgresHostGate(postgres_dsn, PolitenessConfig(delay=0.0))
    gate.pause("h0.test", 1.0)
    assert frontier.claim() is None
    wait = frontier.ready_in()
    assert wait is not None and 0.5 < wait <= 1.0
    gate.close()
    frontier.close()


def test_a_database_of_a_newer_frontier_version_is_refused(postgres_dsn: str) -> None:
    PostgresFrontier(postgres_dsn, worker_id="w").close()
    with psycopg.connect(postgres_dsn, autocommit=True) as db:
        db.execute("UPDATE broadsheet_schema SET version = 99 WHERE component = 'frontier'")
    with pytest.raises(ArchiveError, match="newer than this broadsheet"):
        PostgresFrontier(postgres_dsn, worker_id="w")


def test_an_unreachable_database_is_an_archive_error() -> None:
    with pytest.raises(ArchiveError, match="PostgreSQL"):
        PostgresFrontier("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2", worker_id="w")


def test_a_drained_host_comes_back_with_new_deferred_or_reaped_urls(postgres_dsn: str) -> None:
    """A claim marks a host found empty idle (claims skip idle hosts); every way a URL of that
    host becomes queued again wakes it."""
    frontier = PostgresFrontier(postgres_dsn, worker_id="w1", lease_seconds=0.3)
    frontier.reset("s")
    frontier.add([CrawlRequest("http://a.test/1", "http://a.test/1")])
    first = frontier.claim()
    assert first is not None
    assert frontier.claim() is None and frontier.ready_in() is None  # a.test is idle now
    frontier.add([CrawlRequest("http://a.test/2", "http://a.test/2")])
    second = frontier.claim()
    assert second is not None and second.url_key == "http://a.test/2"
    assert frontier.claim() is None
    frontier.defer(second)
    deferred = frontier.claim()
    assert deferred is not None and deferred.url_key == "http://a.test/2"
    assert frontier.claim() is None
    threading.Event().wait(0.4)
    assert frontier.reap_expired() == 2
    assert frontier.counts() == recount(postgres_dsn) == FrontierCounts(2, 0, 0)
    again = {frontier.claim(), frontier.claim()}
    assert {request.url_key for request in again if request} == {"http://a.test/1",
                                                                 "http://a.test/2"}
    frontier.close()


def test_a_host_at_its_concurrency_is_waited_for(postgres_dsn: str) -> None:
    frontier = PostgresFrontier(postgres_dsn, worker_id="w1", per_host_concurrency=1)
    frontier.reset("s")
    frontier.add(requests(hosts=1, per_host=2))
    first = frontier.claim()
    assert first is not None
    assert frontier.claim() is None  # the host's one slot is taken: wait, do not fail
    wait = frontier.ready_in()
    assert wait is not None and 0 < wait <= 0.05
    frontier.finish(first, "stored")
    assert frontier.claim() is not None
    frontier.close()


def test_a_host_another_worker_is_claiming_from_is_waited_for(postgres_dsn: str) -> None:
    """A host never claimed yet (its next allowed time still minus infinity), locked by another
    worker's claim in progress: this claim skips it and answers a short wait."""
    frontier = PostgresFrontier(postgres_dsn, worker_id="w1")
    frontier.reset("s")
    frontier.add(requests(hosts=1, per_host=2))
    with psycopg.connect(postgres_dsn) as other, other.transaction():
        other.execute("SELECT * FROM crawl_hosts WHERE host = 'h0.test' FOR UPDATE")
        assert frontier.claim() is None
        wait = frontier.ready_in()
        assert wait is not None and 0 < wait <= 0.05
    assert frontier.claim() is not None
    frontier.close()
