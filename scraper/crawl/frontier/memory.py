"""``Frontier`` in memory, for unit tests: the same contract as the SQLite and PostgreSQL
frontiers (leases, fencing, the page budget, the order), nothing durable."""

from __future__ import annotations

import heapq
import secrets
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from scraper.crawl.frontier.base import (
    DEFAULT_LEASE_SECONDS,
    DEFER_PENALTY,
    CrawlRequest,
    CrawlState,
    Frontier,
    FrontierCounts,
    LeaseLost,
)

__all__ = ["MemoryFrontier"]


@dataclass(slots=True)
class _Entry:
    request: CrawlRequest
    state: str = "queued"
    outcome: str | None = None
    token: str | None = None
    expires: float = 0.0
    seq: int = 0


class MemoryFrontier:
    """A dictionary of entries and a heap of queued ones (stale heap items are skipped)."""

    def __init__(self, *, lease_seconds: float = DEFAULT_LEASE_SECONDS) -> None:
        self.lease_seconds = lease_seconds
        self._entries: dict[str, _Entry] = {}
        self._heap: list[tuple[int, int, int, str]] = []
        self._seq = 0
        self._state = CrawlState(None, None, 0, 0)
        self._seeds: list[str] = []

    def add(self, requests: Iterable[CrawlRequest]) -> int:
        new = 0
        for request in requests:
            if request.url_key not in self._entries:
                entry = self._entries[request.url_key] = _Entry(request)
                self._queue(entry)
                new += 1
        return new

    def claim(self) -> CrawlRequest | None:
        if self._budget_spent():
            return None
        while self._heap:
            *_, seq, key = heapq.heappop(self._heap)
            entry = self._entries.get(key)
            if entry is None or entry.state != "queued" or entry.seq != seq:
                continue  # stale: claimed, deferred or reset since it was pushed
            entry.state, entry.token = "active", secrets.token_hex(8)
            entry.expires = time.time() + self.lease_seconds
            self._state = replace(self._state, pages_claimed=self._state.pages_claimed + 1)
            return replace(entry.request, lease_token=entry.token,
                           lease_expires=datetime.fromtimestamp(entry.expires, UTC))
        return None

    def ready_in(self) -> float | None:
        return 0.0 if self.counts().queued and not self._budget_spent() else None

    def renew(self, request: CrawlRequest) -> CrawlRequest:
        entry = self._held(request)
        entry.expires = time.time() + self.lease_seconds
        return replace(request, lease_expires=datetime.fromtimestamp(entry.expires, UTC))

    def finish(self, request: CrawlRequest, outcome: str, *, counted: bool = True) -> None:
        entry = self._held(request)
        entry.state, entry.outcome, entry.token = "done", outcome, None
        if not counted:
            self._state = replace(self._state,
                                  pages_claimed=max(0, self._state.pages_claimed - 1))

    def defer(self, request: CrawlRequest) -> None:
        entry = self._held(request)
        entry.request = replace(entry.request, deferred=True,
                                priority=entry.request.priority + DEFER_PENALTY)
        self._queue(entry)

    def reap_expired(self) -> int:
        now = time.time()
        expired = [entry for entry in self._entries.values()
                   if entry.state == "active" and entry.expires < now]
        for entry in expired:
            self._requeue_interrupted(entry)
        return len(expired)

    def resume(self) -> int:
        return self.reap_expired()  # nothing outlives the process: only expired leases

    def reset(self, started_at: str, max_pages: int = 0) -> None:
        self._entries.clear()
        self._heap.clear()
        self._state = CrawlState(started_at, None, max_pages, 0)
        self._seeds = []

    def started_at(self) -> str | None:
        return self._state.started_at

    def crawl_seeds(self, adding: Sequence[str] = ()) -> list[str]:
        self._seeds = sorted({*self._seeds, *adding})
        return list(self._seeds)

    def end_crawl(self, ended_at: str) -> None:
        self._state = replace(self._state, ended_at=ended_at)

    def crawl_state(self) -> CrawlState:
        return self._state

    def counts(self) -> FrontierCounts:
        states = [entry.state for entry in self._entries.values()]
        return FrontierCounts(states.count("queued"), states.count("active"), states.count("done"))

    def close(self) -> None:
        pass

    def _budget_spent(self) -> bool:
        return bool(self._state.max_pages) and \
            self._state.pages_claimed >= self._state.max_pages

    def _held(self, request: CrawlRequest) -> _Entry:
        entry = self._entries.get(request.url_key)
        if entry is None or entry.state != "active" or entry.token != request.lease_token:
            raise LeaseLost(request.url_key)
        return entry

    def _queue(self, entry: _Entry) -> None:
        self._seq += 1
        entry.state, entry.token, entry.seq = "queued", None, self._seq
        request = entry.request
        heapq.heappush(self._heap, (request.priority, request.depth, self._seq, request.url_key))

    def _requeue_interrupted(self, entry: _Entry) -> None:
        count = entry.request.interruptions + 1
        entry.request = replace(entry.request, interrupted=True, interruptions=count)
        # Back in its place of discovery, as the SQLite frontier does (its seq is kept).
        entry.state, entry.token = "queued", None
        request = entry.request
        heapq.heappush(self._heap, (request.priority, request.depth, entry.seq, request.url_key))


if TYPE_CHECKING:  # mypy checks that the class implements the protocol
    _IMPLEMENTS: type[Frontier] = MemoryFrontier
