"""The ``warc`` section of the configuration: WARC capture of every fetch (issue 12).

``enabled`` (default true) writes every HTTP exchange of a crawl or snapshot to rolling WARC
files under ``<archive>/warc/``; ``max_file_size`` (bytes) is where a file is finished and the
next one begun.  See ``archive.warc``.
"""

from __future__ import annotations

from dataclasses import dataclass

MIN_FILE_SIZE = 65536
"""The smallest ``warc.max_file_size``: a file holds at least a few records."""


@dataclass(frozen=True, slots=True)
class WarcConfig:
    enabled: bool = True
    max_file_size: int = 1_000_000_000  # the WARC standard's recommended size, about 1 GB
