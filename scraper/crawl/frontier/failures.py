"""The latest crawl's failed and gone URLs, read from the SQLite frontier for ``broadsheet
stats`` (which passes this to ``archive.stats.archive_stats``: the archive never reads the
crawl's queue itself).  Read-only: the file is not changed, not even upgraded."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from archive.errors import ArchiveError
from archive.reading import connect_readonly
from archive.stats import FAILED_PREFIX, GONE_PREFIX


def crawl_outcomes(path: Path) -> dict[str, int] | None:
    """The failed (``failed:...``) and gone (``gone...``) outcomes of the latest crawl with
    their counts, from the frontier file at ``path`` (it keeps only the latest crawl); None
    when there is no such file or table."""
    if not path.is_file():
        return None
    try:
        connection = connect_readonly(path)
        try:
            rows = connection.execute(
                "SELECT outcome, count(*) FROM frontier WHERE outcome LIKE ? OR outcome LIKE ?"
                " GROUP BY outcome", (FAILED_PREFIX + "%", GONE_PREFIX + "%")).fetchall()
        finally:
            connection.close()
    except sqlite3.Error as error:
        if "no such table" in str(error):
            return None
        raise ArchiveError(f"cannot read crawl failures from {path} ({error}); it is only the "
                           "crawl queue: delete it if it is corrupt") from error
    return {str(outcome): int(count) for outcome, count in sorted(rows)}
