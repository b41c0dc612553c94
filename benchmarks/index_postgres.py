"""The archive index on PostgreSQL: rows and bytes per archived URL, beside SQLite's.

    .venv/bin/python benchmarks/index_postgres.py [--records 10000] [--dsn DSN] [--json]

Stores ``--records`` synthetic visits (``benchmarks/archive_ingest.py``'s generator: about 90%
new articles, a fifth of them also under a tracking variant of their URL, 5% syndicated exact
copies under a new URL, 5% re-visits) with ``Archive.store`` twice: into an archive whose index
is PostgreSQL (``PostgresIndex``; a throwaway server started with ``tests/postgres_server.py``,
or the empty database ``--dsn`` names), and into one with the default ``index.sqlite``.  No raw
pages are kept (they are storage, not index).

Reports, per index table, its rows and ``pg_total_relation_size`` (heap, indexes and TOAST),
then rows and bytes per archived URL (a URL key in ``archive_url_keys``: canonical URLs and
aliases), stores per second (one process, the database on this machine), and the SQLite index
file's bytes per URL.  Linux only.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(ROOT)] + [entry for entry in sys.path
                             if Path(entry or ".").resolve() != ROOT / "benchmarks"]

from archive import Archive  # noqa: E402
from archive.index.postgres import TABLES, PostgresIndex  # noqa: E402
from benchmarks.archive_ingest import Synthetic  # noqa: E402
from tests.postgres_server import running_postgres  # noqa: E402

SEED = 5


def ingest(archive: Archive, records: int) -> float:
    """Store ``records`` synthetic visits; the stores per second."""
    started = time.perf_counter()
    for visit in Synthetic(SEED, with_raw=False).visits(records):
        archive.store(visit.record, url_keys=visit.url_keys, fetched_url=visit.fetched_url,
                      fetched_at=visit.fetched_at, raw=None)
    return records / (time.perf_counter() - started)


def scalar(cursor: Any) -> int:
    row = cursor.fetchone()
    return int(row[0])


def postgres_figures(dsn: str, directory: Path, records: int) -> dict[str, Any]:
    with Archive(directory / "pg", index=PostgresIndex(dsn),
                 reader=PostgresIndex(dsn)) as archive:
        rate = ingest(archive, records)
    index = PostgresIndex(dsn)
    try:
        conn = index.connection
        tables = {table: {"rows": scalar(conn.execute(f"SELECT count(*) FROM {table}")),
                          "bytes": scalar(conn.execute("SELECT pg_total_relation_size(%s)",
                                                       (table,)))}
                  for table in TABLES}
    finally:
        index.close()
    urls = tables["archive_url_keys"]["rows"]
    rows = sum(table["rows"] for table in tables.values())
    size = sum(table["bytes"] for table in tables.values())
    return {"stores_per_s": round(rate), "urls": urls,
            "articles": tables["archive_articles"]["rows"], "tables": tables,
            "rows_per_url": round(rows / urls, 2), "bytes_per_url": round(size / urls)}


def sqlite_figures(directory: Path, records: int) -> dict[str, Any]:
    with Archive(directory / "sqlite") as archive:
        rate = ingest(archive, records)
    with closing(sqlite3.connect(directory / "sqlite" / "index.sqlite")) as db:
        (urls,) = db.execute("SELECT count(*) FROM url_keys").fetchone()
    size = sum(path.stat().st_size for path in (directory / "sqlite").glob("index.sqlite*"))
    return {"stores_per_s": round(rate), "urls": urls, "index_bytes": size,
            "bytes_per_url": round(size / urls)}


def run(records: int, dsn: str | None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="broadsheet-index-bench-") as name:
        directory = Path(name)
        if dsn is not None:
            postgres = postgres_figures(dsn, directory, records)
        else:
            server_dir = Path(tempfile.mkdtemp(prefix="broadsheet-pg-bench-"))
            try:
                with running_postgres(server_dir) as server:
                    postgres = postgres_figures(server.create_database(), directory, records)
            finally:
                shutil.rmtree(server_dir, ignore_errors=True)
        return {"records": records, "postgres": postgres,
                "sqlite": sqlite_figures(directory, records)}


def render(report: dict[str, Any]) -> str:
    pg, lite = report["postgres"], report["sqlite"]
    lines = [f"{report['records']} visits stored: {pg['articles']} articles under {pg['urls']} "
             "URLs", "PostgreSQL index tables:"]
    lines += [f"  {name:<18} {table['rows']:>8} rows  {table['bytes'] / 1024:>9.0f} KiB"
              for name, table in pg["tables"].items()]
    lines.append(f"PostgreSQL: {pg['rows_per_url']} rows and {pg['bytes_per_url']} bytes per URL, "
                 f"{pg['stores_per_s']} stores/s")
    lines.append(f"SQLite:     {lite['bytes_per_url']} bytes per URL "
                 f"({lite['index_bytes'] / 1024:.0f} KiB), {lite['stores_per_s']} stores/s")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--dsn", help="an empty PostgreSQL database (default: start one)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    report = run(args.records, args.dsn)
    print(json.dumps(report, indent=2) if args.json else render(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
