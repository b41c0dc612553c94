"""Read-only access to an archive directory, for export, stats and verify.

The JSON files are the source of truth, so these readers walk ``articles/`` themselves rather
than ask the index: they work on a stale or missing index and on a read-only copy of an archive
(``Archive`` itself creates directories and opens the index for writing).  Records are streamed
one file at a time, in site-directory order; nothing is loaded all at once.  With ``storage``
(an ``archive.storage`` BlobStore, e.g. ``s3://``) the files are listed and read there instead.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from archive.errors import ArchiveError
from archive.layout import Layout, article_keys, is_archive
from archive.record import find_problem, parse_record
from archive.storage.base import BlobStore

UNKNOWN = "unknown"
"""Site or month of a record that has no usable URL host or date."""


def iter_record_files(root: Path) -> Iterator[Path]:
    """Every ``articles/<site>/<id>.json`` under ``root``; ArchiveError when there is no archive."""
    if not is_archive(root):
        raise ArchiveError(f"{root} is not an archive directory (no articles/ folder); "
                           "pass the archive with --archive")
    return Layout(root).iter_article_files()


def read_record(path: Path) -> dict[str, Any]:
    """One stored file parsed (not schema-checked); ArchiveError naming it when unreadable."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ArchiveError(f"cannot read {path}: {error.strerror or error}; "
                           "check it with broadsheet verify") from error
    return parse_record(data, str(path))


def read_stored(storage: BlobStore, key: str) -> dict[str, Any]:
    """One stored object parsed (not schema-checked); ArchiveError naming it when unreadable."""
    try:
        data = storage.read(key)
    except ArchiveError as error:
        raise ArchiveError(f"cannot read {storage.where(key)}: {error}; check it with "
                           "broadsheet verify") from error
    return parse_record(data, storage.where(key))


@dataclass(frozen=True, slots=True)
class RecordFilter:
    """Which records an export or stats run covers: ``since`` (a day, inclusive) compared with
    the record's day (see ``record_day``), ``site`` with ``record_site``."""

    since: datetime.date | None = None
    site: str | None = None

    def matches(self, record: dict[str, Any]) -> bool:
        if self.site is not None and record_site(record) != normalise_site(self.site):
            return False
        if self.since is not None:
            day = record_day(record)
            return day is not None and day >= self.since
        return True


def iter_records(root: Path, selection: RecordFilter | None = None,
                 on_bad: Callable[[str], None] | None = None, *,
                 storage: BlobStore | None = None) -> Iterator[dict[str, Any]]:
    """Every stored record (optionally only those ``selection`` matches), one file at a time.

    Without ``on_bad`` a file that is not a JSON object raises ArchiveError.  With it, such a
    file, and one that fails the record schema, is skipped and ``on_bad`` gets one line saying
    which file and what is wrong, so one corrupt record does not stop the others."""
    for path, read in _readers(root, storage):
        record = _checked_record(path, read, on_bad) if on_bad is not None else read()
        if record is not None and (selection is None or selection.matches(record)):
            yield record


_Reader = Callable[[], dict[str, Any]]


def _readers(root: Path, storage: BlobStore | None) -> Iterator[tuple[str, _Reader]]:
    """(where, read) for every record file: in ``root``, or in ``storage`` when given."""
    if storage is None:
        for path in iter_record_files(root):
            yield str(path), functools.partial(read_record, path)
    else:
        for key in article_keys(storage):
            yield storage.where(key), functools.partial(read_stored, storage, key)


def _checked_record(path: str, read: _Reader,
                    on_bad: Callable[[str], None]) -> dict[str, Any] | None:
    try:
        record = read()
    except ArchiveError as error:
        on_bad(str(error))
        return None
    problem = find_problem(record)
    if problem is not None:
        on_bad(f"{path} does not match the record schema ({problem}); find the problems with "
               "broadsheet verify")
        return None
    return record


def normalise_site(host_or_url: str) -> str:
    """A host as compared by ``--site``: lowercase, IDNA, no port, no trailing dot, no ``www.``.
    A full URL is accepted too."""
    text = host_or_url.strip()
    host = urlsplit(text if "//" in text else f"//{text}").hostname or ""
    host = host.rstrip(".")
    with contextlib.suppress(UnicodeError):  # not IDNA-encodable (over-long label): as it is
        host = host.encode("idna").decode("ascii")
    host = host.lower()
    return host.removeprefix("www.") or UNKNOWN


def record_site(record: dict[str, Any]) -> str:
    """The site a record belongs to: the host of its canonical URL (see ``normalise_site``)."""
    url = record.get("url")
    if not isinstance(url, str):
        return UNKNOWN
    try:
        return normalise_site(url)
    except ValueError:  # an unparsable netloc such as an unbalanced "["
        return UNKNOWN


def record_day(record: dict[str, Any]) -> datetime.date | None:
    """The record's day: the date part of ``published`` as the page gives it (its own time
    zone), else of ``fetched_at`` (UTC); None when neither is a date."""
    for field in ("published", "fetched_at"):
        value = record.get(field)
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value[:10])
            except ValueError:
                continue
    return None


def record_month(record: dict[str, Any]) -> str:
    """``YYYY-MM`` of ``record_day``, or ``unknown``."""
    day = record_day(record)
    return UNKNOWN if day is None else f"{day.year:04d}-{day.month:02d}"


def readonly_uri(path: Path) -> str:
    """A ``file:`` URI that opens an SQLite file read-only without creating anything beside it.

    SQLite creates ``-wal``/``-shm`` files when it opens a WAL database, even read-only.  With no
    ``-wal`` file the database was closed cleanly and holds everything, so it is opened
    ``immutable`` (no side files); otherwise a writer may be at work and plain ``mode=ro`` reads
    its committed pages (its side files exist already)."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    return uri if Path(f"{path}-wal").exists() else f"{uri}&immutable=1"


def connect_readonly(path: Path) -> sqlite3.Connection:
    """A read-only connection to an SQLite file (see ``readonly_uri``).
    Raises sqlite3.Error; callers say what the file is."""
    return sqlite3.connect(readonly_uri(path), uri=True)
