"""One HTTP exchange as the fetcher saw it, handed to a capture (``archive.warc.recorder``).

Plain data, so that the one network seam (``scraper.net.fetch``) can describe what it sent and
received without knowing anything about WARC files.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from archive.warc.pointer import WarcPointer

__all__ = ["Exchange", "ExchangeRecorder"]

Headers = Sequence[tuple[str, str]]


@dataclass(frozen=True, slots=True)
class Exchange:
    """A GET and its answer.  ``payload`` is the body as it came off the connection after
    transfer decoding (chunking undone) but with its Content-Encoding (gzip...) kept, so it
    matches ``response_headers``; ``truncated`` when only the first bytes were kept (a redirect
    body over ``fetch.max_bytes``)."""

    url: str
    target: str  # the request target as sent: path and query
    http_version: str  # "HTTP/1.1"
    request_headers: Headers
    status: int
    reason: str
    response_headers: Headers
    payload: bytes
    started: datetime  # when the request was sent (UTC): the records' WARC-Date
    truncated: bool = False


class ExchangeRecorder(Protocol):
    def record(self, exchange: Exchange) -> WarcPointer:
        """Write the exchange durably; the pointer of its response (or revisit) record."""
        ...
