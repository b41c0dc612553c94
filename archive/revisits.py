"""What the re-visit schedule needs of an article, as the index keeps it.

``broadsheet snapshot`` plans from one row per article: its URL, its site, the moment its age
counts from (``first_seen``: the earlier of its publication and its first fetch) and its last
fetch, as ISO 8601 UTC strings (``YYYY-MM-DDTHH:MM:SSZ``, which sort as they compare).  The
archive writes the row on every fetch and rebuilds it from the files' snapshots on reindex, so
planning reads the index, not every JSON file.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from archive.reading import record_site

_UTC = datetime.UTC
STAMP = "%Y-%m-%dT%H:%M:%SZ"


def revisit_row(record: Mapping[str, Any], fetched_at: str | None = None) -> tuple[str, str, str, str]:
    """``(url, site, first_seen, last_fetched)`` of a record, counting its snapshots and, when
    given, a fetch at ``fetched_at`` that is not in them yet.  ValueError when the record has
    no readable fetch time."""
    stamps = [snapshot["fetched_at"] for snapshot in record.get("snapshots") or ()]
    stamps += [record["fetched_at"]] if not stamps else []
    fetches = [moment(stamp) for stamp in [*stamps, *([fetched_at] if fetched_at else [])]]
    readable = [found for found in fetches if found is not None]
    if not readable:
        raise ValueError(f"record {record.get('id')} has no readable fetch time")
    first = min(readable)
    published = moment(record.get("published"))
    if published is not None and published < first:
        first = published
    return record["url"], record_site(dict(record)), _stamp(first), _stamp(max(readable))


def moment(value: object) -> datetime.datetime | None:
    """An ISO 8601 date or date-time as an aware UTC datetime (a naive one is taken as UTC)."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=_UTC)).astimezone(_UTC)


def _stamp(value: datetime.datetime) -> str:
    return value.strftime(STAMP)
