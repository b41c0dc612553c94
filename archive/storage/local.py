"""A local directory as a ``BlobStore``: the archive as broadsheet always kept it on disk.

Every write is atomic: the bytes go to a hidden temporary file beside the target
(``archive.temps``), are flushed and fsynced, and are renamed over it (``os.replace``).
Create-if-absent hard-links the fsynced temporary file to the target (``os.link`` fails when the
target exists), so of two writers racing for one key exactly one creates it, on a local disk or
a shared POSIX mount (NFS gives ``link`` the same exclusive semantics).  Where a filesystem has
no hard links, the store falls back to check-then-rename, which is safe for content-addressed
keys (a race writes identical bytes).
"""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from archive.errors import ArchiveError
from archive.storage.base import BlobNotFound, check_key, check_prefix
from archive.temps import temp_path

_NO_LINKS = (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK, errno.ENOSYS)


def file_error(root: Path, error: OSError, path: Path) -> ArchiveError:
    """A one-line ArchiveError for a failed file operation on ``path`` in the archive ``root``."""
    code = error.errno
    reason = error.strerror or str(error)
    if code in (errno.ENOSPC, errno.EDQUOT):
        return ArchiveError(f"disk full while writing {path}; free space and run again: "
                            "nothing already stored was lost")
    if code == errno.EROFS:
        return ArchiveError(f"archive directory {root} is on a read-only filesystem; "
                            "choose another with --archive")
    if code in (errno.EACCES, errno.EPERM, errno.ENOTDIR, errno.EEXIST, errno.ENOENT):
        where = "" if path == root else f" ({path})"
        return ArchiveError(f"archive directory {root} is not writable: {reason}{where}; "
                            "choose another with --archive")
    return ArchiveError(f"cannot use {path} in archive {root}: {reason}")


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``: temp file in the same directory, fsync, ``os.replace``.

    On any failure the temporary file is removed and the old ``path`` (if any) is untouched.
    Raises OSError; callers turn it into ArchiveError with ``file_error``.
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
    temp = temp_path(path)
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


def copy_staged(source: Path, path: Path) -> Path:
    """A hidden temporary file beside ``path`` with the bytes of ``source``: a hard link when
    the filesystem allows (same bytes, no copy), else a streamed, fsynced copy.  Raises
    OSError."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = temp_path(path)
    try:
        os.link(source, temp)
        return temp
    except OSError as error:
        if error.errno not in _NO_LINKS:
            raise
    try:
        with open(source, "rb") as reading, open(temp, "xb") as out:
            shutil.copyfileobj(reading, out, 1 << 20)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp


def link_into_place(temp: Path, path: Path) -> bool:
    """Give the fsynced ``temp`` the name ``path`` unless ``path`` exists; whether it did.
    ``temp`` is gone afterwards.  Raises OSError."""
    try:
        try:
            os.link(temp, path)
        except FileExistsError:
            return False
        except OSError as error:
            if error.errno not in _NO_LINKS:
                raise
            if path.exists():  # no hard links here: check, then rename (same bytes on a race)
                return False
            os.replace(temp, path)
        return True
    finally:
        temp.unlink(missing_ok=True)


@dataclass(slots=True)
class LocalStaged:
    """A fsynced temporary file waiting to be linked into place (``LocalStore.stage``)."""

    store: LocalStore
    temp: Path | None
    path: Path

    def commit(self) -> bool:
        if self.temp is None:
            return False
        temp, self.temp = self.temp, None
        try:
            return link_into_place(temp, self.path)
        except OSError as error:
            raise self.store.error(error, self.path) from error

    def discard(self) -> None:
        if self.temp is not None:
            self.temp.unlink(missing_ok=True)
            self.temp = None


class LocalStore:
    """Keys as files under ``root`` (see the module docstring)."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    @property
    def url(self) -> str:
        return str(self.root)

    def path(self, key: str) -> Path:
        """The file of ``key``; ArchiveError for a key that would leave the root."""
        return self.root.joinpath(*check_key(key).split("/"))

    def where(self, key: str) -> str:
        return str(self.path(key))

    def error(self, error: OSError, path: Path) -> ArchiveError:
        return file_error(self.root, error, path)

    def read(self, key: str) -> bytes:
        path = self.path(key)
        try:
            return path.read_bytes()
        except FileNotFoundError:
            raise BlobNotFound(str(path)) from None
        except OSError as error:
            raise self.error(error, path) from error

    def write(self, key: str, data: bytes) -> None:
        path = self.path(key)
        try:
            write_atomic(path, data)
        except OSError as error:
            raise self.error(error, path) from error

    def create(self, key: str, data: bytes) -> bool:
        if self.exists(key):
            return False
        return self.stage(key, data).commit()

    def create_from_file(self, key: str, path: Path) -> bool:
        """Hard-link ``path`` into place (a copy where links fail), create-if-absent."""
        target = self.path(key)
        try:
            if target.exists():
                return False
            return link_into_place(copy_staged(path, target), target)
        except OSError as error:
            raise self.error(error, target) from error

    def open_file(self, key: str) -> BinaryIO:
        path = self.path(key)
        try:
            return open(path, "rb")
        except FileNotFoundError:
            raise BlobNotFound(str(path)) from None
        except OSError as error:
            raise self.error(error, path) from error

    def stage(self, key: str, data: bytes) -> LocalStaged:
        path = self.path(key)
        try:
            return LocalStaged(self, write_staged(path, data), path)
        except OSError as error:
            raise self.error(error, path) from error

    def exists(self, key: str) -> bool:
        return self.path(key).exists()

    def size(self, key: str) -> int:
        path = self.path(key)
        try:
            return path.stat().st_size
        except FileNotFoundError:
            raise BlobNotFound(str(path)) from None
        except OSError as error:
            raise self.error(error, path) from error

    def delete(self, key: str) -> None:
        path = self.path(key)
        try:
            path.unlink(missing_ok=True)
        except OSError as error:
            raise self.error(error, path) from error

    def list(self, prefix: str) -> Iterator[str]:
        """Keys under ``prefix``: a folder's files streamed (a legacy site folder may hold
        millions), then its subfolders in name order; hidden names skipped."""
        folder = self.root.joinpath(*check_prefix(prefix).split("/")) if prefix else self.root
        try:
            yield from _walk(folder, prefix)
        except OSError as error:
            raise ArchiveError(f"cannot list {error.filename or folder}: "
                               f"{error.strerror or error}") from error

    def has_any(self, prefix: str) -> bool:
        folder = self.root.joinpath(*check_prefix(prefix).split("/")) if prefix else self.root
        try:
            with os.scandir(folder) as entries:
                return any(True for _ in entries)
        except FileNotFoundError:
            return False
        except OSError as error:
            raise self.error(error, folder) from error


def _walk(folder: Path, prefix: str) -> Iterator[str]:
    subfolders: list[str] = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    subfolders.append(entry.name)
                elif entry.is_file():
                    yield f"{prefix}{entry.name}"
    except FileNotFoundError:  # no such folder (yet): nothing stored under it
        return
    for name in sorted(subfolders):
        yield from _walk(folder / name, f"{prefix}{name}/")
