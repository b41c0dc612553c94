"""WARC files for an archive on object storage: written in a machine-local spool folder
(``<archive.directory>/warc-spool/``), where they can be appended to and fsynced record by
record, and uploaded to the store under ``warc/<name>`` once finished.

An upload is create-if-absent and streamed from the file (``BlobStore.create_from_file``); the
spool file is deleted only after the object is there with the same size, so a pointer to it
always resolves (``archive.warc.sources.StoreSource`` reads the spool first).  A failed upload
leaves the file in the spool: the next crawl's start uploads it (``upload_finished``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from archive.errors import ArchiveError
from archive.storage.base import BlobStore
from archive.warc.pointer import WarcError
from archive.warc.sources import FolderSource, key

__all__ = ["SPOOL_DIR", "UploadReport", "upload_file", "upload_finished"]

log = logging.getLogger(__name__)

SPOOL_DIR = "warc-spool"
"""The folder of ``archive.directory`` that holds a machine's WARC files before their upload."""


@dataclass(slots=True)
class UploadReport:
    uploaded: list[str] = field(default_factory=list)  # names now in the store
    failed: list[str] = field(default_factory=list)  # one-line reasons; the files stay


def upload_file(path: Path, store: BlobStore) -> bool:
    """Upload the finished spool file ``path`` under ``warc/<name>`` and delete it; False when
    it is gone already (another process of this machine uploaded it).  WarcError (one line)
    when the upload fails: the file stays in the spool."""
    name = path.name
    target = key(name)
    try:
        if not path.exists():
            return False
        created = store.create_from_file(target, path)
        size = path.stat().st_size
        if not created and store.size(target) != size:
            raise WarcError(f"cannot upload the WARC file {path}: {store.where(target)} exists "
                            "with other bytes; move one of them aside and run again")
        path.unlink(missing_ok=True)
    except FileNotFoundError:
        return False  # uploaded and deleted by another process meanwhile
    except WarcError:
        raise
    except (ArchiveError, OSError) as exc:
        raise WarcError(f"cannot upload the WARC file {path} to {store.where(target)} "
                        f"({' '.join(str(exc).split())[:200]}); it stays there and is uploaded "
                        "when the next crawl starts") from None
    return True


def upload_finished(spool: Path, store: BlobStore) -> UploadReport:
    """Upload every finished file of the spool folder (left by a crawl whose upload failed, or
    that was killed): the start-of-crawl step after ``archive.warc.repair``."""
    report = UploadReport()
    for name in FolderSource(spool).names():
        try:
            if upload_file(spool / name, store):
                report.uploaded.append(name)
        except WarcError as error:
            report.failed.append(str(error))
    return report
