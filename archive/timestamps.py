"""UTC timestamps derived from the page's own dates: ``published_utc`` and ``modified_utc``.

``published``/``modified`` keep the date as the page shows it (a day, or a time with or without
its UTC offset).  Beside them the archive stores the same instant in one shape that pandas,
Polars and DuckDB parse in one call, ``YYYY-MM-DDTHH:MM:SSZ``, when, and only when, the page
gives a time with a time zone (an offset, or an explicit ``Z``/UTC).  A day alone, or a time in
an unknown zone, is not an instant: null.  Computed when the record is built (``build_record``),
from what the extractor found; no network, no guessing of zones.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

UTC_FIELDS = {"published_utc": "published", "modified_utc": "modified"}
"""Each derived field and the page-date field it comes from, in documented order."""

_ZONED = re.compile(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def utc_timestamp(page_date: Any) -> str | None:
    """``page_date`` (ISO 8601 as the page gives it) as ``YYYY-MM-DDTHH:MM:SSZ`` in UTC, or None
    when it has no time zone, no time, or is not a valid date (fractions of a second dropped)."""
    if not isinstance(page_date, str):
        return None
    match = _ZONED.fullmatch(page_date)
    if match is None:
        return None
    local, zone = match.groups()
    try:
        moment = datetime.fromisoformat(local + ("+00:00" if zone == "Z" else zone))
    except ValueError:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def utc_fields(record: Mapping[str, Any]) -> dict[str, str | None]:
    """``{"published_utc": ..., "modified_utc": ...}`` for a record's page dates."""
    return {name: utc_timestamp(record.get(source)) for name, source in UTC_FIELDS.items()}
