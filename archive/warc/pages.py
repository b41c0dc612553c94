"""The pages of a WACZ package: one per archived article whose capture is in the package.

A record's capture is found by its ``warc`` pointer ({file, offset, length}) when it has one:
the page's URL and time are then those of that WARC record.  A record without a pointer (from
before WARC capture, or a file whose pointer is missing) is matched by its fetched URL (else its
canonical URL) in the index, its time being the record's ``fetched_at``.  A record whose page is
in no WARC of the package is left out (counted), since a replay could not show it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from archive.warc.cdxj import CdxjEntry
from archive.warc.wacz import Page


@dataclass(frozen=True, slots=True)
class PageSelection:
    pages: list[Page]
    not_captured: int


def archive_pages(records: Iterable[dict[str, Any]], entries: Sequence[CdxjEntry]) -> PageSelection:
    """The pages of ``records`` found among the index ``entries`` (see the module docstring)."""
    by_place = {(entry.fields["filename"], entry.offset): entry for entry in entries}
    urls = {entry.url for entry in entries}
    pages: list[Page] = []
    missing = 0
    for record in records:
        page = _page(record, by_place, urls)
        if page is None:
            missing += 1
        else:
            pages.append(page)
    return PageSelection(pages, missing)


def _page(record: dict[str, Any], by_place: dict[tuple[str, int], CdxjEntry],
          urls: set[str]) -> Page | None:
    title = record.get("title") if isinstance(record.get("title"), str) else None
    pointer = record.get("warc")
    if isinstance(pointer, dict):
        entry = by_place.get((str(pointer.get("file")), _int(pointer.get("offset"))))
        if entry is not None:
            return Page(record["id"], entry.url, iso_timestamp(entry.timestamp), title)
    for url in (record.get("fetched_url"), record.get("url")):
        if isinstance(url, str) and url in urls:
            return Page(record["id"], url, _utc(record["fetched_at"]), title)
    return None


def iso_timestamp(timestamp: str) -> str:
    """``20240513040001`` as ``2024-05-13T04:00:01Z``."""
    moment = datetime.strptime(timestamp[:14], "%Y%m%d%H%M%S")
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _utc(fetched_at: str) -> str:
    """A record's ``fetched_at`` (``...Z`` or ``...+00:00``, maybe with fractions) as
    ``YYYY-MM-DDTHH:MM:SSZ``."""
    return datetime.fromisoformat(fetched_at.replace("Z", "+00:00")).strftime("%Y-%m-%dT%H:%M:%SZ")


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else -1
