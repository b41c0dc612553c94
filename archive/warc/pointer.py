"""Where one capture is: a WARC file name and the gzip member of its response (or revisit)
record, as an article record and its snapshot entries store it (``warc`` in schema.json)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from archive.errors import ArchiveError

__all__ = ["WarcError", "WarcPointer"]


class WarcError(ArchiveError):
    """A WARC file cannot be written or read back (disk full, missing or corrupt file)."""


@dataclass(frozen=True, slots=True)
class WarcPointer:
    """``file``: the finished file's name (no directory; while the crawl writes it the file on
    disk still ends in ``.open``); ``offset``/``length``: the record's gzip member in it."""

    file: str
    offset: int
    length: int

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "offset": self.offset, "length": self.length}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> WarcPointer:
        """The pointer a record stores; WarcError when it is not one."""
        try:
            file, offset, length = data["file"], data["offset"], data["length"]
        except (KeyError, TypeError):
            raise WarcError(f"{data!r} is not a WARC pointer (file, offset, length)") from None
        if not (isinstance(file, str) and isinstance(offset, int) and isinstance(length, int)):
            raise WarcError(f"{data!r} is not a WARC pointer (file, offset, length)")
        if "/" in file or offset < 0 or length <= 0:
            raise WarcError(f"{data!r} is not a WARC pointer (file, offset, length)")
        return cls(file, offset, length)
