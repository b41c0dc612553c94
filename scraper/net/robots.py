"""robots.txt (RFC 9309): one parsed file per origin, fetched once through the HttpClient seam.

Outcomes of fetching ``/robots.txt``:

- 2xx: parsed with protego (only the first 512 KiB, as the RFC allows);
- 4xx, or more redirects than the client follows: "unavailable", everything allowed;
- 429, 5xx or a network failure: "unreachable", everything disallowed for now; the failure is
  cached for ``failure_ttl`` seconds and then robots.txt is fetched again.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

from protego import Protego

from scraper.config import PolitenessConfig
from scraper.errors import FetchError
from scraper.failure_reasons import FailureReason
from scraper.net.fetch import Response
from scraper.urls import host_key

__all__ = ["RobotsFetch", "RobotsPolicy", "RobotsRules", "SharedRobots", "product_token",
           "robots_url"]

RobotsFetch = Callable[[str], Awaitable[Response]]
"""Fetches one robots.txt URL, one attempt, following redirects (``HttpClient.get`` semantics)."""



class SharedRobots(Protocol):
    """robots.txt answers shared by the workers of one crawl (``scraper.net.robots_postgres``)."""

    async def fetch(self, url: str, fetch: RobotsFetch) -> Response:
        """The answer for the robots.txt ``url``, fetched with ``fetch`` by one worker only."""


MAX_ROBOTS_BYTES = 512 * 1024
_UNAVAILABLE_REASONS = frozenset({FailureReason.TOO_MANY_REDIRECTS, FailureReason.REDIRECT_LOOP})


def robots_url(url: str) -> str:
    """``'https://example.com:8443/a/b?c'`` -> ``'https://example.com:8443/robots.txt'``."""
    parts = urlsplit(url)
    netloc = parts.netloc.rpartition("@")[2].lower()
    return f"{parts.scheme.lower()}://{netloc}/robots.txt"


@dataclass(frozen=True, slots=True)
class RobotsRules:
    """One origin's rules, or what is assumed when its robots.txt could not be used.

    ``unreachable`` says why everything is disallowed for now (``None`` when rules are real);
    ``failure`` is the fetch error behind it, if one was raised.
    """

    parser: Protego | None
    expires: float
    unreachable: str | None = None
    failure: FetchError | None = None

    def allows(self, url: str, agent: str) -> bool:
        if self.parser is None:
            return self.unreachable is None
        return bool(self.parser.can_fetch(url, agent))

    def crawl_delay(self, agent: str) -> float | None:
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(agent)
        return float(delay) if delay is not None else None

    def sitemaps(self) -> list[str]:
        return list(self.parser.sitemaps) if self.parser is not None else []


class RobotsPolicy:
    """Answers "may we fetch this URL?" for our user agent, caching robots.txt per origin.

    Concurrent callers for one origin share a single fetch.  With ``obey_robots`` off nothing is
    fetched and everything is allowed.
    """

    def __init__(self, config: PolitenessConfig, user_agent: str, fetch: RobotsFetch, *,
                 ttl: float = 24 * 3600.0, failure_ttl: float = 300.0) -> None:
        self._obey = config.obey_robots
        self._agent = product_token(user_agent)
        self._fetch = fetch
        self._ttl = ttl
        self._failure_ttl = failure_ttl
        self._cache: dict[str, RobotsRules] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def allowed(self, url: str) -> bool:
        if not self._obey:
            return True
        return (await self.rules(url)).allows(url, self._agent)

    async def crawl_delay(self, url: str) -> float | None:
        if not self._obey:
            return None
        return (await self.rules(url)).crawl_delay(self._agent)

    async def sitemaps(self, url: str) -> list[str]:
        if not self._obey:
            return []
        return (await self.rules(url)).sitemaps()

    async def rules(self, url: str) -> RobotsRules:
        """The cached rules for ``url``'s origin, fetching robots.txt when missing or stale."""
        key = f"{urlsplit(url).scheme.lower()}://{host_key(url)}"
        cached = self._cache.get(key)
        if cached is not None and cached.expires > time.monotonic():
            return cached
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            cached = self._cache.get(key)
            if cached is None or cached.expires <= time.monotonic():
                cached = self._cache[key] = await self._load(robots_url(url))
            return cached

    async def _load(self, url: str) -> RobotsRules:
        try:
            response = await self._fetch(url)
        except FetchError as error:
            if error.reason in _UNAVAILABLE_REASONS:
                return self._assumed(unreachable=None)
            return self._assumed(unreachable=f"robots.txt fetch failed: {error}", failure=error)
        status = response.status
        if 200 <= status < 300:
            text = response.body[:MAX_ROBOTS_BYTES].decode("utf-8", errors="replace")
            return RobotsRules(Protego.parse(text), time.monotonic() + self._ttl)
        if status == 429 or status >= 500:
            return self._assumed(unreachable=f"robots.txt answered HTTP {status}")
        return self._assumed(unreachable=None)

    def _assumed(self, *, unreachable: str | None,
                 failure: FetchError | None = None) -> RobotsRules:
        ttl = self._ttl if unreachable is None else self._failure_ttl
        return RobotsRules(None, time.monotonic() + ttl, unreachable, failure)


def product_token(user_agent: str) -> str:
    """The name robots.txt groups match: ``'broadsheet/0.1 (+https://...)'`` -> ``'broadsheet'``."""
    return user_agent.strip().split("/", 1)[0].split(" ", 1)[0].lower()
