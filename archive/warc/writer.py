"""A rolling, gzip-compressed WARC 1.1 writer (warcio), one gzip member per record.

Each file opens with a ``warcinfo`` record (broadsheet, its version, the crawl's configuration)
and is written under its name plus ``.open``; it is finished (flushed, fsynced, renamed to
``*.warc.gz``, the directory fsynced) when it passes ``max_file_size`` or the writer closes.
``write`` fsyncs before it returns the records' pointers, so a pointer the archive stores
always survives a crash.  The open file is locked (``flock``) for as long as it is written, so
that ``archive.warc.repair`` finishes only the files of dead writers.  ``on_finished`` is called
with each finished file's path, outside the writer's lock (on object storage: its upload, see
``archive.warc.spool``).  Thread-safe.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from warcio.warcwriter import WARCWriter

from archive.warc.naming import FINISHED, OPEN, file_name
from archive.warc.pointer import WarcError, WarcPointer

__all__ = ["RollingWarcWriter"]

WARC_VERSION = "1.1"


class _OpenFile:
    """The file being written: its finished name, handle and warcio writer."""

    def __init__(self, directory: Path, name: str) -> None:
        self.name = name
        self.path = directory / (name.removesuffix(FINISHED) + OPEN)
        self.handle: IO[bytes] = open(self.path, "xb")  # noqa: SIM115 - closed by finish()
        try:
            fcntl.flock(self.handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self.handle.close()
            raise
        self.warc = WARCWriter(self.handle, gzip=True, warc_version=WARC_VERSION)

    def finish(self) -> None:
        self.handle.flush()
        os.fsync(self.handle.fileno())
        os.replace(self.path, self.path.with_name(self.name))
        self.handle.close()


class RollingWarcWriter:
    """``write(records)`` appends records built with ``builder`` (a warcio record builder) to
    the current file of ``directory``; ``close()`` finishes it.  ``worker`` (a worker id or the
    pid) goes in every file name; ``info`` is the warcinfo record's fields."""

    def __init__(self, directory: Path, *, worker: str, max_file_size: int,
                 info: Mapping[str, str],
                 on_finished: Callable[[Path], None] | None = None) -> None:
        self.directory = directory
        self.on_finished = on_finished
        self.worker = worker
        self.max_file_size = max_file_size
        self.info = dict(info)
        self.builder = WARCWriter(None, gzip=True, warc_version=WARC_VERSION)
        self.finished: list[str] = []
        self._current: _OpenFile | None = None
        self._serial = 0
        self._closed = False
        self._lock = threading.Lock()
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WarcError(f"cannot create the WARC directory {directory}: {exc}") from None

    def write(self, records: Sequence[Any]) -> list[WarcPointer]:
        """Write ``records`` one after another in one file, fsync, and roll when the file has
        grown past ``max_file_size``; the pointer of each record."""
        with self._lock:
            done = len(self.finished)
            if self._closed:
                raise WarcError("the WARC writer is closed; the crawl has ended")
            current = None
            try:
                current = self._current or self._open()
                start = current.handle.tell()
                pointers = [self._write_one(current, record) for record in records]
                current.handle.flush()
                os.fsync(current.handle.fileno())
                if current.handle.tell() >= self.max_file_size:
                    self._finish()
            except OSError as exc:
                if current is not None and self._current is current:
                    self._cut(current, start)
                raise WarcError(f"cannot write WARC records in {self.directory}: {exc}") from None
            finally:
                rolled = self.finished[done:]
        self._finished(rolled)
        return pointers

    def close(self) -> None:
        with self._lock:
            done = len(self.finished)
            self._closed = True
            try:
                self._finish()
            except OSError as exc:
                raise WarcError(f"cannot finish a WARC file in {self.directory}: {exc}") from None
            finally:
                rolled = self.finished[done:]
        self._finished(rolled)

    def _finished(self, names: list[str]) -> None:
        if self.on_finished is not None:
            for name in names:
                self.on_finished(self.directory / name)

    def _write_one(self, current: _OpenFile, record: Any) -> WarcPointer:
        offset = current.handle.tell()
        current.warc.write_record(record)
        return WarcPointer(current.name, offset, current.handle.tell() - offset)

    def _cut(self, current: _OpenFile, start: int) -> None:
        """After a failed write (disk full): the file back to its last whole record and
        finished, so it stays readable; the next write opens a new file.  Should that fail
        too, the file stays open for the next run's repair."""
        self._current = None
        try:
            current.handle.truncate(start)
            current.finish()
        except OSError:
            current.handle.close()
            return
        self.finished.append(current.name)

    def _open(self) -> _OpenFile:
        while True:
            self._serial += 1
            name = file_name(datetime.now(UTC), self.worker, self._serial)
            with contextlib.suppress(FileExistsError):  # a name of an earlier run: the next serial
                if not (self.directory / name).exists():
                    current = _OpenFile(self.directory, name)
                    break
        info = self.builder.create_warcinfo_record(name, self.info)
        self._write_one(current, info)
        self._current = current
        return current

    def _finish(self) -> None:
        current, self._current = self._current, None
        if current is None:
            return
        current.finish()
        _fsync_directory(self.directory)
        self.finished.append(current.name)


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
