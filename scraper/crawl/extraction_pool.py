"""Run the extractor beside the crawl loop, in worker processes.

Parsing and extraction are CPU work in Python.  Inside the crawl's single event loop they would
take turns with HTTP and storage on one core; ``ExtractionPool`` hands each page to worker
processes (``crawl.extract_workers``) so that other cores extract while the loop fetches and
stores.  The extractor is a pure function of (html, url), which is what makes this safe.

A worker that dies (a crash inside the parser, the kernel's OOM killer) costs only the pages it
was given: they fail with an ``ExtractionError``, and the next page starts a fresh pool.

Every page has ``timeout`` seconds (``crawl.extraction_timeout``): a page is handed to the pool
only when a worker is free for it, so the clock measures its own extraction.  After that time
the page fails with ``ExtractionTimeout``, the pool's processes are killed (a running Python
call cannot be stopped any other way) and a fresh pool takes the next pages; a page that was
being extracted beside it in the killed pool is extracted again in the new one.  With 0 workers
pages are analysed in the loop itself, and nothing can bound their time.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from types import TracebackType

from scraper.errors import ExtractionError, ExtractionTimeout
from scraper.extract import PageAnalysis, analyse

log = logging.getLogger(__name__)
_PARENT_CHECK_SECONDS = 0.5


class ExtractionPool:
    """``analyse`` in ``workers`` processes (started with the first page), or inline for 0;
    each page in a worker fails with ``ExtractionTimeout`` after ``timeout`` seconds."""

    def __init__(self, workers: int, timeout: float | None = None) -> None:
        if workers < 0:
            raise ValueError(f"workers must be 0 or more, not {workers}")
        self.workers = workers
        self.timeout = timeout
        self._executor: ProcessPoolExecutor | None = None
        self._free: asyncio.Semaphore | None = None
        self._killed: set[int] = set()  # ids of pools killed for a page's time

    async def analyse(self, html: bytes | str, url: str) -> PageAnalysis:
        """``scraper.extract.analyse(html, url)``, run in a worker process when there are any."""
        if self.workers == 0:
            return analyse(html, url)
        if self._free is None:
            self._free = asyncio.Semaphore(self.workers)
        async with self._free:
            try:
                return await self._in_worker(html, url)
            except _KilledBeside:  # the pool was killed for another page: this one goes again
                return await self._in_worker(html, url)

    async def _in_worker(self, html: bytes | str, url: str) -> PageAnalysis:
        executor = await self._ready()
        try:
            future = asyncio.get_running_loop().run_in_executor(executor, analyse, html, url)
            return await asyncio.wait_for(future, self.timeout)
        except TimeoutError:
            self._kill(executor)
            raise ExtractionTimeout(
                f"{url}: extraction took longer than crawl.extraction_timeout={self.timeout:g} s;"
                " the page is skipped") from None
        except BrokenProcessPool:
            if id(executor) in self._killed:
                raise _KilledBeside from None
            self._discard(executor)
            raise ExtractionError(f"{url}: the extractor process died while reading the page; "
                                  "a new one takes the next pages") from None

    async def _ready(self) -> ProcessPoolExecutor:
        """The pool, its processes started: starting one (a second or so) is not the page's
        time."""
        if self._executor is not None:
            return self._executor
        executor = self._running()
        loop = asyncio.get_running_loop()
        await asyncio.gather(*(loop.run_in_executor(executor, _ready)
                               for _ in range(self.workers)))
        return executor

    def _kill(self, executor: ProcessPoolExecutor) -> None:
        """Kill the pool's processes (the page's worker among them) and drop the pool."""
        log.warning("an extraction ran out of time; replacing the extractor processes")
        self._killed.add(id(executor))
        processes: dict[int, multiprocessing.process.BaseProcess] = \
            getattr(executor, "_processes", None) or {}
        for process in list(processes.values()):
            process.kill()
        if self._executor is executor:
            self._executor = None
        executor.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        """Stop the workers; pages still waiting for one are dropped."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def __enter__(self) -> ExtractionPool:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    def _running(self) -> ProcessPoolExecutor:
        if self._executor is None:
            # "spawn": a fork of a process running threads (the archive's writer, asyncio's
            # resolver) can inherit a held lock and hang.
            self._executor = ProcessPoolExecutor(
                self.workers, mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker, initargs=(os.getpid(),))
        return self._executor

    def _discard(self, executor: ProcessPoolExecutor) -> None:
        if self._executor is executor:
            log.warning("an extractor process died; starting a new pool")
            self._executor = None
            executor.shutdown(wait=False, cancel_futures=True)


class _KilledBeside(Exception):
    """A page's pool was killed because another page ran out of time."""


def _ready() -> None:
    """Nothing: run once per process so that the pool's processes exist before a page is timed."""


def _start_worker(parent: int) -> None:
    """Ctrl-C reaches the whole process group; the crawl process decides what to do about it,
    so a worker ignores it.  A worker whose crawl process was killed (SIGKILL leaves no chance
    to stop it) would wait for work forever: it exits once its parent is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(_PARENT_CHECK_SECONDS)
    os._exit(0)
