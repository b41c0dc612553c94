"""Scheduled re-visits: which archived articles are due (``broadsheet snapshot``), and the loop
that re-visits them until stopped (``broadsheet watch``).

An article's **age** is the time since the earlier of its ``published`` date (when readable; a
date without a time zone is taken as UTC) and its first snapshot: a story archived today but
published last year is old, and a story with no (or a wrong, future) date ages from when the
archive first saw it.  Its **interval** is the ``every`` of the first step of its schedule
(``snapshot.sites.<site>``, the most specific site entry, else ``snapshot.schedule``) whose
``age`` it has not reached yet; past the last step's ``age`` it is never re-visited.  It is
**due** when the time since its last snapshot (a 200 or a 304) is at least its interval.

``plan_revisits`` is pure: it takes the articles' times and ``now``.  ``read_article_times``
streams them from the index's re-visit rows (``archive.revisits``), a page at a time, so memory
holds only the due list and no JSON file is read.
A re-visit is a crawl of the due URLs alone (no links, sitemaps or feeds followed) with the
archive's conditional GET, kept in its own frontier file (``SNAPSHOT_FRONTIER_FILE``) so that
it never resumes or disturbs a paused ``broadsheet crawl``; an interrupted snapshot resumes.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from archive import Archive
from archive.errors import ArchiveError
from archive.revisits import moment
from scraper.archive_access import ArchiveAccess, archive_access
from scraper.config import Config, ScheduleStep, SnapshotConfig
from scraper.crawl.frontier.sqlite import SqliteFrontier
from scraper.crawl.loop import run_crawl
from scraper.crawl.progress import Progress
from scraper.crawl.summary import CrawlSummary

log = logging.getLogger(__name__)
SNAPSHOT_FRONTIER_FILE = "snapshot.sqlite"
DEFAULT_WATCH_INTERVAL = 300.0
"""Longest sleep of ``watch`` between two plans (seconds): new articles a crawl stores while
it waits are planned at the latest this much later."""


@dataclass(frozen=True, slots=True)
class ArticleTimes:
    """What the planner needs of one article: its URL, site, when its age counts from
    (``first_seen``) and its last fetch."""

    url: str
    site: str
    first_seen: datetime
    last_fetched: datetime


@dataclass(frozen=True, slots=True)
class Plan:
    """``due``: URLs to re-visit now, the longest overdue first.  ``next_due``: the earliest due
    time of the other articles (in the past when ``max_articles`` left due ones out; None when
    none will ever be due).  ``held``: URLs that would be due but were attempted recently (see
    ``plan_revisits``)."""

    due: tuple[str, ...]
    next_due: datetime | None
    held: tuple[str, ...] = ()


def schedule_for(site: str, config: SnapshotConfig) -> tuple[ScheduleStep, ...]:
    """The schedule of a site: its most specific ``snapshot.sites`` entry (a site entry covers
    its subdomains) that sets one, else the global one."""
    own = {entry.site: entry.schedule for entry in config.sites if entry.schedule is not None}
    host = site
    while host:
        if host in own:
            return own[host]
        host = host.partition(".")[2]
    return config.schedule


def due_time(first_seen: datetime, last_visit: datetime,
             steps: tuple[ScheduleStep, ...]) -> datetime | None:
    """The earliest moment ``t`` at which ``t - last_visit`` reaches the interval for the
    article's age at ``t``; None when that never happens (past the last step's age)."""
    reached = timedelta(0)  # the age at which the current step starts
    for step in steps:
        every = timedelta(seconds=step.every or 0)
        moment = max(last_visit + every, first_seen + reached)
        if step.age is None or moment < first_seen + timedelta(seconds=step.age):
            return moment
        reached = timedelta(seconds=step.age)
    return None


def plan_revisits(articles: Iterable[ArticleTimes], config: SnapshotConfig, now: datetime,
                  attempted: Mapping[str, datetime] | None = None) -> Plan:
    """The plan at ``now``.  ``attempted`` maps URLs to when a re-visit of them was last tried
    (``watch`` keeps it): an attempt counts as a visit, so a page that keeps failing is retried
    at its interval, not on every round."""
    attempted = attempted or {}
    due: list[tuple[datetime, str]] = []
    held: list[str] = []
    next_due: datetime | None = None
    for article in articles:
        steps = schedule_for(article.site, config)
        moment = due_time(article.first_seen, article.last_fetched, steps)
        tried = attempted.get(article.url)
        if (tried is not None and tried > article.last_fetched and moment is not None
                and moment <= now):
            later = due_time(article.first_seen, tried, steps)
            if later is None or later > now:
                held.append(article.url)
                moment = later
        if moment is None:
            continue
        if moment <= now:
            due.append((moment, article.url))
        elif next_due is None or moment < next_due:
            next_due = moment
    due.sort()
    limit = config.max_articles or len(due)
    if len(due) > limit:
        next_due = due[limit][0]
    return Plan(tuple(url for _, url in due[:limit]), next_due, tuple(held))


def read_article_times(archive: Archive) -> Iterator[ArticleTimes]:
    """Every article's times, from the index's re-visit rows (``archive.revisits``): planning
    never reads the JSON files.  ArchiveError when the index has articles but no rows (an
    index built before it kept them): reindex fills them in from the files."""
    found = False
    for url, site, first_seen, last_fetched in archive.revisit_times():
        found = True
        first, last = moment(first_seen), moment(last_fetched)
        if first is None or last is None:
            raise ArchiveError(f"unreadable re-visit times of {url} in the index; "
                               "run broadsheet reindex")
        yield ArticleTimes(url, site, first, last)
    if not found and archive.count():
        raise ArchiveError("the index has no re-visit times for its articles; "
                           "run broadsheet reindex")


def plan_archive(access: ArchiveAccess, config: SnapshotConfig, now: datetime,
                 attempted: Mapping[str, datetime] | None = None) -> Plan:
    """The plan of the archive ``access`` finds (either backend)."""
    with access.open_archive() as archive:
        return plan_revisits(read_article_times(archive), config, now, attempted)


def snapshot_crawl_config(config: Config) -> Config:
    """The crawl of a re-visit: the given URLs only, politeness and fetching as configured."""
    return config.replace("crawl", seeds=(), follow_links=False, use_sitemaps=False,
                          use_feeds=False, max_depth=0, max_pages=0)


def interrupted_snapshot(root: Path) -> bool:
    """Whether an interrupted snapshot run left URLs to resume."""
    path = root / SNAPSHOT_FRONTIER_FILE
    if not path.exists():
        return False
    frontier = SqliteFrontier(path)
    try:
        counts = frontier.counts()
        return counts.queued + counts.active > 0
    finally:
        frontier.close()


async def run_snapshot(config: Config, urls: Iterable[str],
                       progress: Progress | None = None) -> CrawlSummary:
    """Re-visit ``urls`` (and resume an interrupted snapshot run).  Raises CrawlInterrupted."""
    return await run_crawl(snapshot_crawl_config(config), list(urls), progress,
                           frontier_file=SNAPSHOT_FRONTIER_FILE)


def utc_now() -> datetime:
    return datetime.now(UTC)


def pause(seconds: float) -> None:
    """Sleep (``watch``'s wait between rounds; tests replace it)."""
    time.sleep(seconds)


def watch(config: Config, *, interval: float = DEFAULT_WATCH_INTERVAL,
          clock: Callable[[], datetime] = utc_now, report: Callable[[str], None] = print,
          rounds: int = 0) -> None:
    """Re-visit due articles, then sleep until the next is due (at most ``interval`` seconds),
    until interrupted (KeyboardInterrupt or CrawlInterrupted propagate) or, when ``rounds`` is
    set, after that many plans.  One ``report`` line per round."""
    root = Path(config.archive.directory)
    attempted: dict[str, datetime] = {}
    planned = 0
    while not rounds or planned < rounds:
        now = clock()
        plan = plan_archive(archive_access(config), config.snapshot, now, attempted)
        planned += 1
        attempted = {url: attempted[url] for url in plan.held}
        if plan.due or interrupted_snapshot(root):
            summary = asyncio.run(run_snapshot(config, plan.due))
            attempted.update(dict.fromkeys(plan.due, now))
            report(f"{_stamp(now)} re-visited {len(plan.due)} due articles: "
                   f"{summary.unchanged} unchanged, {summary.updated} updated, "
                   f"{summary.failures} failed")
            continue
        wait = interval if plan.next_due is None else (plan.next_due - now).total_seconds()
        wait = min(max(wait, 1.0), interval)
        report(f"{_stamp(now)} nothing due; next due {_stamp(plan.next_due)}; "
               f"sleeping {wait:.0f}s")
        if not rounds or planned < rounds:
            pause(wait)


def _stamp(moment: datetime | None) -> str:
    return "never" if moment is None else moment.strftime("%Y-%m-%dT%H:%M:%SZ")
