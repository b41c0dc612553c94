"""Why a URL could not be fetched or read: the ``reason`` of ``FetchError`` and
``ExtractionError``, as counted in the crawl summary and written to the frontier
(``failed:<reason>``).

The values are stable tokens (stored in frontier files and printed by ``stats`` and the JSON
summary), so a member's value never changes.  This module sits beside ``scraper.errors``, below
both ``scraper.net`` and ``scraper.extract``: the extractor raises ``ExtractionError`` without
importing the network layer.

HTTP statuses are open-ended (any code from 100 to 999 may come back), so they are not members:
``http_reason(404)`` gives ``"http_404"``, typed ``HttpReason`` so that no other code builds
the token by hand.  A member per status would have to list every code a server may invent, and
a single ``HTTP_STATUS`` member plus the code would change the stored ``http_404`` tokens.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NewType

__all__ = ["HTTP_PREFIX", "FailureReason", "HttpReason", "Reason", "http_reason", "http_status"]


class FailureReason(StrEnum):
    """Every failure reason except the HTTP statuses (see ``http_reason``)."""

    TIMEOUT = "timeout"
    CONNECT = "connect"
    PROTOCOL = "protocol"
    TLS = "tls"
    BAD_URL = "bad_url"
    DECODING = "decoding"
    TOO_LARGE = "too_large"
    TOO_MANY_REDIRECTS = "too_many_redirects"
    REDIRECT_LOOP = "redirect_loop"
    BAD_REDIRECT = "bad_redirect"
    RETRY_AFTER_TOO_LONG = "retry_after_too_long"
    """The server asked to wait longer than ``fetch.max_retry_after``."""
    HOST_PAUSED = "host_paused"
    ROBOTS = "robots"
    """robots.txt disallows the URL (``RobotsDisallowed``; counted apart, not as a failure)."""
    ROBOTS_UNAVAILABLE = "robots_unavailable"
    CRAWL_DELAY_TOO_LONG = "crawl_delay_too_long"
    NOT_HTML = "not_html"
    EXTRACTION = "extraction"
    EXTRACTION_TIMEOUT = "extraction_timeout"
    INTERNAL = "internal"
    """The page raised an unexpected exception (a bug, or input no check foresaw)."""
    INTERRUPTED_REPEATEDLY = "interrupted_repeatedly"
    """Several runs in a row stopped while working on the page (see ``MAX_INTERRUPTIONS``)."""


HTTP_PREFIX = "http_"
HttpReason = NewType("HttpReason", str)
"""``http_<status>``: made only by ``http_reason``."""
Reason = FailureReason | HttpReason
"""What a ``FetchError`` carries as its ``reason``."""


def http_reason(status: int) -> HttpReason:
    """The reason of a final response with an HTTP error status: ``http_404``, ``http_503``."""
    return HttpReason(f"{HTTP_PREFIX}{status}")


def http_status(reason: str) -> int | None:
    """The status of an ``http_reason`` token; None for any other reason."""
    code = reason.removeprefix(HTTP_PREFIX)
    return int(code) if code != reason and code.isdigit() else None
