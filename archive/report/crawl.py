"""What the latest crawl did, as the report shows it: a recap counted from the crawl queue's
finished rows (outcome and URL), whichever backend keeps the queue."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from archive.stats import FAILED_PREFIX, GONE_PREFIX

STORED_OUTCOMES = frozenset({"stored", "updated"})
"""Outcomes of a page the crawl wrote to the archive (new, or a new version)."""
UNFETCHED_OUTCOMES = frozenset({"robots", "source_off", "already_stored"})
"""Outcomes of a finished URL for which no request was sent."""
NO_HOST = "(no host)"


@dataclass(slots=True)
class CrawlRecap:
    """The latest crawl: when it ran, URLs finished and fetched, pages stored, and its failed
    (``failed:...``) URLs by reason and by host; ``gone`` (404, 410) is an answer, not a failure."""

    started_at: str | None = None
    ended_at: str | None = None
    finished: int = 0
    fetched: int = 0
    stored: int = 0
    gone: int = 0
    queued: int = 0
    by_reason: Counter[str] = field(default_factory=Counter)
    by_host: Counter[str] = field(default_factory=Counter)

    @property
    def failed(self) -> int:
        return sum(self.by_reason.values())

    def count(self, outcome: str | None, url: str) -> None:
        """Count one finished queue row."""
        self.finished += 1
        word = outcome or ""
        if word not in UNFETCHED_OUTCOMES:
            self.fetched += 1
        if word in STORED_OUTCOMES:
            self.stored += 1
        elif word.startswith(GONE_PREFIX):
            self.gone += 1
        elif word.startswith(FAILED_PREFIX):
            self.by_reason[word.removeprefix(FAILED_PREFIX)] += 1
            self.by_host[url_host(url)] += 1


def recap_rows(rows: Iterable[tuple[object, ...]], started_at: str | None,
               ended_at: str | None, queued: int = 0) -> CrawlRecap:
    """The recap of a crawl whose finished rows are ``(outcome, url)`` pairs."""
    recap = CrawlRecap(started_at=started_at, ended_at=ended_at, queued=queued)
    for outcome, url, *_ in rows:
        recap.count(None if outcome is None else str(outcome), str(url))
    return recap


def url_host(url: str) -> str:
    """The lower-case host of ``url`` (with its port when not the default), for grouping."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
        port = parts.port
    except ValueError:  # an unparsable netloc such as an unbalanced "[" or a bad port
        return NO_HOST
    if not host:
        return NO_HOST
    return host if port is None else f"{host}:{port}"
