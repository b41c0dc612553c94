"""broadsheet's archive: deduplicated article records as JSON files, with an index (SQLite by
default, or PostgreSQL: ``archive.index``).

The lower layer: it never imports ``scraper``.  See ``archive.layout`` for the directory layout
and ``archive.store`` for how ``Archive.store`` deduplicates.
"""

from __future__ import annotations

from archive.errors import ArchiveError, BroadsheetError
from archive.outcome import StoreOutcome
from archive.record import SCHEMA_VERSION, load_schema
from archive.store import Archive, StoreResult

__all__ = [
    "SCHEMA_VERSION",
    "Archive",
    "ArchiveError",
    "BroadsheetError",
    "StoreOutcome",
    "StoreResult",
    "load_schema",
]
