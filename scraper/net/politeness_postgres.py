"""Per-host politeness shared by every worker of a crawl, in PostgreSQL (``crawl_hosts``).

Before EVERY request to a host (retries, redirect hops and robots.txt included) one call of
``broadsheet_admit`` locks the host's row and admits the request only when
``last_start + delay <= clock_timestamp()``, the host is not paused and fewer than
``per_host_concurrency`` of its requests hold a slot; otherwise it answers how long to wait.
All times are the database's clock, so workers on machines whose clocks disagree still keep the
gap.  Slots are rows with an expiry, so a worker killed mid-request frees its slot in time.
Retry-After pauses, failure streaks and Crawl-delay are columns of the same row.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

import psycopg

from scraper.config import PolitenessConfig
from scraper.errors import BroadsheetError
from scraper.net.host_gate import FailureCounter, PolitenessGate
from scraper.postgres_schema import connect, ensure_schema, guard
from scraper.urls import host_key

log = logging.getLogger(__name__)

__all__ = ["HOSTS_VERSION", "PostgresFailureStreaks", "PostgresHostGate", "ensure_hosts_schema"]

HOSTS_VERSION = 1
SLOT_HOLD_SECONDS = 600.0
"""A slot not released within this long (its worker died) is free again."""
FULL_WAIT = 0.05
"""How long to wait before asking again when the host's slots are all taken."""

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS crawl_hosts (
        host           text PRIMARY KEY,
        next_allowed   timestamptz NOT NULL DEFAULT '-infinity',
        active         integer NOT NULL DEFAULT 0,
        last_start     timestamptz NOT NULL DEFAULT '-infinity',
        paused_until   timestamptz NOT NULL DEFAULT '-infinity',
        failure_streak integer NOT NULL DEFAULT 0,
        crawl_delay    double precision NOT NULL DEFAULT 0,
        idle           boolean NOT NULL DEFAULT false)""",
    """CREATE TABLE IF NOT EXISTS host_slots (
        token   text PRIMARY KEY,
        host    text NOT NULL,
        expires timestamptz NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS host_slots_host ON host_slots (host)",
    # Hosts with queued URLs (or not yet known to have none): the frontier's claim scans these.
    "CREATE INDEX IF NOT EXISTS crawl_hosts_ready ON crawl_hosts (next_allowed) WHERE NOT idle",
    """CREATE OR REPLACE FUNCTION broadsheet_admit(p_host text, p_delay double precision,
            p_per_host integer, p_hold double precision)
        RETURNS TABLE (token text, wait double precision, started timestamptz)
        LANGUAGE plpgsql AS $$
    #variable_conflict use_column
    DECLARE
        h crawl_hosts%ROWTYPE;
        now_ timestamptz;
        ready timestamptz;
        taken integer;
        t text;
    BEGIN
        INSERT INTO crawl_hosts (host) VALUES (p_host) ON CONFLICT DO NOTHING;
        SELECT * INTO h FROM crawl_hosts c WHERE c.host = p_host FOR UPDATE;
        now_ := clock_timestamp();  -- read after the lock: admissions are serialized per host
        ready := greatest(h.last_start + make_interval(secs => greatest(p_delay, h.crawl_delay)),
                          h.paused_until);
        IF ready > now_ THEN
            RETURN QUERY SELECT NULL::text, extract(epoch FROM ready - now_)::double precision,
                                NULL::timestamptz;
            RETURN;
        END IF;
        DELETE FROM host_slots s WHERE s.host = p_host AND s.expires < now_;
        SELECT count(*) INTO taken FROM host_slots s WHERE s.host = p_host;
        IF taken >= p_per_host THEN
            RETURN QUERY SELECT NULL::text, -1::double precision, NULL::timestamptz;
            RETURN;
        END IF;
        t := gen_random_uuid()::text;
        INSERT INTO host_slots (token, host, expires)
            VALUES (t, p_host, now_ + make_interval(secs => p_hold));
        UPDATE crawl_hosts c SET last_start = now_ WHERE c.host = p_host;
        RETURN QUERY SELECT t, 0::double precision, now_;
    END $$""",
)


