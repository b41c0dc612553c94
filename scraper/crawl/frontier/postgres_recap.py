"""The shared crawl's recap for ``broadsheet report``, read from PostgreSQL (the frontier keeps
only the latest crawl).  Read-only: nothing is created or migrated."""

from __future__ import annotations

from archive.report.crawl import CrawlRecap, recap_rows
from scraper.postgres_schema import connect, guard

_DOING = "reading the shared crawl for the report"


def shared_crawl_recap(dsn: str) -> CrawlRecap | None:
    """The recap of the shared crawl in database ``dsn``; None when it holds none.
    Raises ArchiveError."""
    connection = connect(dsn, _DOING)
    try:
        with guard(_DOING):
            found = connection.execute("SELECT to_regclass('frontier_urls') IS NOT NULL,"
                                       " to_regclass('crawl_state') IS NOT NULL").fetchone()
            if found is None or not found[0]:
                return None
            started = ended = None
            if found[1]:
                state = connection.execute(
                    "SELECT started_at, ended_at FROM crawl_state WHERE id = 1").fetchone()
                if state is not None:
                    started, ended = (None if value is None else str(value) for value in state)
            queued = connection.execute(
                "SELECT count(*) FROM frontier_urls WHERE state <> 'done'").fetchone()
            rows = connection.execute(
                "SELECT outcome, url FROM frontier_urls WHERE state = 'done'")
            return recap_rows(rows, started, ended, int(str(queued[0])) if queued else 0)
    finally:
        connection.close()
