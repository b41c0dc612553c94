"""The archive's index on PostgreSQL (psycopg 3), for many crawl workers on many machines.

The same tables and semantics as ``archive.index.sqlite``, prefixed ``archive_`` so that they
can share a database (and a connection) with the crawl's frontier::

    archive_articles  (id PRIMARY KEY, path, dedup_hash)     + index on (dedup_hash, id)
    archive_url_keys  (url_key PRIMARY KEY, article_id)
    archive_fetches   (url_key PRIMARY KEY, etag, last_modified, fetched_at)
    archive_near_keys (band_key, article_id) PRIMARY KEY
    archive_revisits  (article_id PRIMARY KEY, url, site, first_seen, last_fetched)

Keys are ``COLLATE "C"``: they sort byte-wise as in SQLite, so keyset paging agrees.  The schema
is created and migrated by broadsheet: ``broadsheet_schema (component, version)`` holds the
version of component ``archive_index``; migrations run under an advisory lock, so workers that
start together do not race.

Transactions and sharing a connection (the contract the crawl's fencing builds on):

- the index uses its connection in autocommit mode: a method called outside ``transaction()``
  commits on its own;
- ``transaction()`` is psycopg's ``Connection.transaction()`` (a savepoint when one is already
  open) whose first statement takes the archive's transaction-scoped advisory lock, so the
  store's read-decide-write runs one at a time across all workers, as ``BEGIN IMMEDIATE`` does
  for SQLite.  The lock is held until the outermost transaction ends;
- ``PostgresIndex(connection)`` uses an existing autocommit connection and never closes it.  A
  caller that opens ``with connection.transaction():`` around its own statements (check a
  lease) and an ``Archive.store`` on that index (then finish the URL) gets all of it in ONE
  transaction: committed together, or rolled back together when any part raises.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict

from archive import near_dup
from archive.errors import ArchiveError, TransientDatabaseError
from archive.index.base import RevisitRow, index_record

COMPONENT = "archive_index"
SCHEMA_VERSION = 1
ARCHIVE_LOCK = 0x6273_6172_6368_0001
"""Advisory lock key of the store transaction (``pg_advisory_xact_lock``)."""
MIGRATION_LOCK = 0x6273_6172_6368_0002
_C = 'COLLATE "C"'

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (  # 1: the tables of SQLite index format 2
        f"CREATE TABLE archive_articles (id TEXT {_C} PRIMARY KEY, path TEXT NOT NULL, "
        f"dedup_hash TEXT {_C})",
        "CREATE INDEX archive_articles_by_dedup_hash ON archive_articles (dedup_hash, id) "
        "WHERE dedup_hash IS NOT NULL",
        f"CREATE TABLE archive_url_keys (url_key TEXT {_C} PRIMARY KEY, "
        f"article_id TEXT {_C} NOT NULL)",
        f"CREATE TABLE archive_fetches (url_key TEXT {_C} PRIMARY KEY, etag TEXT, "
        f"last_modified TEXT, fetched_at TEXT {_C} NOT NULL)",
        f"CREATE TABLE archive_near_keys (band_key BIGINT NOT NULL, article_id TEXT {_C} "
        "NOT NULL, PRIMARY KEY (band_key, article_id))",
        f"CREATE TABLE archive_revisits (article_id TEXT {_C} PRIMARY KEY, url TEXT NOT NULL, "
        f"site TEXT NOT NULL, first_seen TEXT {_C} NOT NULL, last_fetched TEXT {_C} NOT NULL)",
    ),
)
"""Migration n (1-based) brings the schema from version n - 1 to n."""

TABLES = ("archive_articles", "archive_url_keys", "archive_fetches", "archive_near_keys",
          "archive_revisits")
_SCHEMA_TABLE = ("CREATE TABLE IF NOT EXISTS broadsheet_schema (component TEXT PRIMARY KEY, "
                 "version INTEGER NOT NULL)")

OWNER_SQL = "SELECT url_key, article_id FROM archive_url_keys WHERE url_key = ANY(%s)"
BY_HASH_SQL = "SELECT id FROM archive_articles WHERE dedup_hash = %s ORDER BY id LIMIT 1"
PATH_SQL = "SELECT path FROM archive_articles WHERE id = %s"
VALIDATORS_SQL = ("SELECT f.etag, f.last_modified FROM archive_fetches AS f "
                  "JOIN archive_url_keys AS k ON k.url_key = f.url_key WHERE f.url_key = %s")
LAST_FETCHED_SQL = "SELECT fetched_at FROM archive_fetches WHERE url_key = %s"
PAGE_SQL = "SELECT id, path FROM archive_articles WHERE id > %s ORDER BY id LIMIT %s"
ARTICLE_ROWS_SQL = ("SELECT id, path, dedup_hash FROM archive_articles WHERE id > %s "
                    "ORDER BY id LIMIT %s")
KEY_ROWS_SQL = ("SELECT url_key, article_id FROM archive_url_keys WHERE url_key > %s "
                "ORDER BY url_key LIMIT %s")
REVISITS_SQL = ("SELECT article_id, url, site, first_seen, last_fetched FROM archive_revisits "
                "WHERE article_id > %s ORDER BY article_id LIMIT %s")
CANDIDATES_SQL = ("SELECT article_id FROM archive_near_keys WHERE band_key = ANY(%s) "
                  f"GROUP BY article_id HAVING count(*) >= {near_dup.MIN_SHARED_BANDS} "
                  "ORDER BY count(*) DESC, article_id LIMIT %s")
PUT_ARTICLE_SQL = ("INSERT INTO archive_articles (id, path, dedup_hash) VALUES (%s, %s, %s) "
                   "ON CONFLICT (id) DO UPDATE SET path = EXCLUDED.path, "
                   "dedup_hash = EXCLUDED.dedup_hash")
ADD_KEY_SQL = ("INSERT INTO archive_url_keys (url_key, article_id) VALUES (%s, %s) "
               "ON CONFLICT (url_key) DO NOTHING")
CLAIM_SQL = ADD_KEY_SQL + " RETURNING url_key"
CONTEST_SQL = ("UPDATE archive_url_keys SET article_id = LEAST(article_id, %s) "
               "WHERE url_key = %s")
FETCH_SQL = ("INSERT INTO archive_fetches (url_key, etag, last_modified, fetched_at) "
             "VALUES (%s, %s, %s, %s) ON CONFLICT (url_key) DO UPDATE SET etag = EXCLUDED.etag, "
             "last_modified = EXCLUDED.last_modified, fetched_at = EXCLUDED.fetched_at")
REVISIT_SQL = ("INSERT INTO archive_fetches (url_key, fetched_at) VALUES (%s, %s) "
               "ON CONFLICT (url_key) DO UPDATE SET fetched_at = EXCLUDED.fetched_at")
VISIT_SQL = ("INSERT INTO archive_revisits VALUES (%s, %s, %s, %s, %s) "
             "ON CONFLICT (article_id) DO UPDATE SET "
             "first_seen = LEAST(archive_revisits.first_seen, EXCLUDED.first_seen), "
             "last_fetched = GREATEST(archive_revisits.last_fetched, EXCLUDED.last_fetched)")
NEAR_SQL = ("INSERT INTO archive_near_keys (band_key, article_id) VALUES (%s, %s) "
            "ON CONFLICT DO NOTHING")


def describe(dsn: str) -> str:
    """``host:port/dbname`` of a DSN, for messages (never its password)."""
    try:
        parts = conninfo_to_dict(dsn)
    except psycopg.ProgrammingError:
        return "(an unreadable DSN)"
    return f"{parts.get('host', 'localhost')}:{parts.get('port', 5432)}/{parts.get('dbname', '')}"


def index_error(error: psycopg.Error, where: str) -> ArchiveError:
    """A one-line ArchiveError saying what went wrong with the index database."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    if isinstance(error, psycopg.errors.DeadlockDetected | psycopg.errors.SerializationFailure):
        return TransientDatabaseError(f"index database {where} rolled a write back ({text})")
    if isinstance(error, psycopg.OperationalError):
        return ArchiveError(f"index database {where} failed ({text}); check that PostgreSQL is "
                            "reachable and run again")
    return ArchiveError(f"index database {where} failed ({text}); if this repeats, rebuild the "
                        "index with reindex")


