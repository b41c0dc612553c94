"""Export stored records as JSON lines, CSV or Parquet, streaming (memory stays flat).

- JSON lines: one full record per line, exactly as stored (any field, nested comments included).
- CSV and Parquet: one row per record, one column per top-level field of ``schema.json`` in its
  order (fields added to the schema later become columns automatically).  Strings, integers and
  null stay scalar (null is an empty CSV cell).  In CSV every list or object value (``authors``,
  ``tags``, ``aliases``, the threaded ``comments``...) is a JSON text, so nothing is lost and
  ``json.loads`` or DuckDB's ``from_json`` reads it back.  In Parquet lists of strings are
  ``list<string>`` columns and every other nested value (``comments`` and the like) a JSON
  string column.

Parquet needs pyarrow, an optional extra: ``pip install -e '.[parquet]'``.
"""

from __future__ import annotations

import csv
import importlib
import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

from archive.errors import ArchiveError
from archive.record import load_schema

FORMATS = ("jsonl", "csv", "parquet")
PARQUET_BATCH_ROWS = 1000
PYARROW_MISSING = ("Parquet export needs pyarrow, an optional extra: "
                   "pip install -e '.[parquet]' (or pip install pyarrow)")

ColumnKind = str  # "string", "integer", "string_list" or "json"


def export_columns() -> list[tuple[str, ColumnKind]]:
    """(name, kind) of each CSV/Parquet column, in schema order."""
    schema = load_schema()
    return [(name, _column_kind(spec, schema)) for name, spec in schema["properties"].items()]


def _column_kind(spec: dict[str, Any], schema: dict[str, Any]) -> ColumnKind:
    if "$ref" in spec:
        spec = {**schema["$defs"][spec["$ref"].rsplit("/", 1)[-1]], **spec}
        del spec["$ref"]
    if "const" in spec:
        return "integer" if isinstance(spec["const"], int) else "string"
    types = spec.get("type", [])
    scalar = {types} if isinstance(types, str) else set(types)
    scalar.discard("null")
    if scalar == {"string"}:
        return "string"
    if scalar == {"integer"}:
        return "integer"
    items = spec.get("items", {})
    if scalar == {"array"} and isinstance(items, dict) and items.get("type") == "string":
        return "string_list"
    return "json"


def write_jsonl(records: Iterable[dict[str, Any]], out: IO[str]) -> int:
    """One record per line (UTF-8 text, non-ASCII kept); returns the number written."""
    count = 0
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False))
        out.write("\n")
        count += 1
    return count


def write_csv(records: Iterable[dict[str, Any]], out: IO[str]) -> int:
    """A header row, then one row per record (see the module docstring); returns the count.
    ``out`` should be opened with ``newline=""``."""
    names = [name for name, _ in export_columns()]
    writer = csv.writer(out)
    writer.writerow(names)
    count = 0
    for record in records:
        writer.writerow([_csv_cell(record.get(name)) for name in names])
        count += 1
    return count


def _csv_cell(value: Any) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return value
    return json.dumps(value, ensure_ascii=False)


def write_parquet(records: Iterable[dict[str, Any]], out: IO[bytes] | str) -> int:
    """Parquet, written in row groups of ``PARQUET_BATCH_ROWS``; returns the count.
    Raises ArchiveError when pyarrow is not installed."""
    try:
        pa = importlib.import_module("pyarrow")  # optional extra: only this format needs it
        pq = importlib.import_module("pyarrow.parquet")
    except ImportError as error:
        raise ArchiveError(PYARROW_MISSING) from error
    columns = export_columns()
    types = {"string": pa.string(), "integer": pa.int64(),
             "string_list": pa.list_(pa.string()), "json": pa.string()}
    schema = pa.schema([(name, types[kind]) for name, kind in columns])
    count = 0
    with pq.ParquetWriter(out, schema) as writer:
        for batch in _batches(records, PARQUET_BATCH_ROWS):
            rows = {name: [_parquet_value(record.get(name), kind) for record in batch]
                    for name, kind in columns}
            try:
                table = pa.table(rows, schema=schema)
            except (pa.ArrowInvalid, pa.ArrowTypeError) as error:
                raise ArchiveError(f"a record does not fit the Parquet columns ({error}); find "
                                   "it with broadsheet verify") from error
            writer.write_table(table)
            count += len(batch)
    return count


def _parquet_value(value: Any, kind: ColumnKind) -> Any:
    if kind == "json" and value is not None:
        return json.dumps(value, ensure_ascii=False)
    return value


def _batches(records: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for record in records:
        batch.append(record)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
