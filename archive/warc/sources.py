"""Where an archive's WARC files are read from: a ``WarcSource`` by file name.

- ``FolderSource``: a folder (``<archive>/warc/``, or ``warc/`` of a shared storage directory);
  a file still being written is read under its ``.open`` name;
- ``StoreSource``: archives whose files are on object storage (S3).  Crawls write their WARC
  files into this machine's spool folder (``<archive.directory>/warc-spool/``) and upload each
  finished one to the store under ``warc/<name>`` (``archive.warc.spool``); a file is read from
  the spool while it is there, else from the store (by byte ranges, never downloaded whole).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, Protocol

from archive.errors import ArchiveError
from archive.storage.base import BlobNotFound, BlobStore
from archive.warc.naming import FINISHED, OPEN, WARC_DIR
from archive.warc.pointer import WarcError

__all__ = ["FINISHED_SUFFIXES", "FolderSource", "StoreSource", "WarcSource", "as_source"]

FINISHED_SUFFIXES = (FINISHED, ".warc")
"""Finished WARC files: ours (``*.warc.gz``) and plain ones brought in by ``import-warc``."""


class WarcSource(Protocol):
    """WARC files by name (no directory)."""

    @property
    def where(self) -> str:
        """Where the files are, for messages."""

    def open(self, name: str) -> BinaryIO:
        """The file ``name`` (finished, or still being written) as a seekable binary file;
        WarcError when it is missing or cannot be opened.  The caller closes it."""

    def size(self, name: str) -> int | None:
        """The size of ``name`` in bytes; None when it is missing."""

    def names(self) -> list[str]:
        """The finished files, by name (never a file being written)."""


def as_source(source: WarcSource | Path) -> WarcSource:
    """``source``, a folder given as a path made a ``FolderSource``."""
    return FolderSource(source) if isinstance(source, Path) else source


def is_finished(name: str) -> bool:
    return name.endswith(FINISHED_SUFFIXES) and not name.startswith(".")


class FolderSource:
    """The files of one folder (see the module docstring)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    @property
    def where(self) -> str:
        return str(self.directory)

    def candidates(self, name: str) -> Iterator[Path]:
        """The finished file, then the same file while it is written."""
        if "/" in name or name.startswith("."):
            raise WarcError(f"{name!r} is not a WARC file name")
        yield self.directory / name
        if name.endswith(FINISHED):
            yield self.directory / (name.removesuffix(FINISHED) + OPEN)

    def open(self, name: str) -> BinaryIO:
        for path in self.candidates(name):
            try:
                return open(path, "rb")
            except FileNotFoundError:
                continue
            except OSError as exc:
                raise WarcError(f"cannot read the WARC file {path}: {exc.strerror}") from None
        raise WarcError(f"WARC file {name} is missing from {self.directory}")

    def size(self, name: str) -> int | None:
        for path in self.candidates(name):
            try:
                return path.stat().st_size
            except FileNotFoundError:
                continue
            except OSError as exc:
                raise WarcError(f"cannot read the WARC file {path}: {exc.strerror}") from None
        return None

    def names(self) -> list[str]:
        if not self.directory.is_dir():
            return []
        return sorted(path.name for path in self.directory.iterdir()
                      if is_finished(path.name) and path.is_file())


class StoreSource:
    """This machine's spool folder first, then ``warc/`` of the store."""

    def __init__(self, spool: Path, store: BlobStore) -> None:
        self.spool = FolderSource(spool)
        self.store = store
        self._sizes: dict[str, int] = {}  # of stored objects, which never change

    @property
    def where(self) -> str:
        return f"{self.store.url}/{WARC_DIR} (and {self.spool.where})"

    def open(self, name: str) -> BinaryIO:
        try:
            return self.spool.open(name)
        except WarcError:
            if self.spool.size(name) is not None:
                raise  # there, but unreadable
        try:
            return self.store.open_file(key(name))
        except BlobNotFound:
            raise WarcError(f"WARC file {name} is missing from {self.where}") from None
        except ArchiveError as exc:
            raise WarcError(str(exc)) from None

    def size(self, name: str) -> int | None:
        size = self.spool.size(name)
        if size is not None:
            return size
        if name in self._sizes:
            return self._sizes[name]
        try:
            self._sizes[name] = self.store.size(key(name))
            return self._sizes[name]
        except BlobNotFound:
            return None
        except ArchiveError as exc:
            raise WarcError(str(exc)) from None

    def names(self) -> list[str]:
        try:
            stored = {stored.removeprefix(f"{WARC_DIR}/")
                      for stored in self.store.list(f"{WARC_DIR}/")}
        except ArchiveError as exc:
            raise WarcError(str(exc)) from None
        return sorted({name for name in stored if "/" not in name and is_finished(name)}
                      | set(self.spool.names()))


def key(name: str) -> str:
    """The store key of the WARC file ``name``."""
    return f"{WARC_DIR}/{name}"
