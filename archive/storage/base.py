"""The storage seam: where an archive's files (article JSON, raw pages, version files) live.

A ``BlobStore`` holds bytes under keys, ``/``-separated relative paths such as
``articles/<site>/<aa>/<id>.json`` (see ``archive.layout``): the same keys on every backend, so
an archive on object storage has exactly the layout of one on disk.  Two kinds of write:

- ``write``: atomic overwrite, for article JSON (a reader sees the old bytes or the new ones,
  never a mix);
- ``create``: create-if-absent, for content-addressed raw pages and version files (the first
  writer wins; a later one is told the key existed and leaves it alone); ``create_from_file``
  does the same streamed from a file (finished WARC files, see ``archive.warc.spool``).

``stage`` lets a store do the slow part of a ``create`` (on disk: write and fsync a temporary
file) before the archive takes its lock.  Names starting with ``.`` (temporary files, writer
marks) are never keys: ``list`` skips them.

Every failure is an ``ArchiveError`` with a one-line message naming the storage and what to do;
``BlobNotFound`` (a subclass) is a missing key, so callers can say what its absence means.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, Protocol

from archive.errors import ArchiveError


class BlobNotFound(ArchiveError):
    """No object is stored under the key; ``where`` names it (a path or an ``s3://`` URL)."""

    def __init__(self, where: str) -> None:
        super().__init__(f"{where} is missing")
        self.where = where


class StagedBlob(Protocol):
    """Bytes ready to be created under their key (see ``BlobStore.stage``)."""

    def commit(self) -> bool:
        """Create the key with the staged bytes unless it exists; whether this created it."""

    def discard(self) -> None:
        """Drop the staged bytes (a no-op after ``commit``)."""


class BlobStore(Protocol):
    """Bytes under ``/``-separated relative keys (see the module docstring)."""

    @property
    def url(self) -> str:
        """Where the store is, for messages: a directory or ``s3://bucket/prefix``."""

    def where(self, key: str) -> str:
        """Where ``key`` is, for messages: a file path or an ``s3://`` URL."""

    def read(self, key: str) -> bytes:
        """The bytes under ``key``; BlobNotFound when there are none."""

    def write(self, key: str, data: bytes) -> None:
        """Store ``data`` under ``key``, replacing what was there atomically."""

    def create(self, key: str, data: bytes) -> bool:
        """Store ``data`` under ``key`` unless something is there; whether this created it."""

    def create_from_file(self, key: str, path: Path) -> bool:
        """``create`` with the bytes of the file ``path``, streamed (a file may be larger than
        memory); whether this created the key.  ``path`` itself is left as it is."""

    def open_file(self, key: str) -> BinaryIO:
        """The object under ``key`` as a seekable binary file (on S3: read by byte ranges, never
        downloaded whole); BlobNotFound when there is none.  The caller closes it."""

    def stage(self, key: str, data: bytes) -> StagedBlob:
        """Prepare a ``create`` of ``data`` under ``key`` to be committed later."""

    def exists(self, key: str) -> bool:
        """Whether an object is stored under ``key``."""

    def size(self, key: str) -> int:
        """The size in bytes of the object under ``key``; BlobNotFound when there is none."""

    def delete(self, key: str) -> None:
        """Remove ``key``; nothing happens when it is absent."""

    def list(self, prefix: str) -> Iterator[str]:
        """Every key under the folder ``prefix`` (``articles/``), at any depth, streamed."""

    def has_any(self, prefix: str) -> bool:
        """Whether anything at all is stored under the folder ``prefix`` (one cheap request)."""


def check_key(key: str) -> str:
    """``key`` when it is a relative ``/``-separated path inside the store; ArchiveError when it
    would leave it (``..``, empty parts, backslashes), which only a corrupt index produces."""
    parts = key.split("/")
    if not key or any(part in ("", ".", "..") for part in parts) or "\\" in key:
        raise ArchiveError(f"index entry {key!r} is not a path inside the archive; "
                           "the index is corrupt: run reindex")
    return key


def check_prefix(prefix: str) -> str:
    """A folder prefix: empty (everything) or a key ending in ``/``."""
    if prefix and not (prefix.endswith("/") and check_key(prefix[:-1])):
        raise ValueError(f"storage prefix {prefix!r} must be a folder ending in '/'")
    return prefix


def is_hidden(key: str) -> bool:
    """Whether any part of ``key`` is a hidden name (temporary files, writer marks)."""
    return any(part.startswith(".") for part in key.split("/"))
