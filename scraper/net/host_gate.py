"""What the downloader needs from per-host politeness, whichever process or machine keeps it.

``scraper.net.politeness.HostGate`` keeps it in this process (one crawl process);
``scraper.net.politeness_postgres.PostgresHostGate`` keeps it in PostgreSQL, so every worker of a
shared crawl is held to the same per-host gap, concurrency, pauses and Crawl-delay.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Protocol


class PolitenessGate(Protocol):
    """``async with gate.slot(url): ...`` around every request (retries, redirect hops and
    robots.txt included).  ``waiting``, ``wait_seconds`` and ``paused_until`` are live views
    for the progress display (this process's requests; deadlines on ``time.monotonic``)."""

    waiting: dict[str, int]
    wait_seconds: dict[str, float]
    paused_until: dict[str, float]

    def delay(self, host: str) -> float:
        """The minimum gap between two request starts to ``host``."""

    def set_crawl_delay(self, host: str, seconds: float | None) -> None:
        """Record robots.txt's Crawl-delay for ``host`` (the gap is the larger of it and delay)."""

    def pause(self, host: str, seconds: float) -> None:
        """No new request to ``host`` starts for ``seconds`` (an existing longer pause stays)."""

    def pause_remaining(self, host: str) -> float: ...

    def paused_hosts(self) -> dict[str, float]:
        """Hosts paused right now, with the seconds left."""

    def slot(self, url: str) -> AbstractAsyncContextManager[None]:
        """Wait for ``url``'s host (its gap, pause and concurrency), then hold a slot."""


class FailureCounter(Protocol):
    """Consecutive failed downloads per host, and the pause each further failure earns."""

    def failed(self, host: str) -> float | None:
        """Count one failure; the pause to apply to ``host`` now, if any."""

    def succeeded(self, host: str) -> None: ...
