"""The frontier's contract: what the crawl loop needs from a queue of URLs and a seen set.

Three backends implement ``Frontier``: ``memory`` (unit tests), ``sqlite`` (one process, the
embedded default) and ``postgres`` (many workers on many machines).

Leases.  ``claim`` hands out a request carrying a lease (``lease_token``, ``lease_expires``).
The worker that holds it ``renew``s it while the work lasts and ends it with ``finish`` or
``defer``; both are fenced: when the lease is no longer that worker's (it expired and was
reaped, perhaps claimed again by another worker), they raise ``LeaseLost`` and change nothing.
``reap_expired`` (any worker may call it) returns expired leases to the queue, flagged
``interrupted``.  On a shared frontier the lease expiry is on the database's clock.

``resume`` is recovery at start-up: the single-process SQLite frontier re-queues everything left
active (they were all its own, the process that held them is gone); on a shared frontier it
must never do that (other workers hold live leases), so there it only reaps expired leases.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from archive.errors import ArchiveError

DEFAULT_LEASE_SECONDS = 300.0
"""How long a claim is a worker's before another worker may reap it (renewed while it works)."""
DEFER_PENALTY = 1000
"""Added to the priority of a deferred request, so it goes behind everything queued now."""


class Kind(StrEnum):
    """What a queued URL is expected to be; decides how its response is handled."""

    PAGE = "page"
    SITEMAP = "sitemap"
    FEED = "feed"


@dataclass(frozen=True, slots=True)
class CrawlRequest:
    """One URL to fetch.  ``url_key`` is its canonical form (see ``scraper.urls``).

    ``interrupted`` is set by the frontier when an earlier claim of this request ended without
    a finish (a run stopped or a worker's lease expired), so its work may have been done in part;
    ``interruptions`` counts those claims.  ``lease_token`` and ``lease_expires`` are set on a
    claimed request: the token is the worker's proof of ownership for ``finish``/``defer``.
    """

    url: str
    url_key: str
    kind: Kind = Kind.PAGE
    depth: int = 0
    priority: int = 0
    deferred: bool = False
    interrupted: bool = False
    interruptions: int = 0
    lease_token: str | None = None
    lease_expires: datetime | None = None


@dataclass(frozen=True, slots=True)
class FrontierCounts:
    queued: int
    active: int
    done: int


@dataclass(frozen=True, slots=True)
class CrawlState:
    """The shared state of one crawl: its start and end markers, the page budget
    (``max_pages``, 0 for none) and how many claims count against it so far."""

    started_at: str | None
    ended_at: str | None
    max_pages: int
    pages_claimed: int


class LeaseLost(ArchiveError):
    """The lease of a claimed request is no longer this worker's; its result must be dropped."""

    def __init__(self, url_key: str) -> None:
        super().__init__(f"the lease on {url_key} expired and was taken back; this worker's "
                         "result for it is dropped (another claim will do the work)")
        self.url_key = url_key


class Frontier(Protocol):
    """The queue and the seen set of one crawl at a time.

    A request goes queued -> active (``claim``) -> done (``finish``).  Every change is durable
    when the call returns, so a process killed between two calls loses nothing; memory must not
    grow with the number of URLs.
    """

    def add(self, requests: Iterable[CrawlRequest]) -> int:
        """Queue the requests whose ``url_key`` was never seen; return how many were new."""

    def claim(self) -> CrawlRequest | None:
        """The next request to work on (marked active, with a lease), or None when none is
        claimable now: nothing queued, the page budget spent, or (shared frontier) every host
        with queued URLs waiting for its delay; ``ready_in`` then says how long to wait.
        Order: ``priority``, then ``depth``, then the order of discovery (a shared frontier
        keeps that order per host and serves the hosts in turn)."""

    def ready_in(self) -> float | None:
        """After ``claim`` returned None: seconds until a request may be claimable, or None
        when nothing is queued (or the page budget is spent)."""

    def renew(self, request: CrawlRequest) -> CrawlRequest:
        """Extend the lease of a claimed request; the request with its new expiry.
        Raises LeaseLost."""

    def finish(self, request: CrawlRequest, outcome: str, *, counted: bool = True) -> None:
        """Mark a claimed request done, with a short outcome word for the record.
        ``counted=False`` gives its claim back to the page budget (no request was sent).
        Raises LeaseLost."""

    def defer(self, request: CrawlRequest) -> None:
        """Put a claimed request back in the queue, behind everything queued now.
        Raises LeaseLost."""

    def reap_expired(self) -> int:
        """Return requests whose lease expired to the queue, flagged ``interrupted``; how many."""

    def resume(self) -> int:
        """Start-up recovery (see the module's doc): how many requests were re-queued."""

    def reset(self, started_at: str, max_pages: int = 0) -> None:
        """Forget every URL and start a new crawl; remember ``started_at`` (a marker chosen by
        the caller, e.g. the start time) and the page budget until the next reset."""

    def started_at(self) -> str | None:
        """The marker given to the last ``reset``, or None if there was none."""

    def crawl_seeds(self, adding: Sequence[str] = ()) -> list[str]:
        """The crawl's start URLs after adding ``adding`` (kept until the next ``reset``): what
        decides a crawl's scope, for a shared crawl's workers that join without any."""

    def end_crawl(self, ended_at: str) -> None:
        """Record the end of the current crawl."""

    def crawl_state(self) -> CrawlState: ...

    def counts(self) -> FrontierCounts:
        """How many requests are queued, active and done; cheap enough to call often."""

    def close(self) -> None: ...
