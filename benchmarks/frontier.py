"""Frontier memory and speed at scale, and a drain killed mid-way.

    .venv/bin/python benchmarks/frontier.py [--urls 100000] [--drain 50000] [--json]

Three phases on one ``SqliteFrontier`` file in a temporary directory, each in a fresh child
process, so that each resident set size (RSS, from ``/proc/self/status``) is that phase's own:

1. build: add ``--urls`` realistic article URLs in batches of 500 (as a crawl adds a page's
   links), discovered partly twice; RSS before and after, and the peak (VmHWM).
2. drain: reopen, ``resume()``, then claim and finish ``--drain`` requests, reading ``counts()``
   every 100 claims as the progress display does; RSS at start, middle and end.
3. kill: a child drains the rest and is SIGKILLed after a random number of claims; the file is
   reopened and must still hold every URL (queued + active + done == --urls, and after
   ``resume()`` queued + done == --urls), with the maintained counters equal to a recount.

Prints a table, or with ``--json`` one JSON object.  Linux only (reads ``/proc``).
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from scraper.crawl.frontier.sqlite import CrawlRequest, FrontierCounts, Kind, SqliteFrontier

BATCH = 500
COUNTS_EVERY = 100
SECTIONS = ("world", "politics", "business", "technology", "science", "health", "sport",
            "culture", "opinion", "travel", "climate", "education")
WORDS = ("council", "vote", "budget", "storm", "market", "strike", "court", "election", "river",
         "school", "hospital", "festival", "rail", "energy", "housing", "minister", "report",
         "police", "harbour", "museum", "price", "water", "union", "border", "trial", "study")


def memory() -> dict[str, int]:
    """This process's resident set size now and at its peak, in KiB."""
    fields = {}
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0])
    return {"rss_kib": fields["VmRSS"], "peak_kib": fields["VmHWM"]}


def article_urls(total: int, seed: int = 7) -> Iterator[str]:
    """Realistic, distinct article URLs on 40 sites, generated lazily."""
    rng = random.Random(seed)
    for n in range(total):
        site = f"https://www.{rng.choice(WORDS)}-{n % 40:02d}-news.example.com"
        slug = "-".join(rng.choice(WORDS) for _ in range(rng.randint(4, 9)))
        yield (f"{site}/{rng.choice(SECTIONS)}/20{rng.randint(18, 25)}/{rng.randint(1, 12):02d}/"
               f"{rng.randint(1, 28):02d}/{slug}-{n}/")


def build(path: Path, total: int) -> dict[str, Any]:
    before = memory()
    frontier = SqliteFrontier(path)
    started = time.perf_counter()
    batch: list[CrawlRequest] = []
    for n, url in enumerate(article_urls(total)):
        batch.append(CrawlRequest(url, url, Kind.PAGE, n % 4, -1 if n % 50 == 0 else 0))
        if len(batch) == BATCH:
            frontier.add(batch + batch[:25])  # some links are found on several pages
            batch = []
    frontier.add(batch)
    seconds = time.perf_counter() - started
    counts = frontier.counts()
    frontier.close()
    return {"phase": "build", "urls": total, "seconds": seconds, "rate": total / seconds,
            "rss_start_kib": before["rss_kib"], "rss_end_kib": memory()["rss_kib"],
            "peak_kib": memory()["peak_kib"], "queued": counts.queued}


def drain(path: Path, claims: int, progress: bool) -> dict[str, Any]:
    started = time.perf_counter()
    frontier = SqliteFrontier(path)
    resumed = frontier.resume()
    opened = time.perf_counter() - started
    start, middle = memory(), memory()
    counts_time, counts_calls = 0.0, 0
    started = time.perf_counter()
    for n in range(1, claims + 1):
        request = frontier.claim()
        if request is None:
            break
        frontier.finish(request, "stored")
        if n % COUNTS_EVERY == 0:
            before = time.perf_counter()
            frontier.counts()
            counts_time += time.perf_counter() - before
            counts_calls += 1
            if progress:
                print(n, flush=True)
        if n == claims // 2:
            middle = memory()
    seconds = time.perf_counter() - started
    end, counts = memory(), frontier.counts()
    frontier.close()
    return {"phase": "drain", "urls": claims, "seconds": seconds, "rate": claims / seconds,
            "open_resume_ms": opened * 1000, "resumed": resumed,
            "counts_us": counts_time / max(counts_calls, 1) * 1e6,
            "rss_start_kib": start["rss_kib"], "rss_middle_kib": middle["rss_kib"],
            "rss_end_kib": end["rss_kib"], "peak_kib": end["peak_kib"], "done": counts.done}


