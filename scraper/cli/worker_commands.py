"""The commands of a shared crawl (``backend.kind: postgres``): ``worker`` and ``status``.

``broadsheet worker --count N`` starts N worker processes on this machine, each
``python -m scraper -q crawl --json`` with the same config and no URL (they join the running
crawl, and end when nothing is queued or leased), forwards SIGINT and SIGTERM to them, waits,
and prints one line per worker and a total.  Its exit code is the worst of theirs (0, 1 some
pages failed, 2, 130, 143), 143 when it was itself terminated.

``broadsheet status`` prints the shared crawl's state from the database (read-only).  Both
are usage errors (exit 2) on the embedded backend: a single-machine crawl is one process and
prints its own progress.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass
from types import FrameType
from typing import Any

from scraper.cli.front import CONFIG_HELP, config_file
from scraper.config import Config
from scraper.errors import UsageError

WORKER_COMMANDS = ("worker", "status")
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143
NEEDS_POSTGRES = "{command} needs backend.kind postgres in the config (a shared crawl)"


def add_worker_commands(commands: Any) -> None:
    """Add ``worker`` and ``status`` to ``commands`` (what ``add_subparsers`` returned)."""
    worker = commands.add_parser("worker", help="run N workers of the shared crawl on this "
                                 "machine (backend.kind postgres)")
    worker.add_argument("--count", type=int, default=os.cpu_count() or 1, metavar="N",
                        help="worker processes to start (default: this machine's CPU count)")
    _options(worker, "print the summary as JSON")
    status = commands.add_parser("status", help="show the shared crawl's queue, leases, "
                                 "waiting hosts and throughput")
    _options(status, "print the status as JSON")


def _options(parser: argparse.ArgumentParser, json_help: str) -> None:
    parser.add_argument("--config", metavar="FILE", help=CONFIG_HELP)
    parser.add_argument("--archive", metavar="DIR", help="archive directory (default: config's)")
    parser.add_argument("--json", action="store_true", help=json_help)


def run_worker_command(args: argparse.Namespace, config: Config) -> int:
    if not config.backend.shared:
        raise UsageError(NEEDS_POSTGRES.format(command=args.command))
    if args.command == "status":
        return show_status(args, config)
    return run_workers(args)


@dataclass(slots=True)
class WorkerResult:
    number: int
    pid: int
    exit_code: int
    summary: dict[str, Any] | None  # the worker's --json summary; None if it printed none

    def to_dict(self) -> dict[str, Any]:
        return {"worker": self.number, "pid": self.pid, "exit_code": self.exit_code,
                "summary": self.summary}

    def render(self) -> str:
        head = f"worker {self.number} (pid {self.pid}): exit {self.exit_code}"
        if self.summary is None:
            return head + ", no summary"
        return head + ", " + _totals(self.summary)


def run_workers(args: argparse.Namespace) -> int:
    """Start ``args.count`` workers, wait for them all, print their results."""
    if args.count < 1:
        raise UsageError("--count must be 1 or more")
    command = [sys.executable, "-m", "scraper", "-q", "crawl", "--json"]
    path = config_file(args.config)
    if path is not None:
        command += ["--config", str(path)]
    if args.archive:
        command += ["--archive", args.archive]
    if not args.quiet:
        print(f"broadsheet: starting {args.count} workers", file=sys.stderr, flush=True)
    received: list[int] = []
    # Their own session: a Ctrl-C in the terminal reaches them once, from here, not twice.
    processes = [subprocess.Popen(command, stdout=subprocess.PIPE, text=True,
                                  start_new_session=True) for _ in range(args.count)]

    def forward(number: int, frame: FrameType | None) -> None:
        received.append(number)
        for process in processes:
            if process.poll() is None:
                process.send_signal(number)

    previous = {number: signal.signal(number, forward)
                for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        results = _wait(processes)
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    return _report(results, received, args.json)


def _wait(processes: list[subprocess.Popen[str]]) -> list[WorkerResult]:
    """Each worker's output, read in a thread per worker (a full pipe would block it)."""
    outputs = [""] * len(processes)

    def read(index: int) -> None:
        stream = processes[index].stdout
        assert stream is not None
        outputs[index] = stream.read()

    readers = [threading.Thread(target=read, args=(i,), daemon=True)
               for i in range(len(processes))]
    for reader in readers:
        reader.start()
    for reader in readers:
        while reader.is_alive():
            reader.join(0.2)  # short joins: the signal handler runs in between
    results = []
    for index, process in enumerate(processes):
        code = process.wait()
        results.append(WorkerResult(index + 1, process.pid, _exit_code(code),
                                    _summary(outputs[index])))
    return results


