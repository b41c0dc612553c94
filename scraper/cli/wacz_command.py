"""``broadsheet export --format wacz -o FILE``: the archive's WARC files as one WACZ package.

The package holds every finished WARC file of the archive (``*.warc.gz``, and plain ``*.warc``
files brought in by ``import-warc``; never a ``.open`` file a crawl is writing): those of
``<archive>/warc/``, or on S3 storage those under ``warc/`` and in this machine's spool folder
(``scraper.crawl.warc_capture.warc_source``), streamed; their CDXJ index, and one page per
article whose capture is in them (``archive.warc.pages``).  The file appears atomically
(``scraper.output``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from archive.warc.cdxj import source_entries
from archive.warc.pages import archive_pages
from archive.warc.wacz import write_wacz
from scraper.archive_access import ArchiveAccess
from scraper.crawl.warc_capture import warc_source
from scraper.errors import UsageError
from scraper.output import STDOUT, output

WACZ_FORMAT = "wacz"


def export_wacz(args: argparse.Namespace, access: ArchiveAccess,
                records: Iterable[dict[str, Any]]) -> None:
    """Write the package of the archive's WARC files, with a page for each of ``records``
    captured in them, to ``args.output``."""
    if args.output == STDOUT:
        raise UsageError("wacz is a ZIP package: give an output file with -o FILE")
    source = warc_source(access)
    warcs = source.names()
    if not warcs:
        raise UsageError(f"no WARC files in {source.where}: crawl with warc.enabled (the "
                         "default) or bring WARCs in with broadsheet import-warc, then export "
                         "again")
    entries = [entry for name in warcs for entry in source_entries(source, name)]
    chosen = archive_pages(records, entries)
    title = f"broadsheet archive {access.root.resolve().name}"
    with output(args.output, binary=True) as stream:
        summary = write_wacz(stream, source, warcs, chosen.pages, title=title, software=_software(),
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
