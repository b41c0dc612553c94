"""Export stored records as JSON lines, CSV or Parquet, streaming (memory stays flat).

- JSON lines: one full record per line, exactly as stored (any field, nested comments included).
- CSV and Parquet: one row per record, one column per top-level field of ``schema.json`` in its
  order (fields added to the schema later become columns automatically).  Strings, integers and
  null stay scalar (null is an empty CSV cell).  In CSV every list or object value (``authors``,
  ``tags``, ``aliases``, the threaded ``comments``...) is a JSON text, so nothing is lost and
  ``json.loads`` or DuckDB's ``from_json`` reads it back.  Parquet has typed columns: timestamps,
  nested lists of structs (see ``archive.parquet``).
- ``--table comments``/``snapshots``: flat tables, one row per comment or snapshot
  (``archive.tables``).

Parquet needs pyarrow, an optional extra: ``pip install -e '.[parquet]'``.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from typing import IO, Any

from archive.parquet import PYARROW_MISSING, article_kinds, write_rows
from archive.record import load_schema

FORMATS = ("jsonl", "csv", "parquet")
__all__ = ["FORMATS", "PYARROW_MISSING", "export_columns", "write_csv", "write_jsonl",
           "write_parquet"]

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


def write_csv(records: Iterable[dict[str, Any]], out: IO[str],
              names: Sequence[str] | None = None) -> int:
    """A header row, then one row per record (see the module docstring); returns the count.
    ``names`` are the columns (default: the records' ``export_columns``).  ``out`` should be
    opened with ``newline=""``."""
    names = names or [name for name, _ in export_columns()]
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
    """Parquet with typed columns (``archive.parquet``); returns the count.
    Raises ArchiveError when pyarrow is not installed."""
    return write_rows(records, out, article_kinds(export_columns()))
