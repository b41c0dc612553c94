"""Exceptions raised by the scraper layer (see ``archive.errors`` for the whole tree)."""

from __future__ import annotations

from archive.errors import ArchiveError, BroadsheetError
from scraper.failure_reasons import FailureReason, Reason

__all__ = [
    "ArchiveError",
    "BroadsheetError",
    "ConfigError",
    "ExtractionError",
    "ExtractionTimeout",
    "FetchError",
    "InvalidUrl",
    "OutputError",
    "RobotsDisallowed",
    "UsageError",
]


class ConfigError(BroadsheetError):
    """The configuration file is missing, unparsable, or has a bad key or value."""

    exit_code = 2

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(f"{where}{message}")
        self.path = path
        self.line = line


class UsageError(BroadsheetError):
    """The command line was used wrongly (bad option, missing file)."""

    exit_code = 2


class InvalidUrl(BroadsheetError):
    """A URL that cannot be used: not http(s), no host, a port outside 0-65535, a broken IPv6
    literal.  A bad link or canonical is dropped; a bad seed is a usage error."""

    exit_code = 2

    def __init__(self, url: str, problem: str) -> None:
        super().__init__(f"{url!r} is not a usable URL: {problem}")
        self.url = url
        self.problem = problem


class FetchError(BroadsheetError):
    """One URL could not be fetched.

    ``reason`` is a stable token used in crawl summaries and the frontier: a ``FailureReason``
    (``timeout``, ``too_large``, ``robots``...) or an HTTP status's ``http_reason`` (``http_404``).
    """

    def __init__(self, url: str, reason: Reason, detail: str = "") -> None:
        message = f"{url}: {reason}" + (f" ({detail})" if detail else "")
        super().__init__(message)
        self.url = url
        self.reason = reason
        self.detail = detail


class RobotsDisallowed(FetchError):
    """robots.txt forbids fetching this URL for our user agent."""

    def __init__(self, url: str) -> None:
        super().__init__(url, FailureReason.ROBOTS, "disallowed by robots.txt")


class ExtractionError(BroadsheetError):
    """A page could not be turned into a record (empty, binary, not HTML, unparsable).

    ``reason`` is the crawl summary's token for the failure."""

    reason: FailureReason = FailureReason.EXTRACTION


class ExtractionTimeout(ExtractionError):
    """The extractor took longer than ``crawl.extraction_timeout`` on one page."""

    reason = FailureReason.EXTRACTION_TIMEOUT


class OutputError(BroadsheetError):
    """A command's output could not be written: stdout closed or full, the reader gone."""
