"""A shared crawl with 1, 2 and 4 worker processes, and a run with workers killed and paused.

    .venv/bin/python benchmarks/distributed.py [--hosts 12] [--articles 15] [--latency 0.5]
        [--concurrency 2] [--workers 1 2 4] [--json]

Starts a throwaway PostgreSQL (``tests/postgres_server.py``) and the multi-host news site
(``tests/multi_host_site.py``: ``--hosts`` servers on 127.0.0.1, one politeness host each, one
of them answering its first article requests with 503 and ``Retry-After: 1``).  For each worker
count: a new database, one ``broadsheet crawl URL...`` process that starts the shared crawl,
then the other workers (``broadsheet crawl`` with no URL joins it); the time from the first
start to the last exit, articles stored per second, and the politeness checks across all
workers (the smallest gap between two request starts to one host, requests inside a
Retry-After window).  Politeness is on: ``delay`` 0.2 s per host.  Each worker runs
``--concurrency`` requests at once and the hosts answer after ``--latency`` seconds, so one
worker is bound by its own requests in flight, as a worker on its own machine is.

The kill run: 4 workers, a lease of 1.5 s; after the busy host's Retry-After windows, one
worker is SIGKILLed with requests open and another SIGSTOPped for twice the lease.  It reports
articles stored (and stored twice), the queue and leases left, leases reaped, pages fetched
again, the politeness checks and ``broadsheet verify``'s exit code.  Last: PostgreSQL rows and
bytes per URL crawled (frontier, hosts and archive index tables), and claim + finish cycles per
second the database sustains (4 processes, delay 0, 20,000 URLs on 200 hosts).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402

from scraper.crawl.frontier.base import CrawlRequest, Kind  # noqa: E402
from scraper.crawl.frontier.postgres import PostgresFrontier  # noqa: E402
from tests.multi_host_site import HostPlan, MultiHostSite, multi_host_site  # noqa: E402
from tests.postgres_server import PostgresServer, running_postgres  # noqa: E402
from tests.test_multi_host_site import hits_inside_retry_windows, smallest_gaps  # noqa: E402
from tests.test_shared_crawl import (  # noqa: E402
    frontier_left,
    kill_one_and_pause_another,
    reaped_leases,
    refetches,
    stored_articles,
    wait_for_rows,
)

DELAY = 0.2
KILL_LEASE = 1.5


def config_file(directory: Path, dsn: str, concurrency: int, lease: float) -> Path:
    path = directory / "config.yaml"
    path.write_text(f"politeness:\n  delay: {DELAY}\n  concurrency: {concurrency}\n"
                    "crawl:\n  use_feeds: false\n  extract_workers: 0\n  max_pages: 0\n"
                    "fetch:\n  timeout: 5\n  connect_timeout: 2\n"
                    f"archive:\n  directory: {directory / 'archive'}\n"
                    f"backend:\n  kind: postgres\n  dsn: {dsn}\n  lease_seconds: {lease}\n")
    return path


def start_worker(config: Path, *urls: str) -> subprocess.Popen[str]:
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "scraper", "-q", "crawl", *urls,
                             "--config", str(config), "--json"], cwd=ROOT, env=environment,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def plans(hosts: int, articles: int, latency: float) -> list[HostPlan]:
    return [HostPlan(articles=articles, latency=latency, busy=2 if n == 0 else 0, retry_after=1)
            for n in range(hosts)]


def politeness(site: MultiHostSite) -> dict[str, Any]:
    return {"smallest_gap": round(min(smallest_gaps(site).values()), 3),
            "inside_retry_after": len(hits_inside_retry_windows(site))}


def scaling_run(server: PostgresServer, workers: int, args: argparse.Namespace) -> dict[str, Any]:
    dsn = server.create_database()
    with tempfile.TemporaryDirectory() as folder, \
            multi_host_site(plans(args.hosts, args.articles, args.latency)) as site:
        config = config_file(Path(folder), dsn, args.concurrency, 30.0)
        started = time.perf_counter()
        processes = [start_worker(config, *site.seeds)]
        wait_for_rows(dsn)
        processes += [start_worker(config) for _ in range(workers - 1)]
        codes = [process.wait() for process in processes]
        elapsed = time.perf_counter() - started
        stored = len(stored_articles(Path(folder) / "archive"))
        return {"workers": workers, "seconds": round(elapsed, 2), "articles": stored,
                "expected": site.article_count, "articles_per_s": round(stored / elapsed, 2),
                "exit_codes": codes, **politeness(site), "left": frontier_left(dsn)}


def kill_run(server: PostgresServer, args: argparse.Namespace) -> dict[str, Any]:
    rng = random.Random(20261206)
    dsn = server.create_database()
    with tempfile.TemporaryDirectory() as folder, \
            multi_host_site(plans(args.hosts, args.articles, args.latency)) as site:
        config = config_file(Path(folder), dsn, args.concurrency, KILL_LEASE)
        processes = [start_worker(config, *site.seeds)]
        wait_for_rows(dsn)
        processes += [start_worker(config) for _ in range(3)]
        kill_one_and_pause_another(processes, site, rng, KILL_LEASE)
        outputs = [process.communicate() for process in processes]
        urls = [str(article["url"]) for article in stored_articles(Path(folder) / "archive")]
        verify = subprocess.run([sys.executable, "-m", "scraper", "-q", "verify", "--config",
                                 str(config)], cwd=ROOT, capture_output=True, text=True,
                                env={**os.environ, "PYTHONPATH": str(ROOT)}, check=False)
        lost = sum(json.loads(out).get("leases_lost", 0) for out, _ in outputs if out.strip())
        return {"articles": len(urls), "expected": site.article_count,
                "stored_twice": len(urls) - len(set(urls)), "left": frontier_left(dsn),
                "reaped_leases": reaped_leases(dsn), "fetched_again": refetches(site),
                "results_dropped_by_fence": lost, **politeness(site),
                "verify_exit": verify.returncode,
                "exit_codes": [process.returncode for process in processes],
                **database_size(dsn)}


def database_size(dsn: str) -> dict[str, Any]:
    """Rows and bytes in PostgreSQL per URL the crawl saw (every table broadsheet made)."""
    with psycopg.connect(dsn) as connection:
        urls = connection.execute("SELECT count(*) FROM frontier_urls").fetchone()
        tables = connection.execute(
            "SELECT relname, n_live_tup, pg_total_relation_size(relid) FROM pg_stat_user_tables"
        ).fetchall()
    count = int(urls[0]) if urls else 1
    rows = sum(int(row[1]) for row in tables)
    size = sum(int(row[2]) for row in tables)
    return {"urls": count, "pg_rows_per_url": round(rows / count, 1),
            "pg_bytes_per_url": round(size / count)}


def claim_cycles(dsn: str, seconds: float) -> int:
    frontier = PostgresFrontier(dsn, worker_id=f"bench-{os.getpid()}", lease_seconds=600)
    done = 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        request = frontier.claim()
        if request is None:
            break
        frontier.finish(request, "stored")
        done += 1
    frontier.close()
    return done


def claim_rate(server: PostgresServer, seconds: float = 5.0) -> dict[str, Any]:
    dsn = server.create_database()
    frontier = PostgresFrontier(dsn, worker_id="filler", lease_seconds=600)
    frontier.reset("2026-12-06T00:00:00Z")
    frontier.add(CrawlRequest(f"http://h{n % 200}.example/a/{n}", f"http://h{n % 200}.example/a/{n}",
                              Kind.PAGE) for n in range(20_000))
    frontier.close()
    with ProcessPoolExecutor(4) as pool:
        counts = list(pool.map(claim_cycles, [dsn] * 4, [seconds] * 4))
    return {"claim_finish_per_s_4_workers": round(sum(counts) / seconds)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hosts", type=int, default=12)
    parser.add_argument("--articles", type=int, default=15, help="articles per host")
    parser.add_argument("--latency", type=float, default=0.5)
    parser.add_argument("--concurrency", type=int, default=2, help="requests in flight per worker")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="broadsheet-bench-pg-") as folder:
        os.chmod(folder, 0o755)
        with running_postgres(Path(folder)) as server:
            results: dict[str, Any] = {
                "scaling": [scaling_run(server, n, args) for n in args.workers]}
            base = results["scaling"][0]["articles_per_s"]
            for row in results["scaling"]:
                row["speedup"] = round(row["articles_per_s"] / base, 2)
            results["kill"] = kill_run(server, args)
            results.update(claim_rate(server))
    print(json.dumps(results, indent=None if args.json else 2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
