"""CDXJ index lines for WARC files, as pywb and ReplayWeb.page read them.

One line per ``response`` or ``revisit`` record: the URL's SURT key, the capture's 14-digit
timestamp, then a JSON block ``{"url", "mime", "status", "digest", "length", "offset",
"filename"}`` (numbers as strings, as ``cdxj-indexer`` writes them; a revisit's mime is
``warc/revisit``).  Lines are sorted (by code point, which is UTF-8 byte order), so that a
reader can binary-search them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from surt import surt

from archive.warc.records import WarcRecord, iter_warc, iter_warc_stream
from archive.warc.sources import WarcSource

INDEXED_TYPES = ("response", "revisit")


@dataclass(frozen=True, slots=True)
class CdxjEntry:
    """One index line, parsed."""

    key: str
    timestamp: str
    fields: dict[str, str]

    @property
    def url(self) -> str:
        return self.fields["url"]

    @property
    def offset(self) -> int:
        return int(self.fields["offset"])

    @property
    def length(self) -> int:
        return int(self.fields["length"])

    def line(self) -> str:
        return f"{self.key} {self.timestamp} {json.dumps(self.fields, ensure_ascii=False)}"


def surt_key(url: str) -> str:
    """The SURT form of ``url`` (``com,example)/path?query``), as CDX indexes sort by."""
    return str(surt(url))


def timestamp14(warc_date: str) -> str:
    """``2024-05-13T04:00:01.5Z`` as ``20240513040001`` (digits of the UTC date-time)."""
    digits = "".join(char for char in warc_date.split(".", 1)[0] if char.isdigit())
    if len(digits) < 14:
        digits = digits.ljust(14, "0")
    return digits[:14]


def entry_for(record: WarcRecord, filename: str) -> CdxjEntry | None:
    """The index entry of one record; None for records that are not indexed."""
    if record.rec_type not in INDEXED_TYPES or not record.url or not record.date:
        return None
    mime = "warc/revisit" if record.rec_type == "revisit" else (record.mime or "unk")
    fields = {"url": record.url, "mime": mime,
              "status": str(record.status) if record.status is not None else "-",
              "digest": record.warc_header("WARC-Payload-Digest") or "-",
              "length": str(record.length), "offset": str(record.offset),
              "filename": filename}
    return CdxjEntry(surt_key(record.url), timestamp14(record.date), fields)


def file_entries(path: Path) -> Iterator[CdxjEntry]:
    """The entries of one WARC file, in file order (DamagedWarc when it is damaged)."""
    for record in iter_warc(path, bodies=False):
        entry = entry_for(record, path.name)
        if entry is not None:
            yield entry


def source_entries(source: WarcSource, name: str) -> Iterator[CdxjEntry]:
    """``file_entries`` of the file ``name`` of ``source`` (read once, front to back)."""
    with source.open(name) as stream:
        for record in iter_warc_stream(stream, name, bodies=False):
            entry = entry_for(record, name)
            if entry is not None:
                yield entry


def cdxj_lines(paths: Iterable[Path]) -> list[str]:
    """The sorted CDXJ lines of every WARC file in ``paths``."""
    return sorted(entry.line() for path in paths for entry in file_entries(path))


def parse_line(line: str) -> CdxjEntry:
    """A CDXJ line read back (ValueError when it is not one)."""
    key, timestamp, block = line.rstrip("\n").split(" ", 2)
    fields = json.loads(block)
    if not isinstance(fields, dict):
        raise ValueError(f"not a CDXJ line: {line[:80]!r}")
    return CdxjEntry(key, timestamp, {str(k): str(v) for k, v in fields.items()})