def has_index(dsn: str) -> bool:
    """Whether the database at ``dsn`` holds an archive index (its schema was created), read
    without creating anything.  ArchiveError (one line) when the database cannot be reached."""
    where = describe(dsn)
    try:
        with psycopg.connect(dsn, autocommit=True, connect_timeout=10) as connection:
            if connection.execute("SELECT to_regclass('broadsheet_schema')").fetchone() == (None,):
                return False
            row = connection.execute("SELECT 1 FROM broadsheet_schema WHERE component = %s",
                                     (COMPONENT,)).fetchone()
            return row is not None
    except psycopg.OperationalError as error:
        raise ArchiveError(f"cannot connect to index database {where} "
                           f"({str(error).strip().splitlines()[0]}); check the DSN and "
                           "that PostgreSQL is running") from error
    except psycopg.Error as error:
        raise index_error(error, where) from error


class PostgresIndex:
    """The archive index in PostgreSQL, on its own connection (``dsn``) or on one it is given
    (autocommit, left open by ``close``); an ``archive.index.base.ArchiveIndex``."""

    def __init__(self, target: str | psycopg.Connection[Any]) -> None:
        if isinstance(target, str):
            self.where = describe(target)
            try:
                self._conn: psycopg.Connection[Any] = psycopg.connect(target, autocommit=True)
            except psycopg.Error as error:
                raise ArchiveError(f"cannot connect to index database {self.where} "
                                   f"({str(error).strip().splitlines()[0]}); check the DSN and "
                                   "that PostgreSQL is running") from error
            self._owned = True
        else:
            if not target.autocommit:
                raise ArchiveError("the connection given to PostgresIndex must be in autocommit "
                                   "mode (psycopg.connect(..., autocommit=True))")
            self._conn, self._owned = target, False
            self.where = f"{target.info.host}:{target.info.port}/{target.info.dbname}"
        try:
            self._migrate()
        except ArchiveError:
            self.close()
            raise

    @property
    def connection(self) -> psycopg.Connection[Any]:
        """The connection, to run the caller's statements in the index's transaction."""
        return self._conn

    def close(self) -> None:
        if self._owned:
            self._conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A transaction (a savepoint inside one already open) holding the archive's advisory
        lock: read-decide-write is atomic across workers.  Rolls back on an exception."""
        try:
            with self._conn.transaction():
                self._conn.execute("SELECT pg_advisory_xact_lock(%s)", (ARCHIVE_LOCK,))
                yield
        except psycopg.Error as error:
            raise index_error(error, self.where) from error

    def owners(self, keys: Sequence[str]) -> dict[str, str]:
        return dict(self._rows(OWNER_SQL, (list(keys),)))

    def article_with_hash(self, dedup_hash: str) -> str | None:
        return self._one(BY_HASH_SQL, (dedup_hash,))

    def path_of(self, article_id: str) -> str | None:
        return self._one(PATH_SQL, (article_id,))

    def last_fetched(self, url_key: str) -> str | None:
        return self._one(LAST_FETCHED_SQL, (url_key,))

    def validators(self, url_key: str) -> tuple[str | None, str | None] | None:
        rows = self._rows(VALIDATORS_SQL, (url_key,))
        if not rows or rows[0] == (None, None):
            return None
        return rows[0][0], rows[0][1]

    def put_article(self, article_id: str, path: str, dedup_hash: str | None) -> None:
        self._many(PUT_ARTICLE_SQL, [(article_id, path, dedup_hash)])

    def add_keys(self, article_id: str, keys: Iterable[str]) -> None:
        self._many(ADD_KEY_SQL, [(key, article_id) for key in keys])

    def record_fetch(self, keys: Iterable[str], *, etag: str | None, last_modified: str | None,
                     fetched_at: str) -> None:
        self._many(FETCH_SQL, [(key, etag, last_modified, fetched_at) for key in keys])

    def record_revisit(self, url_key: str, fetched_at: str) -> None:
        self._many(REVISIT_SQL, [(url_key, fetched_at)])

    def count(self) -> int:
        return int(self._rows("SELECT count(*) FROM archive_articles", ())[0][0])

    def page(self, after: str, limit: int) -> list[tuple[str, str]]:
        return [(row[0], row[1]) for row in self._rows(PAGE_SQL, (after, limit))]

    def article_rows(self, after: str, limit: int) -> list[tuple[str, str, str | None]]:
        return [(row[0], row[1], row[2]) for row in self._rows(ARTICLE_ROWS_SQL, (after, limit))]

    def key_rows(self, after: str, limit: int) -> list[tuple[str, str]]:
        return [(row[0], row[1]) for row in self._rows(KEY_ROWS_SQL, (after, limit))]

    def clear_rebuildable(self) -> None:
        """Empty all but ``archive_fetches`` (DELETE, not TRUNCATE: readers keep the old rows
        until the rebuild commits)."""
        with self._guard(), self._conn.transaction():
            for table in ("archive_articles", "archive_url_keys", "archive_near_keys",
                          "archive_revisits"):
                self._conn.execute(f"DELETE FROM {table}")

    def index_record(self, record: Mapping[str, Any], relpath: str, path: Path) -> list[str]:
        return index_record(self, record, relpath, path)

    def note_visit(self, article_id: str, row: tuple[str, str, str, str]) -> None:
        self._many(VISIT_SQL, [(article_id, *row)])

    def revisits(self, after: str, limit: int) -> list[RevisitRow]:
        return [(row[0], row[1], row[2], row[3], row[4])
                for row in self._rows(REVISITS_SQL, (after, limit))]

    def near_candidates(self, sig: near_dup.Signature) -> list[str]:
        rows = self._rows(CANDIDATES_SQL, (near_dup.band_keys(sig), near_dup.MAX_CANDIDATES))
        return [str(row[0]) for row in rows]

    def add_near_keys(self, article_id: str, sig: near_dup.Signature) -> None:
        self._many(NEAR_SQL, [(key, article_id) for key in near_dup.band_keys(sig)])

    def claim_keys(self, article_id: str, keys: Iterable[str]) -> list[str]:
        """Insert-if-absent per key (``ON CONFLICT DO NOTHING RETURNING``): a claim racing
        another waits for it to commit and then finds the key taken, so exactly one claim
        inserts it; a contested key then goes to the smaller id (a row-locked UPDATE)."""
        contested = []
        with self._guard():
            for key in keys:
                if self._conn.execute(CLAIM_SQL, (key, article_id)).fetchone() is not None:
                    continue
                contested.append(key)
                self._conn.execute(CONTEST_SQL, (article_id, key))
        return contested

    def _migrate(self) -> None:
        with self._guard(), self._conn.transaction():
            self._conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            self._conn.execute(_SCHEMA_TABLE)
            row = self._conn.execute("SELECT version FROM broadsheet_schema WHERE component = %s",
                                     (COMPONENT,)).fetchone()
            version = 0 if row is None else int(row[0])
            if version > SCHEMA_VERSION:
                raise ArchiveError(f"index database {self.where} has schema version {version}, "
                                   f"newer than this broadsheet understands ({SCHEMA_VERSION}); "
                                   "upgrade broadsheet")
            for statements in MIGRATIONS[version:]:
                for statement in statements:
                    self._conn.execute(statement)
            self._conn.execute("INSERT INTO broadsheet_schema VALUES (%s, %s) ON CONFLICT "
                               "(component) DO UPDATE SET version = EXCLUDED.version",
                               (COMPONENT, SCHEMA_VERSION))

    def _rows(self, sql: str, params: tuple[object, ...]) -> list[tuple[Any, ...]]:
        with self._guard():
            return self._conn.execute(sql, params).fetchall()

    def _one(self, sql: str, params: tuple[object, ...]) -> str | None:
        rows = self._rows(sql, params)
        return None if not rows else str(rows[0][0])

    def _many(self, sql: str, rows: list[tuple[object, ...]]) -> None:
        if not rows:
            return
        with self._guard(), self._conn.cursor() as cursor:
            cursor.executemany(sql, rows)

    @contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except psycopg.Error as error:
            raise index_error(error, self.where) from error
