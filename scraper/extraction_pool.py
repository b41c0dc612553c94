"""Run the extractor beside the crawl loop, in worker processes.

Parsing and extraction are CPU work in Python.  Inside the crawl's single event loop they would
take turns with HTTP and storage on one core; ``ExtractionPool`` hands each page to worker
processes (``crawl.extract_workers``) so that other cores extract while the loop fetches and
stores.  The extractor is a pure function of (html, url), which is what makes this safe.

A worker that dies (a crash inside the parser, the kernel's OOM killer) costs only the pages it
was given: they fail with an ``ExtractionError``, and the next page starts a fresh pool.  With
0 workers pages are analysed in the loop itself.
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

from scraper.errors import ExtractionError
from scraper.extract import PageAnalysis, analyse

log = logging.getLogger(__name__)
_PARENT_CHECK_SECONDS = 0.5


class ExtractionPool:
    """``analyse`` in ``workers`` processes (started with the first page), or inline for 0."""

    def __init__(self, workers: int) -> None:
        if workers < 0:
            raise ValueError(f"workers must be 0 or more, not {workers}")
        self.workers = workers
        self._executor: ProcessPoolExecutor | None = None

    async def analyse(self, html: bytes | str, url: str) -> PageAnalysis:
        """``scraper.extract.analyse(html, url)``, run in a worker process when there are any."""
        if self.workers == 0:
            return analyse(html, url)
        executor = self._running()
        try:
            return await asyncio.get_running_loop().run_in_executor(executor, analyse, html, url)
        except BrokenProcessPool:
            self._discard(executor)
            raise ExtractionError(f"{url}: the extractor process died while reading the page; "
                                  "a new one takes the next pages") from None

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