def ensure_hosts_schema(connection: psycopg.Connection[tuple[object, ...]]) -> None:
    ensure_schema(connection, "hosts", HOSTS_VERSION, _SCHEMA)


class PostgresHostGate:
    """``PolitenessGate`` in PostgreSQL.  The database calls of ``slot`` run in a thread, so
    the event loop never waits on the network; the rare ``pause``/``set_crawl_delay`` calls
    are direct.  A global semaphore keeps this process to ``concurrency`` requests; it is held
    only while asking the database and while the request runs, never while waiting."""

    def __init__(self, dsn: str, config: PolitenessConfig, *,
                 hold_seconds: float = SLOT_HOLD_SECONDS) -> None:
        self._config = config
        self._hold = hold_seconds
        self._db = connect(dsn, "opening the shared host gate")
        ensure_hosts_schema(self._db)
        self._global = asyncio.Semaphore(config.concurrency)
        self._held: set[str] = set()  # tokens of this worker's slots in flight
        self.waiting: dict[str, int] = {}
        self.wait_seconds: dict[str, float] = {}
        self.paused_until: dict[str, float] = {}
        self.admitted: list[tuple[str, float]] = []  # (host, database start time), last 1000

    def close(self) -> None:
        self._db.close()

    def delay(self, host: str) -> float:
        row = self._one("SELECT crawl_delay FROM crawl_hosts WHERE host = %s", (host,))
        return max(self._config.delay, float(str(row[0])) if row else 0.0)

    def set_crawl_delay(self, host: str, seconds: float | None) -> None:
        self._one("INSERT INTO crawl_hosts (host, crawl_delay) VALUES (%s, %s) ON CONFLICT (host)"
                  " DO UPDATE SET crawl_delay = EXCLUDED.crawl_delay RETURNING 1",
                  (host, max(0.0, seconds or 0.0)))

    def pause(self, host: str, seconds: float) -> None:
        seconds = min(max(0.0, seconds), 10.0 * 365 * 86400)  # an interval must stay finite
        self._one("INSERT INTO crawl_hosts (host, paused_until) VALUES"
                  " (%s, clock_timestamp() + make_interval(secs => %s)) ON CONFLICT (host) DO"
                  " UPDATE SET paused_until = greatest(crawl_hosts.paused_until,"
                  " EXCLUDED.paused_until) RETURNING 1", (host, seconds))
        until = time.monotonic() + seconds
        self.paused_until[host] = max(self.paused_until.get(host, -math.inf), until)

    def pause_remaining(self, host: str) -> float:
        row = self._one("SELECT extract(epoch FROM paused_until - clock_timestamp())::float8"
                        " FROM crawl_hosts WHERE host = %s AND paused_until > clock_timestamp()",
                        (host,))
        return max(0.0, float(str(row[0]))) if row else 0.0

    def paused_hosts(self) -> dict[str, float]:
        with guard("reading the paused hosts"):
            rows = self._db.execute(
                "SELECT host, extract(epoch FROM paused_until - clock_timestamp())::float8"
                " FROM crawl_hosts WHERE paused_until > clock_timestamp()").fetchall()
        return {str(host): float(str(left)) for host, left in rows}

    @contextlib.asynccontextmanager
    async def slot(self, url: str) -> AsyncIterator[None]:
        host = host_key(url)
        entered = time.monotonic()
        self.waiting[host] = self.waiting.get(host, 0) + 1
        try:
            token = await self._admitted(host)
        finally:
            self.waiting[host] -= 1
            if not self.waiting[host]:
                del self.waiting[host]
            self.wait_seconds[host] = self.wait_seconds.get(host, 0.0) + time.monotonic() - entered
        self._held.add(token)
        try:
            yield
        finally:
            self._held.discard(token)
            self._global.release()
            await asyncio.to_thread(self._release, token)

    def renew_slots(self) -> None:
        """Extend the hold of this worker's slots in flight: a live worker's slots never lapse,
        a killed worker's lapse ``hold_seconds`` after its last renewal."""
        tokens = list(self._held)
        if tokens:
            with guard("renewing host slots"):
                self._db.execute("UPDATE host_slots SET expires = clock_timestamp()"
                                 " + make_interval(secs => %s) WHERE token = ANY(%s)",
                                 (self._hold, tokens))

    async def _admitted(self, host: str) -> str:
        """Wait until the database admits a request to ``host``; returns holding a global slot."""
        delay = self._config.delay
        per_host = self._config.per_host_concurrency
        while True:
            await self._global.acquire()
            asking = asyncio.ensure_future(asyncio.to_thread(self._admit, host, delay, per_host))
            try:
                token, wait, started = await asyncio.shield(asking)
            except BaseException:
                self._global.release()
                asking.add_done_callback(self._release_unused)  # cancelled while asking
                raise
            if token is not None:
                self.admitted = [*self.admitted[-999:], (host, started)]
                return token
            self._global.release()
            await asyncio.sleep(FULL_WAIT if wait < 0 else wait)

    def _admit(self, host: str, delay: float,
               per_host: int) -> tuple[str | None, float, float]:
        row = self._one("SELECT token, wait, extract(epoch FROM started)::float8"
                        " FROM broadsheet_admit(%s, %s, %s, %s)",
                        (host, delay, per_host, self._hold))
        assert row is not None
        token, wait, started = row
        return (None if token is None else str(token), float(str(wait)),
                0.0 if started is None else float(str(started)))

    def _release_unused(self, asking: asyncio.Future[tuple[str | None, float, float]]) -> None:
        """A slot the database granted after its waiter was cancelled goes back at once."""
        if not asking.cancelled() and asking.exception() is None:
            token = asking.result()[0]
            if token is None:
                return
            try:
                self._release(token)
            except BroadsheetError as exc:  # shutting down: the slot lapses on its own
                log.warning("could not give back a host slot (%s); it lapses in %.0f s",
                            exc, self._hold)

    def _release(self, token: str) -> None:
        with guard("releasing a host slot"):
            self._db.execute("DELETE FROM host_slots WHERE token = %s", (token,))

    def _one(self, sql: str, values: tuple[object, ...]) -> tuple[object, ...] | None:
        with guard("the shared host gate"):
            return self._db.execute(sql, values).fetchone()


