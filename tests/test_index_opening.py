"""Opening a shared index: an index a moment behind another worker's first article file is
waited for; one that stays empty while storage holds articles is an error."""

from __future__ import annotations

import threading
import time
from typing import cast

from archive.index.base import ArchiveIndex
from archive.index.opening import _unindexed_articles


class CountingIndex:
    """The one method the check reads; rows arrive from another thread as from a worker."""

    def __init__(self) -> None:
        self.rows = 0

    def count(self) -> int:
        return self.rows


def test_an_index_that_catches_up_is_not_called_lost() -> None:
    index = CountingIndex()
    threading.Timer(0.2, lambda: setattr(index, "rows", 1)).start()
    started = time.monotonic()
    assert not _unindexed_articles(cast(ArchiveIndex, index), lambda: True, patience=5.0)
    assert 0.15 < time.monotonic() - started < 2.0


def test_an_index_that_stays_empty_beside_articles_is_lost() -> None:
    started = time.monotonic()
    assert _unindexed_articles(cast(ArchiveIndex, CountingIndex()), lambda: True, patience=0.3)
    assert time.monotonic() - started >= 0.3


def test_an_empty_index_of_an_empty_archive_is_fine_at_once() -> None:
    started = time.monotonic()
    assert not _unindexed_articles(cast(ArchiveIndex, CountingIndex()), lambda: False)
    assert time.monotonic() - started < 0.1
