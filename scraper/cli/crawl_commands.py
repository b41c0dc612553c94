"""The commands that crawl: ``crawl``, ``add`` (and ``crawl --only``), ``snapshot``, ``watch``.

Every crawl ends with its summary (text, or ``--json``) and an exit code: 0 when every page
worked, 1 when some failed (a 404 or 410 is ``gone``, an answer about the page, not a
failure), 2 when the archive's crawl queue is busy (another crawl), 130 on Ctrl-C and 143 on
SIGTERM; an interrupted or terminated crawl prints its summary too and resumes when the same
command runs again.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from scraper.archive_access import archive_access
from scraper.config import Config
from scraper.crawl.loop import ADD_FRONTIER_FILE, FRONTIER_FILE, CrawlInterrupted, run_crawl
from scraper.crawl.progress import Progress, progress_for
from scraper.crawl.summary import TERMINATED, CrawlSummary
from scraper.errors import InvalidUrl, UsageError
from scraper.schedule.planner import (
    SNAPSHOT_FRONTIER_FILE,
    interrupted_snapshot,
    plan_archive,
    snapshot_crawl_config,
    utc_now,
    watch,
)
from scraper.urls import canonical_form

EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143  # 128 + SIGTERM, what a shell reports for a process SIGTERM ended


def crawl(config: Config, args: argparse.Namespace) -> int:
    seeds = list(args.urls) or list(config.crawl.seeds)
    if not seeds and not config.backend.shared:  # a shared crawl's worker may join without
        raise UsageError("no start URL: give one or more URLs, or set crawl.seeds in the config")
    if args.only:
        return _add(config, seeds, args, "--only")
    for seed in seeds:
        _check_seed(seed)
    return run_and_report(config, seeds, args)


def add(config: Config, args: argparse.Namespace) -> int:
    """``broadsheet add URL...``: archive exactly these pages (see ``only_config``)."""
    if not args.urls:
        raise UsageError("add needs one or more URLs (or - to read them from standard input)")
    return _add(config, list(args.urls), args, "add")


def _add(config: Config, urls: list[str], args: argparse.Namespace, command: str) -> int:
    for option, value in (("--max-pages", args.max_pages), ("--depth", args.depth)):
        if value is not None:
            raise UsageError(f"{option} does not apply to {command}, which fetches exactly the "
                             "pages given and follows nothing")
    for url in urls:
        _check_seed(url)
    return run_and_report(only_config(config), urls, args, ADD_FRONTIER_FILE, fresh=True)


def only_config(config: Config) -> Config:
    """A crawl of the given pages alone: no links followed, no sitemaps or feeds read (not
    even robots.txt sitemaps), no page limit: what a snapshot's re-visit does.  robots.txt
    and the politeness delays apply."""
    return snapshot_crawl_config(config)


def _check_seed(seed: str) -> None:
    """A start URL the crawl can use, or a usage error that says what is wrong with it."""
    try:
        canonical_form(seed)
    except InvalidUrl as exc:
        raise UsageError(f"bad start URL {seed!r}: {exc.problem}") from None


def snapshot(config: Config, args: argparse.Namespace) -> int:
    """Re-visit the due articles (see ``scraper.schedule.planner``); ``--dry-run`` only lists them."""
    root = Path(config.archive.directory)
    now = args.now or utc_now()
    plan = plan_archive(archive_access(config), config.snapshot, now)
    next_due = "never" if plan.next_due is None else plan.next_due.strftime("%Y-%m-%dT%H:%M:%SZ")
    if args.dry_run:
        if args.json:
            print(json.dumps({"due": list(plan.due), "next_due": next_due}))
        else:
            print("\n".join([*plan.due, f"{len(plan.due)} due; next due {next_due}"]))
        return 0
    if not plan.due and not interrupted_snapshot(root):
        print(json.dumps(CrawlSummary().to_dict()) if args.json
              else f"nothing due; next due {next_due}")
        return 0
    if not args.quiet:
        print(f"re-visiting {len(plan.due)} due articles", file=sys.stderr)
    return run_and_report(snapshot_crawl_config(config), list(plan.due), args, SNAPSHOT_FRONTIER_FILE)


def watch_archive(config: Config, args: argparse.Namespace) -> int:
    if not args.interval > 0:
        raise UsageError("--interval must be more than 0 seconds")
    try:
        watch(config, interval=args.interval, report=lambda line: print(line, flush=True))
    except (CrawlInterrupted, KeyboardInterrupt):
        print("broadsheet: watch stopped", file=sys.stderr)
        return EXIT_INTERRUPTED
    return 0


@dataclass(slots=True)
class _Signals:
    terminated: bool = False


def run_and_report(config: Config, seeds: list[str], args: argparse.Namespace,
                   frontier_file: str = FRONTIER_FILE, *, fresh: bool = False) -> int:
    """Crawl, print the summary, and return the exit code (see the module docstring)."""
    progress = progress_for(sys.stderr, quiet=args.quiet)
    signals = _Signals()
    try:
        summary = asyncio.run(_crawl(config, seeds, progress, frontier_file, fresh, signals))
    except (CrawlInterrupted, KeyboardInterrupt) as exc:
        if isinstance(exc, CrawlInterrupted):
            if signals.terminated:
                exc.summary.stop_reason = TERMINATED
            _print_summary(exc.summary, args.json)
        what = "terminated (SIGTERM)" if signals.terminated else "interrupted"
        print(f"broadsheet: {what}; run the same command again to resume the crawl",
              file=sys.stderr)
        return EXIT_TERMINATED if signals.terminated else EXIT_INTERRUPTED
    _print_summary(summary, args.json)
    return summary.exit_code


async def _crawl(config: Config, seeds: Sequence[str], progress: Progress, frontier_file: str,
                 fresh: bool, signals: _Signals) -> CrawlSummary:
    """``run_crawl``, with SIGTERM (cron, systemd, ``docker stop``) handled like Ctrl-C: the
    crawl is cancelled, which keeps it resumable and keeps its summary."""
    loop = asyncio.get_running_loop()
    task = asyncio.current_task()

    def terminate() -> None:
        signals.terminated = True
        if task is not None:
            task.cancel()

    try:
        loop.add_signal_handler(signal.SIGTERM, terminate)
        handled = True
    except (ValueError, RuntimeError, NotImplementedError):  # not the main thread
        handled = False
    try:
        return await run_crawl(config, seeds, progress, frontier_file=frontier_file,
                               fresh=fresh)
    finally:
        if handled:
            loop.remove_signal_handler(signal.SIGTERM)


def _print_summary(summary: CrawlSummary, as_json: bool) -> None:
    if as_json:
        print(json.dumps(summary.to_dict(), ensure_ascii=False))
    else:
        print(summary.render())
