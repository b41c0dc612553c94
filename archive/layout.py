"""Where things live in an archive directory, and how files get there.

Layout of an archive directory (``<root>``)::

    <root>/
      articles/<site>/<id>.json     one file per article: UTF-8, non-ASCII kept, indent 2,
                                    fields in the order of schema.json, trailing newline.
                                    <site> is the host of the article's canonical URL as
                                    lowercase IDNA (punycode), reduced to [a-z0-9.-] (no "..",
                                    no leading/trailing "." or "-", at most 200 characters;
                                    "unknown" when nothing is left). <id> is the first 16 hex
                                    digits of sha256 of the canonical URL.
      raw/<aa>/<sha256>.html.gz     raw page bytes, gzip (mtime 0, so deterministic), named by
                                    sha256 of the raw bytes (<aa>: its first two hex digits);
                                    identical pages are stored once.
      index.sqlite                  SQLite index (WAL mode, so also -wal/-shm files): URL key ->
                                    article id, content hash -> article id, article id -> path,
                                    and per-URL HTTP validators (ETag, Last-Modified) with the
                                    last fetch time. Everything but the validators can be rebuilt
                                    from the JSON files (``Archive.rebuild_index``).
      index.sqlite.old              a previous index moved aside by ``Archive(root, reset_index=True)``.

Every write is atomic: the bytes go to a temporary file ``.<name>.<random>.tmp`` in the target's
directory, are flushed and fsynced, and the temporary file is renamed over the target
(``os.replace``).  A killed process leaves the old file or the new one, never half of one; at
worst a stray ``.*.tmp`` file, which nothing reads.  File names are built only from hex digits
and the sanitised host, so no URL can make a path that leaves the root.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from archive.errors import ArchiveError

ARTICLES_DIR = "articles"
RAW_DIR = "raw"
INDEX_FILE = "index.sqlite"
UNKNOWN_SITE = "unknown"
MAX_SITE_CHARS = 200

_NOT_SITE_CHARS = re.compile(r"[^a-z0-9.-]+")
_DOTS = re.compile(r"\.{2,}")


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

    def prepare(self) -> None:
        """Create the directory tree and prove it is writable (also as root, also read-only FS)."""
        if self.root.exists() and not self.root.is_dir():
            raise ArchiveError(f"archive directory {self.root} is not a directory; "
                               "choose another with --archive")
        try:
            self.articles_dir.mkdir(parents=True, exist_ok=True)
            self.raw_dir.mkdir(exist_ok=True)
            probe = self.root / f".write-probe.{secrets.token_hex(4)}.tmp"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as error:
            raise self.error(error, self.root) from error

    def error(self, error: OSError, path: Path) -> ArchiveError:
        """A one-line ArchiveError for a failed file operation on ``path``."""
        code = error.errno
        reason = error.strerror or str(error)
        if code in (errno.ENOSPC, errno.EDQUOT):
            return ArchiveError(f"disk full while writing {path}; free space and run again: "
                                "nothing already stored was lost")
        if code == errno.EROFS:
            return ArchiveError(f"archive directory {self.root} is on a read-only filesystem; "
                                "choose another with --archive")
        if code in (errno.EACCES, errno.EPERM, errno.ENOTDIR, errno.EEXIST, errno.ENOENT):
            where = "" if path == self.root else f" ({path})"
            return ArchiveError(f"archive directory {self.root} is not writable: {reason}{where}; "
                                "choose another with --archive")
        return ArchiveError(f"cannot use {path} in archive {self.root}: {reason}")

    def iter_article_files(self) -> Iterator[Path]:
        """Every ``articles/<site>/<id>.json`` on disk (temporary and hidden files skipped)."""
        try:
            with os.scandir(self.articles_dir) as sites:
                site_dirs = sorted(entry.path for entry in sites
                                   if entry.is_dir() and not entry.name.startswith("."))
            for site_dir in site_dirs:
                with os.scandir(site_dir) as files:  # streamed: a site may hold millions
                    for entry in files:
                        if _is_record_name(entry.name):
                            yield Path(entry.path)
        except OSError as error:
            raise ArchiveError(f"cannot list {self.articles_dir}: "
                               f"{error.strerror or error}") from error

    def has_articles(self) -> bool:
        """True when ``articles/`` holds anything (one directory entry read, not a scan)."""
        try:
            with os.scandir(self.articles_dir) as entries:
                return any(True for _ in entries)
        except FileNotFoundError:
            return False
        except OSError as error:
            raise self.error(error, self.articles_dir) from error


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``: temp file in the same directory, fsync, ``os.replace``.

    On any failure the temporary file is removed and the old ``path`` (if any) is untouched.
    Raises OSError; callers turn it into ArchiveError with ``Layout.error``.
    """
    temp = write_staged(path, data)
    try:
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def write_staged(path: Path, data: bytes) -> Path:
    """Write ``data``, fsynced, to a hidden temporary file beside ``path`` and return it, for
    the caller to rename over ``path`` (``os.replace``) or delete.  Raises OSError."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with open(descriptor, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp


def _is_record_name(name: str) -> bool:
    return name.endswith(".json") and not name.startswith(".")
