"""The archive's SQLite index: every lookup the archive makes is one indexed query here.

Tables (all ``WITHOUT ROWID``, keyed by what is looked up)::

    articles (id PRIMARY KEY, path, dedup_hash)    article id -> its JSON file; content hash
                                                   (NULL for bodies too short to dedup on),
                                                   with a partial index on (dedup_hash, id)
    url_keys (url_key PRIMARY KEY, article_id)     every canonical URL key -> its article
    fetches  (url_key PRIMARY KEY, etag,           HTTP validators and last fetch time per
              last_modified, fetched_at)           URL key: NOT rebuildable, an optimisation

``articles`` and ``url_keys`` are rebuilt from the JSON files by ``Archive.rebuild_index``.
One connection per archive, WAL journal, a busy timeout, and ``BEGIN IMMEDIATE`` write
transactions, so two processes can share an archive (the second waits, it does not fail).
``PRAGMA user_version`` holds ``INDEX_FORMAT``.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from archive import near_dup
from archive.dedup import dedup_hash
from archive.errors import ArchiveError
from archive.revisits import revisit_row

_log = logging.getLogger(__name__)

INDEX_FORMAT = 2  # 2: near-duplicate band keys (an index of format 1 is upgraded in place)
BUSY_TIMEOUT_SECONDS = 30.0

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS articles (id TEXT PRIMARY KEY, path TEXT NOT NULL, "
    "dedup_hash TEXT) WITHOUT ROWID",
    "CREATE INDEX IF NOT EXISTS articles_by_dedup_hash ON articles (dedup_hash, id) "
    "WHERE dedup_hash IS NOT NULL",
    "CREATE TABLE IF NOT EXISTS url_keys (url_key TEXT PRIMARY KEY, article_id TEXT NOT NULL) "
    "WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS fetches (url_key TEXT PRIMARY KEY, etag TEXT, "
    "last_modified TEXT, fetched_at TEXT NOT NULL) WITHOUT ROWID",
    *near_dup.SCHEMA,
    "CREATE TABLE IF NOT EXISTS revisits (article_id TEXT PRIMARY KEY, url TEXT NOT NULL, "
    "site TEXT NOT NULL, first_seen TEXT NOT NULL, last_fetched TEXT NOT NULL) WITHOUT ROWID",
)

OWNER_SQL = "SELECT url_key, article_id FROM url_keys WHERE url_key IN ({marks})"
BY_HASH_SQL = "SELECT id FROM articles WHERE dedup_hash = ? ORDER BY id LIMIT 1"
PATH_SQL = "SELECT path FROM articles WHERE id = ?"
VALIDATORS_SQL = ("SELECT f.etag, f.last_modified FROM fetches AS f "
                  "JOIN url_keys AS k ON k.url_key = f.url_key WHERE f.url_key = ?")
LAST_FETCHED_SQL = "SELECT fetched_at FROM fetches WHERE url_key = ?"
PAGE_SQL = "SELECT id, path FROM articles WHERE id > ? ORDER BY id LIMIT ?"
REVISITS_SQL = ("SELECT article_id, url, site, first_seen, last_fetched FROM revisits "
                "WHERE article_id > ? ORDER BY article_id LIMIT ?")

LOOKUP_QUERIES: dict[str, tuple[str, tuple[object, ...]]] = {
    "owner": (OWNER_SQL.format(marks="?"), ("https://example.org/a",)),
    "by_hash": (BY_HASH_SQL, ("sha256:00",)),
    "path": (PATH_SQL, ("0123456789abcdef",)),
    "validators": (VALIDATORS_SQL, ("https://example.org/a",)),
    "last_fetched": (LAST_FETCHED_SQL, ("https://example.org/a",)),
    "page": (PAGE_SQL, ("", 100)),
    "revisits": (REVISITS_SQL, ("", 100)),
    "near": near_dup.candidates_query(near_dup.Signature(tuple(range(near_dup.BINS)), 60)),
}
"""Every per-record query with sample parameters: tests check none of them scans a table."""

# SQLite primary result codes (https://sqlite.org/rescode.html)
_BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 5, 6, 8, 10, 11, 13, 14, 26


def index_error(error: sqlite3.Error, path: Path) -> ArchiveError:
    """A one-line ArchiveError saying what went wrong with the index and what to do."""
    code = (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF
    if code in (_CORRUPT, _NOTADB):
        return ArchiveError(f"index {path} is corrupt ({error}); rebuild it from the JSON files "
                            "with reindex")
    if code == _FULL:
        return ArchiveError(f"disk full while writing {path}; free space and run again: "
                            "nothing already stored was lost")
    if code in (_READONLY, _CANTOPEN):
        return ArchiveError(f"archive directory {path.parent} is not writable: cannot open or "
                            f"write its index ({error}); choose another with --archive")
    if code in (_BUSY, _LOCKED):
        return ArchiveError(f"index {path} stayed locked by another process for "
                            f"{BUSY_TIMEOUT_SECONDS:.0f} s; try again when it has finished")
    return ArchiveError(f"index {path} failed ({error}); if this repeats, rebuild it with "
                        "reindex")


def move_aside(path: Path) -> None:
    """Move the index at ``path`` (and its -wal/-shm) to ``<path>.old*``, replacing older ones,
    so that a corrupt index can be rebuilt from scratch.  Raises OSError."""
    old = f"{path}.old"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{old}{suffix}").unlink(missing_ok=True)
    for suffix in ("", "-wal", "-shm"):
        current = Path(f"{path}{suffix}")
        if current.exists():
            os.replace(current, f"{old}{suffix}")


class ArchiveIndex:
    """One SQLite connection to ``index.sqlite``; methods raise ArchiveError, never sqlite3.Error."""

    def __init__(self, path: Path, *, busy_timeout: float = BUSY_TIMEOUT_SECONDS) -> None:
        self.path = path
        try:
            self._conn = sqlite3.connect(path, timeout=busy_timeout, isolation_level=None,
                                         check_same_thread=False)
        except sqlite3.Error as error:
            raise index_error(error, path) from error
        try:
            with self._guard():
                self._conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
                self._conn.execute("PRAGMA journal_mode = WAL")
                self._conn.execute("PRAGMA synchronous = NORMAL")
            self._create_schema()
        except ArchiveError:
            self._conn.close()
            raise

    def close(self) -> None:
        self._conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A write transaction taken up front (``BEGIN IMMEDIATE``): read-decide-write is atomic."""
        with self._guard():
            self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._rollback()
            raise
        with self._guard():
            self._conn.execute("COMMIT")

    def owners(self, keys: Sequence[str]) -> dict[str, str]:
        """``{url_key: article_id}`` for those of ``keys`` that are known."""
        sql = OWNER_SQL.format(marks=", ".join("?" * len(keys)))
        with self._guard():
            return dict(self._conn.execute(sql, tuple(keys)).fetchall())

    def article_with_hash(self, dedup_hash: str) -> str | None:
        return self._one(BY_HASH_SQL, (dedup_hash,))

    def path_of(self, article_id: str) -> str | None:
        return self._one(PATH_SQL, (article_id,))

    def last_fetched(self, url_key: str) -> str | None:
        return self._one(LAST_FETCHED_SQL, (url_key,))

    def validators(self, url_key: str) -> tuple[str | None, str | None] | None:
        """(etag, last_modified) of the last 200 under a key the index still knows, or None."""
        with self._guard():
            row = self._conn.execute(VALIDATORS_SQL, (url_key,)).fetchone()
        if row is None or row == (None, None):
            return None
        return row[0], row[1]

    def put_article(self, article_id: str, path: str, dedup_hash: str | None) -> None:
        with self._guard():
            self._conn.execute("INSERT OR REPLACE INTO articles (id, path, dedup_hash) "
                               "VALUES (?, ?, ?)", (article_id, path, dedup_hash))

    def add_keys(self, article_id: str, keys: Iterable[str]) -> None:
        """Give unowned keys to an article (a key already owned keeps its owner)."""
        with self._guard():
            self._conn.executemany("INSERT OR IGNORE INTO url_keys (url_key, article_id) "
                                   "VALUES (?, ?)", [(key, article_id) for key in keys])

    def record_fetch(self, keys: Iterable[str], *, etag: str | None, last_modified: str | None,
                     fetched_at: str) -> None:
        """A full (200) fetch: its validators replace the old ones for every key."""
        with self._guard():
            self._conn.executemany(
                "INSERT OR REPLACE INTO fetches (url_key, etag, last_modified, fetched_at) "
                "VALUES (?, ?, ?, ?)", [(key, etag, last_modified, fetched_at) for key in keys])

    def record_revisit(self, url_key: str, fetched_at: str) -> None:
        """A 304: the validators still hold, only the fetch time moves."""
        with self._guard():
            self._conn.execute(
                "INSERT INTO fetches (url_key, fetched_at) VALUES (?, ?) "
                "ON CONFLICT (url_key) DO UPDATE SET fetched_at = excluded.fetched_at",
                (url_key, fetched_at))

    def count(self) -> int:
        with self._guard():
            (total,) = self._conn.execute("SELECT count(*) FROM articles").fetchone()
        return int(total)

    def page(self, after: str, limit: int) -> list[tuple[str, str]]:
        """Up to ``limit`` (id, path) rows with id > ``after``, in id order (keyset paging)."""
        with self._guard():
            return self._conn.execute(PAGE_SQL, (after, limit)).fetchall()

    def clear_rebuildable(self) -> None:
        """Empty ``articles``, ``url_keys`` and the near-duplicate keys (not ``fetches``) before a
        rebuild."""
        with self._guard():
            self._conn.execute("DELETE FROM articles")
            self._conn.execute("DELETE FROM url_keys")
            near_dup.clear(self._conn)
            self._conn.execute("DELETE FROM revisits")

    def index_record(self, record: Mapping[str, Any], relpath: str, path: Path) -> list[str]:
        """Rebuild: what the index holds about one article file (at ``path``).  Returns the URL
        keys another file claimed first (the smaller id keeps them, see ``claim_keys``)."""
        if record["id"] != path.stem:
            raise ArchiveError(f"{path} holds article {record['id']}, not {path.stem}; rename "
                               "or delete it and run reindex again")
        if (other := self.path_of(record["id"])) is not None:
            raise ArchiveError(f"article {record['id']} is stored twice ({other} and {relpath}); "
                               "delete one and run reindex again")
        self.put_article(record["id"], relpath, dedup_hash(record["body"]))
        if (near := near_dup.signature(record["body"])) is not None:
            self.add_near_keys(record["id"], near)
        self.note_visit(record["id"], revisit_row(record))
        return self.claim_keys(record["id"], [record["url"], *record["aliases"]])

    def note_visit(self, article_id: str, row: tuple[str, str, str, str]) -> None:
        """A fetch of an article (``row``: see ``archive.revisits.revisit_row``)."""
        with self._guard():
            self._conn.execute(
                "INSERT INTO revisits VALUES (?, ?, ?, ?, ?) ON CONFLICT (article_id) DO UPDATE "
                "SET first_seen = min(first_seen, excluded.first_seen), "
                "last_fetched = max(last_fetched, excluded.last_fetched)", (article_id, *row))

    def revisits(self, after: str, limit: int) -> list[tuple[str, str, str, str, str]]:
        """Up to ``limit`` (id, url, site, first_seen, last_fetched) rows with id > ``after``."""
        with self._guard():
            return self._conn.execute(REVISITS_SQL, (after, limit)).fetchall()

    def near_candidates(self, sig: near_dup.Signature) -> list[str]:
        """Ids of articles sharing a near-duplicate band key with ``sig``, most keys first."""
        with self._guard():
            return near_dup.candidates(self._conn, sig)

    def add_near_keys(self, article_id: str, sig: near_dup.Signature) -> None:
        with self._guard():
            near_dup.add_article(self._conn, article_id, sig)

    def claim_keys(self, article_id: str, keys: Iterable[str]) -> list[str]:
        """Rebuild: give keys to an article; when two files claim a key the smaller id keeps it,
        whatever the order the files are read in.  Returns the contested keys."""
        contested = []
        with self._guard():
            for key in keys:
                inserted = self._conn.execute("INSERT OR IGNORE INTO url_keys VALUES (?, ?)",
                                              (key, article_id)).rowcount
                if inserted:
                    continue
                contested.append(key)
                self._conn.execute("UPDATE url_keys SET article_id = min(article_id, ?) "
                                   "WHERE url_key = ?", (article_id, key))
        return contested

    def _create_schema(self) -> None:
        with self.transaction(), self._guard():
            (version,) = self._conn.execute("PRAGMA user_version").fetchone()
            if version > INDEX_FORMAT:
                raise ArchiveError(f"index {self.path} has format {version}, newer than this "
                                   f"broadsheet understands ({INDEX_FORMAT}); upgrade broadsheet")
            for statement in _SCHEMA:
                self._conn.execute(statement)
            self._conn.execute(f"PRAGMA user_version = {INDEX_FORMAT}")

    def _one(self, sql: str, params: tuple[object, ...]) -> str | None:
        with self._guard():
            row = self._conn.execute(sql, params).fetchone()
        return None if row is None else str(row[0])

    def _rollback(self) -> None:
        if not self._conn.in_transaction:
            return
        try:
            self._conn.execute("ROLLBACK")
        except sqlite3.Error as error:
            # The error that started the rollback is already propagating and is the one the
            # user needs; SQLite rolls back an unfinished transaction when the connection closes.
            _log.warning("rollback of index %s failed: %s", self.path, error)

    @contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as error:
            raise index_error(error, self.path) from error
