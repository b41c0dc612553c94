"""Which index an archive uses: ``index.sqlite`` in its folder (the default), or one it is given.

``open_index("sqlite", root=...)`` or ``open_index("postgres", dsn=...)`` opens one by name
(or by the config's ``backend.kind``: ``embedded`` is SQLite); ``Archive(root, index=...,
reader=...)`` takes the result.  PostgreSQL is imported only when asked for, so the embedded
default needs no psycopg.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from archive.errors import ArchiveError
from archive.index.base import ArchiveIndex
from archive.index.sqlite import SqliteIndex, move_aside
from archive.layout import Layout

INDEX_CATCH_UP_SECONDS = 10.0

IndexKind = Literal["sqlite", "embedded", "postgres"]
"""``embedded`` (the config's ``backend.kind``) is ``sqlite``."""


def open_index(kind: IndexKind, *, root: Path | None = None, dsn: str | None = None) -> ArchiveIndex:
    """A new connection to the index of ``kind``: SQLite in archive folder ``root``, or the
    PostgreSQL database at ``dsn``.  Raises ArchiveError."""
    if kind == "postgres":
        if dsn is None:
            raise ArchiveError("a PostgreSQL index needs a database DSN (backend dsn)")
        try:
            from archive.index.postgres import PostgresIndex
        except ImportError as error:
            raise ArchiveError(f"the PostgreSQL index needs psycopg ({error}); install "
                               "broadsheet[postgres]") from error
        return PostgresIndex(dsn)
    if root is None:
        raise ArchiveError("a SQLite index needs the archive folder")
    return SqliteIndex(Layout(root).index_path)


def open_indexes(layout: Layout, has_articles: Callable[[], bool], *, reset_index: bool,
                 index: ArchiveIndex | None,
                 reader: ArchiveIndex | None) -> tuple[ArchiveIndex, ArchiveIndex]:
    """The (writer, reader) indexes of an ``Archive`` (see its docstring); ``has_articles``
    says whether its storage holds article files.  The archive owns the indexes from here on:
    they are closed on error as on ``Archive.close``."""
    if index is not None:
        try:
            if not reset_index and _unindexed_articles(index, has_articles):
                raise ArchiveError(f"the index of {layout.root} is empty but the archive holds "
                                   "articles; rebuild it with reindex")
        except ArchiveError:
            for given in {id(i): i for i in (index, reader) if i is not None}.values():
                given.close()
            raise
        return index, reader if reader is not None else index
    if reset_index:
        try:
            move_aside(layout.index_path)
        except OSError as error:
            raise layout.error(error, layout.index_path) from error
    elif not layout.index_path.exists() and has_articles():
        raise ArchiveError(f"index {layout.index_path} is missing but the archive holds "
                           "articles; rebuild it with reindex")
    writer = SqliteIndex(layout.index_path)
    # Lookups read through their own connection (WAL: readers never wait for the writer),
    # so a crawl's event loop is not held up while a worker thread stores an article.
    try:
        return writer, SqliteIndex(layout.index_path)
    except ArchiveError:
        writer.close()
        raise


def _unindexed_articles(index: ArchiveIndex, has_articles: Callable[[], bool],
                        patience: float = INDEX_CATCH_UP_SECONDS) -> bool:
    """Whether storage holds articles that the (shared) index does not know of.  Another worker
    writes an article's file just before its index row, so an index that is empty while the
    first file is there is given ``patience`` seconds to catch up before it is called lost."""
    deadline = time.monotonic() + patience
    while index.count() == 0 and has_articles():
        if time.monotonic() >= deadline:
            return True
        time.sleep(0.1)
    return False
