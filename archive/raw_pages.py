"""Raw pages on their way into ``raw/``: gzipped, content-addressed, created once.

``prepare`` runs before the archive is locked: for a page that is probably a new article it
compresses the bytes and stages their create in the store (on disk: a fsynced temp file), so
that concurrent stores do that work side by side.  ``keep`` runs under the lock, once the store
has decided to keep the page: a create-if-absent (``BlobStore.create``) of the staged bytes, or
of freshly compressed ones when nothing was staged.  A staged page that is not kept is dropped
by ``discard`` (an unchanged re-visit must write no raw page).  Identical pages have one key,
so two workers racing to create it write the same bytes and one of them wins.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass

from archive.dedup import raw_digest
from archive.errors import ArchiveError
from archive.layout import Layout
from archive.storage.base import BlobNotFound, BlobStore, StagedBlob

GZIP_LEVEL = 6


@dataclass(frozen=True, slots=True)
class RawPage:
    """A page's raw bytes, the key they belong at, and their staged create, if any."""

    raw: bytes
    relpath: str
    staged: StagedBlob | None


def prepare(store: BlobStore, layout: Layout, raw: bytes | None, *,
            stage: bool) -> RawPage | None:
    """A ``RawPage`` for ``raw`` (None for None), staged when ``stage`` and not yet stored.
    Raises ArchiveError (disk full, read-only directory, storage unreachable)."""
    if raw is None:
        return None
    relpath = layout.raw_relpath(raw_digest(raw))
    staged = None
    if stage and not store.exists(relpath):
        staged = store.stage(relpath, _compressed(raw))
    return RawPage(raw, relpath, staged)


def keep(store: BlobStore, page: RawPage | None) -> str | None:
    """Make sure the page is in ``raw/`` (once per distinct content); its relative path."""
    if page is None:
        return None
    if page.staged is not None:
        page.staged.commit()
    elif not store.exists(page.relpath):
        store.create(page.relpath, _compressed(page.raw))
    return page.relpath


def read(store: BlobStore, relpath: str) -> bytes:
    """The raw bytes stored at ``relpath``; ArchiveError when missing or unreadable."""
    try:
        return gzip.decompress(store.read(relpath))
    except BlobNotFound as missing:
        raise ArchiveError(f"raw page {missing.where} is missing; run broadsheet verify") from None
    except ArchiveError as error:
        raise ArchiveError(f"raw page {store.where(relpath)} is unreadable ({error}); "
                           "run broadsheet verify") from None
    except (OSError, EOFError, gzip.BadGzipFile) as error:
        raise ArchiveError(f"raw page {store.where(relpath)} is unreadable ({error}); "
                           "run broadsheet verify") from None


def discard(page: RawPage | None) -> None:
    """Drop a staged page that was not kept (a no-op once it was committed)."""
    if page is not None and page.staged is not None:
        page.staged.discard()


def _compressed(raw: bytes) -> bytes:
    return gzip.compress(raw, compresslevel=GZIP_LEVEL, mtime=0)  # mtime 0: same bytes, same file
