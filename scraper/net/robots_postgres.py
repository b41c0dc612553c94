"""robots.txt shared by every worker of a crawl, in PostgreSQL (``crawl_robots``).

Without it each of N workers fetches every origin's robots.txt: N requests where one is polite,
each taking a turn of the host's shared gate.  Here the first worker to ask claims the origin's
row, fetches, and stores the answer; the others wait for the row (polling) and parse the same
bytes.  Only final answers are shared (2xx, and 4xx other than 429); a network failure, 429 or
5xx is each worker's own, so it is retried as ``RobotsPolicy`` says.  The claiming worker renews
its claim while it fetches; a claim not renewed for ``claim_seconds`` (its worker died or was
paused) lapses, and then the next worker to ask fetches instead.
"""

from __future__ import annotations

import asyncio
import logging

from scraper.net.fetch import Response
from scraper.net.robots import RobotsFetch
from scraper.postgres_schema import connect, ensure_schema, guard

__all__ = ["ROBOTS_VERSION", "PostgresRobotsCache"]

log = logging.getLogger(__name__)

ROBOTS_VERSION = 1
POLL_SECONDS = 0.05

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS crawl_robots (
        url           text PRIMARY KEY,
        claimed_until timestamptz NOT NULL DEFAULT '-infinity',
        fetched_at    timestamptz,
        status        integer,
        final_url     text,
        content_type  text,
        body          bytea)""",
)

_FRESH = ("SELECT status, final_url, content_type, body FROM crawl_robots WHERE url = %s"
          " AND status IS NOT NULL AND fetched_at > clock_timestamp() - make_interval(secs => %s)")
_CLAIM = ("INSERT INTO crawl_robots AS r (url, claimed_until) VALUES"
          " (%s, clock_timestamp() + make_interval(secs => %s)) ON CONFLICT (url) DO UPDATE"
          " SET claimed_until = EXCLUDED.claimed_until WHERE r.claimed_until < clock_timestamp()"
          " AND (r.status IS NULL OR r.fetched_at < clock_timestamp() - make_interval(secs => %s))"
          " RETURNING 1")
_STORE = ("UPDATE crawl_robots SET claimed_until = '-infinity', fetched_at = clock_timestamp(),"
          " status = %s, final_url = %s, content_type = %s, body = %s WHERE url = %s")
_RELEASE = "UPDATE crawl_robots SET claimed_until = '-infinity' WHERE url = %s"
_RENEW = ("UPDATE crawl_robots SET claimed_until = clock_timestamp() + make_interval(secs => %s)"
          " WHERE url = %s AND status IS NULL")


def shareable(status: int) -> bool:
    """An answer every worker would get too (not a passing failure)."""
    return 200 <= status < 300 or (400 <= status < 500 and status != 429)


class PostgresRobotsCache:
    """``SharedRobots``: one fetch of each origin's robots.txt per ``ttl`` for the whole crawl."""

    def __init__(self, dsn: str, *, ttl: float = 24 * 3600.0, claim_seconds: float = 5.0) -> None:
        self._ttl = ttl
        self._claim = claim_seconds
        self._db = connect(dsn, "opening the shared robots.txt cache")
        ensure_schema(self._db, "robots", ROBOTS_VERSION, _SCHEMA)

    def close(self) -> None:
        self._db.close()

    async def fetch(self, url: str, fetch: RobotsFetch) -> Response:
        """The stored answer for ``url`` (a robots.txt URL), else ``fetch(url)`` by this worker
        when it wins the claim, else the answer the claiming worker stores."""
        while True:
            cached = await asyncio.to_thread(self._fresh, url)
            if cached is not None:
                return cached
            if await asyncio.to_thread(self._claimed, url):
                return await self._fetch_and_store(url, fetch)
            await asyncio.sleep(POLL_SECONDS)

    async def _fetch_and_store(self, url: str, fetch: RobotsFetch) -> Response:
        renewing = asyncio.create_task(self._renew(url))
        try:
            response = await fetch(url)
        except BaseException:
            _stop(renewing, url)
            await asyncio.to_thread(self._execute, _RELEASE, (url,))
            raise
        _stop(renewing, url)
        if shareable(response.status):
            await asyncio.to_thread(self._execute, _STORE, (
                response.status, response.final_url, response.content_type, response.body, url))
        else:
            await asyncio.to_thread(self._execute, _RELEASE, (url,))
        return response

    async def _renew(self, url: str) -> None:
        """Keep this worker's claim while its fetch runs (the gate may make it wait)."""
        while True:
            await asyncio.sleep(self._claim / 3)
            await asyncio.to_thread(self._execute, _RENEW, (self._claim, url))

    def _fresh(self, url: str) -> Response | None:
        with guard("reading the shared robots.txt cache"):
            row = self._db.execute(_FRESH, (url, self._ttl)).fetchone()
        if row is None:
            return None
        status, final_url, content_type, body = row
        return Response(url, str(final_url), int(str(status)), {}, _as_bytes(body),
                        content_type=str(content_type or ""))

    def _claimed(self, url: str) -> bool:
        with guard("claiming a robots.txt fetch"):
            return self._db.execute(_CLAIM, (url, self._claim, self._ttl)).fetchone() is not None

    def _execute(self, sql: str, values: tuple[object, ...]) -> None:
        with guard("storing a robots.txt answer"):
            self._db.execute(sql, values)


def _stop(renewing: asyncio.Task[None], url: str) -> None:
    """End the renewal of a claim; a renewal that failed is said (the claim may have lapsed,
    and another worker fetched too: harmless, only less polite)."""
    renewing.cancel()
    if renewing.done() and not renewing.cancelled() and renewing.exception() is not None:
        log.warning("could not keep the claim on %s: %s", url, renewing.exception())


def _as_bytes(value: object) -> bytes:
    assert isinstance(value, bytes | memoryview), type(value)
    return bytes(value)
