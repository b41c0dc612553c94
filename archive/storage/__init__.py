"""Where an archive's files live: a ``BlobStore`` (``base``) on a local directory (``local``)
or S3-compatible object storage (``s3``).  ``open_store`` picks one from a URL."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from archive.errors import ArchiveError
from archive.storage.base import BlobNotFound, BlobStore, StagedBlob
from archive.storage.local import LocalStore

__all__ = ["BlobNotFound", "BlobStore", "LocalStore", "StagedBlob", "open_store"]


def open_store(url: str | Path, options: Mapping[str, str] | None = None) -> BlobStore:
    """The store for ``url``: ``s3://bucket/prefix`` (options: ``endpoint_url``, ``key``,
    ``secret``, ``region``), else a local directory (a path or ``file://`` URL)."""
    text = str(url)
    if text.startswith("s3://"):
        try:
            from archive.storage.s3 import S3Store  # needs the s3 extra
        except ImportError as error:
            raise ArchiveError(f"storage {text} needs s3fs: pip install 'broadsheet[s3]' "
                               f"({error})") from error
        return S3Store(text, options)
    if "://" in text and not text.startswith("file://"):
        raise ArchiveError(f"storage URL {text!r} is neither a directory nor s3://bucket/prefix; "
                           "check backend.storage")
    if options:
        raise ArchiveError("storage options apply to s3:// storage only; remove "
                           "backend.storage_options or use an s3:// URL")
    return LocalStore(Path(text.removeprefix("file://")))
