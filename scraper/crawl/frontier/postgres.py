"""``Frontier`` shared by many workers on many machines, in PostgreSQL.

``frontier_urls`` is the queue and the seen set in one table (unique ``url_key``); a row is
queued, active (leased to a worker until ``lease_expires``) or done.  ``crawl_hosts`` (shared
with the politeness gate, ``scraper.net.politeness_postgres``) paces claims per host and counts
each host's active leases; ``crawl_state`` holds the crawl's start, end and page budget.

``claim`` is one call of ``broadsheet_claim``: it picks a ready host (``next_allowed`` passed,
not paused, under the per-host concurrency) and that host's best queued URL, skipping rows other
workers hold (``FOR UPDATE SKIP LOCKED``), leases it (random token, expiry on the database
clock) and moves the host's ``next_allowed`` by its delay.  ``finish``, ``defer`` and ``renew``
are fenced by the token in the same statement.  ``resume`` only reaps expired leases: other
workers' live leases are never taken.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

import psycopg

from scraper.crawl.frontier.base import (
    DEFAULT_LEASE_SECONDS,
    DEFER_PENALTY,
    CrawlRequest,
    CrawlState,
    Frontier,
    FrontierCounts,
    Kind,
    LeaseLost,
)
from scraper.crawl.frontier.postgres_sql import (
    ADD_SQL,
    ADDED_SQL,
    CLAIM_SQL,
    COUNT_SHARDS,
    DEFER_SQL,
    FINISH_SQL,
    FRONTIER_VERSION,
    LOCK_HOSTS_SQL,
    REAP_SQL,
    RENEW_SQL,
    SCHEMA,
    WAKE_HOSTS_SQL,
)
from scraper.net.politeness_postgres import ensure_hosts_schema
from scraper.postgres_schema import connect, ensure_schema, guard
from scraper.urls import host_key

__all__ = ["PostgresFrontier", "finish_in"]

Connection = psycopg.Connection[tuple[object, ...]]
KNOWN_HOSTS = 10_000
ADD_ATTEMPTS = 5
_REAP_LOCK = 0x7265617065  # one reaper at a time: two would wait on each other's rows


class PostgresFrontier:
    """``Frontier`` in PostgreSQL.  ``delay`` and ``per_host_concurrency`` pace the claims per
    host (the larger of ``delay`` and the host's Crawl-delay).  Raises ArchiveError."""

    def __init__(self, dsn: str, *, worker_id: str, lease_seconds: float = DEFAULT_LEASE_SECONDS,
                 delay: float = 0.0, per_host_concurrency: int = 2) -> None:
        self.worker_id = worker_id
        self.lease_seconds = lease_seconds
        self.delay = delay
        self.per_host_concurrency = per_host_concurrency
        self._db: Connection = connect(dsn, "opening the shared crawl frontier")
        try:
            ensure_hosts_schema(self._db)
            ensure_schema(self._db, "frontier", FRONTIER_VERSION, SCHEMA)
        except BaseException:
            self._db.close()
            raise
        self._hosts: set[str] = set()
        self._ready_in: float | None = None
        self._shard = zlib.crc32(worker_id.encode()) % COUNT_SHARDS

    def add(self, requests: Iterable[CrawlRequest]) -> int:
        rows = [(r.url_key, r.url, host_key(r.url), r.kind.value, r.depth, r.priority, r.deferred)
                for r in requests]
        if not rows:
            return 0
        columns = [list(column) for column in zip(*rows, strict=True)]
        hosts = sorted(set(columns[2]))
        with guard("adding URLs to the shared frontier"):
            for _ in range(ADD_ATTEMPTS - 1):
                try:
                    return self._add(columns, hosts)
                except psycopg.errors.DeadlockDetected:
                    continue  # two batches sharing URL keys in other orders: one is retried
            return self._add(columns, hosts)

    def _add(self, columns: list[list[object]], hosts: list[str]) -> int:
        new_hosts = [host for host in hosts if host not in self._hosts]
        with self._db.transaction():
            if new_hosts:
                self._db.execute("INSERT INTO crawl_hosts (host) SELECT unnest(%s::text[])"
                                 " ON CONFLICT DO NOTHING", (new_hosts,))
            self._db.execute(LOCK_HOSTS_SQL, (hosts,))
            cursor = self._db.execute(ADD_SQL, columns)
            if cursor.rowcount:
                self._db.execute(WAKE_HOSTS_SQL, (hosts,))
                self._db.execute(ADDED_SQL, (cursor.rowcount, self._shard))
        if len(self._hosts) + len(new_hosts) > KNOWN_HOSTS:
            self._hosts.clear()
        self._hosts.update(new_hosts)
        return cursor.rowcount

    def claim(self) -> CrawlRequest | None:
        with guard("claiming from the shared frontier"):
            row = self._db.execute(CLAIM_SQL, (self.worker_id, self.lease_seconds, self.delay,
                                               self.per_host_concurrency,
                                               self._shard)).fetchone()
        if row is None or row[0] is None:
            self._ready_in = None if row is None or row[-1] is None else float(str(row[-1]))
            return None
        self._ready_in = 0.0
        key, url, kind, depth, priority, deferred, interrupted, token, expires, _ = row
        count = int(str(interrupted))
        return CrawlRequest(url=str(url), url_key=str(key), kind=Kind(str(kind)),
                            depth=int(str(depth)), priority=int(str(priority)),
                            deferred=bool(deferred), interrupted=count > 0, interruptions=count,
                            lease_token=str(token), lease_expires=_moment(expires))

    def ready_in(self) -> float | None:
        return self._ready_in

    @property
    def shard(self) -> int:
        """This worker's row of the striped counters (``finish_in`` takes it)."""
        return self._shard

    def renew(self, request: CrawlRequest) -> CrawlRequest:
        with guard("renewing a lease"):
            row = self._db.execute(RENEW_SQL, (self.lease_seconds, request.url_key,
                                               request.lease_token)).fetchone()
        if row is None:
            raise LeaseLost(request.url_key)
        return replace(request, lease_expires=_moment(row[0]))

    def finish(self, request: CrawlRequest, outcome: str, *, counted: bool = True) -> None:
        finish_in(self._db, request, outcome, counted=counted, shard=self._shard)

    def defer(self, request: CrawlRequest) -> None:
        with guard("deferring a request"):
            row = self._db.execute(DEFER_SQL, (request.priority + DEFER_PENALTY, request.url_key,
                                               request.lease_token, self._shard)).fetchone()
        if row is None or not row[0]:
            raise LeaseLost(request.url_key)

    def reap_expired(self) -> int:
        with guard("reaping expired leases"), self._db.transaction():
            locked = self._db.execute("SELECT pg_try_advisory_xact_lock(%s)",
                                      (_REAP_LOCK,)).fetchone()
            if locked is None or not locked[0]:
                return 0  # another worker is reaping right now
            row = self._db.execute(REAP_SQL, (self._shard,)).fetchone()
        return int(str(row[0])) if row else 0

    def resume(self) -> int:
        """Only expired leases: on a shared frontier the other active rows are live work."""
        return self.reap_expired()

    def reset(self, started_at: str, max_pages: int = 0) -> None:
        with guard("starting a new crawl in the shared frontier"), self._db.transaction():
            self._db.execute("TRUNCATE frontier_urls")
            self._db.execute("UPDATE frontier_counts SET queued = 0, active = 0, done = 0")
            self._db.execute("UPDATE crawl_hosts SET active = 0, next_allowed = '-infinity'")
            self._db.execute("UPDATE crawl_state SET started_at = %s, ended_at = NULL,"
                             " max_pages = %s, pages_claimed = 0, seeds = '{}' WHERE id = 1",
                             (started_at, max_pages))

    def started_at(self) -> str | None:
        return self.crawl_state().started_at

    def crawl_seeds(self, adding: Sequence[str] = ()) -> list[str]:
        """The shared crawl's start URLs, after adding ``adding`` to them: a worker that joins
        without start URLs of its own follows links within the same scope as the others."""
        with guard("reading the crawl's start URLs"):
            row = self._db.execute(
                "UPDATE crawl_state SET seeds = ARRAY(SELECT DISTINCT unnest(seeds || %s::text[])"
                " ORDER BY 1) WHERE id = 1 RETURNING seeds", (list(adding),)).fetchone()
        seeds = row[0] if row else None
        return [str(seed) for seed in seeds] if isinstance(seeds, list) else []

    def end_crawl(self, ended_at: str) -> None:
        with guard("ending the crawl"):
            self._db.execute("UPDATE crawl_state SET ended_at = %s WHERE id = 1", (ended_at,))

    def crawl_state(self) -> CrawlState:
        with guard("reading the crawl state"):
            row = self._db.execute("SELECT started_at, ended_at, max_pages, pages_claimed"
                                   " FROM crawl_state WHERE id = 1").fetchone()
        assert row is not None  # inserted with the schema
        started, ended, max_pages, claimed = row
        return CrawlState(None if started is None else str(started),
                          None if ended is None else str(ended),
                          int(str(max_pages)), int(str(claimed)))

    def counts(self) -> FrontierCounts:
        with guard("counting the shared frontier"):
            row = self._db.execute("SELECT sum(queued), sum(active), sum(done)"
                                   " FROM frontier_counts").fetchone()
        assert row is not None
        queued, active, done = (int(str(value)) for value in row)
        return FrontierCounts(queued, active, done)

    def close(self) -> None:
        self._db.close()


def finish_in(connection: Connection, request: CrawlRequest, outcome: str, *,
              counted: bool = True, shard: int = 0) -> None:
    """The fenced finish as one statement on ``connection``: inside a caller's transaction
    (e.g. with the record's index rows), a lost lease raises LeaseLost and the caller rolls
    back everything it wrote."""
    with guard("finishing a request"):
        row = connection.execute(FINISH_SQL, (outcome, request.url_key, request.lease_token,
                                              not counted, shard)).fetchone()
    if row is None or not row[0]:
        raise LeaseLost(request.url_key)


def _moment(value: object) -> datetime | None:
    return value if isinstance(value, datetime) else None


if TYPE_CHECKING:  # mypy checks that the class implements the protocol
    _IMPLEMENTS: type[Frontier] = PostgresFrontier
