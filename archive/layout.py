"""Where things live in an archive directory, and how files get there.

Layout of an archive directory (``<root>``)::

    <root>/
      articles/<site>/<aa>/<id>.json
                                    one file per article: UTF-8, non-ASCII kept, indent 2,
                                    fields in the order of schema.json, trailing newline.
                                    <site> is the host of the article's canonical URL as
                                    lowercase IDNA (punycode), reduced to [a-z0-9.-] (no "..",
                                    no leading/trailing "." or "-", at most 200 characters;
                                    "unknown" when nothing is left). <id> is the first 16 hex
                                    digits of sha256 of the canonical URL; <aa> is its first two
                                    hex digits, so a site's files spread evenly over at most 256
                                    directories (about 4,000 files each at a million articles).
      articles/<site>/<id>.json     the same file as written by broadsheet before sharding: still
                                    read, reindexed and found.  An article keeps the path its
                                    index entry names when it is stored again; only new articles
                                    go to the sharded path.  Glob both with ``articles/**/*.json``.
      raw/<aa>/<sha256>.html.gz     raw page bytes, gzip (mtime 0, so deterministic), named by
                                    sha256 of the raw bytes (<aa>: its first two hex digits);
                                    identical pages are stored once.
      index.sqlite                  SQLite index (WAL mode, so also -wal/-shm files): URL key ->
                                    article id, content hash -> article id, article id -> path,
                                    and per-URL HTTP validators (ETag, Last-Modified) with the
                                    last fetch time. Everything but the validators can be rebuilt
                                    from the JSON files (``Archive.rebuild_index``).
      index.sqlite.old              a previous index moved aside by ``Archive(root, reset_index=True)``.
      .writer.<pid>-<space>         a process that has the archive open for writing (``archive.temps``).

The files (``articles/``, ``raw/``, ``versions/``) may instead live in another
``archive.storage`` BlobStore (``s3://bucket/prefix``) under the same keys; the index and the
writer marks stay in ``<root>``.  On a local directory:

Every write is atomic: the bytes go to a temporary file ``.<name>.<pid>-<space>.<random>.tmp``
in the target's directory (``archive.temps``), are flushed and fsynced, and the temporary file is
renamed over the target (``os.replace``).  A killed process leaves the old file or the new one,
never half of one; at worst a stray ``.*.tmp`` file, which nothing reads and
``Layout.stray_temp_files`` lists.  The next process to open the archive for writing deletes
those it can prove a dead writer left (``Layout.prepare``, ``archive.temps``).  File names are
built only from hex digits and the sanitised host, so no URL can make a path that leaves the root.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlsplit

from archive.errors import ArchiveError
from archive.storage.base import BlobStore
from archive.storage.local import LocalStore, file_error, write_atomic, write_staged
from archive.temps import TEMP_NAME, Writers, temp_path

__all__ = ["Layout", "article_keys", "is_archive", "site_dir_name", "write_atomic", "write_staged"]

ARTICLES_DIR = "articles"
RAW_DIR = "raw"
VERSIONS_DIR = "versions"
DATA_DIRS = (ARTICLES_DIR, RAW_DIR, VERSIONS_DIR)
"""The directories the archive writes into (each may hold stray temporary files)."""
INDEX_FILE = "index.sqlite"
UNKNOWN_SITE = "unknown"
MAX_SITE_CHARS = 200

_NOT_SITE_CHARS = re.compile(r"[^a-z0-9.-]+")
_DOTS = re.compile(r"\.{2,}")
_SHARD_NAME = re.compile(r"[0-9a-f]{2}")
_log = logging.getLogger(__name__)


def is_archive(root: Path) -> bool:
    """Whether ``root`` holds an archive: the one test every reader uses.  An archive has an
    ``articles/`` directory from the moment a crawl first opens it (``Layout.prepare``)."""
    return (root / ARTICLES_DIR).is_dir()


def site_dir_name(url: str) -> str:
    """The URL's host as a safe directory name: IDNA, ``[a-z0-9.-]`` only, never empty or dots."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:  # e.g. an unbalanced "[" in the netloc
        host = ""
    host = _idna(host)
    name = _NOT_SITE_CHARS.sub("-", host.lower())
    name = _DOTS.sub(".", name).strip(".-")
    name = name[:MAX_SITE_CHARS].strip(".-")
    return name or UNKNOWN_SITE


def _idna(host: str) -> str:
    """Punycode for an internationalised host; the host unchanged when IDNA cannot encode it
    (too long a label, forbidden characters): the caller sanitises it then."""
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


