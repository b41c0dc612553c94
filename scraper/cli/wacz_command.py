"""``broadsheet export --format wacz -o FILE``: the archive's WARC files as one WACZ package.

The package holds every finished WARC file of ``<archive>/warc/`` (``*.warc.gz``, and plain
``*.warc`` files brought in by ``import-warc``; never a ``.open`` file a crawl is writing), their
CDXJ index, and one page per article whose capture is in them (``archive.warc.pages``).  The file
appears atomically (``scraper.output``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from archive.warc.cdxj import file_entries
from archive.warc.pages import archive_pages
from archive.warc.wacz import write_wacz
from scraper.archive_access import ArchiveAccess
from scraper.crawl.warc_capture import warc_directory
from scraper.errors import UsageError
from scraper.output import STDOUT, output

WACZ_FORMAT = "wacz"
WARC_PATTERNS = ("*.warc.gz", "*.warc")


def finished_warcs(directory: Path) -> list[Path]:
    """The finished WARC files in ``directory`` (none when it does not exist), by name."""
    if not directory.is_dir():
        return []
    found = {path for pattern in WARC_PATTERNS for path in directory.glob(pattern)
             if path.is_file() and not path.name.startswith(".")}
    return sorted(found, key=lambda path: path.name)


def export_wacz(args: argparse.Namespace, access: ArchiveAccess,
                records: Iterable[dict[str, Any]]) -> None:
    """Write the package of the archive's WARC files, with a page for each of ``records``
    captured in them, to ``args.output``."""
    if args.output == STDOUT:
        raise UsageError("wacz is a ZIP package: give an output file with -o FILE")
    directory = warc_directory(access)
    if directory is None:
        raise UsageError("this archive's files are on S3 storage, where no WARC files are kept; "
                         "export --format wacz needs an archive on a local or shared folder")
    warcs = finished_warcs(directory)
    if not warcs:
        raise UsageError(f"no WARC files in {directory}: crawl with warc.enabled (the default) "
                         "or bring WARCs in with broadsheet import-warc, then export again")
    entries = [entry for path in warcs for entry in file_entries(path)]
    chosen = archive_pages(records, entries)
    title = f"broadsheet archive {access.root.resolve().name}"
    with output(args.output, binary=True) as stream:
        summary = write_wacz(stream, warcs, chosen.pages, title=title, software=_software(),
                             index=sorted(entry.line() for entry in entries))
    left_out = (f"; {chosen.not_captured} articles left out (no capture in the WARC files)"
                if chosen.not_captured else "")
    print(f"exported {summary.pages} pages, {summary.index_lines} captures from "
          f"{summary.warc_files} WARC file{'s' * (summary.warc_files != 1)} as wacz to "
          f"{args.output}{left_out}", file=sys.stderr)


def _software() -> str:
    try:
        return f"broadsheet {version('broadsheet')}"
    except PackageNotFoundError:
        return "broadsheet"
