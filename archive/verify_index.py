"""The index half of ``archive.verify``: compare ``index.sqlite`` with the record files.

``verify`` notes each file in a scratch database (tables ``files`` and ``file_keys``); here the
index is attached to it read-only and every disagreement is one SQL join, so nothing is held in
memory.  Reads the index's ``articles (id, path, dedup_hash)`` and ``url_keys (url_key,
article_id)`` tables (see ``archive.index.sqlite``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from archive.layout import INDEX_FILE
from archive.reading import readonly_uri

AddProblem = Callable[[str, str, str, str], None]
"""``add(kind, where, detail, repair)``"""

Describe = Callable[[tuple[Any, ...]], tuple[str, str]]

_VALID = "f.valid = 1"
_CHECKS: tuple[tuple[str, str, Describe], ...] = (
    ("unindexed",
     f"SELECT f.path FROM files f LEFT JOIN idx.articles a ON a.id = f.id "
     f"WHERE {_VALID} AND a.id IS NULL ORDER BY f.path",
     lambda row: (row[0], "not in the index")),
    ("index_path",
     f"SELECT f.path, a.path FROM files f JOIN idx.articles a ON a.id = f.id "
     f"WHERE {_VALID} AND a.path IS NOT f.path ORDER BY f.path",
     lambda row: (row[0], f"the index has this article at {row[1]}")),
    ("index_hash",
     f"SELECT f.path FROM files f JOIN idx.articles a ON a.id = f.id "
     f"WHERE {_VALID} AND a.path = f.path AND a.dedup_hash IS NOT f.dedup_hash ORDER BY f.path",
     lambda row: (row[0], "the index holds another content hash for it")),
    ("index_orphan",
     "SELECT a.path, a.id FROM idx.articles a LEFT JOIN files f ON f.id = a.id "
     "WHERE f.id IS NULL ORDER BY a.id",
     lambda row: (row[0], f"the index lists article {row[1]} here, but there is no such file")),
    ("url_key_missing",
     f"SELECT f.path, k.url_key, u.article_id FROM file_keys k JOIN files f ON f.id = k.article_id "
     f"LEFT JOIN idx.url_keys u ON u.url_key = k.url_key "
     f"WHERE {_VALID} AND u.article_id IS NOT k.article_id AND NOT EXISTS (SELECT 1 FROM "
     f"file_keys o WHERE o.url_key = k.url_key AND o.article_id <> k.article_id) "
     f"ORDER BY f.path, k.url_key",
     lambda row: (row[0], f"its URL {row[1]} is "
                  + ("not in the index" if row[2] is None else f"indexed as article {row[2]}"))),
    ("url_key_orphan",
     "SELECT u.url_key, u.article_id FROM idx.url_keys u WHERE NOT EXISTS (SELECT 1 FROM "
     "file_keys k WHERE k.url_key = u.url_key) AND NOT EXISTS (SELECT 1 FROM files f WHERE "
     "f.id = u.article_id AND f.valid = 0) ORDER BY u.url_key",
     lambda row: (row[0], f"indexed as article {row[1]}, but no article file has this URL")),
)
_CONTESTED_SQL = ("SELECT k.url_key, group_concat(f.path, ' and ') FROM file_keys k JOIN files f "
                  "ON f.id = k.article_id GROUP BY k.url_key HAVING count(*) > 1 ORDER BY k.url_key")


def check_index(root: Path, scratch: sqlite3.Connection, add: AddProblem,
                reindex: str) -> int | None:
    """Report every disagreement between the index and the files noted in ``scratch``;
    the number of articles in the index, or None when it is missing or unreadable."""
    _check_contested_keys(scratch, add)
    path = root / INDEX_FILE
    if not path.is_file():
        if scratch.execute("SELECT EXISTS (SELECT 1 FROM files)").fetchone()[0]:
            add("index_missing", INDEX_FILE, "there is no index, but the archive holds articles",
                reindex)
        return None
    scratch.commit()  # ATTACH cannot run inside the transaction the inserts opened
    try:
        scratch.execute("ATTACH DATABASE ? AS idx", (readonly_uri(path),))
    except sqlite3.Error as error:
        add("index_unreadable", INDEX_FILE, f"cannot be opened ({error})", reindex)
        return None
    return _compare(scratch, add, reindex)


def _compare(scratch: sqlite3.Connection, add: AddProblem, reindex: str) -> int | None:
    try:
        (total,) = scratch.execute("SELECT count(*) FROM idx.articles").fetchone()
        for kind, sql, describe in _CHECKS:
            for row in scratch.execute(sql):
                where, detail = describe(row)
                add(kind, where, detail, reindex)
    except sqlite3.Error as error:
        add("index_unreadable", INDEX_FILE, f"cannot be read ({error})", reindex)
        return None
    return int(total)


def _check_contested_keys(scratch: sqlite3.Connection, add: AddProblem) -> None:
    """A URL in two article files: the index can map it to one only."""
    for url_key, paths in scratch.execute(_CONTESTED_SQL):
        add("url_key_contested", url_key, f"claimed by {paths}",
            f"keep {url_key} in one of {paths} only (delete the other file, or remove the URL "
            "from its aliases); then run broadsheet reindex")
