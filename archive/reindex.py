"""Rebuild the index from the JSON files (``broadsheet reindex``).

A usable index is rebuilt in place, keeping the HTTP validators (ETag, Last-Modified) that
only it holds.  A missing or corrupt one is moved aside (``index.sqlite.old``) and a new one
built; a locked or newer-format index is an error, never moved aside.  A given index (such
as ``PostgresIndex``) is rebuilt in place, in one transaction.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from archive.errors import ArchiveError
from archive.index.base import ArchiveIndex
from archive.layout import ARTICLES_DIR, INDEX_FILE
from archive.reading import connect_readonly
from archive.storage.base import BlobStore
from archive.store import Archive


@dataclass(frozen=True, slots=True)
class ReindexResult:
    """How many articles the rebuilt index holds, and why the old index was replaced (None
    when it was rebuilt in place)."""

    articles: int
    replaced_because: str | None


def reindex(root: Path, *, storage: BlobStore | None = None,
            index: ArchiveIndex | None = None) -> ReindexResult:
    """Rebuild the index of the archive at ``root`` (``index.sqlite``, or ``index``, which is
    closed afterwards; its files in ``storage`` when given, e.g. ``s3://``).  Raises
    ArchiveError (naming the file) when a record file cannot be indexed; the old index then
    stays as it was."""
    try:
        _check_archive(root, storage)
    except ArchiveError:
        if index is not None:
            index.close()
        raise
    reason = unusable_index(root / INDEX_FILE) if index is None else None
    with Archive(root, reset_index=index is not None or reason is not None, storage=storage,
                 index=index) as archive:
        total = archive.rebuild_index()
    return ReindexResult(total, reason)


def _check_archive(root: Path, storage: BlobStore | None) -> None:
    if storage is None and not (root / ARTICLES_DIR).is_dir():
        raise ArchiveError(f"{root} is not an archive directory (no {ARTICLES_DIR}/ folder); "
                           "pass the archive with --archive")
    if storage is not None and not storage.has_any(f"{ARTICLES_DIR}/"):
        raise ArchiveError(f"{storage.url} holds no archive (nothing under {ARTICLES_DIR}/); "
                           "check backend.storage")


def unusable_index(path: Path) -> str | None:
    """Why the index at ``path`` cannot be rebuilt in place (missing, corrupt), or None."""
    if not path.exists():
        return "it was missing"
    try:
        connection = connect_readonly(path)
        try:
            rows = connection.execute("PRAGMA quick_check(1)").fetchall()
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        code = getattr(error, "sqlite_errorname", "")
        if code in ("SQLITE_CORRUPT", "SQLITE_NOTADB") or "not a database" in str(error):
            return f"it was corrupt ({error})"
        raise ArchiveError(f"cannot read index {path} ({error}); try again when no other "
                           "broadsheet process uses the archive") from error
    if rows != [("ok",)]:
        return f"it was corrupt ({rows[0][0]})"
    return None
