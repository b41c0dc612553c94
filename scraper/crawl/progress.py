"""Live progress for long crawls: a status line on a terminal, plain periodic log lines otherwise.

A crawl discovers its pages as it goes (links, sitemaps, feeds), so the number of pages it will
fetch is unknown until the end: a percentage or a time left computed from the pages known so far
would run backwards whenever discovery outpaces fetching.  Both displays therefore show counts
and the rate only (``progress_text``).
"""

from __future__ import annotations

import shutil
import sys
import time
from typing import IO, Protocol

from tqdm import tqdm

from scraper.crawl.summary import CrawlSummary


class Progress(Protocol):
    def update(self, summary: CrawlSummary, queued: int, waiting_hosts: int) -> None: ...

    def close(self) -> None: ...


def progress_text(summary: CrawlSummary, queued: int, waiting_hosts: int,
                  elapsed: float) -> str:
    """Counts and rate of a running crawl, e.g. ``fetched 120 (4.0 pages/s), stored 80,
    queued 340, ...``: no percentage, as the total grows while pages are discovered."""
    rate = summary.fetched / elapsed if elapsed > 0 else 0.0
    return (f"fetched {summary.fetched} ({rate:.1f} pages/s), stored {summary.stored}, "
            f"queued {queued}, duplicates {summary.duplicates}, unchanged {summary.unchanged}, "
            f"gone {summary.gone}, errors {summary.failures}, hosts waiting {waiting_hosts}")


class SilentProgress:
    def update(self, summary: CrawlSummary, queued: int, waiting_hosts: int) -> None:
        return None

    def close(self) -> None:
        return None


class BarProgress:
    """One status line on a terminal, redrawn in place (tqdm, without bar or percentage)."""

    def __init__(self, stream: IO[str]) -> None:
        self._started = time.monotonic()
        self._bar = tqdm(total=None, file=stream, dynamic_ncols=True, leave=True,
                         bar_format="{desc}")

    def update(self, summary: CrawlSummary, queued: int, waiting_hosts: int) -> None:
        elapsed = time.monotonic() - self._started
        width = shutil.get_terminal_size().columns - 1  # a wrapped line is not redrawn in place
        text = progress_text(summary, queued, waiting_hosts, elapsed)
        self._bar.set_description_str(text[:width], refresh=True)

    def close(self) -> None:
        self._bar.close()


class LogProgress:
    """One plain line every ``interval`` seconds, for logs and pipes, and one at the end."""

    def __init__(self, stream: IO[str], interval: float = 5.0) -> None:
        self._stream = stream
        self._interval = interval
        self._started = time.monotonic()
        self._last = self._started
        self._pending = ""  # the latest state not printed yet

    def update(self, summary: CrawlSummary, queued: int, waiting_hosts: int) -> None:
        now = time.monotonic()
        line = progress_text(summary, queued, waiting_hosts, now - self._started)
        if now - self._last < self._interval:
            self._pending = line if summary.fetched else ""
            return
        self._last = now
        self._pending = ""
        self._print(line)

    def close(self) -> None:
        if self._pending:
            self._print(self._pending)
            self._pending = ""

    def _print(self, line: str) -> None:
        print(f"progress: {line}", file=self._stream, flush=True)


def progress_for(stream: IO[str] | None = None, *, quiet: bool = False) -> Progress:
    """A status line when ``stream`` is a terminal, log lines when it is not, nothing when
    quiet."""
    stream = stream or sys.stderr
    if quiet:
        return SilentProgress()
    if stream.isatty():
        return BarProgress(stream)
    return LogProgress(stream)
