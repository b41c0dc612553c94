"""The ``broadsheet`` subcommands that read or repair an archive: export, stats, verify, reindex,
reextract.

Argument handling and printing only; the work is done by ``archive.export``, ``archive.stats``,
``archive.verify`` and ``archive.reindex``.  Exit codes as in ``scraper.cli.main``; ``verify`` exits 1
when it finds problems.
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import json
import os
import sys
from pathlib import Path
from typing import Any

from archive.export import FORMATS, PYARROW_MISSING
from archive.reading import RecordFilter, normalise_site
from archive.stats import ArchiveStats
from archive.tables import TABLES, table_writers
from archive.verify import VerifyReport
from scraper.archive_access import ArchiveAccess
from scraper.cli.front import CONFIG_HELP
from scraper.cli.wacz_command import WACZ_FORMAT, export_wacz
from scraper.crawl.frontier.failures import crawl_outcomes
from scraper.crawl.loop import FRONTIER_FILE
from scraper.errors import UsageError
from scraper.output import STDOUT, output
from scraper.reextract import ReextractSummary, reextract_archive

ARCHIVE_COMMANDS = ("export", "stats", "verify", "reindex", "reextract")
EXTENSIONS = {".jsonl": "jsonl", ".json": "jsonl", ".ndjson": "jsonl", ".csv": "csv",
              ".parquet": "parquet", ".wacz": WACZ_FORMAT}
"""The export format an output file's extension stands for, when --format is not given."""
REEXTRACT_PROGRESS_EVERY = 1000
EXIT_INTERRUPTED = 130


def add_archive_commands(commands: Any) -> None:
    """Add the subcommands to ``commands`` (what ``add_subparsers`` returned)."""
    export = commands.add_parser("export", help="write the archive's records as JSON lines, CSV "
                                 "or Parquet, or its WARC captures as a WACZ package")
    _archive_options(export)
    export.add_argument("--format", choices=(*FORMATS, WACZ_FORMAT),
                        help="output format (default: from the -o file's extension, "
                        f"{', '.join(EXTENSIONS)}; jsonl on stdout)")
    export.add_argument("--table", choices=TABLES, default="articles",
                        help="one row per article (default), per comment or per snapshot")
    _selection_options(export)
    export.add_argument("-o", "--output", metavar="FILE", default=STDOUT,
                        help="output file; '-' (the default) is stdout, not for parquet")

    stats = commands.add_parser("stats", help="summarise the archive")
    _archive_options(stats)
    _selection_options(stats)
    stats.add_argument("--json", action="store_true", help="print the summary as JSON")

    verify = commands.add_parser("verify", help="check the archive's files and index (read-only)")
    _archive_options(verify)
    verify.add_argument("--json", action="store_true", help="print the report as JSON")
    verify.add_argument("--quick", action="store_true",
                        help="check raw pages exist, without decompressing and hashing them")

    reindex_command = commands.add_parser("reindex", help="rebuild the index from the JSON files")
    _archive_options(reindex_command)
    reindex_command.add_argument("--json", action="store_true", help="print the result as JSON")

    again = commands.add_parser("reextract", help="run the current extractor over the stored raw "
                                "pages (offline); changed articles get a new version")
    _archive_options(again)
    _selection_options(again)
    again.add_argument("--json", action="store_true", help="print the summary as JSON")


def _archive_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", metavar="FILE", help=CONFIG_HELP)
    parser.add_argument("--archive", metavar="DIR", help="archive directory (default: config's)")


def _selection_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--since", metavar="DATE",
                        help="only records published (else fetched) on or after DATE (YYYY-MM-DD)")
    parser.add_argument("--site", metavar="HOST",
                        help="only records whose URL is on HOST (with or without www.)")


def run_archive_command(args: argparse.Namespace, access: ArchiveAccess) -> int:
    """Run one of ``ARCHIVE_COMMANDS`` on the archive ``access`` finds; BroadsheetError
    propagates to ``main``."""
    try:
        if args.command == "export":
            return export(args, access)
        if args.command == "stats":
            bad = BadRecords()
            stats = access.stats(selection(args), bad, lambda: latest_outcomes(access))
            print(json.dumps(stats.to_dict(), ensure_ascii=False) if args.json
                  else render_stats(stats, access.where))
            return bad.exit_code()
        if args.command == "verify":
            report = access.verify(hash_raw=not args.quick)
            print(json.dumps(report.to_dict(), ensure_ascii=False) if args.json
                  else render_report(report))
            return 0 if report.ok else 1
        if args.command == "reextract":
            return reextract(args, access)
        return reindex_archive(args, access)
    except BrokenPipeError:  # the reader (head, less) stopped early: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("broadsheet: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def latest_outcomes(access: ArchiveAccess) -> dict[str, int] | None:
    """The latest crawl's failed and gone URLs: from the shared frontier in PostgreSQL on
    that backend, else from the local frontier file."""
    if access.dsn is not None:
        from scraper.crawl.frontier.postgres_status import shared_crawl_outcomes
        return shared_crawl_outcomes(access.dsn)
    return crawl_outcomes(access.root / FRONTIER_FILE)


def selection(args: argparse.Namespace) -> RecordFilter:
    since = None
    if args.since is not None:
        try:
            since = datetime.date.fromisoformat(args.since)
        except ValueError:
            raise UsageError(f"--since must be a date like 2024-05-31, not {args.since!r}") from None
    if args.site is not None:
        try:
            normalise_site(args.site)
        except ValueError:
            raise UsageError(f"--site must be a host name like news.example.com, "
                             f"not {args.site!r}") from None
    return RecordFilter(since=since, site=args.site)


