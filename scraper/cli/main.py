"""The ``broadsheet`` command: a thin layer over the library.

Exit codes: 0 success, 1 some pages failed (the summary says which), 2 usage or config error
(or the archive's crawl queue is busy), 130 interrupted (Ctrl-C), 143 terminated (SIGTERM).  An
expected failure prints one line, never a traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from scraper.archive_access import archive_access
from scraper.cli.archive_commands import ARCHIVE_COMMANDS, add_archive_commands, run_archive_command
from scraper.cli.crawl_commands import add, crawl, run_and_report, snapshot, watch_archive
from scraper.cli.demo_command import DEMO_PORT, demo
from scraper.cli.extract_command import extract_files
from scraper.cli.front import (
    CONFIG_HELP,
    add_common_options,
    announce,
    archive_directory,
    command_config,
    merge_common,
    require_archive,
)
from scraper.cli.inspect_commands import INSPECT_COMMANDS, add_inspect_commands, run_inspect_command
from scraper.cli.report_command import add_report_command
from scraper.cli.warc_commands import WARC_COMMANDS, add_warc_commands, run_warc_command
from scraper.cli.worker_commands import WORKER_COMMANDS, add_worker_commands, run_worker_command
from scraper.config import Config
from scraper.crawl.seeds import seed_urls
from scraper.errors import BroadsheetError, UsageError
from scraper.schedule.planner import DEFAULT_WATCH_INTERVAL


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="broadsheet", description="Crawl news sites, extract articles, keep a JSON archive.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    crawl = commands.add_parser("crawl", help="crawl sites into the archive")
    crawl.add_argument("urls", nargs="*", metavar="URL", help="start URLs (default: config "
                       "seeds); a bare host means https://host/; - reads them from stdin")
    _crawl_options(crawl)
    crawl.add_argument("--max-pages", type=int, metavar="N", help="stop after N fetched pages")
    crawl.add_argument("--depth", type=int, metavar="N", help="follow links N hops from a seed")
    crawl.add_argument("--only", action="store_true",
                       help="fetch exactly the URLs given, like broadsheet add: no links, "
                       "sitemaps or feeds followed")

    add_command = commands.add_parser(
        "add", help="archive exactly the pages given (no links, sitemaps or feeds followed)")
    add_command.add_argument("urls", nargs="*", metavar="URL",
                             help="pages to fetch; - reads them from stdin, one a line")
    _crawl_options(add_command)
    for option in ("--max-pages", "--depth"):  # refused with a reason, not "unrecognized"
        add_command.add_argument(option, type=int, help=argparse.SUPPRESS)

    demo = commands.add_parser("demo", help="crawl the bundled demo news site (offline)")
    _crawl_options(demo)
    demo.add_argument("--port", type=int, default=DEMO_PORT,
                      help=f"port for the demo site on 127.0.0.1 (default {DEMO_PORT})")
    demo.add_argument("--serve", action="store_true",
                      help="only serve the demo site, crawl nothing, until Ctrl-C (exit 0)")

    snapshot_command = commands.add_parser(
        "snapshot", help="re-visit the archived articles that are due (see snapshot in the config)")
    _crawl_options(snapshot_command)
    snapshot_command.add_argument("--dry-run", action="store_true",
                                  help="list the due URLs, oldest due first, and fetch nothing")
    snapshot_command.add_argument("--now", type=_moment_option, help=argparse.SUPPRESS)

    watch_command = commands.add_parser(
        "watch", help="re-visit due articles on schedule until stopped (Ctrl-C)")
    watch_command.add_argument("--config", metavar="FILE", help=CONFIG_HELP)
    watch_command.add_argument("--archive", metavar="DIR",
                               help="archive directory (default: config's)")
    watch_command.add_argument("--interval", type=float, default=DEFAULT_WATCH_INTERVAL,
                               metavar="SECONDS", help="longest sleep between two looks at the "
                               f"archive (default {DEFAULT_WATCH_INTERVAL:.0f})")

    extract_command = commands.add_parser(
        "extract", help="extract saved pages (.html or .html.gz) to JSON lines")
    extract_command.add_argument("files", nargs="+", metavar="FILE")
    extract_command.add_argument("--url", help="the URL the page was fetched from")
    extract_command.add_argument("--config", metavar="FILE",
                                 help=CONFIG_HELP + "; fetch.max_bytes caps a page")
    add_archive_commands(commands)
    add_inspect_commands(commands)
    add_worker_commands(commands)
    add_report_command(commands)
    add_warc_commands(commands)
    add_common_options(parser, commands)
    return parser


def _crawl_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", metavar="FILE", help=CONFIG_HELP)
    parser.add_argument("--archive", metavar="DIR", help="archive directory (default: config's)")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")


def main(argv: Sequence[str] | None = None) -> int:
    args = merge_common(build_parser().parse_args(argv))
    levels = (logging.WARNING, logging.INFO, logging.DEBUG)
    logging.basicConfig(level=levels[min(args.verbose, 2)],
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        if getattr(args, "urls", None):  # URLs on the command line or stdin, checked first
            args.urls = seed_urls(args.urls, sys.stdin, _note)
        config, source = command_config(args)
        if args.command == "extract":
            announce(source, args)
            return extract_files(args.files, args.url, config.fetch.max_bytes)
        config = _config(config, args)
        if args.command in WORKER_COMMANDS:  # a shared crawl's; the archive may not exist yet
            announce(source, args)
            return run_worker_command(args, config)
        access = archive_access(config)
        require_archive(args.command, access)
        announce(source, args)
        if getattr(args, "run", None) is not None:  # a command that names its own runner
            return int(args.run(args, access))
        if args.command in INSPECT_COMMANDS:
            return run_inspect_command(args, access)
        if args.command in ARCHIVE_COMMANDS:
            return run_archive_command(args, access)
        if args.command in WARC_COMMANDS:
            return run_warc_command(args, access)
        if args.command == "demo":
            return demo(config, args, run_and_report)
        if args.command == "snapshot":
            return snapshot(config, args)
        if args.command == "watch":
            return watch_archive(config, args)
        if args.command == "add":
            return add(config, args)
        return crawl(config, args)
    except BroadsheetError as exc:
        print(f"broadsheet: error: {exc}", file=sys.stderr)
        return exc.exit_code


def _note(line: str) -> None:
    print(f"broadsheet: {line}", file=sys.stderr, flush=True)


def _config(config: Config, args: argparse.Namespace) -> Config:
    directory = archive_directory(config, args.archive, _note)
    if directory != config.archive.directory:
        config = config.replace("archive", directory=directory)
    if getattr(args, "max_pages", None) is not None:
        if args.max_pages < 0:
            raise UsageError("--max-pages must be 0 (no limit) or more")
        config = config.replace("crawl", max_pages=args.max_pages)
    if getattr(args, "depth", None) is not None:
        if args.depth < 0:
            raise UsageError("--depth must be 0 or more")
        config = config.replace("crawl", max_depth=args.depth)
    _check_archive_path(Path(config.archive.directory))
    return config


def _check_archive_path(path: Path) -> None:
    """An archive path that is (or lies under) a file is a usage error, for every command."""
    for place in (path, *path.parents):
        if place.exists():
            if not place.is_dir():
                what = "is a file" if place == path else f"is under a file, {place}"
                raise UsageError(f"archive path {path} {what}, not a directory; choose a "
                                 "directory with --archive or archive.directory")
            return


def _moment_option(text: str) -> datetime:
    """A ``--now`` value: an ISO 8601 date-time, UTC when it names no zone."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


if __name__ == "__main__":
    raise SystemExit(main())
