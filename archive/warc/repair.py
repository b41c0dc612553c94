"""Finish the WARC files a killed crawl left open: on crawl start, every ``*.warc.gz.open`` that
no live writer holds (see the ``flock`` in ``archive.warc.writer``) is truncated to its last
complete gzip member, which is its last complete record, and renamed to ``*.warc.gz``.

Nothing a crawl reported as stored is lost: the writer fsyncs a record before its pointer is
handed out, so only a record being written at the kill is cut away.  A file left with no
complete record at all (killed while opening) is removed.
"""

from __future__ import annotations

import fcntl
import logging
import os
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from archive.warc.naming import FINISHED, OPEN
from archive.warc.pointer import WarcError

__all__ = ["RepairReport", "complete_length", "repair_open_files"]

log = logging.getLogger(__name__)
_CHUNK = 1 << 16


@dataclass(slots=True)
class RepairReport:
    finished: list[str] = field(default_factory=list)  # files renamed (after any truncation)
    truncated: dict[str, int] = field(default_factory=dict)  # file -> bytes cut away
    removed: list[str] = field(default_factory=list)  # files with no complete record
    busy: list[str] = field(default_factory=list)  # held by a live writer: left alone


def repair_open_files(directory: Path) -> RepairReport:
    """Repair every open WARC file in ``directory`` that no running writer holds."""
    report = RepairReport()
    if not directory.is_dir():
        return report
    for path in sorted(directory.glob("*" + OPEN)):
        try:
            _repair(path, report)
        except OSError as exc:
            raise WarcError(f"cannot repair the unfinished WARC file {path}: {exc}") from None
    return report


def _repair(path: Path, report: RepairReport) -> None:
    with open(path, "r+b") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            report.busy.append(path.name)
            return
        size = os.fstat(handle.fileno()).st_size
        keep = complete_length(path)
        if keep < size:
            handle.truncate(keep)
            report.truncated[path.name] = size - keep
            log.warning("%s: cut %d bytes of an unfinished record left by a killed crawl",
                        path.name, size - keep)
        handle.flush()
        os.fsync(handle.fileno())
        if keep == 0:
            path.unlink()
            report.removed.append(path.name)
            return
        finished = path.with_name(path.name.removesuffix(OPEN) + FINISHED)
        os.replace(path, finished)
        report.finished.append(finished.name)


def complete_length(path: Path) -> int:
    """The length of the leading run of complete gzip members of ``path`` (what a reader can
    read to the end); anything after it is a member cut short or not gzip at all."""
    end = offset = 0  # after the last complete member; of the next unread byte
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    with open(path, "rb") as handle:
        while data := handle.read(_CHUNK):
            while data:
                try:
                    inflater.decompress(data)
                except zlib.error:
                    return end
                if not inflater.eof:
                    offset += len(data)
                    break
                offset += len(data) - len(inflater.unused_data)
                end, data = offset, inflater.unused_data
                inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    return end
