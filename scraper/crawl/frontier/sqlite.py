"""The crawl frontier of one process: the queue of URLs to fetch and the seen set, on disk.

``SqliteFrontier`` implements ``base.Frontier`` in one embedded SQLite file (WAL mode, every
change committed before the call returns), so a process killed at any moment loses nothing it had
discovered, and memory does not grow with the frontier: no URL is held in memory, ``claim`` is
one indexed statement and ``counts`` reads three counter rows that triggers keep in step.

Leases cost one random token per claim, stored with the row; their expiry is this machine's
clock, which is the only clock a single process needs.  ``resume`` re-queues every active
request: right for one process, whose earlier run is gone; it must never run against a frontier
that other workers share (``postgres.PostgresFrontier.resume`` only reaps expired leases).
"""

from __future__ import annotations

import secrets
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from archive.errors import ArchiveError
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

__all__ = ["CrawlRequest", "Frontier", "FrontierCounts", "Kind", "LeaseLost", "SqliteFrontier"]


FRONTIER_FORMAT = 2
"""``PRAGMA user_version`` of the frontier file.  Older formats are upgraded in place when
opened: 0 had no counters, no crawl start and no ``interrupted`` column; 1 had no leases."""

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS frontier (
        url_key     TEXT PRIMARY KEY,
        url         TEXT NOT NULL,
        kind        TEXT NOT NULL,
        depth       INTEGER NOT NULL,
        priority    INTEGER NOT NULL,
        deferred    INTEGER NOT NULL DEFAULT 0,
        state       TEXT NOT NULL DEFAULT 'queued',
        outcome     TEXT,
        seq         INTEGER NOT NULL,
        interrupted INTEGER NOT NULL DEFAULT 0,
        lease_token TEXT,
        lease_expires REAL)""",
    "CREATE INDEX IF NOT EXISTS frontier_leases ON frontier (lease_expires)"
    " WHERE state = 'active'",
    "CREATE INDEX IF NOT EXISTS frontier_next ON frontier (state, priority, depth, seq)",
    "CREATE TABLE IF NOT EXISTS frontier_counts (state TEXT PRIMARY KEY, n INTEGER NOT NULL)"
    " WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS frontier_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)"
    " WITHOUT ROWID",
    """CREATE TRIGGER IF NOT EXISTS frontier_count_insert AFTER INSERT ON frontier BEGIN
        UPDATE frontier_counts SET n = n + 1 WHERE state = NEW.state; END""",
    """CREATE TRIGGER IF NOT EXISTS frontier_count_update AFTER UPDATE OF state ON frontier
        WHEN OLD.state <> NEW.state BEGIN
        UPDATE frontier_counts SET n = n - 1 WHERE state = OLD.state;
        UPDATE frontier_counts SET n = n + 1 WHERE state = NEW.state; END""",
    """CREATE TRIGGER IF NOT EXISTS frontier_count_delete AFTER DELETE ON frontier BEGIN
        UPDATE frontier_counts SET n = n - 1 WHERE state = OLD.state; END""",
)
_RECOUNT_SQL = (
    "INSERT OR REPLACE INTO frontier_counts (state, n) SELECT column1,"
    " (SELECT count(*) FROM frontier WHERE state = column1)"
    " FROM (VALUES ('queued'), ('active'), ('done'))")
NEXT_SQL = ("SELECT url_key FROM frontier WHERE state = 'queued'"
            " ORDER BY priority, depth, seq LIMIT 1")
"""The request ``claim`` takes: tests check that it is answered from the index, not a scan."""
_CLAIM_SQL = ("UPDATE frontier SET state = 'active', lease_token = ?, lease_expires = ?"
              f" WHERE url_key = ({NEXT_SQL})"
              " RETURNING url_key, url, kind, depth, priority, deferred, interrupted")
_FENCE = " WHERE url_key = ? AND state = 'active' AND lease_token = ?"
_REQUEUE = ("state = 'queued', interrupted = interrupted + 1, lease_token = NULL,"
            " lease_expires = NULL")
KNOWN_KEYS = 50_000  # URL keys remembered as rows already, to skip re-inserting them
_SQLITE_FULL = 13


class SqliteFrontier:
    """``Frontier`` in one SQLite file; every change is committed before the call returns.
    Methods raise ArchiveError, never sqlite3.Error."""

    def __init__(self, path: str | Path, *, lease_seconds: float = DEFAULT_LEASE_SECONDS) -> None:
        self.path = Path(path)
        self.lease_seconds = lease_seconds
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        except sqlite3.Error as exc:
            raise self._error(exc) from None
        try:
            with self._guard():
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=NORMAL")
            self._prepare()
            with self._guard():
                row = self._db.execute("SELECT COALESCE(MAX(seq), 0) FROM frontier").fetchone()
            self._max_pages = int(self._meta("max_pages") or 0)
        except ArchiveError:
            self._db.close()
            raise
        self._seq = int(row[0])
        # URL keys this process knows are rows already; pages link the same URLs over and over.
        self._known: set[str] = set()

    def add(self, requests: Iterable[CrawlRequest]) -> int:
        rows = []
        for request in requests:
            if request.url_key in self._known:
                continue  # already a row: INSERT OR IGNORE would skip it, at a higher cost
            self._seq += 1
            rows.append((request.url_key, request.url, request.kind.value, request.depth,
                         request.priority, int(request.deferred), self._seq))
        if not rows:
            return 0
        with self._transaction():
            cursor = self._db.executemany(
                "INSERT OR IGNORE INTO frontier (url_key, url, kind, depth, priority, deferred, seq)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        if len(self._known) + len(rows) > KNOWN_KEYS:
            self._known.clear()  # bounded, so memory stays flat however large the frontier
        self._known.update(row[0] for row in rows)  # only once committed
        return cursor.rowcount

    def claim(self) -> CrawlRequest | None:
        token, expires = secrets.token_hex(8), time.time() + self.lease_seconds
        if self._max_pages:
            with self._transaction():  # the budget and the claim change together
                claimed = int(self._meta("pages_claimed") or 0)
                if claimed >= self._max_pages:
                    return None
                rows = self._db.execute(_CLAIM_SQL, (token, expires)).fetchall()
                if rows:
                    self._set_meta("pages_claimed", str(claimed + 1))
        else:
            with self._guard():
                rows = self._db.execute(_CLAIM_SQL, (token, expires)).fetchall()  # ends it
        if not rows:
            return None
        key, url, kind, depth, priority, deferred, interrupted = rows[0]
        return CrawlRequest(url=url, url_key=key, kind=Kind(kind), depth=depth,
                            priority=priority, deferred=bool(deferred),
                            interrupted=bool(interrupted), interruptions=int(interrupted),
                            lease_token=token, lease_expires=datetime.fromtimestamp(expires, UTC))

    def ready_in(self) -> float | None:
        """Nothing here waits for a host: a queued request is claimable at once."""
        if self._max_pages and int(self._meta("pages_claimed") or 0) >= self._max_pages:
            return None
        return 0.0 if self.counts().queued else None

    def renew(self, request: CrawlRequest) -> CrawlRequest:
        expires = time.time() + self.lease_seconds
        self._fenced("UPDATE frontier SET lease_expires = ?" + _FENCE, (expires,), request)
        return _with_expiry(request, expires)

    def finish(self, request: CrawlRequest, outcome: str, *, counted: bool = True) -> None:
        sql = ("UPDATE frontier SET state = 'done', outcome = ?, lease_token = NULL,"
               " lease_expires = NULL" + _FENCE)
        if counted or not self._max_pages:
            self._fenced(sql, (outcome,), request)
            return
        with self._transaction():
            self._fenced(sql, (outcome,), request)
            claimed = int(self._meta("pages_claimed") or 0)
            self._set_meta("pages_claimed", str(max(0, claimed - 1)))

    def defer(self, request: CrawlRequest) -> None:
        self._seq += 1
        self._fenced("UPDATE frontier SET state = 'queued', deferred = 1, priority = ?, seq = ?,"
                     " lease_token = NULL, lease_expires = NULL" + _FENCE,
                     (request.priority + DEFER_PENALTY, self._seq), request)

    def reap_expired(self) -> int:
        with self._guard():
            cursor = self._db.execute(f"UPDATE frontier SET {_REQUEUE} WHERE state = 'active'"
                                      " AND lease_expires < ?", (time.time(),))
        return cursor.rowcount

    def resume(self) -> int:
        """Re-queue every active request, flagged interrupted.  Single process only."""
        with self._guard():
            cursor = self._db.execute(f"UPDATE frontier SET {_REQUEUE} WHERE state = 'active'")
        return cursor.rowcount

    def reset(self, started_at: str, max_pages: int = 0) -> None:
        with self._transaction():
            # Dropping the table is much faster than deleting (and counting) row by row.
            self._db.execute("DROP TABLE frontier")
            for statement in _SCHEMA:
                self._db.execute(statement)
            self._db.execute("UPDATE frontier_counts SET n = 0")
            self._db.execute("DELETE FROM frontier_meta")
            self._set_meta("started_at", started_at)
            self._set_meta("max_pages", str(max_pages))
            self._set_meta("pages_claimed", "0")
        self._seq = 0
        self._max_pages = max_pages
        self._known.clear()

    def started_at(self) -> str | None:
        return self._meta("started_at")

    def crawl_seeds(self, adding: Sequence[str] = ()) -> list[str]:
        """One process per queue gives its start URLs every run: nothing is kept."""
        return sorted(set(adding))

    def end_crawl(self, ended_at: str) -> None:
        with self._guard():
            self._set_meta("ended_at", ended_at)

    def crawl_state(self) -> CrawlState:
        return CrawlState(started_at=self._meta("started_at"), ended_at=self._meta("ended_at"),
                          max_pages=int(self._meta("max_pages") or 0),
                          pages_claimed=int(self._meta("pages_claimed") or 0))

    def counts(self) -> FrontierCounts:
        with self._guard():
            found = dict(self._db.execute("SELECT state, n FROM frontier_counts").fetchall())
        return FrontierCounts(queued=found.get("queued", 0), active=found.get("active", 0),
                              done=found.get("done", 0))

    def close(self) -> None:
        self._db.close()

    def _fenced(self, sql: str, values: tuple[object, ...], request: CrawlRequest) -> None:
        with self._guard():
            cursor = self._db.execute(sql, (*values, request.url_key, request.lease_token))
        if cursor.rowcount != 1:
            raise LeaseLost(request.url_key)

    def _meta(self, name: str) -> str | None:
        with self._guard():
            row = self._db.execute("SELECT value FROM frontier_meta WHERE name = ?",
                                   (name,)).fetchone()
        return None if row is None else str(row[0])

    def _set_meta(self, name: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO frontier_meta (name, value) VALUES (?, ?)",
                         (name, value))

    def _prepare(self) -> None:
        """Create the tables, or upgrade a file of an older format in place."""
        with self._transaction():
            (version,) = self._db.execute("PRAGMA user_version").fetchone()
            if version > FRONTIER_FORMAT:
                raise ArchiveError(f"crawl frontier {self.path} has format {version}, newer than "
                                   "this broadsheet understands; upgrade broadsheet")
            if version == FRONTIER_FORMAT:
                return
            columns = {row[1] for row in self._db.execute("PRAGMA table_info(frontier)")}
            added = {"interrupted": "INTEGER NOT NULL DEFAULT 0", "lease_token": "TEXT",
                     "lease_expires": "REAL"}
            for name, declaration in added.items():
                if columns and name not in columns:
                    self._db.execute(f"ALTER TABLE frontier ADD COLUMN {name} {declaration}")
            for statement in _SCHEMA:
                self._db.execute(statement)
            self._db.execute(_RECOUNT_SQL)
            self._db.execute(f"PRAGMA user_version = {FRONTIER_FORMAT}")

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """One write transaction, taken up front; rolled back if the body fails."""
        with self._guard():
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    @contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise self._error(exc) from exc

    def _error(self, exc: sqlite3.Error) -> ArchiveError:
        if (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF == _SQLITE_FULL:
            return ArchiveError(f"disk full while writing the crawl frontier {self.path}; free "
                                "space and run the same command again to resume")
        return ArchiveError(f"crawl frontier {self.path} failed ({exc}); if this repeats, delete "
                            "it to start the crawl afresh (stored articles are kept)")


def _with_expiry(request: CrawlRequest, expires: float) -> CrawlRequest:
    return replace(request, lease_expires=datetime.fromtimestamp(expires, UTC))


if TYPE_CHECKING:  # mypy checks that the class implements the protocol
    _IMPLEMENTS: type[Frontier] = SqliteFrontier
