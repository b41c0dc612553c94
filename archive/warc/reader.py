"""Read one capture back from its pointer: ``read_capture(warc_dir, pointer) -> Capture``.

A ``revisit`` record is followed to the record it refers to (``WARC-Refers-To-Filename`` and
``-File-Offset``, see ``archive.warc.recorder``) for the payload; the status line and headers
stay the revisit's own (a 304's, or the identical 200's).  The body is the entity with its
Content-Encoding undone.  The files come from a ``WarcSource`` (``archive.warc.sources``: a
folder, or a spool folder and object storage); a file still being written (``.open``) is read as
well.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from archive.warc.pointer import WarcError, WarcPointer
from archive.warc.recorder import REFERS_TO_FILE, REFERS_TO_OFFSET
from archive.warc.sources import WarcSource, as_source

__all__ = ["Capture", "read_capture"]


@dataclass(frozen=True, slots=True)
class Capture:
    """One fetch as archived: ``status_line`` is e.g. ``HTTP/1.1 200 OK``; ``record_type``
    ``response`` or ``revisit``; ``refers_to`` the record holding the body of a revisit."""

    url: str
    status: int
    status_line: str
    headers: list[tuple[str, str]]
    body: bytes
    date: str
    record_type: str
    profile: str | None = None
    refers_to: tuple[str, int] | None = None  # (file, offset) of the payload's record


def read_capture(warcs: WarcSource | Path, pointer: WarcPointer) -> Capture:
    """The capture ``pointer`` names, in ``warcs`` (a source, or a folder); WarcError when it
    cannot be read."""
    warc_dir = as_source(warcs)
    record, body = _read(warc_dir, pointer.file, pointer.offset)
    headers = record.rec_headers
    kind = headers.get_header("WARC-Type")
    if kind not in ("response", "revisit") or record.http_headers is None:
        raise WarcError(f"{pointer.file} at {pointer.offset} holds a {kind} record, not a "
                        "response; the pointer is wrong")
    refers_to = None
    if kind == "revisit":
        refers_to, body = _referred_body(warc_dir, pointer, headers)
    http = record.http_headers
    return Capture(url=headers.get_header("WARC-Target-URI"), status=int(http.get_statuscode()),
                   status_line=f"{http.protocol} {http.statusline}".strip(),
                   headers=list(http.headers), body=body, date=headers.get_header("WARC-Date"),
                   record_type=kind, profile=headers.get_header("WARC-Profile"),
                   refers_to=refers_to)


def _referred_body(warc_dir: WarcSource, pointer: WarcPointer,
                   headers: Any) -> tuple[tuple[str, int] | None, bytes]:
    file, offset = headers.get_header(REFERS_TO_FILE), headers.get_header(REFERS_TO_OFFSET)
    if file is None or offset is None or not offset.isdigit():
        return None, b""  # a revisit of a capture not known to this archive: no body here
    record, body = _read(warc_dir, file, int(offset))
    if record.rec_headers.get_header("WARC-Type") != "response":
        raise WarcError(f"the revisit at {pointer.file}:{pointer.offset} refers to {file}:"
                        f"{offset}, which is no response record")
    return (file, int(offset)), body


def _read(warc_dir: WarcSource, name: str, offset: int) -> tuple[Any, bytes]:
    try:
        with warc_dir.open(name) as handle:
            handle.seek(offset)
            for record in ArchiveIterator(handle):
                return record, record.content_stream().read()
    except (OSError, ArchiveLoadFailed, ValueError, EOFError) as exc:
        raise WarcError(f"cannot read the WARC record at {name}:{offset}: {exc}") from None
    raise WarcError(f"no WARC record at {name}:{offset}; the pointer is wrong")
