"""The latest crawl's recap for ``broadsheet report``, read from the SQLite frontier file (it
keeps only the latest crawl).  Read-only: the file is not changed, not even upgraded."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from archive.errors import ArchiveError
from archive.reading import connect_readonly
from archive.report.crawl import CrawlRecap, recap_rows

_META = "SELECT value FROM frontier_meta WHERE name = ?"


def crawl_recap(path: Path) -> CrawlRecap | None:
    """The recap of the crawl in the frontier file at ``path``; None when there is no such
    file or table (no crawl ran here).  ArchiveError when the file cannot be read."""
    if not path.is_file():
        return None
    try:
        connection = connect_readonly(path)
        try:
            return _recap(connection)
        finally:
            connection.close()
    except sqlite3.Error as error:
        if "no such table" in str(error):
            return None
        raise ArchiveError(f"cannot read the latest crawl from {path} ({error}); it is only the "
                           "crawl queue: delete it if it is corrupt") from error


def _recap(db: sqlite3.Connection) -> CrawlRecap:
    queued = db.execute("SELECT count(*) FROM frontier WHERE state <> 'done'").fetchone()[0]
    rows = db.execute("SELECT outcome, url FROM frontier WHERE state = 'done'")
    return recap_rows(rows, _meta(db, "started_at"), _meta(db, "ended_at"), int(queued))


def _meta(db: sqlite3.Connection, name: str) -> str | None:
    try:
        row = db.execute(_META, (name,)).fetchone()
    except sqlite3.OperationalError as error:  # a frontier file from before the meta table
        if "no such table" in str(error):
            return None
        raise
    return None if row is None else str(row[0])
