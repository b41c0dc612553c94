"""The last full capture of each URL (``<warc dir>/captures.sqlite``), which revisit records
refer to: a 304 to the capture whose validators it confirmed (``server-not-modified``), a 200
with the same payload digest to the capture that holds the payload
(``identical-payload-digest``).

Entries are written after their record is fsynced, so an entry never names a record a crash cut
away.  Losing the file only costs full records where revisits would have been.  It is for one
process at a time (a crawl holds its archive's queue lock); the workers of a shared crawl use
``archive.warc.captures_postgres`` instead, since one paused while committing would hold this
file's lock against all the others.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from archive.warc.pointer import WarcError, WarcPointer

__all__ = ["CaptureIndex", "Captures", "EarlierCapture"]

FILE_NAME = "captures.sqlite"
_SCHEMA = """CREATE TABLE IF NOT EXISTS capture (
    url TEXT PRIMARY KEY, digest TEXT NOT NULL, date TEXT NOT NULL, record_id TEXT NOT NULL,
    file TEXT NOT NULL, offset INTEGER NOT NULL, length INTEGER NOT NULL)"""


@dataclass(frozen=True, slots=True)
class EarlierCapture:
    """A response record: its payload digest, WARC-Date, WARC-Record-ID and place."""

    digest: str
    date: str
    record_id: str
    pointer: WarcPointer


class Captures(Protocol):
    """Each URL's last full capture: this SQLite file, or ``captures_postgres`` for a shared
    crawl."""

    def earlier(self, url: str) -> EarlierCapture | None: ...

    def remember(self, url: str, capture: EarlierCapture) -> None: ...

    def close(self) -> None: ...


class CaptureIndex:
    def __init__(self, directory: Path) -> None:
        self._lock = threading.Lock()
        try:
            self._db = sqlite3.connect(directory / FILE_NAME, timeout=30.0,
                                       check_same_thread=False, isolation_level=None)
            self._db.execute(_SCHEMA)
        except sqlite3.Error as exc:
            raise WarcError(f"cannot open {directory / FILE_NAME}: {exc}; delete it (revisit "
                            "records then start over) and run again") from None

    def earlier(self, url: str) -> EarlierCapture | None:
        with self._lock:
            row = self._run("SELECT digest, date, record_id, file, offset, length FROM capture "
                            "WHERE url = ?", (url,)).fetchone()
        if row is None:
            return None
        return EarlierCapture(row[0], row[1], row[2], WarcPointer(row[3], row[4], row[5]))

    def remember(self, url: str, capture: EarlierCapture) -> None:
        where = capture.pointer
        with self._lock:
            self._run("INSERT OR REPLACE INTO capture VALUES (?, ?, ?, ?, ?, ?, ?)",
                      (url, capture.digest, capture.date, capture.record_id, where.file,
                       where.offset, where.length))

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _run(self, sql: str, parameters: tuple[object, ...]) -> sqlite3.Cursor:
        try:
            return self._db.execute(sql, parameters)
        except sqlite3.Error as exc:
            raise WarcError(f"the WARC capture index failed: {exc}") from None