def recount(path: Path) -> FrontierCounts:
    with sqlite3.connect(path) as db:
        found = dict(db.execute("SELECT state, COUNT(*) FROM frontier GROUP BY state").fetchall())
    return FrontierCounts(found.get("queued", 0), found.get("active", 0), found.get("done", 0))


def killed_drain(path: Path, total: int, seed: int) -> dict[str, Any]:
    """Drain in a child, SIGKILL it after a random number of claims, check that nothing is lost."""
    before = recount(path)
    steps = max(before.queued // COUNTS_EVERY, 2)  # progress is reported every COUNTS_EVERY claims
    kill_after = random.Random(seed).randint(steps // 10 + 1, steps * 9 // 10) * COUNTS_EVERY
    child = subprocess.Popen([sys.executable, __file__, "--phase", "drain", "--path", str(path),
                              "--drain", str(before.queued), "--progress"],
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    reported = 0
    for line in child.stdout:
        reported = int(line)
        if reported >= kill_after:
            child.send_signal(signal.SIGKILL)
            break
    child.wait()
    frontier = SqliteFrontier(path)
    after_kill, recounted = frontier.counts(), recount(path)
    resumed = frontier.resume()
    after = frontier.counts()
    started = time.perf_counter()
    frontier.reset("2024-01-01T00:00:00Z")
    reset_ms = (time.perf_counter() - started) * 1000
    frontier.close()
    kept = after_kill.queued + after_kill.active + after_kill.done
    return {"phase": "kill", "killed_by_signal": child.returncode == -signal.SIGKILL,
            "claims_reported_before_kill": reported, "done_before": before.done,
            "done_after": after_kill.done, "active_after_kill": after_kill.active,
            "counters_match_recount": after_kill == recounted, "resumed": resumed,
            "urls_kept": kept, "nothing_lost": kept == total == after.queued + after.done
            and after_kill.done >= before.done + reported, "reset_ms": reset_ms}


def child_phase(args: argparse.Namespace) -> int:
    path = Path(args.path)
    result = (build(path, args.urls) if args.phase == "build"
              else drain(path, args.drain, args.progress))
    if not args.progress:
        print(json.dumps(result))
    return 0


def run_child(*options: str) -> dict[str, Any]:
    done = subprocess.run([sys.executable, __file__, *options], capture_output=True, text=True,
                          check=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def render(results: list[dict[str, Any]]) -> str:
    mib = "{:.1f}".format
    lines = [f"{'phase':<7}{'URLs':>8}{'s':>7}{'per s':>9}{'RSS start':>11}{'RSS mid':>9}"
             f"{'RSS end':>9}{'peak':>8}   (MiB)"]
    for row in results[:2]:
        middle = mib(row["rss_middle_kib"] / 1024) if "rss_middle_kib" in row else "-"
        lines.append(f"{row['phase']:<7}{row['urls']:>8}{row['seconds']:>7.2f}{row['rate']:>9.0f}"
                     f"{mib(row['rss_start_kib'] / 1024):>11}{middle:>9}"
                     f"{mib(row['rss_end_kib'] / 1024):>9}{mib(row['peak_kib'] / 1024):>8}")
    drained = results[1]
    lines.append(f"drain: reopen + resume {drained['open_resume_ms']:.1f} ms, counts() "
                 f"{drained['counts_us']:.0f} us per call")
    if len(results) > 2:
        kill = results[2]
        how = "SIGKILL" if kill["killed_by_signal"] else "not killed (the drain ended first)"
        lines.append(f"kill: {how} after {kill['claims_reported_before_kill']} claims; kept "
                     f"{kill['urls_kept']} URLs ({kill['active_after_kill']} active, re-queued "
                     f"{kill['resumed']}); counters match a recount: "
                     f"{kill['counters_match_recount']}; nothing lost: {kill['nothing_lost']}; "
                     f"reset of the frontier {kill['reset_ms']:.0f} ms")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--urls", type=int, default=100_000)
    parser.add_argument("--drain", type=int, default=50_000)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--no-kill", action="store_true", help="skip the killed drain")
    parser.add_argument("--seed", type=int, default=4, help="chooses when the drain is killed")
    parser.add_argument("--phase", choices=("build", "drain"), help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    parser.add_argument("--progress", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase:
        return child_phase(args)
    with tempfile.TemporaryDirectory(prefix="frontier-bench-") as directory:
        path = Path(directory) / "frontier.sqlite"
        results = [run_child("--phase", "build", "--path", str(path), "--urls", str(args.urls)),
                   run_child("--phase", "drain", "--path", str(path), "--drain", str(args.drain))]
        if not args.no_kill:
            results.append(killed_drain(path, args.urls, args.seed))
    print(json.dumps(results, indent=2) if args.json else render(results))
    return 0 if all(row.get("nothing_lost", True) for row in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
