"""``broadsheet import-warc FILE...``: article records from WARC files (``scraper.warc_import``).

Argument handling and printing only.  Progress goes to stderr every ``PROGRESS_EVERY`` responses
(not with ``--quiet``), the summary to stdout (``--json``: one JSON object).  Exit 1 when a page
failed to import, 0 otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from scraper.archive_access import ArchiveAccess
from scraper.cli.front import CONFIG_HELP
from scraper.warc_import import ImportSummary, import_warcs

WARC_COMMANDS = ("import-warc",)
PROGRESS_EVERY = 100


def add_warc_commands(commands: Any) -> None:
    """Add the subcommands to ``commands`` (what ``add_subparsers`` returned)."""
    command = commands.add_parser(
        "import-warc", help="extract the articles of WARC files (any crawler's) into the archive")
    command.add_argument("files", nargs="+", metavar="FILE",
                         help="WARC files (*.warc.gz or *.warc); each is linked or copied into "
                         "the archive's warc/ folder")
    command.add_argument("--config", metavar="FILE", help=CONFIG_HELP)
    command.add_argument("--archive", metavar="DIR", help="archive directory (default: config's)")
    command.add_argument("--json", action="store_true", help="print the summary as JSON")


def run_warc_command(args: argparse.Namespace, access: ArchiveAccess) -> int:
    def progress(summary: ImportSummary) -> None:
        if not args.quiet and summary.responses % PROGRESS_EVERY == 0:
            print(f"read {summary.responses} responses: {summary.imported} articles imported",
                  file=sys.stderr, flush=True)

    summary = import_warcs(access, args.files, progress)
    print(json.dumps(summary.to_dict()) if args.json else summary.render())
    return 1 if summary.failed else 0
