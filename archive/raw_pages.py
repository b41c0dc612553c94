"""Raw pages on their way into ``raw/``: gzipped, content-addressed, written once.

``prepare`` runs before the archive is locked: for a page that is probably a new article it
compresses and fsyncs the bytes into a staged temp file, so that concurrent stores do that work
side by side.  ``keep`` runs under the lock, once the store has decided to keep the page: a
rename of the staged file, or a write when nothing was staged.  A staged file that is not kept
is deleted by ``discard`` (an unchanged re-visit must write no raw page).
"""

from __future__ import annotations

import gzip
import os
from dataclasses import dataclass
from pathlib import Path

from archive.dedup import raw_digest
from archive.errors import ArchiveError
from archive.layout import Layout, write_atomic, write_staged

GZIP_LEVEL = 6


@dataclass(frozen=True, slots=True)
class RawPage:
    """A page's raw bytes, the path they belong at, and a ready temp file with them, if any."""

    raw: bytes
    relpath: str
    staged: Path | None


def prepare(layout: Layout, raw: bytes | None, *, stage: bool) -> RawPage | None:
    """A ``RawPage`` for ``raw`` (None for None), staged when ``stage`` and not yet stored.
    Raises ArchiveError (disk full, read-only directory)."""
    if raw is None:
        return None
    relpath = layout.raw_relpath(raw_digest(raw))
    path = layout.absolute(relpath)
    staged = None
    if stage and not path.exists():
        try:
            staged = write_staged(path, _compressed(raw))
        except OSError as error:
            raise layout.error(error, path) from error
    return RawPage(raw, relpath, staged)


def keep(layout: Layout, page: RawPage | None) -> str | None:
    """Make sure the page is in ``raw/`` (once per distinct content); its relative path."""
    if page is None:
        return None
    path = layout.absolute(page.relpath)
    if path.exists():
        return page.relpath
    try:
        if page.staged is not None:
            os.replace(page.staged, path)
        else:
            write_atomic(path, _compressed(page.raw))
    except OSError as error:
        raise layout.error(error, path) from error
    return page.relpath


def read(layout: Layout, relpath: str) -> bytes:
    """The raw bytes stored at ``relpath``; ArchiveError when missing or unreadable."""
    path = layout.absolute(relpath)
    try:
        return gzip.decompress(path.read_bytes())
    except FileNotFoundError:
        raise ArchiveError(f"raw page {path} is missing; run broadsheet verify") from None
    except (OSError, EOFError, gzip.BadGzipFile) as error:
        raise ArchiveError(f"raw page {path} is unreadable ({error}); run broadsheet verify") from None


def discard(page: RawPage | None) -> None:
    """Delete a staged file that was not kept (a no-op once it was renamed into place)."""
    if page is not None and page.staged is not None:
        page.staged.unlink(missing_ok=True)


def _compressed(raw: bytes) -> bytes:
    return gzip.compress(raw, compresslevel=GZIP_LEVEL, mtime=0)  # mtime 0: same bytes, same file