class BadRecords:
    """Reports each corrupt record on stderr as ``iter_records`` finds it, and counts them."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, line: str) -> None:
        self.count += 1
        print(f"broadsheet: {line}", file=sys.stderr, flush=True)

    def exit_code(self) -> int:
        """1 (after a closing line) when any record was skipped, else 0."""
        if self.count:
            print(f"broadsheet: skipped {self.count} corrupt record{'s' * (self.count > 1)}; "
                  "the others were read", file=sys.stderr)
        return 1 if self.count else 0


def export_format(args: argparse.Namespace) -> str:
    """--format if given, else the one the output file's extension names; jsonl on stdout and
    on a device or pipe named without an extension (``-o /dev/stdout``)."""
    if args.format is not None:
        return str(args.format)
    target = Path(args.output)
    extension = target.suffix.lower()
    if args.output == STDOUT or (not extension and target.exists() and not target.is_file()):
        return "jsonl"
    if extension not in EXTENSIONS:
        raise UsageError(f"cannot tell the format of {args.output} from its extension: name it "
                         f"{', '.join(EXTENSIONS)}, or give --format "
                         f"({', '.join((*FORMATS, WACZ_FORMAT))})")
    return EXTENSIONS[extension]


def export(args: argparse.Namespace, access: ArchiveAccess) -> int:
    args.format = export_format(args)
    bad = BadRecords()
    records = access.records(selection(args), bad)
    if args.format == WACZ_FORMAT:
        export_wacz(args, access, records)
        return bad.exit_code()
    writers = table_writers(args.table)
    if args.format == "parquet":
        if args.output == STDOUT:
            raise UsageError("parquet is binary: give an output file with -o FILE")
        try:
            importlib.import_module("pyarrow")
        except ImportError:
            raise UsageError(PYARROW_MISSING) from None
        with output(args.output, binary=True) as binary:
            count = writers.parquet(records, binary)
    else:
        write = writers.jsonl if args.format == "jsonl" else writers.csv
        with output(args.output, binary=False) as text:
            count = write(records, text)
    where = "stdout" if args.output == STDOUT else args.output
    rows = "records" if args.table == "articles" else args.table
    print(f"exported {count} {rows} as {args.format} to {where}", file=sys.stderr)
    return bad.exit_code()


def reextract(args: argparse.Namespace, access: ArchiveAccess) -> int:
    def progress(summary: ReextractSummary) -> None:
        if not args.quiet and summary.articles % REEXTRACT_PROGRESS_EVERY == 0:
            print(f"re-extracted {summary.articles} articles: {summary.updated} updated",
                  file=sys.stderr, flush=True)

    summary = reextract_archive(access, selection(args), progress)
    print(json.dumps(summary.to_dict()) if args.json else summary.render())
    return 1 if summary.failed else 0


def reindex_archive(args: argparse.Namespace, access: ArchiveAccess) -> int:
    result = access.reindex()
    if args.json:
        print(json.dumps({"articles": result.articles,
                          "replaced_because": result.replaced_because}))
        return 0
    if result.replaced_because is not None:
        print(f"broadsheet: the old index was moved to index.sqlite.old: "
              f"{result.replaced_because}", file=sys.stderr)
    print(f"reindexed {result.articles} articles in {access.where}")
    return 0


def render_stats(stats: ArchiveStats, where: str | Path) -> str:
    lines = [f"{stats.articles} articles in {where}", "by site:"]
    lines += [f"  {site}  {count}" for site, count in sorted(stats.by_site.items())]
    lines.append("by month (published, else fetched):")
    lines += [f"  {month}  {count}" for month, count in sorted(stats.by_month.items())]
    lines.append(f"duplicates: {stats.aliases} URL variants or copies folded into "
                 f"{stats.articles_with_aliases} articles")
    if stats.near_duplicates is not None:
        lines.append(f"near-duplicates: {stats.near_duplicates} articles linked to another")
    if stats.snapshots is not None:
        lines.append(f"snapshots: {stats.snapshots}")
    if stats.versions is not None:
        lines.append(f"earlier versions: {stats.versions} of {stats.articles_with_versions} "
                     "articles")
    if stats.failures is None:
        lines.append("failures: no crawl recorded")
    else:
        reasons = ", ".join(f"{reason} {count}" for reason, count in stats.failures.items())
        lines.append(f"failures in the latest crawl: {sum(stats.failures.values())}"
                     + (f" ({reasons})" if reasons else ""))
        lines.append(f"gone in the latest crawl (404, 410): {stats.gone or 0}")
    return "\n".join(lines)


def render_report(report: VerifyReport) -> str:
    index = ("no index" if report.index_articles is None
             else f"an index of {report.index_articles} articles")
    checked = (f"{report.record_files} article files, {report.version_files_checked} earlier "
               f"versions, {report.raw_pages_checked} raw pages and {index}")
    if report.ok:
        return f"checked {checked}: no problems"
    lines = [f"found {sum(report.counts.values())} problems in {checked}:"]
    lines += [f"  {problem.kind}: {problem.where}: {problem.detail}"
              for problem in report.problems]
    listed = {kind: sum(1 for problem in report.problems if problem.kind == kind)
              for kind in report.counts}
    lines += [f"  ... and {report.counts[kind] - shown} more {kind}"
              for kind, shown in listed.items() if report.counts[kind] > shown]
    lines.append("would repair (verify changes nothing):")
    lines += [f"  - {repair}" for repair in report.repairs()]
    return "\n".join(lines)
