"""How a configuration reaches its archive: the one place that turns ``Config`` into open
archives, readers and record streams, on either backend (``scraper.config_backend``).

- ``embedded`` (the default): the archive folder ``archive.directory`` holds everything,
  ``index.sqlite`` included, exactly as before the backends existed;
- ``postgres``: the index is in the database ``backend.dsn``; the files (``articles/``,
  ``raw/``, ``versions/``) are in ``backend.storage`` (a shared directory or ``s3://``), else
  in ``archive.directory``.  That folder still holds what is local to one machine: writer
  marks, the queue files of ``snapshot`` and ``add``, and on S3 storage the WARC spool
  (``warc-spool/``, see ``scraper.crawl.warc_capture``).

Every command that reads or repairs an archive (stats, verify, reindex, export, reextract,
show, list, history, diff, snapshot, watch) opens it through ``archive_access(config)``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archive import Archive
from archive.errors import ArchiveError
from archive.index.base import ArchiveIndex
from archive.index.opening import open_index
from archive.layout import ARTICLES_DIR, is_archive
from archive.lookup import ArchiveReader
from archive.reading import RecordFilter, iter_records
from archive.reindex import ReindexResult, reindex
from archive.stats import ArchiveStats, CrawlOutcomes, archive_stats
from archive.storage import BlobStore, open_store
from archive.verify import VerifyReport, verify_archive
from scraper.config import Config


@dataclass(frozen=True, slots=True)
class ArchiveAccess:
    """Where one archive is: ``root`` (the local folder: the SQLite index of an embedded
    archive, writer marks, snapshot queue), ``dsn`` (the PostgreSQL index, None: SQLite in
    ``root``) and ``storage`` (the files' URL, None: ``root`` itself) with its options."""

    root: Path
    dsn: str | None = None
    storage: str | None = None
    storage_options: tuple[tuple[str, str], ...] = ()

    @classmethod
    def embedded(cls, root: str | Path) -> ArchiveAccess:
        """The single-machine archive in folder ``root``."""
        return cls(Path(root))

    @property
    def where(self) -> str:
        """The archive, for messages: its folder, or its index database and its files."""
        if self.dsn is None and self.storage is None:
            return str(self.root)
        index = str(self.root) if self.dsn is None else f"index {_describe(self.dsn)}"
        return f"{index}, files in {self.storage or self.root}"

    def store(self) -> BlobStore | None:
        """The files' store, or None when they are under ``root`` (the default)."""
        if self.storage is None:
            return None
        return open_store(self.storage, dict(self.storage_options))

    def index(self) -> ArchiveIndex | None:
        """A new connection to the PostgreSQL index; None for ``index.sqlite`` in ``root``."""
        return None if self.dsn is None else open_index("postgres", dsn=self.dsn)

    def exists(self) -> bool:
        """Whether there is an archive here: embedded, a local ``articles/`` folder (as ever);
        else an index schema in the database, or article files in the storage.  ArchiveError
        when the database or the storage cannot be reached."""
        if self.dsn is None and self.storage is None:
            return is_archive(self.root)
        if self.dsn is not None and _has_postgres_index(self.dsn):
            return True
        store = self.store()
        if store is None:
            return is_archive(self.root)
        return store.has_any(f"{ARTICLES_DIR}/")

    def open_archive(self) -> Archive:
        """The archive opened for writing (created when missing), on this backend."""
        storage = self.store()
        index = self.index()
        reader: ArchiveIndex | None = None
        try:
            reader = None if index is None else self.index()
            return Archive(self.root, storage=storage, index=index, reader=reader)
        except ArchiveError:  # closing twice is harmless; a leaked connection is not
            _close(index)
            _close(reader)
            raise

    def open_reader(self) -> ArchiveReader:
        """The archive opened for lookups only (see ``ArchiveReader``)."""
        storage = self.store()
        return ArchiveReader(self.root, storage=storage, index=self.index())

    def records(self, selection: RecordFilter | None = None,
                on_bad: Callable[[str], None] | None = None) -> Iterator[dict[str, Any]]:
        """Every stored record, from the files (see ``archive.reading.iter_records``)."""
        return iter_records(self.root, selection, on_bad, storage=self.store())

    def stats(self, selection: RecordFilter | None, on_bad: Callable[[str], None] | None,
              outcomes: CrawlOutcomes | None) -> ArchiveStats:
        return archive_stats(self.root, selection, on_bad, outcomes, storage=self.store())

    def verify(self, *, hash_raw: bool = True) -> VerifyReport:
        """``archive.verify.verify_archive`` on this backend (read-only)."""
        from scraper.crawl.warc_capture import warc_source  # (it imports this module)

        storage = self.store()
        index = self.index()
        try:
            return verify_archive(self.root, hash_raw=hash_raw, storage=storage, index=index,
                                  warc_dir=warc_source(self))
        finally:
            _close(index)

    def reindex(self) -> ReindexResult:
        """``archive.reindex.reindex`` on this backend."""
        storage = self.store()
        return reindex(self.root, storage=storage, index=self.index())


def archive_access(config: Config) -> ArchiveAccess:
    """Where the archive of ``config`` is (see the module docstring)."""
    backend = config.backend
    return ArchiveAccess(Path(config.archive.directory),
                         dsn=backend.dsn if backend.shared else None,
                         storage=backend.storage,
                         storage_options=backend.storage_options)


def _has_postgres_index(dsn: str) -> bool:
    try:
        from archive.index.postgres import has_index
    except ImportError as error:
        raise ArchiveError(f"the PostgreSQL backend needs psycopg ({error}); install "
                           "broadsheet[postgres]") from error
    return has_index(dsn)


def _describe(dsn: str) -> str:
    """``host:port/db`` of the DSN (never its password)."""
    try:
        from archive.index.postgres import describe
    except ImportError:
        return "(PostgreSQL)"
    return describe(dsn)


def _close(index: ArchiveIndex | None) -> None:
    if index is not None:
        index.close()
