"""The last full capture of each URL for a shared crawl, in PostgreSQL (``warc_captures``).

Workers on several machines share it, as they share the WARC files its entries point to.  A
SQLite file in the shared folder would not do: a worker paused (or stopped) while it commits
holds the file's lock, and every other worker then waits on it.  Same contract as
``archive.warc.captures.CaptureIndex``: entries are written after their record is fsynced.
"""

from __future__ import annotations

import threading
from typing import Any

import psycopg

from archive.warc.captures import EarlierCapture
from archive.warc.pointer import WarcError, WarcPointer

__all__ = ["PostgresCaptureIndex"]

_LOCK_KEY = 0x77617263  # serialises the table's creation by workers starting together
_SCHEMA = """CREATE TABLE IF NOT EXISTS warc_captures (
    url text PRIMARY KEY, digest text NOT NULL, date text NOT NULL, record_id text NOT NULL,
    file text NOT NULL, "offset" bigint NOT NULL, length bigint NOT NULL)"""
_UPSERT = ("INSERT INTO warc_captures VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (url) DO"
           " UPDATE SET digest = EXCLUDED.digest, date = EXCLUDED.date, record_id ="
           " EXCLUDED.record_id, file = EXCLUDED.file, \"offset\" = EXCLUDED.\"offset\","
           " length = EXCLUDED.length")


class PostgresCaptureIndex:
    """``earlier``/``remember``/``close`` as ``CaptureIndex``, in the crawl's database."""

    def __init__(self, dsn: str) -> None:
        self._lock = threading.Lock()
        try:
            self._db: psycopg.Connection[Any] = psycopg.connect(dsn, autocommit=True)
            with self._db.transaction():
                self._db.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
                self._db.execute(_SCHEMA)
        except psycopg.Error as exc:
            raise WarcError(f"cannot open the WARC capture index in PostgreSQL: {_line(exc)}; "
                            "check backend.dsn and run again") from None

    def earlier(self, url: str) -> EarlierCapture | None:
        row = self._run('SELECT digest, date, record_id, file, "offset", length FROM'
                        " warc_captures WHERE url = %s", (url,))
        if row is None:
            return None
        return EarlierCapture(str(row[0]), str(row[1]), str(row[2]),
                              WarcPointer(str(row[3]), int(row[4]), int(row[5])))

    def remember(self, url: str, capture: EarlierCapture) -> None:
        where = capture.pointer
        self._run(_UPSERT, (url, capture.digest, capture.date, capture.record_id, where.file,
                            where.offset, where.length))

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _run(self, sql: str, values: tuple[object, ...]) -> tuple[Any, ...] | None:
        with self._lock:
            try:
                cursor = self._db.execute(sql, values)
                return cursor.fetchone() if cursor.description else None
            except psycopg.Error as exc:
                raise WarcError(f"the WARC capture index failed in PostgreSQL: {_line(exc)}"
                                ) from None


def _line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
