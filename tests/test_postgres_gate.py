"""The shared host gate (``PostgresHostGate``) across workers, on a real PostgreSQL.

Gate admissions are compared on the database's clock (the ``clock_timestamp()`` the gate stored
as the host's last start); downloads through two Downloaders sharing the gate are compared on
the test server's clock (arrival of each request), with the downloader tests' slack.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import threading
from collections import defaultdict
from collections.abc import Callable

import psycopg

from scraper.config import FetchConfig, PolitenessConfig
from scraper.net.downloader import Downloader
from scraper.net.politeness_postgres import PostgresFailureStreaks, PostgresHostGate
from tests import misbehaving_server
from tests.misbehaving_server import MisbehavingServer

site = misbehaving_server.site
FETCH = FetchConfig(timeout=2.0, connect_timeout=1.0, max_bytes=1_000_000, retries=2,
                    backoff_base=0.01, backoff_max=0.05, max_retry_after=5.0)
SLACK = 0.1


def gate_run(dsn: str, host_urls: list[str], delay: float, per_host: int,
             pause: tuple[str, float] | None = None) -> list[tuple[str, float]]:
    """One worker with its own gate: one request through ``slot`` per URL, 3 at a time."""
    gate = PostgresHostGate(dsn, PolitenessConfig(delay=delay, per_host_concurrency=per_host,
                                                  concurrency=3))

    async def fetch(url: str) -> None:
        async with gate.slot(url):
            await asyncio.sleep(0.01)

    async def main() -> None:
        if pause is not None:
            gate.pause(*pause)
        await asyncio.gather(*(fetch(url) for url in host_urls))

    try:
        asyncio.run(main())
        return gate.admitted
    finally:
        gate.close()


def in_threads(dsn: str, runs: list[list[str]], delay: float,
               per_host: int = 4) -> list[tuple[str, float]]:
    admitted: list[tuple[str, float]] = []

    def run(urls: list[str]) -> None:
        admitted.extend(gate_run(dsn, urls, delay, per_host))

    threads = [threading.Thread(target=run, args=(urls,)) for urls in runs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return admitted


def test_the_shared_gate_keeps_the_gap_across_workers(postgres_dsn: str) -> None:
    delay = 0.1
    urls = [f"http://h{n % 2}.test/{n}" for n in range(12)]
    admitted = in_threads(postgres_dsn, [urls[:6], urls[6:], urls[3:9]], delay)
    assert len(admitted) == 18
    starts: dict[str, list[float]] = defaultdict(list)
    for host, started in admitted:
        starts[host].append(started)
    for host, moments in starts.items():
        moments.sort()
        gaps = [b - a for a, b in itertools.pairwise(moments)]
        assert min(gaps) >= delay - 1e-6, (host, gaps)


def test_a_retry_after_pause_holds_every_worker(postgres_dsn: str) -> None:
    gate = PostgresHostGate(postgres_dsn, PolitenessConfig(delay=0.0))
    gate.pause("h0.test", 0.6)
    with psycopg.connect(postgres_dsn) as db:
        row = db.execute("SELECT extract(epoch FROM paused_until)::float8 FROM crawl_hosts"
                         " WHERE host = 'h0.test'").fetchone()
    assert row is not None
    assert 0.3 < gate.pause_remaining("h0.test") <= 0.6
    assert set(gate.paused_hosts()) == {"h0.test"}
    gate.close()
    admitted = in_threads(postgres_dsn, [["http://h0.test/a"], ["http://h0.test/b"]], 0.0)
    assert len(admitted) == 2
    assert min(started for _, started in admitted) >= row[0]


def test_per_host_concurrency_is_shared(postgres_dsn: str) -> None:
    gate = PostgresHostGate(postgres_dsn, PolitenessConfig(delay=0.0, per_host_concurrency=1))
    first = gate._admit("h0.test", 0.0, 1)
    assert first[0] is not None
    other = PostgresHostGate(postgres_dsn, PolitenessConfig(delay=0.0, per_host_concurrency=1))
    assert other._admit("h0.test", 0.0, 1)[0] is None  # the one slot is taken
    gate._release(first[0])
    assert other._admit("h0.test", 0.0, 1)[0] is not None
    gate.close()
    other.close()


def test_crawl_delay_and_failure_streaks_are_shared(postgres_dsn: str) -> None:
    one = PostgresHostGate(postgres_dsn, PolitenessConfig(delay=0.5))
    two = PostgresHostGate(postgres_dsn, PolitenessConfig(delay=0.5))
    one.set_crawl_delay("h0.test", 3.0)
    assert two.delay("h0.test") == 3.0 and two.delay("h1.test") == 0.5
    first = PostgresFailureStreaks(postgres_dsn, threshold=2, first_pause=10, max_pause=15)
    second = PostgresFailureStreaks(postgres_dsn, threshold=2, first_pause=10, max_pause=15)
    assert first.failed("h0.test") is None
    assert second.failed("h0.test") == 10  # the second failure of the host, by another worker
    assert first.failed("h0.test") == 15
    second.succeeded("h0.test")
    assert first.failed("h0.test") is None
    for closable in (one, two, first, second):
        closable.close()


def in_parallel(*jobs: Callable[[], None]) -> None:
    threads = [threading.Thread(target=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)


def worker(dsn: str, urls: list[str], politeness: PolitenessConfig) -> Callable[[], None]:
    """One crawl worker: its own event loop, Downloader and connection to the shared gate."""
    async def main() -> None:
        gate = PostgresHostGate(dsn, politeness)
        try:
            async with Downloader(FETCH, politeness, gate=gate) as downloader:
                for url in urls:
                    await downloader.download(url)
        finally:
            gate.close()

    return lambda: asyncio.run(main())


def test_two_downloaders_keep_the_gap_for_every_request(site: MisbehavingServer,
                                                        postgres_dsn: str) -> None:
    polite = PolitenessConfig(delay=0.3, per_host_concurrency=4, concurrency=4)
    first = [site.url("/page/1"), site.url("/redirect?to=/page/2"), site.url("/page/3")]
    second = [site.url("/page/4"), site.url("/redirect?to=/page/5")]
    in_parallel(worker(postgres_dsn, first, polite), worker(postgres_dsn, second, polite))
    starts = sorted(r.started for r in site.requests())
    assert len(starts) == 2 + 7  # robots.txt per worker, and each redirect hop
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert min(gaps) >= 0.3 - SLACK, gaps


def test_a_retry_after_seen_by_one_worker_holds_the_other(site: MisbehavingServer,
                                                         postgres_dsn: str) -> None:
    site.retry_after = 1
    polite = PolitenessConfig(delay=0.0, per_host_concurrency=4, concurrency=4)
    flaky = worker(postgres_dsn, [site.url("/flaky429/a")], polite)
    gate = PostgresHostGate(postgres_dsn, polite)

    def other() -> None:
        while not gate.paused_hosts():  # the first worker met the 429
            threading.Event().wait(0.01)
        worker(postgres_dsn, [site.url("/page/other")], polite)()

    in_parallel(flaky, other)
    gate.close()
    [refused] = [r.started for r in site.requests("/flaky429/a")][:1]
    assert site.requests("/page/other")[0].started >= refused + 1.0 - SLACK


def test_a_waiter_cancelled_while_asking_leaves_no_slot_taken(postgres_dsn: str) -> None:
    gate = PostgresHostGate(postgres_dsn, PolitenessConfig(delay=0.0, per_host_concurrency=1))

    async def scenario() -> None:
        async def enter() -> None:
            async with gate.slot("http://h0.test/a"):
                await asyncio.sleep(10)

        task = asyncio.create_task(enter())
        await asyncio.sleep(0)  # the admission is on its way to the database
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await asyncio.sleep(0.3)  # the late answer arrives and its slot is given back

    asyncio.run(scenario())
    with psycopg.connect(postgres_dsn) as db:
        row = db.execute("SELECT count(*) FROM host_slots").fetchone()
    assert row == (0,)
    assert gate._admit("h0.test", 0.0, 1)[0] is not None
    gate.close()
