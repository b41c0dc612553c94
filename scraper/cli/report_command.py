"""``broadsheet report``: write one self-contained HTML page about the archive and its latest
crawl (``archive.report``), by default ``<archive>/report.html``, replaced atomically.

Read-only on the archive: the records are read from the files (either backend, through
``ArchiveAccess``) and the latest crawl from its queue (the SQLite frontier in the archive
folder, or the shared frontier in PostgreSQL).  Prints the path written; exits 1 when corrupt
records were skipped (each named on stderr), as ``stats`` does.
"""

from __future__ import annotations

import argparse
import datetime
from pathlib import Path
from typing import Any

from archive.report import CrawlRecap, gather, render_page
from scraper.archive_access import ArchiveAccess
from scraper.cli.archive_commands import BadRecords
from scraper.cli.front import CONFIG_HELP
from scraper.crawl.frontier.recap import crawl_recap
from scraper.crawl.loop import FRONTIER_FILE
from scraper.output import output

REPORT_COMMAND = "report"
REPORT_FILE = "report.html"


def add_report_command(commands: Any) -> None:
    """Add ``report`` to ``commands`` (what ``add_subparsers`` returned); ``main`` runs it
    through the ``run`` default it sets."""
    report = commands.add_parser(
        REPORT_COMMAND, help="write an HTML report of the archive and the latest crawl")
    report.add_argument("--config", metavar="FILE", help=CONFIG_HELP)
    report.add_argument("--archive", metavar="DIR", help="archive directory (default: config's)")
    report.add_argument("-o", "--output", metavar="FILE",
                        help=f"the HTML file to write (default: <archive>/{REPORT_FILE})")
    report.set_defaults(run=run_report)


def run_report(args: argparse.Namespace, access: ArchiveAccess) -> int:
    """Write the report; BroadsheetError propagates to ``main``."""
    bad = BadRecords()
    data = gather(access.records(None, bad), access.where, latest_crawl(access),
                  datetime.datetime.now(datetime.UTC))
    target = Path(args.output) if args.output else access.root / REPORT_FILE
    if not args.output:  # the local folder of a shared archive may not exist yet
        target.parent.mkdir(parents=True, exist_ok=True)
    with output(str(target), binary=False) as stream:
        stream.write(render_page(data))
    print(target)
    return bad.exit_code()


def latest_crawl(access: ArchiveAccess) -> CrawlRecap | None:
    """The latest crawl's recap: from the shared frontier in PostgreSQL on that backend, else
    from the frontier file in the archive folder; None when no crawl is recorded."""
    if access.dsn is not None:
        from scraper.crawl.frontier.postgres_recap import shared_crawl_recap
        return shared_crawl_recap(access.dsn)
    return crawl_recap(access.root / FRONTIER_FILE)
