"""Opening a crawl's WARC capture (``archive.warc``) from its configuration.

The files go to ``<archive>/warc/``: the archive folder, or on the ``postgres`` backend the
shared storage directory (``backend.storage``) every worker mounts; each worker writes its own
files, named after its worker id (``backend.worker_name()``) there, after its pid otherwise.
On S3 storage capture is off, with a one-line warning: WARC files are appended to and fsynced
record by record, which an object store cannot do.  Before a run opens its first file, the files
a killed run left open are finished (``archive.warc.repair``).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import platform
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from archive.warc.captures import CaptureIndex
from archive.warc.naming import WARC_DIR
from archive.warc.pointer import WarcPointer
from archive.warc.reader import Capture, read_capture
from archive.warc.recorder import WarcRecorder
from archive.warc.repair import repair_open_files
from archive.warc.writer import RollingWarcWriter
from scraper import __version__
from scraper.archive_access import ArchiveAccess, archive_access
from scraper.config import Config

__all__ = ["WARC_DIR", "open_capture", "record_capture", "warc_directory"]

log = logging.getLogger(__name__)


def warc_directory(access: ArchiveAccess) -> Path | None:
    """Where an archive's WARC files are; None on S3 storage (no capture there)."""
    if access.storage is None:
        return access.root / WARC_DIR
    if access.storage.startswith("s3://"):
        return None
    return Path(access.storage.removeprefix("file://")) / WARC_DIR


@contextmanager
def open_capture(config: Config) -> Iterator[WarcRecorder | None]:
    """The recorder a crawl's downloader hands every exchange to; None when capture is off."""
    if not config.warc.enabled:
        yield None
        return
    directory = warc_directory(archive_access(config))
    if directory is None:
        log.warning("WARC capture is off: the archive's files are on S3 storage, where WARC "
                    "files cannot be appended to (set warc.enabled: false to silence this)")
        yield None
        return
    report = repair_open_files(directory)
    for name in report.finished:
        log.info("finished the WARC file %s left open by an interrupted crawl", name)
    worker = config.backend.worker_name() if config.backend.shared else str(os.getpid())
    writer = RollingWarcWriter(directory, worker=worker, max_file_size=config.warc.max_file_size,
                               info=warcinfo(config))
    recorder = WarcRecorder(writer, CaptureIndex(directory))
    try:
        yield recorder
    finally:
        recorder.close()


def warcinfo(config: Config) -> dict[str, str]:
    """The warcinfo record's fields: software, format, and the crawl's configuration (its
    crawl, fetch, politeness and warc sections as one JSON line)."""
    summary = {name: dataclasses.asdict(getattr(config, name))
               for name in ("crawl", "fetch", "politeness", "warc")}
    return {
        "software": f"broadsheet/{__version__}",
        "format": "WARC File Format 1.1",
        "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
        "hostname": platform.node(),
        "http-header-user-agent": config.fetch.user_agent,
        "robots": "obey" if config.politeness.obey_robots else "ignore",
        "broadsheet-config": json.dumps(summary, sort_keys=True, separators=(",", ":")),
    }


def record_capture(access: ArchiveAccess, record: Mapping[str, Any]) -> Capture | None:
    """The WARC capture the record's current version was extracted from (``read_capture``);
    None when the record names none or the archive keeps no WARC files (S3).  WarcError when
    the capture it names cannot be read."""
    pointer = record.get("warc")
    directory = warc_directory(access)
    if pointer is None or directory is None:
        return None
    return read_capture(directory, WarcPointer.from_dict(pointer))
