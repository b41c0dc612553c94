"""The records of one WARC file (gzip-compressed, one member per record, or plain), each with
its byte offset and length in the file: what a CDXJ index and a record's ``warc`` pointer
({file, offset, length}) are made of.

A damaged file (not a WARC, a record cut short, a gzip member that does not end) raises
``DamagedWarc`` naming the file and the offset of the bad record; the records before it were
yielded already.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from archive.errors import ArchiveError

HTTP_RECORDS = ("response", "revisit", "request")
"""Record types whose block is an HTTP message (status line and headers, then the payload)."""


class DamagedWarc(ArchiveError):
    """A WARC file that cannot be read to its end: not a WARC, truncated, or corrupt."""


@dataclass(frozen=True, slots=True)
class WarcRecord:
    """One record: where it is (``offset`` and ``length`` in bytes, of its gzip member in a
    compressed file), its WARC headers, and for HTTP records the status, headers and payload.
    ``payload`` is the decoded entity body (chunked and content encodings undone) when read
    with bodies, else None."""

    offset: int
    length: int
    rec_type: str
    url: str | None
    date: str | None
    warc_headers: tuple[tuple[str, str], ...]
    status: int | None
    http_headers: tuple[tuple[str, str], ...]
    payload: bytes | None

    def warc_header(self, name: str) -> str | None:
        """A WARC header's value (case-insensitive name), or None."""
        return _header(self.warc_headers, name)

    def http_header(self, name: str) -> str | None:
        """An HTTP header's value (case-insensitive name), or None."""
        return _header(self.http_headers, name)

    @property
    def mime(self) -> str | None:
        """The HTTP Content-Type without parameters, lower-case (None when absent)."""
        value = self.http_header("content-type")
        return value.split(";", 1)[0].strip().lower() or None if value else None


def iter_warc(path: str | Path, *, bodies: bool = True) -> Iterator[WarcRecord]:
    """Every record of the WARC file at ``path``, in file order.  ``bodies=False`` skips
    reading payloads (faster, for indexing).  Raises DamagedWarc (ArchiveError when the file
    cannot be opened)."""
    name = Path(path).name
    try:
        stream = open(path, "rb")  # noqa: SIM115 (closed below; the generator owns it)
    except OSError as error:
        raise ArchiveError(f"cannot read WARC file {path}: {error.strerror}") from error
    with stream:
        yield from _records(stream, name, bodies)


def iter_warc_stream(stream: BinaryIO, name: str, *, bodies: bool = True) -> Iterator[WarcRecord]:
    """``iter_warc`` of an open file (read from where it stands), named ``name`` in messages."""
    yield from _records(stream, name, bodies)


def read_record_at(path: str | Path, offset: int) -> WarcRecord:
    """The one record that starts at byte ``offset`` of the file (with its payload)."""
    name = Path(path).name
    try:
        with open(path, "rb") as stream:
            stream.seek(offset)
            for record in _records(stream, name, bodies=True):
                return record
    except OSError as error:
        raise ArchiveError(f"cannot read WARC file {path}: {error.strerror}") from error
    raise DamagedWarc(f"{name} has no WARC record at offset {offset}")


def _records(stream: BinaryIO, name: str, bodies: bool) -> Iterator[WarcRecord]:
    records = ArchiveIterator(stream)
    offset = stream.tell()
    try:
        for record in records:
            payload = _payload(record) if bodies else None
            records.read_to_end()
            _check_complete(records, record, name)
            offset, length = records.member_info
            yield _warc_record(record, offset, length, payload)
            offset = records.offset
    except (ArchiveLoadFailed, EOFError, zlib.error, ValueError) as error:
        raise DamagedWarc(f"{name} is damaged at byte {offset}: "
                          f"{' '.join(str(error).split())[:200]}") from error
    except AttributeError as error:  # warcio reading a record with no target URI
        raise DamagedWarc(f"{name} is damaged at byte {offset}: a record without "
                          "WARC-Target-URI") from error


def _payload(record: Any) -> bytes:
    if record.http_headers is None:
        return bytes(record.raw_stream.read())
    return bytes(record.content_stream().read())


def _check_complete(records: Any, record: Any, name: str) -> None:
    """DamagedWarc when the record's block was shorter than its Content-Length, or its gzip
    member did not end (the file was cut off)."""
    short = getattr(record.raw_stream, "limit", 0)
    decompressor = records.reader.decompressor if records.reader else None
    if short or (decompressor is not None and not decompressor.eof):
        offset = records.member_info[0]
        missing = f" ({short} bytes missing)" if short else ""
        raise DamagedWarc(f"{name} is truncated: the record at byte {offset} is cut short"
                          f"{missing}; the records before it are readable")


def _warc_record(record: Any, offset: int, length: int, payload: bytes | None) -> WarcRecord:
    headers = record.rec_headers
    http = record.http_headers
    status = None
    if http is not None and record.rec_type in ("response", "revisit"):
        code = http.get_statuscode()
        status = int(code) if code and code.isdigit() else None
    return WarcRecord(
        offset=offset, length=length, rec_type=str(record.rec_type),
        url=headers.get_header("WARC-Target-URI"), date=headers.get_header("WARC-Date"),
        warc_headers=tuple((str(k), str(v)) for k, v in headers.headers),
        status=status,
        http_headers=tuple((str(k), str(v)) for k, v in http.headers) if http else (),
        payload=payload)


def _header(headers: tuple[tuple[str, str], ...], name: str) -> str | None:
    wanted = name.lower()
    return next((value for key, value in headers if key.lower() == wanted), None)
