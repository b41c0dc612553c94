"""Article records as files in a ``BlobStore``: read (upgraded, schema-checked) and written.

The one place that turns a record into stored bytes and back, for ``Archive`` (and through it
every command that opens an archive), whatever the storage: a local directory, a shared mount
or ``s3://`` object storage (``archive.storage``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from archive.errors import ArchiveError
from archive.layout import ARTICLES_DIR, Layout
from archive.record import find_problem, ordered, parse_record, to_json
from archive.storage.base import BlobNotFound, BlobStore
from archive.storage.local import LocalStore

MISSING = "is in the index but missing on disk; run reindex"


class RecordFiles:
    """The records of the archive whose index is in ``layout.root``, stored in ``storage``
    (default: that same directory)."""

    def __init__(self, layout: Layout, storage: BlobStore | None) -> None:
        self.layout = layout
        self.storage: BlobStore = LocalStore(layout.root) if storage is None else storage
        self.local = isinstance(self.storage, LocalStore) and self.storage.root == layout.root
        """Whether the files are in the index's own directory (the single-machine default)."""

    def read(self, relpath: str, *, missing: str = MISSING) -> dict[str, Any]:
        """A stored record (upgraded to the current schema_version), checked against the schema."""
        try:
            data = self.storage.read(relpath)
        except BlobNotFound as error:
            raise ArchiveError(f"{error.where} {missing}") from None
        where = self.storage.where(relpath)
        record = parse_record(data, where)
        problem = find_problem(record)
        if problem is not None:
            raise ArchiveError(f"{where} is not a valid article record ({problem}); restore it "
                               "from a backup, or delete it and run reindex")
        return record

    def write(self, relpath: str, record: Mapping[str, Any]) -> None:
        """Write a record that is valid by construction: a candidate ``build_record`` validated,
        or a record ``read`` validated, with only ``id``, ``aliases`` (unique non-empty URL
        keys), ``raw`` (a layout path), counters taken from a validated candidate, or history
        merged by ``archive.snapshots`` from validated records (snapshots and version entries
        built of their validated values, or of a ``fetched_at`` that ``check_fetched_at``
        passed) replaced.  Validating again would double the cost."""
        self.storage.write(relpath, to_json(ordered(record)))

    def path(self, relpath: str) -> Path:
        """The local file of ``relpath``; on other storage the key as a relative path."""
        return self.layout.absolute(relpath) if self.local else Path(relpath)

    def has_articles(self) -> bool:
        """Whether anything is stored under ``articles/`` (one directory read or listing)."""
        if self.local:
            return self.layout.has_articles()
        return self.storage.has_any(f"{ARTICLES_DIR}/")
