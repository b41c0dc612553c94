"""A large frontier in PostgreSQL beside the SQLite one: insert time, claim throughput, disk.

    .venv/bin/python benchmarks/frontier_postgres.py [--urls 1000000] [--claims 20000]
        [--workers 4] [--json]

Starts a throwaway PostgreSQL (``tests/postgres_server.py``: initdb on a temporary directory,
127.0.0.1, ``fsync=off``, stopped by PID) and, for each backend:

1. insert: add ``--urls`` article URLs on about a thousand hosts in batches of 500 (as a crawl
   adds a page's links); seconds and URLs per second.
2. claim: one worker claims and finishes ``--claims`` requests (a claim + finish cycle each);
   cycles per second.  PostgreSQL only: ``--workers`` processes, each with its own connection,
   do the same at once; cycles per second over all of them.
3. disk: PostgreSQL ``pg_total_relation_size`` of the URL table (rows, indexes, TOAST) per URL;
   SQLite the file's size (after a WAL checkpoint) per URL.

Politeness pacing is off (delay 0) so the figures are the database's, not the per-host delay's.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.frontier import article_urls
from scraper.crawl.frontier.base import CrawlRequest, Frontier, Kind
from scraper.crawl.frontier.postgres import PostgresFrontier
from scraper.crawl.frontier.sqlite import SqliteFrontier
from tests.postgres_server import running_postgres

BATCH = 500
LEASE = 600.0


def fill(frontier: Frontier, total: int) -> float:
    """Add ``total`` URLs in batches; the seconds it took."""
    frontier.reset("2024-01-01T00:00:00Z")
    started = time.perf_counter()
    batch: list[CrawlRequest] = []
    for n, url in enumerate(article_urls(total)):
        batch.append(CrawlRequest(url, url, Kind.PAGE, n % 4, -1 if n % 50 == 0 else 0))
        if len(batch) == BATCH:
            frontier.add(batch)
            batch = []
    frontier.add(batch)
    return time.perf_counter() - started


def cycles(frontier: Frontier, claims: int) -> tuple[int, float]:
    """Claim and finish up to ``claims`` requests; (how many, seconds)."""
    done = 0
    started = time.perf_counter()
    while done < claims:
        request = frontier.claim()
        if request is None:
            break
        frontier.finish(request, "stored")
        done += 1
    return done, time.perf_counter() - started


def pg_worker(dsn: str, name: str, claims: int) -> tuple[int, float]:
    frontier = PostgresFrontier(dsn, worker_id=name, lease_seconds=LEASE,
                                per_host_concurrency=1000)
    try:
        return cycles(frontier, claims)
    finally:
        frontier.close()


def postgres_figures(directory: Path, urls: int, claims: int, workers: int) -> dict[str, Any]:
    with running_postgres(directory) as server:
        dsn = server.create_database()
        frontier = PostgresFrontier(dsn, worker_id="bench", lease_seconds=LEASE,
                                    per_host_concurrency=1000)
        insert = fill(frontier, urls)
        frontier._db.execute("VACUUM ANALYZE frontier_urls")
        row = frontier._db.execute(
            "SELECT pg_total_relation_size('frontier_urls'), pg_relation_size('frontier_urls'),"
            " pg_total_relation_size('crawl_hosts'), (SELECT count(*) FROM crawl_hosts)"
        ).fetchone()
        assert row is not None
        total_bytes, heap_bytes, host_bytes, hosts = (int(str(value)) for value in row)
        one, one_seconds = cycles(frontier, claims)
        frontier.close()
        with ProcessPoolExecutor(workers) as pool:
            started = time.perf_counter()
            results = list(pool.map(pg_worker, [dsn] * workers,
                                    [f"w{n}" for n in range(workers)], [claims] * workers))
            wall = time.perf_counter() - started
        many = sum(done for done, _ in results)
    return {"backend": "postgresql", "urls": urls, "hosts": hosts, "insert_s": insert,
            "insert_per_s": urls / insert, "claims_1": one, "claims_per_s_1": one / one_seconds,
            "workers": workers, "claims_n": many, "claims_per_s_n": many / wall,
            "bytes_per_url": total_bytes / urls, "heap_bytes_per_url": heap_bytes / urls,
            "hosts_table_bytes": host_bytes}


def sqlite_figures(directory: Path, urls: int, claims: int) -> dict[str, Any]:
    path = directory / "frontier.sqlite"
    frontier = SqliteFrontier(path, lease_seconds=LEASE)
    insert = fill(frontier, urls)
    frontier.close()
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = path.stat().st_size
    frontier = SqliteFrontier(path, lease_seconds=LEASE)
    one, one_seconds = cycles(frontier, claims)
    frontier.close()
    return {"backend": "sqlite", "urls": urls, "insert_s": insert, "insert_per_s": urls / insert,
            "claims_1": one, "claims_per_s_1": one / one_seconds, "bytes_per_url": size / urls}


def render(rows: list[dict[str, Any]]) -> str:
    lines = [f"{'backend':<11}{'URLs':>9}{'insert s':>10}{'URLs/s':>9}{'claims/s 1':>12}"
             f"{'claims/s N':>14}{'bytes/URL':>11}"]
    for row in rows:
        many = (f"{row['claims_per_s_n']:.0f} ({row['workers']})"
                if "claims_per_s_n" in row else "-")
        lines.append(f"{row['backend']:<11}{row['urls']:>9}{row['insert_s']:>10.1f}"
                     f"{row['insert_per_s']:>9.0f}{row['claims_per_s_1']:>12.0f}{many:>14}"
                     f"{row['bytes_per_url']:>11.0f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--urls", type=int, default=1_000_000)
    parser.add_argument("--claims", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="frontier-sqlite-") as directory:
        rows = [sqlite_figures(Path(directory), args.urls, args.claims)]
    pg_directory = Path(tempfile.mkdtemp(prefix="frontier-pg-"))  # the postgres user enters it
    try:
        rows.append(postgres_figures(pg_directory, args.urls, args.claims, args.workers))
    finally:
        shutil.rmtree(pg_directory, ignore_errors=True)
    print(json.dumps(rows, indent=2) if args.json else render(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
