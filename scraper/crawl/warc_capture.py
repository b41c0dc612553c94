"""Opening a crawl's WARC capture (``archive.warc``) from its configuration.

The files go to ``<archive>/warc/``: the archive folder, or on the ``postgres`` backend the
shared storage directory (``backend.storage``) every worker mounts; each worker writes its own
files, named after its worker id (``backend.worker_name()``) there, after its pid otherwise.
On S3 storage (which cannot append to a file) each worker writes into its machine-local spool
folder ``<archive.directory>/warc-spool/`` and uploads every finished file to the storage under
``warc/<name>`` (``archive.warc.spool``); an upload that fails is told in one line and retried at
the next start.  Before a run opens its first file, the files a killed run left open are
finished (``archive.warc.repair``) and, on S3, the finished files still in the spool uploaded.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import platform
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from archive.storage import BlobStore
from archive.warc.captures import CaptureIndex, Captures
from archive.warc.naming import WARC_DIR
from archive.warc.pointer import WarcError, WarcPointer
from archive.warc.reader import Capture, read_capture
from archive.warc.recorder import WarcRecorder
from archive.warc.repair import repair_open_files
from archive.warc.sources import FolderSource, StoreSource, WarcSource
from archive.warc.spool import SPOOL_DIR, upload_file, upload_finished
from archive.warc.writer import RollingWarcWriter
from scraper import __version__
from scraper.archive_access import ArchiveAccess, archive_access
from scraper.config import Config

__all__ = ["WARC_DIR", "open_capture", "record_capture", "upload_finished_file", "warc_directory",
           "warc_source"]

log = logging.getLogger(__name__)


def on_object_storage(access: ArchiveAccess) -> bool:
    return access.storage is not None and access.storage.startswith("s3://")


def warc_directory(access: ArchiveAccess) -> Path:
    """Where a crawl of this machine writes its WARC files: the archive's ``warc/`` folder, or
    on S3 storage the spool folder (see the module docstring)."""
    if access.storage is None:
        return access.root / WARC_DIR
    if on_object_storage(access):
        return access.root / SPOOL_DIR
    return Path(access.storage.removeprefix("file://")) / WARC_DIR


def warc_source(access: ArchiveAccess) -> WarcSource:
    """Where an archive's WARC files are read from (``archive.warc.sources``)."""
    store = access.store() if on_object_storage(access) else None
    if store is None:
        return FolderSource(warc_directory(access))
    return StoreSource(warc_directory(access), store)


@contextmanager
def open_capture(config: Config) -> Iterator[WarcRecorder | None]:
    """The recorder a crawl's downloader hands every exchange to; None when capture is off."""
    if not config.warc.enabled:
        yield None
        return
    access = archive_access(config)
    directory = warc_directory(access)
    store = access.store() if on_object_storage(access) else None
    _finish_earlier_runs(directory, store)
    worker = config.backend.worker_name() if config.backend.shared else str(os.getpid())
    writer = RollingWarcWriter(directory, worker=worker, max_file_size=config.warc.max_file_size,
                               info=warcinfo(config),
                               on_finished=None if store is None else _uploader(store))
    recorder = WarcRecorder(writer, _captures(config, directory))
    try:
        yield recorder
    finally:
        recorder.close()


def _captures(config: Config, directory: Path) -> Captures:
    """Each URL's last capture: in the crawl's database when workers share it (a SQLite file
    in the shared folder would let one paused worker hold up all), else beside the WARCs."""
    if config.backend.shared:
        from archive.warc.captures_postgres import PostgresCaptureIndex  # psycopg: shared only

        assert config.backend.dsn is not None  # checked when the config was read
        return PostgresCaptureIndex(config.backend.dsn)
    return CaptureIndex(directory)


def _finish_earlier_runs(directory: Path, store: BlobStore | None) -> None:
    """Repair the files a killed run left open; on S3, upload the finished ones still here."""
    report = repair_open_files(directory)
    for name in report.finished:
        log.info("finished the WARC file %s left open by an interrupted crawl", name)
    if store is None:
        return
    uploads = upload_finished(directory, store)
    for name in uploads.uploaded:
        log.info("uploaded the WARC file %s left in %s", name, directory)
    for failure in uploads.failed:
        log.warning("%s", failure)


def upload_finished_file(access: ArchiveAccess, path: Path) -> None:
    """On S3 storage, upload the finished spool file ``path`` (``import-warc``'s placed files);
    a failure is one warning line and the file stays for the next start.  Else nothing."""
    store = access.store() if on_object_storage(access) else None
    if store is not None:
        _uploader(store)(path)


def _uploader(store: BlobStore) -> Callable[[Path], None]:
    """Upload a finished spool file; a failure is told in one line, the file stays."""
    def upload(path: Path) -> None:
        try:
            upload_file(path, store)
        except WarcError as error:
            log.warning("%s", error)
    return upload


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


def record_capture(warcs: ArchiveAccess | WarcSource,
                   record: Mapping[str, Any]) -> Capture | None:
    """The WARC capture the record's current version was extracted from (``read_capture``), in
    the archive's WARC files (``warc_source``; a caller reading many passes the source);
    None when the record names none.  WarcError when the capture it names cannot be read."""
    pointer = record.get("warc")
    if pointer is None:
        return None
    source = warc_source(warcs) if isinstance(warcs, ArchiveAccess) else warcs
    return read_capture(source, WarcPointer.from_dict(pointer))
