"""``verify``'s check of the WARC pointers (``warc`` in a record and its versions): the capture a
record says it was extracted from is there, in a file of the archive's WARC files (a
``WarcSource``: its ``warc/`` folder, or on object storage the spool folder and ``warc/``).

Quick: the file exists and holds the pointer's byte range.  Full: the record at the offset reads
back as a response or revisit (``archive.warc.reader``), a revisit's payload record included.
"""

from __future__ import annotations

from typing import Any

from archive.warc.pointer import WarcError, WarcPointer
from archive.warc.reader import read_capture
from archive.warc.sources import WarcSource

__all__ = ["warc_problem"]


def warc_problem(warc_dir: WarcSource | None, record: dict[str, Any],
                 read: bool) -> tuple[str, str] | None:
    """(kind, detail) of what is wrong with ``record``'s WARC pointer, or None (also when it has
    none).  ``warc_dir`` None: the WARC files are not checked."""
    data = record.get("warc")
    if data is None or warc_dir is None:
        return None
    try:
        pointer = WarcPointer.from_dict(data)
    except WarcError as error:
        return "bad_warc_pointer", str(error)
    try:
        size = warc_dir.size(pointer.file)
    except WarcError as error:
        return "missing_warc", str(error)
    if size is None:
        return "missing_warc", f"WARC file {pointer.file} is missing"
    if pointer.offset + pointer.length > size:
        return "bad_warc_pointer", (f"{pointer.file} is {size} bytes; the capture would end at "
                                    f"{pointer.offset + pointer.length}")
    if not read:
        return None
    try:
        read_capture(warc_dir, pointer)
    except WarcError as error:
        return "bad_warc_pointer", str(error)
    return None

