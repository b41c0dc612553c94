"""What the crawler calls to get one URL: robots.txt, per-host politeness and retries around the
one HTTP seam (``scraper.net.fetch``).

Every request, including each retry, each redirect hop and each robots.txt fetch, passes through
the host gate, so the per-host delay, concurrency limit and any pause always apply.  Redirect
targets are checked against their own origin's robots.txt before they are requested.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from types import TracebackType

from tenacity import RetryCallState

from archive.warc.exchange import ExchangeRecorder
from scraper.config import FetchConfig, PolitenessConfig
from scraper.errors import FetchError, InvalidUrl, RobotsDisallowed
from scraper.failure_reasons import FailureReason, http_reason, http_status
from scraper.net.fetch import HttpClient, Response, Transport
from scraper.net.host_gate import FailureCounter, PolitenessGate
from scraper.net.politeness import FailureStreaks, HostGate
from scraper.net.retry import RETRYABLE_REASONS, RetryPolicy, call_with_retries, retry_after
from scraper.net.robots import RobotsPolicy, SharedRobots
from scraper.urls import host_key

__all__ = ["DownloadStats", "Downloader"]

# Outcomes that say "this host is in trouble" (as opposed to "this URL is wrong").
_HOST_TROUBLE_REASONS = RETRYABLE_REASONS | {http_reason(429), FailureReason.RETRY_AFTER_TOO_LONG}
# robots.txt failures that every URL of the origin would meet too: reported as what they are,
# not as "robots_unavailable, retry later" (a certificate that does not verify will not later).
_ORIGIN_FAILURES = frozenset({FailureReason.TLS})


@dataclass(slots=True)
class DownloadStats:
    """Live counters for the progress display: the Downloader updates them, anyone reads them.

    ``waiting`` (host -> requests waiting for a slot now), ``wait_seconds`` (host -> seconds
    spent waiting) and ``paused_until`` (host -> monotonic deadline) are the host gate's own live
    dictionaries.
    """

    requests: int = 0  # HTTP requests sent: every hop, retry and robots.txt fetch
    retries: int = 0
    bytes: int = 0  # body bytes received, after content decoding
    failures: int = 0  # downloads that ended in a FetchError
    waiting: dict[str, int] = field(default_factory=dict)
    wait_seconds: dict[str, float] = field(default_factory=dict)
    paused_until: dict[str, float] = field(default_factory=dict)

    @property
    def hosts_waiting(self) -> int:
        """How many hosts have requests waiting for their turn right now."""
        return sum(1 for count in self.waiting.values() if count > 0)

    def paused_hosts(self) -> dict[str, float]:
        """Hosts paused right now, with the seconds left."""
        now = time.monotonic()
        return {host: until - now for host, until in self.paused_until.items() if until > now}


def conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def _checked_host(url: str) -> str:
    """The politeness key of an absolute http(s) URL; anything else is refused up front."""
    try:
        return host_key(url)
    except InvalidUrl as exc:
        raise FetchError(url, FailureReason.BAD_URL, exc.problem) from None


_CLAIM_CHECK: ContextVar[Callable[[], None] | None] = ContextVar("claim_check", default=None)


@contextlib.contextmanager
def checking_claim(check: Callable[[], None] | None) -> Iterator[None]:
    """Within the block (in this task), ``check`` runs right before every page request is sent,
    retries and redirect hops included, once the gate has admitted it; whatever it raises ends
    the download.  A shared crawl checks that the worker still holds the page's lease, so a
    worker paused past its lease sends no request for a page another worker took over."""
    token = _CLAIM_CHECK.set(check)
    try:
        yield
    finally:
        _CLAIM_CHECK.reset(token)


class Downloader:
    """``async with Downloader(fetch, politeness) as d: response = await d.download(url)``.

    ``download`` returns only 2xx responses and 304s (``not_modified``); everything else is a
    ``FetchError`` whose ``reason`` names it.  Whether the content is HTML is the caller's call.
    A host whose downloads keep failing is paused, for longer with each further failure.
    ``gate`` and ``streaks`` default to this process's own; a shared crawl passes the
    PostgreSQL ones (``scraper.net.politeness_postgres``), and ``robots`` so that one worker
    fetches each origin's robots.txt for all (``scraper.net.robots_postgres``).  ``recorder``
    (a WARC capture, see ``scraper.net.fetch``) receives every exchange, robots.txt fetches
    included.
    """

    def __init__(self, fetch_config: FetchConfig, politeness_config: PolitenessConfig, *,
                 transport: Transport | None = None, failure_threshold: int = 5,
                 failure_pause: float = 30.0, failure_pause_max: float = 600.0,
                 gate: PolitenessGate | None = None,
                 streaks: FailureCounter | None = None,
                 robots: SharedRobots | None = None,
                 recorder: ExchangeRecorder | None = None) -> None:
        self._client = HttpClient(fetch_config, max_connections=politeness_config.concurrency,
                                  transport=transport, recorder=recorder)
        self._gate: PolitenessGate = gate or HostGate(politeness_config)
        self._shared_robots = robots
        self._robots = RobotsPolicy(politeness_config, fetch_config.user_agent,
                                    self._robots_txt)
        self._policy = RetryPolicy.from_config(fetch_config)
        self._max_crawl_delay = politeness_config.max_crawl_delay
        self._streaks: FailureCounter = streaks or FailureStreaks(
            failure_threshold, failure_pause, failure_pause_max)
        self.stats = DownloadStats(waiting=self._gate.waiting,
                                   wait_seconds=self._gate.wait_seconds,
                                   paused_until=self._gate.paused_until)

    async def __aenter__(self) -> Downloader:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, tb: TracebackType | None) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    async def download(self, url: str, *, etag: str | None = None,
                       last_modified: str | None = None) -> Response:
        headers = conditional_headers(etag, last_modified)

        async def attempt() -> Response:
            return await self._attempt(url, headers)

        host = _checked_host(url)
        try:
            await self._check_robots(url)
            response = await call_with_retries(self._policy, url, attempt,
                                               on_retry=self._count_retry)
        except FetchError as error:
            self.stats.failures += 1
            self._note_failure(host, error)
            raise
        self._streaks.succeeded(host)
        return response

    async def robots_sitemaps(self, url: str) -> list[str]:
        """The Sitemap: lines of ``url``'s origin's robots.txt (empty when robots are ignored)."""
        return await self._robots.sitemaps(url)

    async def _attempt(self, url: str, headers: dict[str, str]) -> Response:
        response = await self._client.get(url, headers=headers, hop=self._hop)
        self.stats.bytes += len(response.body)
        asked = retry_after(response)
        if asked is not None and response.status in self._policy.statuses:
            self._gate.pause(host_key(response.final_url), asked)
        return response

    async def _check_robots(self, url: str) -> None:
        if await self._robots.allowed(url):
            self._gate.set_crawl_delay(host_key(url), await self._crawl_delay(url))
            return
        rules = await self._robots.rules(url)
        failure = rules.failure
        if failure is not None and failure.reason in _ORIGIN_FAILURES:
            raise FetchError(url, failure.reason, f"{failure.detail} (fetching {failure.url})")
        if rules.unreachable is not None:
            raise FetchError(url, FailureReason.ROBOTS_UNAVAILABLE,
                             f"{rules.unreachable}; the site is held back for a few minutes, "
                             "retry later")
        raise RobotsDisallowed(url)

    async def _crawl_delay(self, url: str) -> float | None:
        """robots.txt's Crawl-delay; one over ``politeness.max_crawl_delay`` (or not a finite
        number: ``1e300`` would hold the host, and the crawl, forever) fails the page instead."""
        delay = await self._robots.crawl_delay(url)
        if delay is not None and not delay <= self._max_crawl_delay:  # also NaN
            raise FetchError(url, FailureReason.CRAWL_DELAY_TOO_LONG,
                             f"robots.txt asks {delay:g} s between requests, over "
                             f"politeness.max_crawl_delay ({self._max_crawl_delay:g} s); "
                             "raise it to crawl this host")
        return delay

    @contextlib.asynccontextmanager
    async def _hop(self, url: str, index: int) -> AsyncIterator[None]:
        """Around each request of a download: robots for redirect targets, then the gate, then
        the caller's claim check (see ``checking_claim``), as late as possible before sending."""
        if index > 0:
            await self._check_robots(url)
        async with self._gated(url):
            check = _CLAIM_CHECK.get()
            if check is not None:
                check()
            yield

    @contextlib.asynccontextmanager
    async def _robots_hop(self, url: str, index: int) -> AsyncIterator[None]:
        async with self._gated(url):
            yield

    @contextlib.asynccontextmanager
    async def _gated(self, url: str) -> AsyncIterator[None]:
        host = host_key(url)
        paused = self._gate.pause_remaining(host)
        if paused > self._policy.max_retry_after:
            raise FetchError(url, FailureReason.HOST_PAUSED,
                             f"{host} is paused for another {paused:.0f} s after repeated "
                             "failures or a long Retry-After; retry later")
        async with self._gate.slot(url):
            self.stats.requests += 1
            yield

    async def _robots_txt(self, url: str) -> Response:
        if self._shared_robots is None:
            return await self._fetch_robots_txt(url)
        return await self._shared_robots.fetch(url, self._fetch_robots_txt)

    async def _fetch_robots_txt(self, url: str) -> Response:
        return await self._client.get(url, hop=self._robots_hop)

    def _count_retry(self, state: RetryCallState) -> None:
        self.stats.retries += 1

    def _note_failure(self, host: str, error: FetchError) -> None:
        status = http_status(error.reason)
        if error.reason in _HOST_TROUBLE_REASONS or (status is not None and status >= 500):
            pause = self._streaks.failed(host)
            if pause is not None:
                self._gate.pause(host, pause)
        elif status is not None:
            self._streaks.succeeded(host)  # the host answered; the URL was the problem
