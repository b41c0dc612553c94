"""A summary of an archive: articles per site and month, duplicates, history, crawl failures.

Counted from the JSON files (the source of truth), one file at a time.  Optional record fields
(``snapshots``, ``versions``, ``duplicate_of``) are counted when records carry them and reported
as absent (None) when no record does.  Failures come from the crawl frontier
(``frontier.sqlite`` in the archive directory, read-only): they describe the latest crawl, as
the frontier keeps only that one.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archive.errors import ArchiveError
from archive.reading import RecordFilter, connect_readonly, iter_records, record_month, record_site

FRONTIER_FILE = "frontier.sqlite"
FAILED_PREFIX = "failed:"
GONE_PREFIX = "gone"


@dataclass(slots=True)
class ArchiveStats:
    """Counts over the records a ``RecordFilter`` selects (all of them by default)."""

    articles: int = 0
    by_site: Counter[str] = field(default_factory=Counter)
    by_month: Counter[str] = field(default_factory=Counter)
    aliases: int = 0
    """URL variants folded into an article (tracking, print, AMP copies, exact duplicates)."""
    articles_with_aliases: int = 0
    near_duplicates: int | None = None
    """Records linked to another by ``duplicate_of``; None when no record has the field."""
    snapshots: int | None = None
    versions: int | None = None
    articles_with_versions: int | None = None
    failures: dict[str, int] | None = None
    """Failed URLs of the latest crawl by reason (``timeout``...); None without a frontier."""
    gone: int | None = None
    """Pages of the latest crawl the server said are gone (404, 410): an outcome, not a
    failure; None without a frontier."""

    def add(self, record: dict[str, Any]) -> None:
        self.articles += 1
        self.by_site[record_site(record)] += 1
        self.by_month[record_month(record)] += 1
        aliases = record.get("aliases")
        if isinstance(aliases, list) and aliases:
            self.aliases += len(aliases)
            self.articles_with_aliases += 1
        if "duplicate_of" in record:
            self.near_duplicates = (self.near_duplicates or 0) + bool(record["duplicate_of"])
        if "snapshots" in record:
            self.snapshots = (self.snapshots or 0) + _entries(record["snapshots"])
        if "versions" in record:
            count = _entries(record["versions"])
            self.versions = (self.versions or 0) + count
            self.articles_with_versions = (self.articles_with_versions or 0) + (count > 0)

    def to_dict(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "by_site": dict(sorted(self.by_site.items())),
            "by_month": dict(sorted(self.by_month.items())),
            "aliases": self.aliases,
            "articles_with_aliases": self.articles_with_aliases,
            "near_duplicates": self.near_duplicates,
            "snapshots": self.snapshots,
            "versions": self.versions,
            "articles_with_versions": self.articles_with_versions,
            "failures": self.failures,
            "gone": self.gone,
        }


def _entries(value: Any) -> int:
    """Number of history entries in a ``snapshots``/``versions`` value (a list, or a count)."""
    if isinstance(value, list | dict):
        return len(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return 0


def archive_stats(root: Path, selection: RecordFilter | None = None,
                  on_bad: Callable[[str], None] | None = None) -> ArchiveStats:
    """Count the archive at ``root``.  Raises ArchiveError for an unreadable file or frontier;
    with ``on_bad``, a corrupt record is reported to it and skipped (see ``iter_records``)."""
    stats = ArchiveStats()
    for record in iter_records(root, selection, on_bad):
        stats.add(record)
    outcomes = crawl_outcomes(root)
    if outcomes is not None:
        stats.failures = {reason.removeprefix(FAILED_PREFIX): count
                          for reason, count in outcomes.items()
                          if reason.startswith(FAILED_PREFIX)}
        stats.gone = sum(count for outcome, count in outcomes.items()
                         if outcome.startswith(GONE_PREFIX))
    return stats


def crawl_outcomes(root: Path) -> dict[str, int] | None:
    """The failed (``failed:...``) and gone (``gone:...``) outcomes of the latest crawl with
    their counts, from ``frontier.sqlite``; None without one."""
    path = root / FRONTIER_FILE
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
