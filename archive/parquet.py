"""Parquet export with typed columns, for pandas, Polars and DuckDB without cleaning.

Articles (one row per record, columns in ``schema.json`` order, as ``archive.export``):

- ``fetched_at``, ``published_utc`` and ``modified_utc`` are ``timestamp[us, UTC]`` columns
  (``published``/``modified``, dates as the page shows them, stay strings);
- ``comments`` is a list of structs ``{author, published, text, replies}`` where ``replies`` is
  the comment's replies as JSON text (``[]`` when none): Parquet columns cannot nest to any
  depth, and the flat ``comments`` table (``archive.tables``) has every reply as its own row
  with its parent and depth;
- ``snapshots`` is a list of structs ``{fetched_at (timestamp), http_status, views,
  comment_count, content_hash, version}`` and ``versions`` a list of structs ``{version,
  fetched_at (timestamp), content_hash, changed (list of strings), path}``;
- lists of strings are ``list<string>``, any other nested value a JSON string column.

Flat tables (``--table comments``/``snapshots``) use the column kinds of
``archive.tables.TABLE_COLUMNS``.  pyarrow is an optional extra (``pip install -e '.[parquet]'``).
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import IO, Any

from archive.errors import ArchiveError

PARQUET_BATCH_ROWS = 1000
PYARROW_MISSING = ("Parquet export needs pyarrow, an optional extra: "
                   "pip install -e '.[parquet]' (or pip install pyarrow)")
TIMESTAMP_COLUMNS = ("fetched_at", "published_utc", "modified_utc")
NESTED_COLUMNS = ("comments", "snapshots", "versions")


def _pyarrow() -> tuple[Any, Any]:
    try:
        return importlib.import_module("pyarrow"), importlib.import_module("pyarrow.parquet")
    except ImportError as error:
        raise ArchiveError(PYARROW_MISSING) from error


def article_kinds(columns: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """The export columns with the timestamp and nested columns given their Parquet kinds."""
    return [(name, "timestamp" if name in TIMESTAMP_COLUMNS
             else name if name in NESTED_COLUMNS else kind) for name, kind in columns]


def arrow_type(pa: Any, kind: str) -> Any:
    """The Arrow type of a column kind."""
    timestamp = pa.timestamp("us", tz="UTC")
    simple = {"string": pa.string(), "integer": pa.int64(), "json": pa.string(),
              "string_list": pa.list_(pa.string()), "timestamp": timestamp}
    if kind in simple:
        return simple[kind]
    if kind == "comments":
        return pa.list_(pa.struct([("author", pa.string()), ("published", pa.string()),
                                   ("text", pa.string()), ("replies", pa.string())]))
    if kind == "snapshots":
        return pa.list_(pa.struct([
            ("fetched_at", timestamp), ("http_status", pa.int64()), ("views", pa.int64()),
            ("comment_count", pa.int64()), ("content_hash", pa.string()),
            ("version", pa.int64())]))
    return pa.list_(pa.struct([("version", pa.int64()), ("fetched_at", timestamp),
                               ("content_hash", pa.string()),
                               ("changed", pa.list_(pa.string())), ("path", pa.string())]))


def write_rows(rows: Iterable[dict[str, Any]], out: IO[bytes] | str,
               columns: Sequence[tuple[str, str]]) -> int:
    """Write ``rows`` as Parquet with ``columns`` (name, kind), in row groups of
    ``PARQUET_BATCH_ROWS``; returns the count.  ArchiveError when pyarrow is missing or a row
    does not fit its columns."""
    pa, pq = _pyarrow()
    schema = pa.schema([(name, arrow_type(pa, kind)) for name, kind in columns])
    count = 0
    with pq.ParquetWriter(out, schema) as writer:
        for batch in _batches(rows, PARQUET_BATCH_ROWS):
            try:
                values = {name: [convert(kind)(row.get(name)) for row in batch]
                          for name, kind in columns}
                table = pa.table(values, schema=schema)
            except (ValueError, TypeError, AttributeError, pa.ArrowInvalid,
                    pa.ArrowTypeError) as error:
                raise ArchiveError(f"a record does not fit the Parquet columns ({error}); find "
                                   "it with broadsheet verify") from error
            writer.write_table(table)
            count += len(batch)
    return count


def convert(kind: str) -> Callable[[Any], Any]:
    """The function turning a stored value into what the column of ``kind`` holds."""
    return _CONVERTERS.get(kind, _same)


def utc_datetime(value: Any) -> datetime | None:
    """An ISO 8601 UTC string (``...Z`` or ``+00:00``, up to 9 decimals) as an aware datetime."""
    if value is None:
        return None
    text = str(value).replace("Z", "+00:00")
    head, dot, rest = text.partition(".")
    if dot:  # datetime takes at most 6 decimals
        digits = rest[:-6]
        text = f"{head}.{digits[:6]:0<6}{rest[-6:]}"
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"{value!r} has no time zone")
    return moment.astimezone(UTC)


def _same(value: Any) -> Any:
    return value


def _json(value: Any) -> Any:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _comments(value: Any) -> Any:
    if value is None:
        return None
    return [{"author": item.get("author"), "published": item.get("published"),
             "text": item.get("text"),
             "replies": json.dumps(item.get("replies") or [], ensure_ascii=False)}
            for item in value]


def _snapshots(value: Any) -> Any:
    return None if value is None else [
        {**item, "fetched_at": utc_datetime(item.get("fetched_at"))} for item in value]


_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "json": _json, "timestamp": utc_datetime, "comments": _comments,
    "snapshots": _snapshots, "versions": _snapshots}


def _batches(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
