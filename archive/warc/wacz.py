"""A WACZ 1.1.1 package (Web Archive Collection Zipped) of WARC files, as ReplayWeb.page opens.

The ZIP holds:

- ``archive/<name>``: each WARC file, *stored* (not deflated), as the spec requires so that a
  reader can seek to a record by the offsets of the index;
- ``indexes/index.cdxj``: the sorted CDXJ index of every response and revisit record
  (``archive.warc.cdxj``), its offsets relative to each WARC file;
- ``pages/pages.jsonl``: a header line ``{"format": "json-pages-1.0", "id": "pages",
  "title": ...}``, then one line per page ``{"id", "url", "ts", "title"}``;
- ``datapackage.json``: ``profile`` data-package, ``wacz_version`` 1.1.1, ``created``,
  ``software``, ``title`` and ``resources`` (each file above: ``name``, ``path``,
  ``hash`` ``sha256:<hex>`` and ``bytes``);
- ``datapackage-digest.json``: the sha256 of ``datapackage.json`` itself.

``write_wacz`` writes to a seekable binary stream; the caller makes the file appear atomically
(temporary file, then rename: ``scraper.output``).
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, Any

from archive.warc.cdxj import source_entries
from archive.warc.sources import WarcSource

WACZ_VERSION = "1.1.1"
PAGES_FORMAT = "json-pages-1.0"
CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class Page:
    """One entry of ``pages.jsonl``: ``ts`` is an ISO 8601 UTC date-time of the capture."""

    id: str
    url: str
    ts: str
    title: str | None

    def to_dict(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"id": self.id, "url": self.url, "ts": self.ts}
        if self.title is not None:
            entry["title"] = self.title
        return entry


@dataclass(frozen=True, slots=True)
class WaczSummary:
    warc_files: int
    index_lines: int
    pages: int


def write_wacz(out: IO[bytes], source: WarcSource, warcs: Sequence[str], pages: Iterable[Page],
               *, title: str, software: str, index: Sequence[str] | None = None) -> WaczSummary:
    """Write the package of the files ``warcs`` of ``source`` (a folder, or object storage:
    each streamed into the package) and ``pages`` to ``out``.  ``index``: the CDXJ lines when
    the caller has them already (else computed here).  Raises DamagedWarc for a WARC that
    cannot be indexed."""
    lines = list(index) if index is not None else sorted(
        entry.line() for name in warcs for entry in source_entries(source, name))
    page_list = list(pages)
    resources: list[dict[str, Any]] = []
    with zipfile.ZipFile(out, "w", allowZip64=True) as package:
        for name in warcs:
            resources.append(_add_file(package, f"archive/{name}", source, name))
        index_bytes = "".join(line + "\n" for line in lines).encode("utf-8")
        resources.append(_add_bytes(package, "indexes/index.cdxj", index_bytes))
        resources.append(_add_bytes(package, "pages/pages.jsonl", _pages_bytes(page_list, title)))
        datapackage = _json_bytes({
            "profile": "data-package", "wacz_version": WACZ_VERSION, "title": title,
            "created": _now(), "software": software, "resources": resources})
        _add_bytes(package, "datapackage.json", datapackage)
        digest = _json_bytes({"path": "datapackage.json",
                              "hash": "sha256:" + hashlib.sha256(datapackage).hexdigest()})
        _add_bytes(package, "datapackage-digest.json", digest)
    return WaczSummary(len(warcs), len(lines), len(page_list))


def _pages_bytes(pages: Sequence[Page], title: str) -> bytes:
    header = {"format": PAGES_FORMAT, "id": "pages", "title": title}
    lines = [json.dumps(header, ensure_ascii=False)]
    lines += [json.dumps(page.to_dict(), ensure_ascii=False) for page in pages]
    return "".join(line + "\n" for line in lines).encode("utf-8")


def _add_file(package: zipfile.ZipFile, name: str, source: WarcSource,
              warc: str) -> dict[str, Any]:
    """Copy the file ``warc`` into the package uncompressed, hashing it on the way."""
    info = zipfile.ZipInfo(name, date_time=_zip_time())
    info.compress_type = zipfile.ZIP_STORED
    digest = hashlib.sha256()
    size = 0
    with source.open(warc) as reading, package.open(info, "w", force_zip64=True) as writing:
        while chunk := reading.read(CHUNK):
            digest.update(chunk)
            writing.write(chunk)
            size += len(chunk)
    return _resource(name, digest.hexdigest(), size)


def _add_bytes(package: zipfile.ZipFile, name: str, data: bytes) -> dict[str, Any]:
    info = zipfile.ZipInfo(name, date_time=_zip_time())
    info.compress_type = zipfile.ZIP_DEFLATED
    package.writestr(info, data)
    return _resource(name, hashlib.sha256(data).hexdigest(), len(data))


def _resource(path: str, sha256: str, size: int) -> dict[str, Any]:
    return {"name": path.rsplit("/", 1)[-1].lower(), "path": path, "hash": f"sha256:{sha256}",
            "bytes": size}


def _json_bytes(value: dict[str, Any]) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2).encode("utf-8")


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _zip_time() -> tuple[int, int, int, int, int, int]:
    now = datetime.now(UTC)
    return (now.year, now.month, now.day, now.hour, now.minute, now.second)