@dataclass(frozen=True, slots=True)
class Layout:
    """Paths inside one archive root.  Relative paths use ``/`` and are what records store."""

    root: Path

    @property
    def articles_dir(self) -> Path:
        return self.root / ARTICLES_DIR

    @property
    def raw_dir(self) -> Path:
        return self.root / RAW_DIR

    @property
    def index_path(self) -> Path:
        return self.root / INDEX_FILE

    def article_relpath(self, url: str, article_id: str) -> str:
        """Where a new article's file goes: ``articles/<site>/<id[:2]>/<id>.json``.  An article
        already in the index keeps the path stored there (it may be a legacy one)."""
        return f"{ARTICLES_DIR}/{site_dir_name(url)}/{article_id[:2]}/{article_id}.json"

    def legacy_article_relpath(self, url: str, article_id: str) -> str:
        """Where broadsheet put an article before sharding: ``articles/<site>/<id>.json``."""
        return f"{ARTICLES_DIR}/{site_dir_name(url)}/{article_id}.json"

    def raw_relpath(self, digest: str) -> str:
        return f"{RAW_DIR}/{digest[:2]}/{digest}.html.gz"

    def absolute(self, relpath: str) -> Path:
        """The file for a stored relative path; refuses anything that would leave the root."""
        parts = relpath.split("/")
        if not relpath or any(part in ("", ".", "..") for part in parts) or "\\" in relpath:
            raise ArchiveError(f"index entry {relpath!r} is not a path inside the archive; "
                               "the index is corrupt: run reindex")
        return self.root.joinpath(*parts)

    def prepare(self, *, data_dirs: bool = True) -> None:
        """Create the directory tree, prove it is writable (also as root, also read-only FS) and
        register this process as a writer, deleting what a killed writer left (``release``
        unregisters it).  ``data_dirs=False`` (the files live in other storage, only the index
        is here) creates just the root: an empty local ``articles/`` would pass for an archive."""
        if self.root.exists() and not self.root.is_dir():
            raise ArchiveError(f"archive directory {self.root} is not a directory; "
                               "choose another with --archive")
        try:
            if data_dirs:
                self.articles_dir.mkdir(parents=True, exist_ok=True)
                self.raw_dir.mkdir(exist_ok=True)
            else:
                self.root.mkdir(parents=True, exist_ok=True)
            probe = temp_path(self.root / ".write-probe")
            probe.write_bytes(b"")
            probe.unlink()
            removed = Writers(self.root).enter(self.stray_temp_files)
        except OSError as error:
            raise self.error(error, self.root) from error
        if removed:
            _log.warning("deleted %d temporary files a killed broadsheet process left in %s",
                         len(removed), self.root)

    def release(self) -> None:
        """Unregister this process as a writer (see ``prepare``)."""
        try:
            Writers(self.root).leave()
        except OSError as error:
            _log.warning("cannot remove the writer mark in %s: %s", self.root, error)

    def error(self, error: OSError, path: Path) -> ArchiveError:
        """A one-line ArchiveError for a failed file operation on ``path``."""
        return file_error(self.root, error, path)

    def iter_article_files(self) -> Iterator[Path]:
        """Every article file on disk, ``articles/<site>/<aa>/<id>.json`` and legacy
        ``articles/<site>/<id>.json`` (temporary and hidden files skipped), site by site."""
        try:
            with os.scandir(self.articles_dir) as sites:
                site_dirs = sorted(entry.path for entry in sites
                                   if entry.is_dir() and not entry.name.startswith("."))
            for site_dir in site_dirs:
                shard_dirs: list[str] = []
                yield from _record_files(site_dir, shard_dirs)  # legacy files; collects shards
                for shard_dir in sorted(shard_dirs):
                    yield from _record_files(shard_dir, None)
        except OSError as error:
            raise ArchiveError(f"cannot list {self.articles_dir}: "
                               f"{error.strerror or error}") from error

    def stray_temp_files(self) -> Iterator[Path]:
        """Temporary files a killed process left at the top of the root or anywhere under
        ``articles/``, ``raw/`` and ``versions/`` (nothing else: an archive may share its
        directory).  Read-only: deleting them is safe only while no process writes the archive."""
        def fail(error: OSError) -> NoReturn:
            raise ArchiveError(f"cannot list {error.filename or self.root}: "
                               f"{error.strerror or error}") from error

        try:
            with os.scandir(self.root) as entries:
                top = sorted(entry.name for entry in entries if entry.is_file())
        except OSError as error:
            fail(error)
        yield from (self.root / name for name in top if TEMP_NAME.fullmatch(name))
        for tree in DATA_DIRS:
            if not (self.root / tree).is_dir():
                continue
            for directory, subdirs, files in os.walk(self.root / tree, onerror=fail):
                subdirs[:] = sorted(name for name in subdirs if not name.startswith("."))
                yield from (Path(directory, name) for name in sorted(files)
                            if TEMP_NAME.fullmatch(name))

    def has_articles(self) -> bool:
        """True when ``articles/`` holds anything (one directory entry read, not a scan)."""
        try:
            with os.scandir(self.articles_dir) as entries:
                return any(True for _ in entries)
        except FileNotFoundError:
            return False
        except OSError as error:
            raise self.error(error, self.articles_dir) from error


def article_keys(store: BlobStore) -> Iterator[str]:
    """The keys of every article file in ``store`` (both depths, see ``iter_article_files``):
    on a local directory the streamed scan, elsewhere a listing of ``articles/`` filtered."""
    if isinstance(store, LocalStore):
        root = store.root
        return (path.relative_to(root).as_posix() for path in Layout(root).iter_article_files())
    return (key for key in store.list(f"{ARTICLES_DIR}/") if is_article_key(key))


def is_article_key(key: str) -> bool:
    """``articles/<site>/<id>.json`` or ``articles/<site>/<aa>/<id>.json``, nothing hidden."""
    parts = key.split("/")
    if parts[0] != ARTICLES_DIR or len(parts) not in (3, 4) or parts[1].startswith("."):
        return False
    if len(parts) == 4 and not _SHARD_NAME.fullmatch(parts[2]):
        return False
    return _is_record_name(parts[-1])


def _record_files(directory: str, shard_dirs: list[str] | None) -> Iterator[Path]:
    """The record files directly in ``directory``, streamed (a legacy site directory may hold
    millions); its shard subdirectories are appended to ``shard_dirs`` when that is given."""
    with os.scandir(directory) as entries:
        for entry in entries:
            if _is_record_name(entry.name):
                if entry.is_file():
                    yield Path(entry.path)
            elif shard_dirs is not None and _SHARD_NAME.fullmatch(entry.name) and entry.is_dir():
                shard_dirs.append(entry.path)


def _is_record_name(name: str) -> bool:
    return name.endswith(".json") and not name.startswith(".")
