"""Crawl speed end to end: broadsheet against Scrapy + trafilatura, on one local news site.

    .venv/bin/python benchmarks/crawl.py [--articles 2000] [--concurrency 32] [--repeat 1]
        [--skip-scrapy] [--keep] [--json]

Starts ``benchmarks/news_site.py`` in its own process on 127.0.0.1 (``--articles`` article pages
plus home, paginated section, author, tag and static pages), then crawls it from the home page,
one crawler after the other, each in its own process:

- broadsheet: the real CLI, ``broadsheet crawl URL --archive TMP --config TMP --quiet --json``,
  with politeness delay 0, ``--concurrency`` requests in flight (also per host), no page limit,
  depth 100, link following only (no sitemaps, no feeds), robots.txt obeyed;
- Scrapy: ``benchmarks/scrapy_baseline.py`` (a CrawlSpider with the same concurrency, depth
  limit and robots.txt rule, trafilatura in an item pipeline writing JSON lines).

For each it reports pages fetched, articles stored (written), wall seconds from process start to
exit, pages per second, peak RSS of the crawler with all its child processes (their VmRSS summed,
sampled every 100 ms; at least ``wait4``'s ``ru_maxrss``) and CPU seconds (children included), and
the CPU seconds the site process spent meanwhile (to show it was not the limit).
With ``--repeat N`` the crawlers take turns N times and each one's fastest run is reported (the
machine may be busy with other work).  A warning is printed when the two crawls did not fetch and
store about the same pages.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
DEPTH = 100  # deeper than any page of the site; the same limit for both crawlers
RUN_TIMEOUT = 1800.0
RSS_SAMPLE_SECONDS = 0.1  # how often the crawler tree's memory is read
TOLERANCE = 0.02  # pages or articles differing by more than this fraction earn a warning


@dataclass(frozen=True)
class Measured:
    """One finished child process: its exit code and what it cost."""

    exit_code: int
    seconds: float
    peak_rss_mb: float
    cpu_seconds: float


@dataclass(frozen=True)
class CrawlResult:
    crawler: str
    pages: int
    articles: int
    seconds: float
    pages_per_second: float
    peak_rss_mb: float
    cpu_seconds: float
    site_cpu_seconds: float
    exit_code: int


@dataclass(frozen=True)
class Site:
    url: str
    pid: int
    articles: int
    pages: int

    def cpu_seconds(self) -> float:
        """User + system CPU time of the site process so far (from /proc)."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def serve_site(articles: int, lifetime: float) -> Iterator[Site]:
    """Run the news site in a child process until the block ends."""
    command = [sys.executable, str(HERE / "news_site.py"), "--articles", str(articles),
               "--lifetime", str(lifetime)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        yield _wait_until_serving(process)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_serving(process: subprocess.Popen[str]) -> Site:
    """Read the site's ``serving URL articles=N pages=M`` line (an empty line if it died)."""
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line.startswith("serving "):
        raise SystemExit(f"the news site did not start (exit code {process.poll()}, said {line!r})")
    url, *counts = line.split()[1:]
    values = dict(item.split("=") for item in counts)
    return Site(url, process.pid, int(values["articles"]), int(values["pages"]))


def run_measured(command: Sequence[str], stdout: Path, stderr: Path) -> Measured:
    """Run ``command`` to its end, output to files; wall time, peak RSS and CPU from ``wait4``."""
    started = time.perf_counter()
    with stdout.open("wb") as out, stderr.open("wb") as err:
        process = subprocess.Popen(command, stdout=out, stderr=err)
    deadline = time.monotonic() + RUN_TIMEOUT
    tree_peak, next_sample = 0, 0.0
    while not (finished := os.wait4(process.pid, os.WNOHANG))[0]:
        if time.monotonic() > deadline:
            print(f"{command[0]} ran for over {RUN_TIMEOUT:.0f} s: killed", file=sys.stderr)
            process.kill()
            finished = os.wait4(process.pid, 0)
            break
        if time.monotonic() >= next_sample:
            tree_peak = max(tree_peak, tree_rss_kb(process.pid))
            next_sample = time.monotonic() + RSS_SAMPLE_SECONDS
        time.sleep(0.01)
    seconds = time.perf_counter() - started
    _, status, usage = finished
    process.returncode = os.waitstatus_to_exitcode(status)
    # wait4 gives the largest single process; with worker processes the tree's sum is the truth.
    peak_kb = max(usage.ru_maxrss, tree_peak)
    return Measured(process.returncode, seconds, peak_kb / 1024, usage.ru_utime + usage.ru_stime)


def tree_rss_kb(root: int) -> int:
    """Resident memory (VmRSS, kB) of ``root`` and all its descendants, read from /proc."""
    total, pending = 0, [root]
    while pending:
        pid = pending.pop()
        total += _rss_kb(pid)
        for task in Path(f"/proc/{pid}/task").glob("*/children"):
            try:
                pending.extend(int(child) for child in task.read_text().split())
            except OSError:
                continue  # the thread ended meanwhile
    return total


def _rss_kb(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    line = next((line for line in status.splitlines() if line.startswith("VmRSS:")), "")
    return int(line.split()[1]) if line else 0


def broadsheet_command() -> list[str]:
    script = Path(sys.executable).with_name("broadsheet")
    return [str(script)] if script.exists() else [sys.executable, "-m", "scraper"]


def write_config(path: Path, archive: Path, concurrency: int, warc: bool = True) -> None:
    """broadsheet's settings for this benchmark: no politeness delay, link following only;
    WARC capture as by default (on) unless ``warc`` is False."""
    config = {"crawl": {"max_pages": 0, "max_depth": DEPTH, "use_sitemaps": False, "use_feeds": False},
              "politeness": {"obey_robots": True, "delay": 0, "per_host_concurrency": concurrency,
                             "concurrency": concurrency},
              "archive": {"directory": str(archive)}, "warc": {"enabled": warc}}
    path.write_text(yaml.safe_dump(config), encoding="utf-8")


def run_broadsheet(site: Site, work: Path, concurrency: int, warc: bool = True) -> CrawlResult:
    config, archive = work / "broadsheet.yaml", work / "archive"
    write_config(config, archive, concurrency, warc)
    command = [*broadsheet_command(), "crawl", site.url, "--archive", str(archive),
               "--config", str(config), "--quiet", "--json"]
    before = site.cpu_seconds()
    measured = run_measured(command, work / "broadsheet.out", work / "broadsheet.err")
    summary = _last_json_line(work / "broadsheet.out", work / "broadsheet.err", "broadsheet")
    return _result("broadsheet", summary["fetched"], summary["stored"], measured,
                   site.cpu_seconds() - before)


def run_scrapy(site: Site, work: Path, concurrency: int) -> CrawlResult:
    out, stats_path = work / "scrapy.jsonl", work / "scrapy-stats.json"
    command = [sys.executable, str(HERE / "scrapy_baseline.py"), site.url, str(out),
               "--concurrency", str(concurrency), "--depth", str(DEPTH), "--stats", str(stats_path)]
    before = site.cpu_seconds()
    measured = run_measured(command, work / "scrapy.out", work / "scrapy.err")
    if not stats_path.exists():
        raise SystemExit(f"the Scrapy run failed (exit code {measured.exit_code}); see "
                         f"{work / 'scrapy.err'}")
    stats = json.loads(stats_path.read_text(encoding="utf-8"))
    with out.open(encoding="utf-8") as lines:
        written = sum(1 for line in lines if line.strip())
    return _result("scrapy+trafilatura", int(stats["pages"]), written, measured,
                   site.cpu_seconds() - before)


def _last_json_line(stdout: Path, stderr: Path, name: str) -> dict[str, Any]:
    lines = stdout.read_text(encoding="utf-8").strip().splitlines()
    try:
        summary: dict[str, Any] = json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        raise SystemExit(f"{name} printed no JSON summary; see {stderr}") from None
    return summary


def _result(name: str, pages: int, articles: int, measured: Measured, site_cpu: float) -> CrawlResult:
    return CrawlResult(name, pages, articles, round(measured.seconds, 2),
                       round(pages / measured.seconds, 1), round(measured.peak_rss_mb, 1),
                       round(measured.cpu_seconds, 2), round(site_cpu, 2), measured.exit_code)


def consistency_warnings(results: Sequence[CrawlResult]) -> list[str]:
    """Say so when the crawlers did not fetch and store about the same pages."""
    warnings = []
    for label, values in (("pages", [r.pages for r in results]),
                          ("articles", [r.articles for r in results])):
        if max(values) - min(values) > TOLERANCE * max(values):
            shown = ", ".join(f"{r.crawler} {v}" for r, v in zip(results, values, strict=True))
            warnings.append(f"the crawls differ in {label}: {shown}")
    return warnings


def render_table(site: Site, results: Sequence[CrawlResult], repeat: int) -> str:
    best = f"; best of {repeat} runs each" if repeat > 1 else ""
    lines = [f"site: {site.url} ({site.articles} articles, {site.pages} URLs incl. robots.txt{best})",
             f"{'crawler':<20}{'pages':>7}{'articles':>10}{'seconds':>9}{'pages/s':>9}"
             f"{'peak RSS MB':>13}{'CPU s':>8}{'site CPU s':>12}"]
    lines += [f"{r.crawler:<20}{r.pages:>7}{r.articles:>10}{r.seconds:>9.1f}{r.pages_per_second:>9.1f}"
              f"{r.peak_rss_mb:>13.1f}{r.cpu_seconds:>8.1f}{r.site_cpu_seconds:>12.1f}" for r in results]
    return "\n".join(lines)


def crawl_rounds(site: Site, work: Path, concurrency: int, rounds: int,
                 skip_scrapy: bool, warc: bool = True) -> list[list[CrawlResult]]:
    """``rounds`` runs of each crawler, interleaved (so that other load on the machine hits both
    alike), each in a fresh directory; one list of runs per crawler."""
    runs: list[list[CrawlResult]] = [[], []]
    for number in range(1, rounds + 1):
        for index, run in enumerate((run_broadsheet, None if skip_scrapy else run_scrapy)):
            if run is not None:
                directory = work / f"{run.__name__.removeprefix('run_')}-{number}"
                directory.mkdir()
                runs[index].append(run_broadsheet(site, directory, concurrency, warc)
                                   if run is run_broadsheet else run(site, directory, concurrency))
    return [crawler_runs for crawler_runs in runs if crawler_runs]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--articles", type=int, default=2000, help="article pages (default 2000)")
    parser.add_argument("--concurrency", type=int, default=32, help="requests in flight (default 32)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each crawler, best kept (default 1)")
    parser.add_argument("--skip-scrapy", action="store_true", help="crawl with broadsheet only")
    parser.add_argument("--keep", action="store_true", help="keep the archives and outputs")
    parser.add_argument("--no-warc", action="store_true", help="crawl with warc.enabled: false")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    if min(args.articles, args.concurrency, args.repeat) < 1:
        parser.error("--articles, --concurrency and --repeat must be at least 1")
    work = Path(tempfile.mkdtemp(prefix="broadsheet-crawl-bench-"))
    try:
        with serve_site(args.articles, lifetime=3 * RUN_TIMEOUT * args.repeat) as site:
            runs = crawl_rounds(site, work, args.concurrency, args.repeat, args.skip_scrapy,
                                not args.no_warc)
    finally:
        if args.keep:
            print(f"kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    results = [max(crawler_runs, key=lambda r: r.pages_per_second) for crawler_runs in runs]
    warnings = consistency_warnings(results) if len(results) > 1 else []
    ratio = (round(results[0].pages_per_second / results[1].pages_per_second, 2)
             if len(results) > 1 and results[1].pages_per_second else None)
    if args.json:
        print(json.dumps({"site": {"url": site.url, "articles": site.articles, "pages": site.pages},
                          "concurrency": args.concurrency, "depth": DEPTH, "repeat": args.repeat,
                          "results": {r.crawler: asdict(r) for r in results},
                          "all_pages_per_second": {r[0].crawler: [x.pages_per_second for x in r]
                                                   for r in runs},
                          "ratio_pages_per_second": ratio, "warnings": warnings}, indent=1))
    else:
        print(render_table(site, results, args.repeat))
        if ratio is not None:
            print(f"broadsheet / scrapy+trafilatura pages per second: {ratio:.2f}x")
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return 1 if any(r.exit_code for crawler_runs in runs for r in crawler_runs) else 0


if __name__ == "__main__":
    sys.exit(main())
