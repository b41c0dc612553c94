"""The stored record: fields in their documented order, schema validation, JSON bytes.

A stored record is the extractor's record plus the archive's own fields (see ``schema.json``).
Files are written in ``FIELD_ORDER`` (not sorted keys) so that they read like the README and the
same record always gives the same bytes.

The extractor's fields fall in two groups: ``CONTENT_FIELDS`` (what the article says, comments
included: a change makes a new version) and ``VOLATILE_FIELDS`` (view and comment counters: a
change is snapshot data only).  See ``archive.snapshots``.  Files of ``schema_version`` 1 (no
history) are upgraded in memory when read (``parse_record``) and written as version 2 the next
time the article is stored.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator, ValidationError

from archive.dedup import content_hash
from archive.errors import ArchiveError
from archive.timestamps import UTC_FIELDS, utc_fields

SCHEMA_VERSION = 2

EXTRACTOR_FIELDS = (
    "url", "title", "authors", "published", "modified", "views", "comment_count", "comments",
    "body", "language", "site_name", "description", "tags", "image",
)
ARCHIVE_FIELDS = (
    "content_hash", "aliases", "duplicate_of", "fetched_url", "fetched_at", "http_status", "raw", "warc",
    "version", "versions", "snapshots", "schema_version",
)
CRAWL_FIELDS = ("canonical_claimed",)
"""Set by the crawler in the record it stores, null when it gives none: ``canonical_claimed``
is a rel=canonical on another site that the page named but that site did not confirm (the
record stays under the URL that served it).  Not content, and optional in files: older files
lack it and are read as null."""
DERIVED_FIELDS = tuple(UTC_FIELDS)
"""Computed by the archive from the extractor's fields (``archive.timestamps``): the page dates
as UTC instants.  Optional in files: older files lack them and are read as null until the
article is fetched or re-extracted again."""
WARC_FIELDS = ("warc",)
"""The WARC capture a version (or a snapshot's fetch) was extracted from (``archive.warc``):
optional in files, older ones lack it (read as null); a snapshot entry has it only when its
fetch was captured."""
OPTIONAL_FIELDS = (*CRAWL_FIELDS, *DERIVED_FIELDS, *WARC_FIELDS)
_MODIFIED = EXTRACTOR_FIELDS.index("modified") + 1
FIELD_ORDER = ("id", *EXTRACTOR_FIELDS[:_MODIFIED], *DERIVED_FIELDS,
               *EXTRACTOR_FIELDS[_MODIFIED:], *CRAWL_FIELDS, *ARCHIVE_FIELDS)
COMMENT_FIELDS = ("author", "published", "text", "replies")

CONTENT_FIELDS = (
    "url", "title", "authors", "published", "modified", "comments", "body", "language",
    "site_name", "description", "tags", "image",
)
"""What the article says: a change in any of them makes a new version (what "unchanged" compares)."""
VOLATILE_FIELDS = ("views", "comment_count")
"""Counters that move on every visit: the current record holds the last full fetch's values, each
snapshot the values of its fetch; they never make a new version."""
SNAPSHOT_FIELDS = ("fetched_at", "http_status", "views", "comment_count", "content_hash", "version")
SNAPSHOT_OPTIONAL_FIELDS = WARC_FIELDS
VERSION_FIELDS = ("version", "fetched_at", "content_hash", "changed", "path")

_MESSAGE_CHARS = 160
MAX_COUNTER = 10**12
"""The largest ``views``/``comment_count`` a record holds, the extractor's bound too
(``scraper.extract.numbers.MAX_COUNT``): a larger number is an id, a phone number or a hostile
page's, not a counter, and it would not fit a Parquet export's int64 column.  A larger value
given to ``store`` or found in a file is read as null."""


def load_schema() -> dict[str, Any]:
    """The JSON Schema of a stored record (``archive/schema.json``)."""
    text = resources.files("archive").joinpath("schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


_SCHEMA = load_schema()
_VALIDATOR = Draft202012Validator(_SCHEMA)
_FETCHED_AT = re.compile(_SCHEMA["$defs"]["fetched_at"]["pattern"])


def check_fetched_at(value: str) -> None:
    """Raise ArchiveError unless ``value`` is an ISO 8601 UTC date-time as schema.json requires."""
    if not isinstance(value, str) or not _FETCHED_AT.fullmatch(value):
        raise ArchiveError(f"fetched_at {value!r} is not an ISO 8601 UTC date-time "
                           "(YYYY-MM-DDTHH:MM:SS[.ffffff] followed by Z or +00:00)")


@dataclass(frozen=True, slots=True)
class Visit:
    """The per-fetch fields of a record."""

    fetched_url: str
    fetched_at: str
    http_status: int
    raw: str | None
    warc: dict[str, Any] | None = None  # the capture's WARC pointer


def build_record(extracted: Mapping[str, Any], *, article_id: str, aliases: Iterable[str],
                 visit: Visit) -> dict[str, Any]:
    """The extractor's record plus the archive's fields, validated, in documented order: version
    1 with one snapshot (this visit).  ``archive.snapshots`` merges it into a stored record.

    Raises ArchiveError naming the first offending field (in documented order).
    """
    owned = sorted(set(extracted) & {"id", *DERIVED_FIELDS, *ARCHIVE_FIELDS})
    if owned:
        raise ArchiveError(f"record field '{owned[0]}' is set by the archive; "
                           "leave it out of the record passed to store()")
    body = extracted.get("body")
    record: dict[str, Any] = {
        "id": article_id,
        **extracted,
        **{name: extracted.get(name) for name in CRAWL_FIELDS},
        **utc_fields(extracted),
        "content_hash": content_hash(body) if isinstance(body, str) else None,
        "aliases": sorted(aliases),
        "duplicate_of": None,
        "fetched_url": visit.fetched_url,
        "fetched_at": visit.fetched_at,
        "http_status": visit.http_status,
        "raw": visit.raw,
        "warc": visit.warc,
        "version": 1,
        "versions": [],
        "snapshots": [],
        "schema_version": SCHEMA_VERSION,
    }
    _null_wild_counters(record)
    record["snapshots"] = [snapshot_of(record, fetched_at=visit.fetched_at,
                                       http_status=visit.http_status, warc=visit.warc)]
    validate(record)
    return ordered(record)


def snapshot_of(record: Mapping[str, Any], *, fetched_at: Any,
                http_status: Any, warc: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A snapshot entry for a fetch that showed ``record`` (its counters, hash and version), with
    the fetch's WARC pointer when it was captured.  Values are not checked here: the record they
    go into is validated (or built of valid ones)."""
    entry = {"fetched_at": fetched_at, "http_status": http_status, "views": record.get("views"),
             "comment_count": record.get("comment_count"),
             "content_hash": record.get("content_hash"), "version": record.get("version")}
    if warc is not None:
        entry["warc"] = dict(warc)
    return entry


def validate(record: Mapping[str, Any]) -> None:
    """Raise ArchiveError naming the field if ``record`` does not match ``schema.json``."""
    problem = find_problem(record)
    if problem is not None:
        url = record.get("url")
        raise ArchiveError(f"invalid record for {url!r}: {problem}")


def find_problem(record: Mapping[str, Any]) -> str | None:
    """``field 'x': what is wrong`` for the first invalid field in documented order, or None."""
    if _VALIDATOR.is_valid(record):  # the common case, and faster than collecting errors
        return None
    errors = list(_VALIDATOR.iter_errors(record))
    error = min(errors, key=_field_rank)
    message = " ".join(error.message.split())
    if len(message) > _MESSAGE_CHARS:
        message = message[:_MESSAGE_CHARS] + "…"
    return f"field '{_field_path(error)}': {message}"


def ordered(record: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of a valid record with fields (and comment fields) in documented order."""
    out = {name: record.get(name) if name in OPTIONAL_FIELDS else record[name]
           for name in FIELD_ORDER}
    out["authors"] = list(record["authors"])
    out["tags"] = list(record["tags"])
    out["aliases"] = list(record["aliases"])
    out["comments"] = [_ordered_comment(comment) for comment in record["comments"]]
    out["versions"] = list(record["versions"])
    out["snapshots"] = list(record["snapshots"])  # entries are built in SNAPSHOT_FIELDS order
    return out


def content_fields(record: Mapping[str, Any]) -> dict[str, Any]:
    """The fields that describe the article itself (what "unchanged" compares)."""
    return {name: record[name] for name in CONTENT_FIELDS}


def to_json(record: Mapping[str, Any]) -> bytes:
    """UTF-8 JSON, indent 2, non-ASCII kept, trailing newline: deterministic for one record."""
    text = json.dumps(record, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ArchiveError(f"record for {record.get('url')!r} holds text that is not valid "
                           f"Unicode ({error.reason} at character {error.start}); "
                           "it cannot be stored as UTF-8") from error


def parse_record(data: bytes, where: str) -> dict[str, Any]:
    """Parse a stored file, upgraded to the current ``schema_version`` (not yet validated: see
    ``find_problem``); ArchiveError (naming ``where``) when it is not a JSON object."""
    try:
        record = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ArchiveError(f"{where} is corrupt ({error}); restore it from a backup, "
                           "or delete it and run reindex") from error
    if not isinstance(record, dict):
        raise ArchiveError(f"{where} is corrupt (not a JSON object); restore it from a backup, "
                           "or delete it and run reindex")
    if record.get("schema_version") == 1:
        record = upgrade_v1(record)
    return _null_wild_counters(record)


def _null_wild_counters(record: dict[str, Any]) -> dict[str, Any]:
    """Set to null (in place) every integer counter over ``MAX_COUNTER``, in the record and
    in its snapshots; returns the record."""
    snapshots = record.get("snapshots")
    holders = [record, *(snapshots if isinstance(snapshots, list) else ())]
    for holder in holders:
        if not isinstance(holder, dict):
            continue
        for name in VOLATILE_FIELDS:
            value = holder.get(name)
            if isinstance(value, int) and not isinstance(value, bool) and value > MAX_COUNTER:
                holder[name] = None
    return record


def upgrade_v1(record: Mapping[str, Any]) -> dict[str, Any]:
    """A ``schema_version`` 1 record as version 2: version 1 of the article, whose one snapshot
    is the fetch the file recorded.  Malformed values pass through for validation to name."""
    upgraded = {name: value for name, value in record.items() if name != "schema_version"}
    upgraded.update(duplicate_of=None, version=1, versions=[], snapshots=[],
                    schema_version=SCHEMA_VERSION)
    upgraded["snapshots"] = [snapshot_of(upgraded, fetched_at=record.get("fetched_at"),
                                         http_status=record.get("http_status"))]
    return upgraded


def _ordered_comment(comment: Mapping[str, Any]) -> dict[str, Any]:
    out = {name: comment[name] for name in COMMENT_FIELDS}
    out["replies"] = [_ordered_comment(reply) for reply in comment["replies"]]
    return out


def _field_path(error: ValidationError) -> str:
    parts = [f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.absolute_path]
    named = _named_properties(error)
    if named:
        parts.append(f".{named[0]}")
    return "".join(parts).lstrip(".") or "(record)"


def _named_properties(error: ValidationError) -> list[str]:
    """The missing or unexpected property names a ``required``/``additionalProperties`` error is about."""
    if not isinstance(error.instance, Mapping):
        return []
    if error.validator == "required":
        return [name for name in error.validator_value if name not in error.instance]
    if error.validator == "additionalProperties":
        known = error.schema.get("properties", {})
        return sorted(str(name) for name in error.instance if name not in known)
    return []


def _field_rank(error: ValidationError) -> tuple[int, int]:
    """Sort key: position of the top-level field in FIELD_ORDER, then nesting depth."""
    path = list(error.absolute_path)
    top = path[0] if path else next(iter(_named_properties(error)), None)
    position = FIELD_ORDER.index(top) if top in FIELD_ORDER else len(FIELD_ORDER)
    return position, len(path)
