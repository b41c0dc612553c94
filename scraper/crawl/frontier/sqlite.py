"""The crawl frontier: the queue of URLs to fetch and the set of URLs already seen, on disk.

``Frontier`` is the interface the crawl loop uses; ``SqliteFrontier`` keeps it in one embedded
SQLite file (WAL mode, every change committed before the call returns), so a process killed at
any moment loses nothing it had discovered, and memory does not grow with the frontier: no URL
is held in memory, ``claim`` is one indexed statement and ``counts`` reads three counter rows
that triggers keep in step.  Another backend (shared by several machines) can implement the same
interface later.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from archive.errors import ArchiveError


class Kind(StrEnum):
    """What a queued URL is expected to be; decides how its response is handled."""

    PAGE = "page"
    SITEMAP = "sitemap"
    FEED = "feed"


@dataclass(frozen=True, slots=True)
class CrawlRequest:
    """One URL to fetch.  ``url_key`` is its canonical form (see ``scraper.urls``).

    ``interrupted`` is set by the frontier when an earlier run was stopped while working on this
    request, so its work may have been done in part (see ``Frontier.resume``);
    ``interruptions`` counts the runs that stopped so.
    """

    url: str
    url_key: str
    kind: Kind = Kind.PAGE
    depth: int = 0
    priority: int = 0
    deferred: bool = False
    interrupted: bool = False
    interruptions: int = 0


@dataclass(frozen=True, slots=True)
class FrontierCounts:
    queued: int
    active: int
    done: int


class Frontier(Protocol):
    """The queue and the seen set of one crawl at a time.

    A request goes queued -> active (``claim``) -> done (``finish``).  Every change is durable
    when the call returns, so a process killed between two calls loses nothing; memory must not
    grow with the number of URLs.
    """

    def add(self, requests: Iterable[CrawlRequest]) -> int:
        """Queue the requests whose ``url_key`` was never seen; return how many were new."""

    def claim(self) -> CrawlRequest | None:
        """The next request to work on (marked active), or None when nothing is queued.
        Order: ``priority``, then ``depth``, then the order of discovery."""

    def finish(self, url_key: str, outcome: str) -> None:
        """Mark an active request done, with a short outcome word for the record."""

    def defer(self, request: CrawlRequest) -> None:
        """Put an active request back in the queue, behind everything queued now."""

    def resume(self) -> int:
        """Re-queue requests left active by an interrupted run, flagged ``interrupted`` (and
        their ``interruptions`` counted up); return how many."""

    def reset(self, started_at: str) -> None:
        """Forget every URL and start a new crawl; remember ``started_at`` (a marker chosen by
        the caller, e.g. the start time) until the next reset."""

    def started_at(self) -> str | None:
        """The marker given to the last ``reset``, or None if there was none."""

    def counts(self) -> FrontierCounts:
        """How many requests are queued, active and done; cheap enough to call often."""

    def close(self) -> None: ...


FRONTIER_FORMAT = 1
"""``PRAGMA user_version`` of the frontier file.  Format 0 (no counters, no crawl start, no
``interrupted`` column) is upgraded in place when opened."""

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
        interrupted INTEGER NOT NULL DEFAULT 0)""",
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
_CLAIM_SQL = (f"UPDATE frontier SET state = 'active' WHERE url_key = ({NEXT_SQL})"
              " RETURNING url_key, url, kind, depth, priority, deferred, interrupted")
_DEFER_PENALTY = 1000
KNOWN_KEYS = 50_000  # URL keys remembered as rows already, to skip re-inserting them
_SQLITE_FULL = 13


class SqliteFrontier:
    """``Frontier`` in one SQLite file; every change is committed before the call returns.
    Methods raise ArchiveError, never sqlite3.Error."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
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
        with self._guard():
            rows = self._db.execute(_CLAIM_SQL).fetchall()  # all rows: ends the statement
        if not rows:
            return None
        key, url, kind, depth, priority, deferred, interrupted = rows[0]
        return CrawlRequest(url=url, url_key=key, kind=Kind(kind), depth=depth,
                            priority=priority, deferred=bool(deferred),
                            interrupted=bool(interrupted), interruptions=int(interrupted))

    def finish(self, url_key: str, outcome: str) -> None:
        with self._guard():
            self._db.execute("UPDATE frontier SET state = 'done', outcome = ? WHERE url_key = ?",
                             (outcome, url_key))

    def defer(self, request: CrawlRequest) -> None:
        self._seq += 1
        with self._guard():
            self._db.execute(
                "UPDATE frontier SET state = 'queued', deferred = 1, priority = ?, seq = ?"
                " WHERE url_key = ?",
                (request.priority + _DEFER_PENALTY, self._seq, request.url_key))

    def resume(self) -> int:
        with self._guard():
            cursor = self._db.execute(
                "UPDATE frontier SET state = 'queued', interrupted = interrupted + 1"
                " WHERE state = 'active'")
        return cursor.rowcount

    def reset(self, started_at: str) -> None:
        with self._transaction():
            # Dropping the table is much faster than deleting (and counting) row by row.
            self._db.execute("DROP TABLE frontier")
            for statement in _SCHEMA:
                self._db.execute(statement)
            self._db.execute("UPDATE frontier_counts SET n = 0")
            self._db.execute("INSERT OR REPLACE INTO frontier_meta (name, value)"
                             " VALUES ('started_at', ?)", (started_at,))
        self._seq = 0
        self._known.clear()

    def started_at(self) -> str | None:
        with self._guard():
            row = self._db.execute(
                "SELECT value FROM frontier_meta WHERE name = 'started_at'").fetchone()
        return None if row is None else str(row[0])

    def counts(self) -> FrontierCounts:
        with self._guard():
            found = dict(self._db.execute("SELECT state, n FROM frontier_counts").fetchall())
        return FrontierCounts(queued=found.get("queued", 0), active=found.get("active", 0),
                              done=found.get("done", 0))

    def close(self) -> None:
        self._db.close()

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
            if columns and "interrupted" not in columns:
                self._db.execute("ALTER TABLE frontier ADD COLUMN"
                                 " interrupted INTEGER NOT NULL DEFAULT 0")
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
