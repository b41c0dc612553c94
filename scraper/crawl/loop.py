"""The crawl loop: workers take requests from the frontier until nothing is queued or in flight.

Concurrency is asyncio: ``politeness.concurrency`` workers share one event loop, and the
downloader's host gate keeps each host to its own delay and concurrency.  Everything a worker
learns goes to the on-disk frontier and archive at once, so a killed crawl resumes from them.

A crawl is one pass over the frontier: it starts (``Frontier.reset``) when nothing is left
queued, and the runs that resume it share its start time.  A run killed (even by SIGKILL) loses
nothing, whatever the moment:

- a page's links are committed to the frontier before its record is stored, and the request is
  marked done only after that, so a killed page stays active and ``resume`` re-queues it;
- a re-queued page whose record this crawl already stored (its URL key fetched since the crawl
  started, or an alias of an article fetched since then) is marked done without a fetch: see
  ``Crawler.stored_before_interruption``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from functools import partial

from archive.fence import Fence
from scraper.config import Config
from scraper.crawl.archive_port import CrawlArchive
from scraper.crawl.assets import AssetCapture
from scraper.crawl.backend import FenceFactory, no_fence, open_backend
from scraper.crawl.extraction_pool import ExtractionPool
from scraper.crawl.frontier.base import CrawlRequest, Frontier, Kind, LeaseLost
from scraper.crawl.leases import LeaseKeeper
from scraper.crawl.moments import crawl_start_marker, moment
from scraper.crawl.outcomes import GONE_REASONS, Outcome, failed, gone
from scraper.crawl.progress import Progress, SilentProgress
from scraper.crawl.scope import CrawlScope
from scraper.crawl.summary import INTERRUPTED, MAX_PAGES, CrawlSummary, one_line
from scraper.crawl.transient import retrying
from scraper.crawl.visit import DISCOVERY_PRIORITY, Visitor, article_thresholds
from scraper.crawl.warc_capture import open_capture
from scraper.errors import ArchiveError, ExtractionError, FetchError, RobotsDisallowed
from scraper.failure_reasons import FailureReason
from scraper.net.downloader import Downloader, checking_claim
from scraper.urls import canonical_url

log = logging.getLogger(__name__)
PROGRESS_INTERVAL = 0.5
SHARED_POLL = 0.5
"""Longest wait of a shared-crawl worker before it asks the frontier again."""
SHARED_POLL_MIN = 0.01
FRONTIER_FILE = "frontier.sqlite"
ADD_FRONTIER_FILE = "add.sqlite"
"""The queue of ``broadsheet add`` (and ``crawl --only``): its own, so that it runs beside a
crawl and never resumes one."""
MAX_INTERRUPTIONS = 3
"""A request that this many runs stopped while working on is given up, with the failure
``interrupted_repeatedly``: a page that kills the process (a crash in a C library, the
out-of-memory killer) cannot stop every resumed crawl at the same place."""


class Crawler:
    """One crawl over an archive.  ``summary`` stays readable after an interruption."""

    def __init__(self, config: Config, archive: CrawlArchive, frontier: Frontier,
                 downloader: Downloader, progress: Progress | None = None,
                 extractor: ExtractionPool | None = None, *, fresh: bool = False,
                 shared: bool = False, fence: FenceFactory = no_fence,
                 lease_seconds: float = 60.0,
                 keep_alive: Callable[[], None] | None = None) -> None:
        self.config = config
        self.shared = shared  # a worker of a crawl shared through PostgreSQL
        self.fence = fence
        self.leases = LeaseKeeper(frontier, lease_seconds, keep_alive)
        self.fresh = fresh  # start a new crawl even when the queue holds an interrupted one
        self.extractor = extractor
        self.archive = archive
        self.frontier = frontier
        self.downloader = downloader
        self.progress = progress or SilentProgress()
        self.summary = CrawlSummary()
        self._in_flight = 0
        self._claimed = 0  # requests taken from the frontier by this run (see _next_request)
        self._finished = False
        self._limit_reached = False
        self._changed = asyncio.Event()
        self._crawl_started: datetime | None = None

    async def run(self, seeds: Sequence[str]) -> CrawlSummary:
        started = time.monotonic()
        in_scope = self._join(seeds) if self.shared else list(seeds)
        scope = CrawlScope(self.config.crawl, in_scope, now=datetime.now(UTC))
        assets = AssetCapture(self.downloader) if self.config.crawl.capture_assets else None
        visitor = Visitor(scope, self.archive, self.frontier, self.downloader, self.summary,
                          self.extractor, article_thresholds(self.config), assets)
        ticker = asyncio.create_task(self._report_progress())
        keeper = asyncio.create_task(self.leases.run()) if self.shared else None
        try:
            if not self.shared:
                await self._start(seeds, scope)
            elif seeds:
                await self._add_seeds(seeds, scope)
            workers = [asyncio.create_task(self._work(visitor))
                       for _ in range(self.config.politeness.concurrency)]
            await asyncio.gather(*workers)
        finally:
            ticker.cancel()
            if keeper is not None:
                keeper.cancel()
            self.summary.elapsed = time.monotonic() - started
            self._note_stop()
            self._show_progress()
            self.progress.close()
        return self.summary

    async def _start(self, seeds: Sequence[str], scope: CrawlScope) -> None:
        """Resume an interrupted crawl, or start a new one from the seeds."""
        self.frontier.resume()
        leftover = 0 if self.fresh else self.frontier.counts().queued
        if leftover:
            self.summary.resumed = leftover
            log.info("resuming an interrupted crawl: %d URLs still queued", leftover)
        else:
            self.frontier.reset(crawl_start_marker())
        self._crawl_started = moment(self.frontier.started_at(), "the crawl start")
        await self._add_seeds(seeds, scope)

    def _join(self, seeds: Sequence[str]) -> list[str]:
        """A worker of a shared crawl: start a new crawl from ``seeds`` when none is running
        (nothing queued or leased), else join the running one (adding any ``seeds`` to it).
        Expired leases are reaped; other workers' live leases are never taken.  Returns the
        crawl's start URLs, which decide its scope for every worker."""
        self.frontier.resume()
        counts = self.frontier.counts()
        running = counts.queued + counts.active > 0
        if not running and seeds:
            self.frontier.reset(crawl_start_marker(), self.config.crawl.max_pages)
            log.info("starting a new shared crawl from %d start URLs", len(seeds))
        elif running:
            self.summary.resumed = counts.queued
            log.info("joining the shared crawl: %d URLs queued, %d leased", counts.queued,
                     counts.active)
        self._crawl_started = moment(self.frontier.started_at(), "the crawl start")
        return self.frontier.crawl_seeds(seeds)

    async def _add_seeds(self, seeds: Sequence[str], scope: CrawlScope) -> None:
        """Queue the seeds at once (workers joining a shared crawl find work while this one
        reads robots.txt), then the sitemaps their robots.txt files list."""
        self.frontier.add([CrawlRequest(seed, key, Kind.PAGE, 0)
                           for seed in seeds if (key := canonical_url(seed))])
        if self.config.crawl.use_sitemaps:
            self.frontier.add(await self._robots_sitemaps(seeds, scope))

    async def _robots_sitemaps(self, seeds: Sequence[str],
                               scope: CrawlScope) -> list[CrawlRequest]:
        """The Sitemap: lines of the seeds' robots.txt files, read side by side (each through
        its host's gate): a crawl of many sites does not wait for them one after another."""
        urls = [seed for seed in seeds if canonical_url(seed) is not None]
        listed = await asyncio.gather(*(self._sitemaps_of(seed) for seed in urls))
        return [CrawlRequest(url, key, Kind.SITEMAP, 0, DISCOVERY_PRIORITY)
                for seed, sitemaps in zip(urls, listed, strict=True) for url in sitemaps
                if (key := scope.admit_source(url, found_on=seed, feed=False))]

    async def _sitemaps_of(self, seed: str) -> list[str]:
        try:
            return await self.downloader.robots_sitemaps(seed)
        except FetchError as exc:
            log.warning("could not read robots.txt sitemaps of %s: %s", seed, exc)
            return []

    async def _work(self, visitor: Visitor) -> None:
        while not self._finished:
            request = self._next_request()
            if request is None:
                if not await self._wait_for_work():
                    self._finish()
                    return
                continue
            self._in_flight += 1
            self.leases.hold(request)
            try:
                await self._handle(visitor, request)
            finally:
                self.leases.release(request)
                self._in_flight -= 1
                self._notify()

    async def _wait_for_work(self) -> bool:
        """After the frontier had nothing to claim: wait until it may have (True), or say the
        crawl is over (False).  A shared frontier says when a host is next ready (its delay),
        so the wait ends then even while this worker has pages in flight.  A shared crawl is
        over only when no worker holds a lease either: another worker's page may still queue
        links, or its lease may expire."""
        ready_in = self.frontier.ready_in() if self.shared and not self._limit_reached else None
        if ready_in is not None:
            await self._changed_or_after(min(max(ready_in, SHARED_POLL_MIN), SHARED_POLL))
            return True
        if self._in_flight:
            await self._changed.wait()
            return True
        if not self.shared or self._limit_reached or self.frontier.counts().active == 0:
            return False
        await self._changed_or_after(SHARED_POLL)
        return True

    async def _changed_or_after(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), seconds)

    async def _handle(self, visitor: Visitor, request: CrawlRequest) -> None:
        """Visit a claimed request and finish it, unless its fence already did (a shared
        crawl finishes a stored page in the archive write's own transaction)."""
        fence = self.fence(request)
        check = (lambda: self.leases.confirm(request)) if self.shared else None
        with checking_claim(check):
            outcome = await self._visit(visitor, request, fence)
        if outcome in (Outcome.DEFERRED, Outcome.LEASE_LOST) or (fence is not None and fence.finished):
            return
        counted = outcome not in (Outcome.ROBOTS, Outcome.ALREADY_STORED)  # no request was sent
        try:
            retrying(partial(self.frontier.finish, request, outcome, counted=counted))
        except LeaseLost:
            self._lease_lost(request)

    def _lease_lost(self, request: CrawlRequest) -> None:
        self.summary.leases_lost += 1
        log.warning("dropped the result for %s: this worker's lease on it expired and it was "
                    "taken back (another worker will do it)", request.url)

    def _next_request(self) -> CrawlRequest | None:
        """The next request, unless this run has sent ``max_pages`` already: every request
        counts (pages, sitemaps and feeds, failed ones too), so no source can exhaust a crawl;
        a URL robots.txt disallows, or one stored before an interruption, sends none."""
        if self.shared:  # the shared frontier keeps the crawl's page budget
            request = self.frontier.claim()
            state = self.frontier.crawl_state() if request is None else None
            if state is not None and state.max_pages and state.pages_claimed >= state.max_pages:
                self._limit_reached = True
            return request
        limit = self.config.crawl.max_pages
        sent = self._claimed - self.summary.skipped_by_robots - self.summary.already_stored
        if limit and sent >= limit:
            self._limit_reached = True
            return None
        request = self.frontier.claim()
        if request is not None:
            self._claimed += 1
        return request

    async def _visit(self, visitor: Visitor, request: CrawlRequest,
                     fence: Fence | None = None) -> str:
        """Visit one request; per-page failures are counted, and the crawl goes on.  An
        unexpected exception (a bug, or a hostile input no check foresaw) is that page's
        failure ``internal``: the request is finished like any other failure, so neither this
        run nor a resumed one comes back to it."""
        try:
            return await self._outcome(visitor, request, fence)
        except LeaseLost:
            self._lease_lost(request)
            return Outcome.LEASE_LOST
        except Exception as exc:  # no exception from one page may end a crawl
            name = type(exc).__name__
            detail = one_line(f"{name}: {exc}")
            self.summary.fail(request.url, FailureReason.INTERNAL, name, detail)
            log.warning("internal error on %s: %s (a bug; -vv logs its traceback)",
                        request.url, detail)
            log.debug("traceback of the internal error on %s", request.url, exc_info=True)
            return failed(FailureReason.INTERNAL, name)

    async def _outcome(self, visitor: Visitor, request: CrawlRequest,
                       fence: Fence | None) -> str:
        if request.interrupted and self.stored_before_interruption(request):
            log.info("not fetching %s again: stored before the crawl was interrupted", request.url)
            self.summary.count(Outcome.ALREADY_STORED)
            return Outcome.ALREADY_STORED
        if request.interruptions >= MAX_INTERRUPTIONS:
            self.summary.fail(request.url, FailureReason.INTERRUPTED_REPEATEDLY)
            log.warning("giving up on %s: the last %d runs stopped while working on it (does "
                        "it crash or hang broadsheet?)", request.url, request.interruptions)
            return failed(FailureReason.INTERRUPTED_REPEATEDLY)
        try:
            outcome = await visitor.visit(request, fence)
        except RobotsDisallowed:
            self.summary.skipped_by_robots += 1
            return Outcome.ROBOTS
        except FetchError as exc:
            if exc.reason in GONE_REASONS:
                self.summary.count(Outcome.GONE)
                log.info("gone: %s (%s)", request.url, exc.reason)
                return gone(exc.reason)
            self.summary.fail(request.url, exc.reason, detail=exc.detail)
            log.info("fetch failed: %s", exc)
            return failed(exc.reason)
        except ExtractionError as exc:
            self.summary.fail(request.url, exc.reason)
            log.info("extraction failed: %s: %s", request.url, exc)
            return failed(exc.reason)
        self.summary.count(outcome)
        return outcome

    def stored_before_interruption(self, request: CrawlRequest) -> bool:
        """Whether this crawl already stored the page of a request that an interrupted run left
        active (killed between storing the record and marking the request done).

        True when its URL key was fetched (200 or 304) since the crawl started, or when it is an
        alias of an article whose own URL was: a copy (AMP, print) whose article was already
        archived becomes an alias without a fetch time of its own.  Links are queued before a
        record is stored, so skipping the page loses none of them.
        """
        if request.kind is not Kind.PAGE or self._crawl_started is None:
            return False
        if self._fetched_this_crawl(request.url_key):
            return True
        owner = self.archive.owner(request.url_key)
        if owner is None:
            return False
        article_url = self.archive.load(owner)["url"]
        return article_url != request.url_key and self._fetched_this_crawl(article_url)

    def _fetched_this_crawl(self, url_key: str) -> bool:
        fetched = moment(self.archive.last_fetched(url_key), f"the last fetch of {url_key}")
        started = self._crawl_started
        return fetched is not None and started is not None and fetched >= started

    def _note_stop(self) -> None:
        """The URLs left queued (active ones are queued again by the next run) and, unless an
        interruption says otherwise, whether the page limit stopped the run."""
        try:
            counts = self.frontier.counts()
        except ArchiveError:
            return  # the frontier failed; that error is what the run reports
        self.summary.queued = counts.queued + counts.active
        if self._limit_reached and self.summary.queued:
            self.summary.stop_reason = MAX_PAGES
        if self.shared and self._finished and not self.summary.queued:
            self.frontier.end_crawl(crawl_start_marker())  # the last worker out records it

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    def _finish(self) -> None:
        self._finished = True
        self._notify()

    async def _report_progress(self) -> None:
        while True:
            self._show_progress()
            await asyncio.sleep(PROGRESS_INTERVAL)

    def _show_progress(self) -> None:
        waiting = self.downloader.stats.hosts_waiting
        self.progress.update(self.summary, self.frontier.counts().queued, waiting)