class PostgresFailureStreaks:
    """``FailureCounter`` in ``crawl_hosts.failure_streak``: every worker's failures count
    toward the same streak; past ``threshold`` each one earns a pause that doubles."""

    def __init__(self, dsn: str, threshold: int = 5, first_pause: float = 30.0,
                 max_pause: float = 600.0) -> None:
        self._threshold = threshold
        self._first_pause = first_pause
        self._max_pause = max_pause
        self._db = connect(dsn, "opening the shared failure streaks")
        ensure_hosts_schema(self._db)

    def close(self) -> None:
        self._db.close()

    def failed(self, host: str) -> float | None:
        with guard("counting a host's failure"):
            row = self._db.execute(
                "INSERT INTO crawl_hosts (host, failure_streak) VALUES (%s, 1) ON CONFLICT (host)"
                " DO UPDATE SET failure_streak = crawl_hosts.failure_streak + 1"
                " RETURNING failure_streak", (host,)).fetchone()
        count = int(str(row[0])) if row else 1
        if count < self._threshold:
            return None
        return min(self._max_pause, self._first_pause * 2.0 ** min(count - self._threshold, 30))

    def succeeded(self, host: str) -> None:
        with guard("clearing a host's failures"):
            self._db.execute("UPDATE crawl_hosts SET failure_streak = 0"
                             " WHERE host = %s AND failure_streak <> 0", (host,))


if TYPE_CHECKING:  # mypy checks that the classes implement the protocols
    _GATE: type[PolitenessGate] = PostgresHostGate
    _STREAKS: type[FailureCounter] = PostgresFailureStreaks
