"""``broadsheet extract FILE...``: the extractor over saved pages, one JSON line per page.

Each file is its own job: one that cannot be read, inflates past the size cap, holds no page
or crashes the extractor is one error line on stderr, and the others go on (exit 1 at the end).
A ``.gz`` file is inflated in chunks and stops at ``fetch.max_bytes``, the cap a crawl puts on
a page, so a gzip bomb costs no more memory than a page may.
"""

from __future__ import annotations

import gzip
import json
import logging
import sys
import zlib
from collections.abc import Sequence
from pathlib import Path

from scraper.errors import ExtractionError, UsageError
from scraper.extract import extract

log = logging.getLogger(__name__)
_CHUNK = 1 << 16


def extract_files(files: Sequence[str], url: str | None, max_bytes: int) -> int:
    """Print one JSON record per readable page; a bad file is one error line, not a stop."""
    failed = 0
    for name in files:
        try:
            record = extract(read_page(Path(name), max_bytes), url).to_dict()
        except (ExtractionError, UsageError) as exc:
            failed += 1
            print(f"broadsheet: {name}: {exc}", file=sys.stderr)
            continue
        except Exception as exc:  # one crashing page must not stop the others
            failed += 1
            log.debug("extracting %s crashed", name, exc_info=True)
            print(f"broadsheet: {name}: internal error in the extractor "
                  f"({type(exc).__name__}: {exc}); please report it", file=sys.stderr)
            continue
        print(json.dumps(record, ensure_ascii=False))
    return 1 if failed else 0


def read_page(path: Path, max_bytes: int) -> bytes:
    """The page in ``path``, inflated when gzipped (by name or by its first bytes);
    ``UsageError`` when it cannot be read or holds more than ``max_bytes``."""
    try:
        with path.open("rb") as file:
            data = file.read(max_bytes + 1)
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    if path.suffix == ".gz" or data.startswith(b"\x1f\x8b"):
        return _inflated(path, max_bytes)
    if len(data) > max_bytes:
        raise UsageError(f"{path} is over fetch.max_bytes={max_bytes} bytes; "
                         "raise fetch.max_bytes to read it")
    return data


def _inflated(path: Path, max_bytes: int) -> bytes:
    """The gzip file inflated chunk by chunk, stopping past ``max_bytes``."""
    chunks: list[bytes] = []
    size = 0
    try:
        with gzip.open(path, "rb") as file:
            while chunk := file.read(_CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise UsageError(f"{path} inflates to more than fetch.max_bytes={max_bytes} "
                                     "bytes; raise fetch.max_bytes to read it")
                chunks.append(chunk)
    except (OSError, EOFError, zlib.error) as exc:
        raise UsageError(f"{path} is not valid gzip: {exc}") from None
    return b"".join(chunks)