async def run_crawl(config: Config, seeds: Sequence[str], progress: Progress | None = None,
                    *, frontier_file: str = FRONTIER_FILE, fresh: bool = False) -> CrawlSummary:
    """Open the crawl's backend (``scraper.crawl.backend``: embedded, the archive in
    ``config.archive.directory`` and the frontier ``frontier_file`` in it; or shared, in
    PostgreSQL) and crawl from ``seeds``.  Runs with their own frontier file (``broadsheet snapshot``,
    ``add``) neither resume nor disturb a crawl kept in another.  The queue is locked for the
    run (``QueueBusy`` when another process holds it); ``fresh`` starts a new crawl even when
    the queue holds an interrupted one."""
    with open_backend(config, frontier_file, own_queue=frontier_file != FRONTIER_FILE) as backend, \
            open_capture(config) as recorder:
        async with Downloader(config.fetch, config.politeness, gate=backend.gate,
                              streaks=backend.streaks, robots=backend.robots,
                              recorder=recorder) as downloader:
            with ExtractionPool(config.crawl.extract_workers,
                                config.crawl.extraction_timeout) as extractor:
                crawler = Crawler(config, backend.archive, backend.frontier, downloader,
                                  progress, extractor, fresh=fresh, shared=backend.shared,
                                  fence=backend.fence, lease_seconds=backend.lease_seconds,
                                  keep_alive=backend.keep_alive)
                try:
                    return await crawler.run(seeds)
                except asyncio.CancelledError:
                    crawler.summary.interrupted = True
                    crawler.summary.stop_reason = INTERRUPTED
                    raise CrawlInterrupted(crawler.summary) from None


class CrawlInterrupted(Exception):
    """Raised out of ``run_crawl`` when it is cancelled (Ctrl-C); carries the partial summary."""

    def __init__(self, summary: CrawlSummary) -> None:
        super().__init__("crawl interrupted")
        self.summary = summary
