"""Read-only views of a shared crawl in PostgreSQL, for ``broadsheet status`` and ``stats``.

Nothing here creates or migrates a table: a database no crawl has used yet reads as "no shared
crawl" (``crawl_status`` returns None).  Every time is the database's clock.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

import psycopg

from archive.stats import FAILED_PREFIX, GONE_PREFIX
from scraper.postgres_schema import connect, guard

THROUGHPUT_WINDOW = 60.0
"""Seconds over which the recent throughput is measured."""
LISTED = 50
"""At most this many leases and waiting hosts are listed (all are counted)."""

Connection = psycopg.Connection[tuple[object, ...]]


@dataclass(frozen=True, slots=True)
class Lease:
    worker: str
    url: str
    seconds_left: float


@dataclass(frozen=True, slots=True)
class WaitingHost:
    host: str
    seconds: float
    paused: bool


@dataclass(slots=True)
class CrawlStatus:
    """One look at the shared crawl.  ``ended_at`` is the recorded end, else (nothing queued
    or leased) the last finish; ``per_second_recent`` None: a database from before finish
    times were kept."""

    started_at: str | None
    ended_at: str | None
    max_pages: int
    pages_claimed: int
    queued: int
    active: int
    done: int
    leases: list[Lease] = field(default_factory=list)
    waiting_hosts: list[WaitingHost] = field(default_factory=list)
    finished_recent: int | None = None
    per_second_recent: float | None = None
    per_second_overall: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def crawl_status(dsn: str) -> CrawlStatus | None:
    """The shared crawl in database ``dsn``; None when it holds none.  Raises ArchiveError."""
    connection = connect(dsn, "reading the shared crawl")
    try:
        with guard("reading the shared crawl"):
            return _status(connection)
    finally:
        connection.close()


def _status(db: Connection) -> CrawlStatus | None:
    if not _has_table(db, "frontier_urls") or not _has_table(db, "crawl_state"):
        return None
    now = _scalar(db, "SELECT clock_timestamp()")
    assert isinstance(now, datetime)
    state = db.execute("SELECT started_at, ended_at, max_pages, pages_claimed FROM crawl_state"
                       " WHERE id = 1").fetchone()
    counts = db.execute("SELECT coalesce(sum(queued), 0), coalesce(sum(active), 0),"
                        " coalesce(sum(done), 0) FROM frontier_counts").fetchone()
    assert state is not None and counts is not None
    queued, active, done = (int(str(value)) for value in counts)
    status = CrawlStatus(_text(state[0]), _text(state[1]), int(str(state[2])),
                         int(str(state[3])), queued, active, done)
    status.leases = [Lease(str(worker), str(url), max(0.0, float(str(left))))
                     for worker, url, left in db.execute(
                         "SELECT coalesce(worker_id, '?'), url,"
                         " extract(epoch FROM lease_expires - clock_timestamp())::float8"
                         " FROM frontier_urls WHERE state = 'active'"
                         " ORDER BY lease_expires LIMIT %s", (LISTED,))]
    if _has_table(db, "crawl_hosts"):
        status.waiting_hosts = [WaitingHost(str(host), float(str(seconds)), bool(paused))
                                for host, seconds, paused in db.execute(
            "SELECT host, extract(epoch FROM greatest(next_allowed, paused_until)"
            " - clock_timestamp())::float8, paused_until > clock_timestamp() FROM crawl_hosts"
            " WHERE (next_allowed > clock_timestamp() OR paused_until > clock_timestamp())"
            " AND NOT idle ORDER BY 2 DESC LIMIT %s", (LISTED,))]
    if _has_finish_times(db):
        _throughput(db, status, now)
    return status


def _throughput(db: Connection, status: CrawlStatus, now: datetime) -> None:
    recent = _scalar(db, "SELECT count(*) FROM frontier_urls WHERE state = 'done' AND"
                     " finished_at > clock_timestamp() - make_interval(secs => %s)",
                     (THROUGHPUT_WINDOW,))
    status.finished_recent = int(str(recent))
    status.per_second_recent = status.finished_recent / THROUGHPUT_WINDOW
    if status.ended_at is None and status.queued == status.active == 0 and status.done:
        last = _scalar(db, "SELECT max(finished_at) FROM frontier_urls")
        if isinstance(last, datetime):
            status.ended_at = last.strftime("%Y-%m-%dT%H:%M:%SZ")
    start = _moment(status.started_at)
    end = _moment(status.ended_at) or now
    if start is not None and end > start:
        status.per_second_overall = status.done / (end - start).total_seconds()


def shared_crawl_outcomes(dsn: str) -> dict[str, int] | None:
    """The failed (``failed:...``) and gone (``gone...``) outcomes of the shared crawl (the
    frontier keeps only the latest) with their counts; None when the database holds no crawl.
    What ``crawl_outcomes`` reads from a local frontier file, for ``broadsheet stats``."""
    connection = connect(dsn, "reading the shared crawl's outcomes")
    try:
        with guard("reading the shared crawl's outcomes"):
            if not _has_table(connection, "frontier_urls"):
                return None
            rows = connection.execute(
                "SELECT outcome, count(*) FROM frontier_urls WHERE outcome LIKE %s"
                " OR outcome LIKE %s GROUP BY outcome",
                (FAILED_PREFIX + "%", GONE_PREFIX + "%")).fetchall()
    finally:
        connection.close()
    return {str(outcome): int(str(count)) for outcome, count in sorted(rows)}


def _has_table(db: Connection, name: str) -> bool:
    return _scalar(db, "SELECT to_regclass(%s) IS NOT NULL", (name,)) is True


def _has_finish_times(db: Connection) -> bool:
    return _scalar(db, "SELECT EXISTS (SELECT 1 FROM information_schema.columns WHERE"
                   " table_name = 'frontier_urls' AND column_name = 'finished_at'"
                   " AND table_schema = current_schema())") is True


def _scalar(db: Connection, sql: str, params: tuple[object, ...] = ()) -> object:
    row = db.execute(sql, params).fetchone()
    return None if row is None else row[0]


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _moment(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None
