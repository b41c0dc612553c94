"""The rows a report shows, gathered from archive records in one pass (one record at a time;
only the few fields a row needs are kept): one row per article with its snapshot series, and
articles counted per site and per day."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from archive.reading import UNKNOWN, record_day, record_site
from archive.report.crawl import CrawlRecap


@dataclass(frozen=True, slots=True)
class SnapshotPoint:
    """One visit of an article: when, and the counters the page showed (None: not read, as
    for a 304, or not shown)."""

    fetched_at: datetime.datetime
    views: int | None
    comment_count: int | None


@dataclass(frozen=True, slots=True)
class ArticleRow:
    """One article of the table: what a person reads in it, and its snapshots oldest first."""

    id: str
    title: str
    url: str
    site: str
    published: str | None
    fetched_at: str | None
    views: int | None
    comment_count: int | None
    versions: int
    snapshots: tuple[SnapshotPoint, ...] = ()

    @property
    def charted(self) -> bool:
        """Whether the article gets a chart: two snapshots or more."""
        return len(self.snapshots) >= 2


@dataclass(slots=True)
class ReportData:
    """Everything the page shows, in display order."""

    where: str
    generated_at: datetime.datetime
    crawl: CrawlRecap | None = None
    articles: list[ArticleRow] = field(default_factory=list)
    by_site: Counter[str] = field(default_factory=Counter)
    by_day: Counter[str] = field(default_factory=Counter)

    @property
    def charted(self) -> list[ArticleRow]:
        return [row for row in self.articles if row.charted]


def gather(records: Iterable[dict[str, Any]], where: str, crawl: CrawlRecap | None,
           now: datetime.datetime) -> ReportData:
    """The report of ``records`` (an archive at ``where``) and of the latest ``crawl`` (None:
    no crawl recorded), generated at ``now``; articles newest first (published, else fetched,
    else first snapshot; undated last)."""
    data = ReportData(where=where, generated_at=now, crawl=crawl)
    for record in records:
        row = article_row(record)
        data.articles.append(row)
        data.by_site[row.site] += 1
        day = record_day(record)
        data.by_day[UNKNOWN if day is None else day.isoformat()] += 1
    data.articles.sort(key=_newest_first)
    return data


def article_row(record: dict[str, Any]) -> ArticleRow:
    """The table row of one stored record."""
    return ArticleRow(
        id=str(record.get("id", "")), title=_text(record.get("title")) or "(untitled)",
        url=_text(record.get("url")) or "", site=record_site(record),
        published=_text(record.get("published")), fetched_at=_text(record.get("fetched_at")),
        views=_count(record.get("views")),
        comment_count=_count(record.get("comment_count")),
        versions=_count(record.get("version")) or 1,
        snapshots=snapshot_points(record.get("snapshots")))


def snapshot_points(snapshots: Any) -> tuple[SnapshotPoint, ...]:
    """The snapshots with a readable time, oldest first (others are left out)."""
    if not isinstance(snapshots, list):
        return ()
    points = []
    for entry in snapshots:
        if not isinstance(entry, dict):
            continue
        moment = parse_moment(entry.get("fetched_at"))
        if moment is not None:
            points.append(SnapshotPoint(moment, _count(entry.get("views")),
                                        _count(entry.get("comment_count"))))
    return tuple(sorted(points, key=lambda point: point.fetched_at))


def parse_moment(value: Any) -> datetime.datetime | None:
    """An ISO 8601 date-time as an aware datetime (UTC when it names no zone); None if not one."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def _newest_first(row: ArticleRow) -> tuple[float, str]:
    moment = parse_moment(row.published) or parse_moment(row.fetched_at)
    if moment is None and row.snapshots:
        moment = row.snapshots[0].fetched_at
    return (-moment.timestamp() if moment is not None else float("inf"), row.id)


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None
