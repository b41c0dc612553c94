"""What happened to one request taken from the frontier: its outcome, counted in the crawl
summary and written to the frontier's ``outcome`` column.

The values are stored (frontier files, the shared PostgreSQL frontier) and read back by
``broadsheet stats`` (``failed:...`` and ``gone...``, see ``archive.stats``), so a member's value
never changes.  A failed page's outcome is ``failed(reason)`` (``failed:timeout``,
``failed:internal:ValueError``) and a gone page's ``gone(reason)`` (``gone:http_404``): a reason
(``scraper.failure_reasons``) joined to a word, not a member of its own.
"""

from __future__ import annotations

from enum import StrEnum

from archive.outcome import StoreOutcome
from scraper.failure_reasons import HttpReason, Reason, http_reason

__all__ = ["GONE_REASONS", "Outcome", "failed", "gone", "page_outcome"]


class Outcome(StrEnum):
    """Every single-word outcome of a request."""

    STORED = "stored"
    UPDATED = "updated"
    DUPLICATE = "duplicate"
    UNCHANGED = "unchanged"
    NOT_ARTICLE = "not_article"
    DEFERRED = "deferred"
    """The page waits behind the queue (its canonical page first); never written: it stays
    queued."""
    ALREADY_STORED = "already_stored"
    """A re-queued page whose record this crawl stored before it was interrupted."""
    REDIRECTED_AWAY = "redirected_away"
    """Redirected to a page outside the crawl's scope."""
    GONE = "gone"
    """The server says the page does not exist (404) or no longer does (410); written as
    ``gone(reason)``."""
    FAILED = "failed"
    """Written as ``failed(reason)``."""
    ROBOTS = "robots"
    """robots.txt disallows the URL: no request was sent."""
    LEASE_LOST = "lease_lost"
    """Never written: the request's lease was taken back and its result dropped."""
    FEED = "feed"
    """A feed (or a link that turned out to be one) was read."""
    SITEMAP = "sitemap"
    NO_FEED = "no_feed"
    """A common feed path (``/feed``...) that holds no feed."""
    SOURCE_OFF = "source_off"
    """A linked feed or sitemap while that source is turned off."""
    DISCOVERY_ERROR = "discovery_error"
    """A sitemap or feed that could not be fetched or read."""


GONE_REASONS: frozenset[HttpReason] = frozenset({http_reason(404), http_reason(410)})
"""Fetch failures that are an answer about the page, not a failure of the crawl."""


def failed(reason: Reason, exception: str | None = None) -> str:
    """The outcome of a failed page: ``failed:<reason>``, ``failed:internal:<exception class>``."""
    words = [Outcome.FAILED.value, str(reason)] + ([exception] if exception is not None else [])
    return ":".join(words)


def gone(reason: Reason) -> str:
    """The outcome of a page the server says is gone: ``gone:http_404``, ``gone:http_410``."""
    return f"{Outcome.GONE.value}:{reason}"


def page_outcome(stored: StoreOutcome) -> Outcome:
    """The crawl's outcome for what the archive did with a page (the same word)."""
    return Outcome(stored.value)
