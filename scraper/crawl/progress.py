"""Live progress for long crawls: a bar on a terminal, plain periodic log lines otherwise."""

from __future__ import annotations

import sys
import time
from typing import IO, Protocol

from tqdm import tqdm

from scraper.crawl.summary import CrawlSummary


class Progress(Protocol):
    def update(self, summary: CrawlSummary, queued: int, waiting_hosts: int) -> None: ...

    def close(self) -> None: ...


class SilentProgress:
    def update(self, summary: CrawlSummary, queued: int, waiting_hosts: int) -> None:
        return None

    def close(self) -> None:
        return None


class BarProgress:
    """A tqdm bar: fetched pages against pages known so far, with rates and counters."""

    def __init__(self, stream: IO[str]) -> None:
        self._bar = tqdm(total=0, unit="page", file=stream, dynamic_ncols=True, leave=True)

    def update(self, summary: CrawlSummary, queued: int, waiting_hosts: int) -> None:
        self._bar.total = summary.fetched + queued
        self._bar.n = summary.fetched
        self._bar.set_postfix_str(
            f"queued={queued} stored={summary.stored} dup={summary.duplicates} "
            f"unchanged={summary.unchanged} errors={summary.failures} "
            f"hosts_waiting={waiting_hosts}", refresh=False)
        self._bar.refresh()

    def close(self) -> None:
        self._bar.close()


class LogProgress:
    """One plain line every ``interval`` seconds, for logs and pipes."""

    def __init__(self, stream: IO[str], interval: float = 5.0) -> None:
        self._stream = stream
        self._interval = interval
        self._started = time.monotonic()
        self._last = self._started

    def update(self, summary: CrawlSummary, queued: int, waiting_hosts: int) -> None:
        now = time.monotonic()
        if now - self._last < self._interval:
            return
        self._last = now
        rate = summary.fetched / max(now - self._started, 1e-9)
        print(f"progress: fetched={summary.fetched} ({rate:.1f}/s) queued={queued} "
              f"stored={summary.stored} duplicates={summary.duplicates} "
              f"unchanged={summary.unchanged} errors={summary.failures} "
              f"hosts_waiting={waiting_hosts}", file=self._stream, flush=True)

    def close(self) -> None:
        return None


def progress_for(stream: IO[str] | None = None, *, quiet: bool = False) -> Progress:
    """A bar when ``stream`` is a terminal, log lines when it is not, nothing when quiet."""
    stream = stream or sys.stderr
    if quiet:
        return SilentProgress()
    if stream.isatty():
        return BarProgress(stream)
    return LogProgress(stream)
