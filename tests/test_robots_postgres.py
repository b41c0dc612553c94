"""robots.txt shared through PostgreSQL (``PostgresRobotsCache``): one fetch per origin for all
workers, failures not shared, a dead worker's claim lapses.  Real PostgreSQL, real server."""

from __future__ import annotations

import asyncio
import threading
import time

import psycopg
import pytest

from scraper.config import FetchConfig, PolitenessConfig
from scraper.errors import FetchError
from scraper.failure_reasons import FailureReason
from scraper.net.downloader import Downloader
from scraper.net.robots_postgres import PostgresRobotsCache
from tests import misbehaving_server
from tests.misbehaving_server import MisbehavingServer

site = misbehaving_server.site
FETCH = FetchConfig(timeout=2.0, connect_timeout=1.0, max_bytes=1_000_000, retries=0,
                    backoff_base=0.01, backoff_max=0.05)
POLITE = PolitenessConfig(delay=0.0, per_host_concurrency=4, concurrency=4)


def worker(dsn: str, urls: list[str], outcomes: list[str]) -> threading.Thread:
    """One crawl worker: its own event loop, Downloader and robots cache connection."""
    async def main() -> None:
        robots = PostgresRobotsCache(dsn)
        try:
            async with Downloader(FETCH, POLITE, robots=robots) as downloader:
                for url in urls:
                    try:
                        await downloader.download(url)
                        outcomes.append("ok")
                    except FetchError as error:
                        outcomes.append(str(error.reason))
        finally:
            robots.close()

    return threading.Thread(target=lambda: asyncio.run(main()))


def run_workers(dsn: str, runs: list[list[str]]) -> list[str]:
    outcomes: list[str] = []
    threads = [worker(dsn, urls, outcomes) for urls in runs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_three_workers_read_robots_txt_once_and_all_obey_it(site: MisbehavingServer,
                                                            postgres_dsn: str) -> None:
    runs = [[site.url(f"/page/{n}"), site.url(f"/private/{n}")] for n in range(3)]
    outcomes = run_workers(postgres_dsn, runs)
    assert len(site.requests("/robots.txt")) == 1
    assert sorted(outcomes) == sorted(["ok"] * 3 + [str(FailureReason.ROBOTS)] * 3)
    assert not site.requests("/private")


def test_a_robots_txt_that_answers_503_is_not_shared(postgres_dsn: str) -> None:
    with MisbehavingServer(robots_status=503) as server:
        run_workers(postgres_dsn, [[server.url("/page/a")], [server.url("/page/b")]])
        assert len(server.requests("/robots.txt")) == 2  # each worker meets the failure itself
        assert not server.requests("/page")  # unreachable robots.txt: nothing else is fetched


def test_a_dead_workers_claim_lapses(site: MisbehavingServer, postgres_dsn: str) -> None:
    robots_url = site.url("/robots.txt")
    cache = PostgresRobotsCache(postgres_dsn, claim_seconds=0.5)
    with psycopg.connect(postgres_dsn, autocommit=True) as db:  # claimed by a worker now dead
        db.execute("INSERT INTO crawl_robots (url, claimed_until)"
                   " VALUES (%s, clock_timestamp() + interval '0.5 seconds')", (robots_url,))

    async def main() -> float:
        async with Downloader(FETCH, POLITE, robots=cache) as downloader:
            started = time.monotonic()
            await downloader.download(site.url("/page/x"))
            return time.monotonic() - started

    waited = asyncio.run(main())
    cache.close()
    assert 0.4 <= waited < 3.0  # until the claim, no longer renewed, lapsed
    assert len(site.requests("/robots.txt")) == 1


@pytest.mark.parametrize("status", [200, 404])
def test_a_stored_answer_serves_a_later_worker(postgres_dsn: str, status: int) -> None:
    with MisbehavingServer(robots_status=status) as server:
        run_workers(postgres_dsn, [[server.url("/page/a")]])
        run_workers(postgres_dsn, [[server.url("/private/b")]])
        assert len(server.requests("/robots.txt")) == 1
        assert len(server.requests("/private")) == (1 if status == 404 else 0)
