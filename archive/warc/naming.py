"""WARC file names: ``broadsheet-<UTC yyyymmddHHMMSS>-<worker>-<serial 5 digits>.warc.gz``, and
``.open`` appended while the file is written (only ``*.warc.gz`` files are finished)."""

from __future__ import annotations

import re
from datetime import datetime

__all__ = ["FINISHED", "OPEN", "WARC_DIR", "file_name", "worker_tag"]

WARC_DIR = "warc"
"""The folder of an archive (or of its shared storage) that holds its WARC files."""
FINISHED = ".warc.gz"
OPEN = ".warc.gz.open"
_UNSAFE = re.compile(r"[^A-Za-z0-9_.]+")


def worker_tag(worker: str) -> str:
    """A worker id (``host:pid``) as it may stand in a file name: no dash, slash or colon."""
    return _UNSAFE.sub("_", worker).strip("_.") or "worker"


def file_name(started: datetime, worker: str, serial: int) -> str:
    """The finished name of a worker's ``serial``-th file, opened at ``started`` (UTC)."""
    return f"broadsheet-{started:%Y%m%d%H%M%S}-{worker_tag(worker)}-{serial:05d}{FINISHED}"
