"""Per-host politeness: concurrency limits, a minimum gap between request starts, and pauses.

A host is ``scraper.urls.host_key`` (the host, plus the port when the URL names one), so two
servers on one machine are two hosts.  A request waits for its host (a per-host slot, then the
gap since the host's last start, then any pause) BEFORE it takes one of the global slots, so a
slow or paused host never holds global slots while it waits; it can hold at most
``per_host_concurrency`` of them while its requests run.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field

from scraper.config import PolitenessConfig
from scraper.urls import host_key

__all__ = ["FailureStreaks", "HostGate"]

@dataclass(slots=True)
class _Host:
    slots: asyncio.Semaphore
    start_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    last_start: float = -math.inf
    crawl_delay: float = 0.0


class HostGate:
    """``async with gate.slot(url): ...`` around every request.

    Live views for the progress display: ``waiting`` (host -> requests waiting for a slot now),
    ``wait_seconds`` (host -> total seconds requests spent waiting) and ``paused_until`` (host ->
    monotonic deadline).
    """

    def __init__(self, config: PolitenessConfig) -> None:
        self._config = config
        self._global = asyncio.Semaphore(config.concurrency)
        self._hosts: dict[str, _Host] = {}
        self.waiting: dict[str, int] = {}
        self.wait_seconds: dict[str, float] = {}
        self.paused_until: dict[str, float] = {}

    def delay(self, host: str) -> float:
        """The minimum gap between two request starts to ``host``."""
        state = self._hosts.get(host)
        return max(self._config.delay, state.crawl_delay if state is not None else 0.0)

    def set_crawl_delay(self, host: str, seconds: float | None) -> None:
        """Record robots.txt's Crawl-delay for ``host`` (the gap is the larger of it and delay)."""
        self._state(host).crawl_delay = max(0.0, seconds or 0.0)

    def pause(self, host: str, seconds: float) -> None:
        """No new request to ``host`` starts for ``seconds`` (an existing longer pause stays)."""
        until = time.monotonic() + max(0.0, seconds)
        self.paused_until[host] = max(self.paused_until.get(host, -math.inf), until)

    def pause_remaining(self, host: str) -> float:
        return max(0.0, self.paused_until.get(host, -math.inf) - time.monotonic())

    def paused_hosts(self) -> dict[str, float]:
        """Hosts paused right now, with the seconds left."""
        now = time.monotonic()
        return {host: until - now for host, until in self.paused_until.items() if until > now}

    @contextlib.asynccontextmanager
    async def slot(self, url: str) -> AsyncIterator[None]:
        host = host_key(url)
        state = self._state(host)
        with self._counted_wait(host):
            await state.slots.acquire()
            try:
                async with state.start_lock:
                    await self._start_when_ready(host, state)  # returns holding a global slot
            except BaseException:
                state.slots.release()
                raise
        try:
            yield
        finally:
            self._global.release()
            state.slots.release()

    @contextlib.contextmanager
    def _counted_wait(self, host: str) -> Iterator[None]:
        entered = time.monotonic()
        self.waiting[host] = self.waiting.get(host, 0) + 1
        try:
            yield
        finally:
            self.waiting[host] -= 1
            if not self.waiting[host]:
                del self.waiting[host]
            self.wait_seconds[host] = self.wait_seconds.get(host, 0.0) + time.monotonic() - entered

    def _state(self, host: str) -> _Host:
        state = self._hosts.get(host)
        if state is None:
            state = self._hosts[host] = _Host(asyncio.Semaphore(self._config.per_host_concurrency))
        return state

    async def _start_when_ready(self, host: str, state: _Host) -> None:
        while True:
            await self._sleep_until_ready(host, state)
            await self._global.acquire()
            if self._seconds_until_ready(host, state) <= 0:  # no pause arrived meanwhile
                state.last_start = time.monotonic()
                return
            self._global.release()

    async def _sleep_until_ready(self, host: str, state: _Host) -> None:
        while (wait := self._seconds_until_ready(host, state)) > 0:
            await asyncio.sleep(wait)

    def _seconds_until_ready(self, host: str, state: _Host) -> float:
        now = time.monotonic()
        gap_left = state.last_start + self.delay(host) - now
        return max(gap_left, self.paused_until.get(host, -math.inf) - now)


class FailureStreaks:
    """Counts consecutive failed downloads per host; past ``threshold`` each one earns a pause.

    The pause doubles with every further failure (``first_pause``, 2x, 4x, ... up to
    ``max_pause``), so a dead host is probed ever more rarely instead of hammered.
    """

    def __init__(self, threshold: int = 5, first_pause: float = 30.0,
                 max_pause: float = 600.0) -> None:
        self._threshold = threshold
        self._first_pause = first_pause
        self._max_pause = max_pause
        self._counts: dict[str, int] = {}

    def failed(self, host: str) -> float | None:
        """Count one failure; the pause to apply to ``host`` now, if any."""
        count = self._counts[host] = self._counts.get(host, 0) + 1
        if count < self._threshold:
            return None
        doublings = min(count - self._threshold, 30)
        return min(self._max_pause, self._first_pause * 2.0**doublings)

    def succeeded(self, host: str) -> None:
        self._counts.pop(host, None)

