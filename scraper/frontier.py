"""The crawl frontier: the queue of URLs to fetch and the set of URLs already seen, on disk.

``Frontier`` is the interface the crawl loop uses; ``SqliteFrontier`` keeps it in one embedded
SQLite file (WAL mode, every change committed), so a killed process loses nothing it had
discovered and memory does not grow with the frontier.  Another backend (shared by several
machines) can implement the same interface later.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
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
    """One URL to fetch.  ``url_key`` is its canonical form (see ``scraper.urls``)."""

    url: str
    url_key: str
    kind: Kind = Kind.PAGE
    depth: int = 0
    priority: int = 0
    deferred: bool = False


@dataclass(frozen=True, slots=True)
class FrontierCounts:
    queued: int
    active: int
    done: int


class Frontier(Protocol):
    def add(self, requests: Iterable[CrawlRequest]) -> int:
        """Queue the requests whose ``url_key`` was never seen; return how many were new."""

    def claim(self) -> CrawlRequest | None:
        """The next request to work on (marked active), or None when nothing is queued."""

    def finish(self, url_key: str, outcome: str) -> None:
        """Mark an active request done, with a short outcome word for the record."""

    def defer(self, request: CrawlRequest) -> None:
        """Put an active request back in the queue, behind everything queued now."""

    def resume(self) -> int:
        """Re-queue requests left active by an interrupted run; return how many."""

    def reset(self) -> None:
        """Forget everything: the next ``add`` starts a new crawl."""

    def counts(self) -> FrontierCounts: ...

    def close(self) -> None: ...


_SCHEMA = """
CREATE TABLE IF NOT EXISTS frontier (
    url_key  TEXT PRIMARY KEY,
    url      TEXT NOT NULL,
    kind     TEXT NOT NULL,
    depth    INTEGER NOT NULL,
    priority INTEGER NOT NULL,
    deferred INTEGER NOT NULL DEFAULT 0,
    state    TEXT NOT NULL DEFAULT 'queued',
    outcome  TEXT,
    seq      INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS frontier_next ON frontier (state, priority, depth, seq);
"""
_DEFER_PENALTY = 1000


class SqliteFrontier:
    """``Frontier`` in one SQLite file; every change is committed before the call returns."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
        except sqlite3.Error as exc:
            raise ArchiveError(f"cannot open the crawl frontier {self.path}: {exc}; "
                               "delete it to start the crawl afresh") from None
        row = self._db.execute("SELECT COALESCE(MAX(seq), 0) FROM frontier").fetchone()
        self._seq = int(row[0])

    def add(self, requests: Iterable[CrawlRequest]) -> int:
        rows = []
        for request in requests:
            self._seq += 1
            rows.append((request.url_key, request.url, request.kind.value, request.depth,
                         request.priority, int(request.deferred), self._seq))
        if not rows:
            return 0
        before = self._db.total_changes
        with self._db:
            self._db.executemany(
                "INSERT OR IGNORE INTO frontier (url_key, url, kind, depth, priority, deferred, seq)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        return self._db.total_changes - before

    def claim(self) -> CrawlRequest | None:
        row = self._db.execute(
            "SELECT url_key, url, kind, depth, priority, deferred FROM frontier"
            " WHERE state = 'queued' ORDER BY priority, depth, seq LIMIT 1").fetchone()
        if row is None:
            return None
        self._db.execute("UPDATE frontier SET state = 'active' WHERE url_key = ?", (row[0],))
        return CrawlRequest(url=row[1], url_key=row[0], kind=Kind(row[2]), depth=row[3],
                            priority=row[4], deferred=bool(row[5]))

    def finish(self, url_key: str, outcome: str) -> None:
        self._db.execute("UPDATE frontier SET state = 'done', outcome = ? WHERE url_key = ?",
                         (outcome, url_key))

    def defer(self, request: CrawlRequest) -> None:
        self._seq += 1
        self._db.execute(
            "UPDATE frontier SET state = 'queued', deferred = 1, priority = ?, seq = ?"
            " WHERE url_key = ?", (request.priority + _DEFER_PENALTY, self._seq, request.url_key))

    def resume(self) -> int:
        cursor = self._db.execute("UPDATE frontier SET state = 'queued' WHERE state = 'active'")
        return cursor.rowcount

    def reset(self) -> None:
        self._db.execute("DELETE FROM frontier")
        self._seq = 0

    def counts(self) -> FrontierCounts:
        found = dict(self._db.execute("SELECT state, COUNT(*) FROM frontier GROUP BY state"))
        return FrontierCounts(queued=found.get("queued", 0), active=found.get("active", 0),
                              done=found.get("done", 0))

    def close(self) -> None:
        self._db.close()
