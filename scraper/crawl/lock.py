"""One crawl at a time per crawl queue: an exclusive lock on a file beside the frontier.

Two crawls on one queue would each claim and fetch the other's pages ("resume" a queue that is
not interrupted, only busy).  ``queue_lock`` takes ``fcntl.flock`` on ``<frontier>.lock``, and
writes the holder's pid into it so that the refused command can say who holds it.  The kernel
drops the lock when its process ends, however it ends (even SIGKILL), so a stale lock file
never blocks a later crawl.  Queues kept in other files (``broadsheet snapshot``, ``add``) have
locks of their own and run beside a crawl.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from scraper.errors import ArchiveError, BroadsheetError


class QueueBusy(BroadsheetError):
    """Another process is crawling with the same queue (exit 2: nothing was done)."""

    exit_code = 2


def lock_path(frontier: Path) -> Path:
    return frontier.with_name(frontier.name + ".lock")


@contextmanager
def queue_lock(frontier: Path) -> Iterator[None]:
    """Hold the lock of the queue in ``frontier`` for the ``with`` block, or raise
    ``QueueBusy`` naming the pid that holds it."""
    path = lock_path(frontier)
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise ArchiveError(f"cannot open the crawl queue's lock file {path}: "
                           f"{exc.strerror or exc}") from None
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(descriptor)
            raise QueueBusy(f"another crawl ({holder}) is using this archive's crawl queue "
                            f"{frontier}; wait for it to end, or stop it (it resumes later)"
                            ) from None
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, f"{os.getpid()}\n".encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(descriptor, 0)  # the pid of a finished crawl would mislead
    finally:
        os.close(descriptor)  # closing releases the lock


def _holder(descriptor: int) -> str:
    """``pid N`` from the lock file, or a plain description when it names none yet."""
    text = os.pread(descriptor, 32, 0).decode("ascii", "replace").strip()
    return f"pid {text}" if text.isdigit() else "a process that is starting"
