"""An archived record as text for a person: what ``broadsheet show`` and ``history`` print."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from typing import Any

WIDTH = 78
INDENT = "  "


def render_record(record: dict[str, Any]) -> str:
    """Header lines (title, url, site, authors, dates, counters, history), the body wrapped to
    ``WIDTH`` paragraph by paragraph, then the comments indented by reply depth."""
    snapshots, versions = len(record["snapshots"]), record["version"]
    header = [
        ("title", record.get("title")),
        ("url", record["url"]),
        ("site", record.get("site_name")),
        ("authors", ", ".join(record.get("authors") or []) or None),
        ("published", record.get("published")),
        ("views", record.get("views")),
        ("comments", record.get("comment_count")),
        ("versions", f"{versions}, {snapshots} snapshot{'s' * (snapshots != 1)}"),
        ("id", record["id"]),
    ]
    lines = [f"{name + ':':<11}{'-' if value is None else value}" for name, value in header]
    lines.append("")
    for paragraph in (record.get("body") or "").splitlines():
        lines.append(textwrap.fill(paragraph, WIDTH) if paragraph.strip() else "")
    comments = list(_comment_lines(record.get("comments") or [], 1))
    if comments:
        lines += ["", f"comments ({len(record.get('comments') or [])} threads):", *comments]
    return "\n".join(lines).rstrip()


def _comment_lines(comments: list[dict[str, Any]], depth: int) -> Iterator[str]:
    pad = INDENT * depth
    for comment in comments:
        who = comment.get("author") or "anonymous"
        when = comment.get("published")
        yield f"{pad}- {who}" + (f" ({when})" if when else "")
        text = comment.get("text") or ""
        yield from textwrap.wrap(text, WIDTH, initial_indent=pad + INDENT,
                                 subsequent_indent=pad + INDENT) or [pad + INDENT]
        yield from _comment_lines(comment.get("replies") or [], depth + 1)


def render_history(record: dict[str, Any]) -> str:
    """One line per snapshot, oldest first: time, HTTP status, views, comment count, version."""
    rows = [("fetched_at", "status", "views", "comments", "version")]
    rows += [(snapshot["fetched_at"], *(_cell(snapshot[name]) for name in
              ("http_status", "views", "comment_count", "version")))
             for snapshot in record["snapshots"]]
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
             for row in rows]
    return "\n".join([f"{record['url']} ({record['id']}): {len(record['snapshots'])} "
                      f"snapshots, version {record['version']} current", *lines])


def _cell(value: Any) -> str:
    return "-" if value is None else str(value)
