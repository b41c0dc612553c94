"""The ``broadsheet`` subcommands that look inside an archive: show, list, history, diff.

All read-only: they open the archive with ``archive.lookup.ArchiveReader`` and never create it.
An article is named by its id or by any URL it was seen under (``Archive.lookup``, with the
crawl's canonical form).  Exit codes: 0 found; 1 no such article (like grep: a search that found
nothing, not a misuse); 2 usage errors (no archive at the path, a bad ``--since``, a version the
article does not have).
"""

from __future__ import annotations

import argparse
import datetime
import difflib
import json
import os
import sys
from collections.abc import Iterator
from typing import Any

from archive.lookup import ArchiveReader
from archive.reading import RecordFilter, record_site
from archive.record import CONTENT_FIELDS
from scraper.archive_access import ArchiveAccess
from scraper.capture_text import render_capture
from scraper.crawl.warc_capture import record_capture
from scraper.errors import UsageError
from scraper.record_text import render_history, render_record
from scraper.urls import canonical_url

INSPECT_COMMANDS = ("show", "list", "history", "diff")


def add_inspect_commands(commands: Any) -> None:
    """Add the subcommands to ``commands`` (what ``add_subparsers`` returned)."""
    show = commands.add_parser("show", help="print one archived article (by id or any URL)")
    _article_options(show, "print the stored JSON record as it is")
    show.add_argument("--capture", action="store_true", help="print the WARC capture the "
                      "article was extracted from: status line, headers, start of the body")
    listing = commands.add_parser("list", help="one line per archived article, newest first")
    _archive_options(listing)
    listing.add_argument("--site", metavar="HOST", help="only articles on HOST (with or "
                         "without www.)")
    listing.add_argument("--since", metavar="DATE", type=_since_option, help="only articles "
                         "published (else fetched) on or after DATE (YYYY-MM-DD or ISO "
                         "date-time)")
    listing.add_argument("--json", action="store_true", help="JSON lines instead of text")
    history = commands.add_parser("history", help="the snapshots (visits) of one article")
    _article_options(history, "JSON lines, one snapshot a line")
    diff = commands.add_parser("diff", help="what changed between two versions of an article")
    _archive_options(diff)
    diff.add_argument("article", metavar="ID|URL")
    diff.add_argument("--from", dest="old", type=int, metavar="N",
                      help="older version (default: the one before --to)")
    diff.add_argument("--to", dest="new", type=int, metavar="M",
                      help="newer version (default: the current one)")


def _archive_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", metavar="FILE", help="configuration file (default: built-in)")
    parser.add_argument("--archive", metavar="DIR", help="archive directory (default: config's)")


def _article_options(parser: argparse.ArgumentParser, json_help: str) -> None:
    _archive_options(parser)
    parser.add_argument("article", metavar="ID|URL")
    parser.add_argument("--json", action="store_true", help=json_help)


def _since_option(text: str) -> datetime.datetime:
    """A ``--since`` value: a day (midnight UTC) or an ISO date-time (UTC when it names no zone)."""
    try:
        moment = datetime.datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date (YYYY-MM-DD) or ISO date-time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def run_inspect_command(args: argparse.Namespace, access: ArchiveAccess) -> int:
    """Run one of ``INSPECT_COMMANDS`` on the archive ``access`` finds (``main`` has checked
    it is one); BroadsheetError propagates to ``main``."""
    try:
        return _inspect(args, access)
    except BrokenPipeError:  # the reader (head, less) stopped early: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _inspect(args: argparse.Namespace, access: ArchiveAccess) -> int:
    if args.command == "list":
        return list_articles(access, args)
    with access.open_reader() as reader:
        record = reader.lookup(args.article, canonical_url)
        if args.command == "show" and args.capture:
            text = _capture_text(access, record)
        elif args.command == "show":
            text = (json.dumps(record, ensure_ascii=False, indent=2) if args.json
                    else render_record(record))
        elif args.command == "history":
            text = ("\n".join(json.dumps(snapshot, ensure_ascii=False)
                              for snapshot in record["snapshots"])
                    if args.json else render_history(record))
        else:
            text = diff_versions(reader, record, args.old, args.new)
    print(text)
    return 0


def _capture_text(access: ArchiveAccess, record: dict[str, Any]) -> str:
    capture = record_capture(access, record)
    if capture is None:
        raise UsageError(f"article {record['id']} has no WARC capture (it was fetched with "
                         "warc.enabled: false, or before WARC capture)")
    return render_capture(capture)


def list_articles(access: ArchiveAccess, args: argparse.Namespace) -> int:
    rows = sorted(_list_rows(access, args.site, args.since), key=lambda row: row[0], reverse=True)
    for _, fields in rows:
        print(json.dumps(fields, ensure_ascii=False) if args.json else "  ".join(
            "-" if value is None else str(value) for value in fields.values()))
    return 0


def _list_rows(access: ArchiveAccess, site: str | None, since: datetime.datetime | None
               ) -> Iterator[tuple[str, dict[str, Any]]]:
    """(sort key, fields) per matching record: only the few fields a line needs are kept."""
    for record in access.records(RecordFilter(site=site)):
        moment = record_moment(record)
        if since is not None and (moment is None or moment < since):
            continue
        key = "" if moment is None else moment.astimezone(datetime.UTC).isoformat()
        yield key, {"id": record["id"], "published": record.get("published"),
                    "site": record_site(record), "title": record.get("title")}


def record_moment(record: dict[str, Any]) -> datetime.datetime | None:
    """When the article was published (else fetched), UTC when the page names no zone."""
    for name in ("published", "fetched_at"):
        value = record.get(name)
        if isinstance(value, str):
            try:
                moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                continue
            return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)
    return None


def diff_versions(reader: ArchiveReader, current: dict[str, Any], old: int | None,
                  new: int | None) -> str:
    """A unified diff of the content fields that differ between two versions."""
    last = current["version"]
    if last == 1 and old is None and new is None:
        return f"article {current['id']} has only one version; nothing to compare"
    new = last if new is None else new
    old = new - 1 if old is None else old
    for number in (old, new):
        if not 1 <= number <= last:
            raise UsageError(f"article {current['id']} has versions 1 to {last}, not {number}")
    before, after = reader.load_version(current, old), reader.load_version(current, new)
    lines: list[str] = []
    for name in CONTENT_FIELDS:
        if before[name] != after[name]:
            lines += difflib.unified_diff(_field_lines(before[name]), _field_lines(after[name]),
                                          f"version {old}: {name}", f"version {new}: {name}",
                                          lineterm="")
    return "\n".join(lines) or f"versions {old} and {new} of {current['id']} have the same content"


def _field_lines(value: Any) -> list[str]:
    if isinstance(value, str):
        return value.splitlines()
    return json.dumps(value, ensure_ascii=False, indent=2).splitlines()
