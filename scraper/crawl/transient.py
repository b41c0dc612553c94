"""Database writes the database rolled back whole (a deadlock between two workers'
transactions, a serialization failure) are run again: nothing of them was written."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from archive.errors import TransientDatabaseError

log = logging.getLogger(__name__)
ATTEMPTS = 4
_T = TypeVar("_T")


def retrying(write: Callable[[], _T]) -> _T:
    """``write()``, run again (up to ``ATTEMPTS`` times) while it raises TransientDatabaseError."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return write()
        except TransientDatabaseError as exc:
            if attempt == ATTEMPTS:
                raise
            log.info("running a write again that the database rolled back: %s", exc)
    raise AssertionError("unreachable")
