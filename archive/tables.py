"""The flat tables ``broadsheet export --table`` writes besides the articles: one row per
comment and one row per snapshot, in every export format.

- ``comments``: every comment of every exported article, replies included, in page order (a
  parent before its replies).  ``comment_index`` numbers the article's comments from 0 in that
  order; ``parent_index`` is the index of the comment replied to (null for a top-level one);
  ``depth`` is 0 for a top-level comment, 1 for a reply, and so on.  So the row count is the
  number of comments in the records, replies counted.
- ``snapshots``: every fetch of every exported article (``record.SNAPSHOT_FIELDS``), in the
  order stored; a 304 (not modified) has null counters (see README, "views over time").

Rows are plain dicts with the columns in ``TABLE_COLUMNS`` order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import IO, Any

from archive.export import write_csv, write_jsonl, write_parquet
from archive.parquet import write_rows

TABLES = ("articles", "comments", "snapshots")
ColumnKind = str  # as in archive.export, plus "timestamp" (a UTC date-time string)

TABLE_COLUMNS: dict[str, tuple[tuple[str, ColumnKind], ...]] = {
    "comments": (("article_id", "string"), ("comment_index", "integer"),
                 ("parent_index", "integer"), ("depth", "integer"), ("author", "string"),
                 ("published", "string"), ("text", "string")),
    "snapshots": (("article_id", "string"), ("fetched_at", "timestamp"),
                  ("http_status", "integer"), ("views", "integer"),
                  ("comment_count", "integer"), ("content_hash", "string"),
                  ("version", "integer")),
}
"""(name, kind) of each column of the flat tables, in order."""


def table_rows(table: str, records: Iterable[Mapping[str, Any]]) -> Iterator[dict[str, Any]]:
    """The rows of ``table`` ("comments" or "snapshots") for ``records``, streaming."""
    rows_of = comment_rows if table == "comments" else snapshot_rows
    for record in records:
        yield from rows_of(record)


def comment_rows(record: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """One row per comment of ``record``, replies included, parents first (iterative, so a
    deep thread cannot exhaust the stack)."""
    article_id = record.get("id")
    stack: list[tuple[Any, int | None, int]] = [
        (comment, None, 0) for comment in reversed(record.get("comments") or [])]
    index = 0
    while stack:
        comment, parent, depth = stack.pop()
        if not isinstance(comment, Mapping):
            continue
        yield {"article_id": article_id, "comment_index": index, "parent_index": parent,
               "depth": depth, "author": comment.get("author"),
               "published": comment.get("published"), "text": comment.get("text")}
        stack.extend((reply, index, depth + 1) for reply in reversed(comment.get("replies") or []))
        index += 1


def snapshot_rows(record: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """One row per snapshot of ``record``."""
    names = [name for name, _ in TABLE_COLUMNS["snapshots"]][1:]
    for snapshot in record.get("snapshots") or []:
        if isinstance(snapshot, Mapping):
            yield {"article_id": record.get("id"), **{name: snapshot.get(name) for name in names}}


Records = Iterable[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class TableWriters:
    """How one table is written in each format: each takes the records (not the rows) and the
    output, and returns the number of rows written."""

    jsonl: Callable[[Records, IO[str]], int]
    csv: Callable[[Records, IO[str]], int]
    parquet: Callable[[Records, IO[bytes] | str], int]


def table_writers(table: str) -> TableWriters:
    """The writers of ``table`` (one of ``TABLES``; "articles" is one row per record)."""
    if table == "articles":
        return TableWriters(write_jsonl, write_csv, write_parquet)
    columns = TABLE_COLUMNS[table]
    names = [name for name, _ in columns]
    return TableWriters(
        lambda records, out: write_jsonl(table_rows(table, records), out),
        lambda records, out: write_csv(table_rows(table, records), out, names),
        lambda records, out: write_rows(table_rows(table, records), out, columns))
