"""A shared-crawl worker's leases: the requests it holds, renewed while it works on them, and
the reaping of other workers' expired leases (any worker may reap; a killed worker's pages go
back to the queue, flagged interrupted, within one lease length)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from scraper.crawl.frontier.base import CrawlRequest, Frontier, LeaseLost
from scraper.errors import BroadsheetError

log = logging.getLogger(__name__)
RENEW_SHARE = 3
"""Leases are renewed every ``lease_seconds / RENEW_SHARE``: two renewals may fail (a slow
database) before a lease runs out."""


class LeaseKeeper:
    """``held`` maps a URL key to the claimed request this worker is working on."""

    def __init__(self, frontier: Frontier, lease_seconds: float,
                 keep_alive: Callable[[], None] | None = None) -> None:
        self._frontier = frontier
        self._keep_alive = keep_alive  # renews what else this worker holds (host slots)
        self._interval = max(0.05, lease_seconds / RENEW_SHARE)
        self.held: dict[str, CrawlRequest] = {}
        self.lost: set[str] = set()

    def hold(self, request: CrawlRequest) -> None:
        self.held[request.url_key] = request

    def release(self, request: CrawlRequest) -> None:
        self.held.pop(request.url_key, None)

    def confirm(self, request: CrawlRequest) -> None:
        """Renew the lease on ``request`` now: LeaseLost when it is no longer this worker's."""
        key = request.url_key
        try:
            self.held[key] = self._frontier.renew(self.held.get(key, request))
        except LeaseLost:
            self.lost.add(key)
            raise

    async def run(self) -> None:
        """Renew and reap every interval until cancelled."""
        while True:
            await asyncio.sleep(self._interval)
            self.renew_all()
            self._renew_others()
            self.reap()

    def _renew_others(self) -> None:
        if self._keep_alive is None:
            return
        try:
            self._keep_alive()
        except BroadsheetError as exc:
            log.warning("could not renew this worker's host slots: %s", exc)

    def renew_all(self) -> None:
        for key, request in list(self.held.items()):
            try:
                self.held[key] = self._frontier.renew(request)
            except LeaseLost:  # or finished meanwhile: the fence finishes stored pages
                self.lost.add(key)
                log.info("no longer holding the lease on %s", request.url)
            except BroadsheetError as exc:
                log.warning("could not renew the lease on %s: %s", request.url, exc)

    def reap(self) -> None:
        try:
            reaped = self._frontier.reap_expired()
        except BroadsheetError as exc:
            log.warning("could not reap expired leases: %s", exc)
            return
        if reaped:
            log.info("returned %d expired leases (of stopped workers) to the queue", reaped)
