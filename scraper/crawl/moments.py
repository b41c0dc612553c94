"""Times the crawl compares with the archive's: the marker of a crawl's start, and reading a
stored time back."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

log = logging.getLogger(__name__)


def crawl_start_marker() -> str:
    """The start of a new crawl, in the archive's ``fetched_at`` form, rounded down to the
    second: the archive's fetch times may be whole seconds."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def moment(value: str | None, what: str) -> datetime | None:
    """An ISO 8601 time as an aware datetime; None (with a warning) when it is unreadable,
    which makes the crawl fetch a page again rather than skip it."""
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        log.warning("%s is not a readable time (%r); pages may be fetched again", what, value)
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