def _exit_code(code: int) -> int:
    """A process ended by a signal reports -N; a shell says 128 + N."""
    return 128 - code if code < 0 else code


def _summary(output: str) -> dict[str, Any] | None:
    for line in reversed(output.splitlines()):
        try:
            value = json.loads(line)
        except ValueError:
            continue
        if isinstance(value, dict):
            return value
    return None


def _report(results: list[WorkerResult], received: list[int], as_json: bool) -> int:
    code = max(result.exit_code for result in results)
    if signal.SIGTERM in received:
        code = EXIT_TERMINATED
    elif signal.SIGINT in received:
        code = max(code, EXIT_INTERRUPTED)
    total = _combined([result.summary for result in results if result.summary is not None])
    if as_json:
        print(json.dumps({"workers": [result.to_dict() for result in results],
                          "total": total, "exit_code": code}, ensure_ascii=False))
    else:
        for result in results:
            print(result.render())
        print(f"{len(results)} workers: {_totals(total)}; exit {code}")
    return code


TOTALS = ["fetched", "stored", "updated", "duplicates", "not_articles", "gone", "failed", "leases_lost"]
"""Keys of the crawl summary's JSON (``CrawlSummary.to_dict``) added up over the workers: counts,
not outcome words (those are ``scraper.crawl.outcomes.Outcome``)."""


def _combined(summaries: list[dict[str, Any]]) -> dict[str, int]:
    return {key: sum(int(summary.get(key, 0)) for summary in summaries) for key in TOTALS}


def _totals(summary: dict[str, Any]) -> str:
    return ", ".join(f"{key.replace('_', ' ')} {summary.get(key, 0)}" for key in TOTALS)


def show_status(args: argparse.Namespace, config: Config) -> int:
    from scraper.crawl.frontier.postgres_status import crawl_status

    assert config.backend.dsn is not None  # checked when the config was read
    status = crawl_status(config.backend.dsn)
    if status is None:
        print(json.dumps(None) if args.json else "no shared crawl in the database yet")
        return 0
    if args.json:
        print(json.dumps(status.to_dict(), ensure_ascii=False))
        return 0
    budget = f"{status.max_pages}" if status.max_pages else "no limit"
    per_second = ("unknown" if status.per_second_recent is None
                  else f"{status.per_second_recent:.2f}/s")
    overall = ("unknown" if status.per_second_overall is None
               else f"{status.per_second_overall:.2f}/s")
    lines = [f"crawl started {status.started_at or 'never'}, "
             f"ended {status.ended_at or 'not yet'}",
             f"pages: {status.pages_claimed} claimed of max_pages {budget}",
             f"queue: {status.queued} queued, {status.active} active, {status.done} done",
             f"throughput: {per_second} over the last minute, {overall} since the start",
             f"leases: {status.active}"]
    lines += [f"  {lease.worker}  {lease.seconds_left:.1f}s left  {lease.url}"
              for lease in status.leases]
    lines.append(f"hosts waiting: {len(status.waiting_hosts)}")
    lines += [f"  {host.host}  {host.seconds:.1f}s{' (paused)' if host.paused else ''}"
              for host in status.waiting_hosts]
    print("\n".join(lines))
    return 0
