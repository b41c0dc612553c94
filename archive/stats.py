"""A summary of an archive: articles per site and month, duplicates, history, crawl failures.

Counted from the JSON files (the source of truth), one file at a time.  Optional record fields
(``snapshots``, ``versions``, ``duplicate_of``) are counted when records carry them and reported
as absent (None) when no record does.  Failures come from the crawl side through the
``outcomes`` function the caller passes (the archive never reads the crawl's queue itself):
the command line passes ``scraper.crawl.frontier.failures.crawl_outcomes``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archive.reading import RecordFilter, iter_records, record_month, record_site
from archive.storage.base import BlobStore

FAILED_PREFIX = "failed:"
GONE_PREFIX = "gone"
CrawlOutcomes = Callable[[], dict[str, int] | None]
"""The latest crawl's failed (``failed:...``) and gone (``gone...``) outcomes with their counts
(``{"failed:timeout": 2, "gone:http_404": 1}``), or None when no crawl is recorded."""


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
                  on_bad: Callable[[str], None] | None = None,
                  outcomes: CrawlOutcomes | None = None, *,
                  storage: BlobStore | None = None) -> ArchiveStats:
    """Count the archive at ``root``; ``outcomes`` gives the latest crawl's failed and gone
    URLs (``failures`` and ``gone`` stay None without it).  Raises ArchiveError for an
    unreadable file (or what ``outcomes`` raises); with ``on_bad``, a corrupt record is
    reported to it and skipped (see ``iter_records``).  ``storage``: where the files are
    when not under ``root`` (``s3://``)."""
    stats = ArchiveStats()
    for record in iter_records(root, selection, on_bad, storage=storage):
        stats.add(record)
    found = outcomes() if outcomes is not None else None
    if found is not None:
        stats.failures = {reason.removeprefix(FAILED_PREFIX): count
                          for reason, count in found.items()
                          if reason.startswith(FAILED_PREFIX)}
        stats.gone = sum(count for outcome, count in found.items()
                         if outcome.startswith(GONE_PREFIX))
    return stats
