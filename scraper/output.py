"""Where a command's exported bytes go: stdout, or a file that is replaced atomically.

``-o FILE`` writes a temporary file beside FILE (``archive.temps``: named by this process, so a
later export deletes one a killed export left) and renames it over FILE only when everything
was written and fsynced; a failed export leaves FILE as it was and no temporary file.  A FILE
that exists but is not a regular file (``/dev/stdout``, a FIFO, a device) is written in place,
never replaced; a symbolic link is followed, so the file it names is replaced, not the link.

Every failure is one line: a file that cannot be written is a ``UsageError`` (choose another
``-o``); a stdout that is closed, full or whose reader went away is an ``OutputError``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from archive.temps import remove_stale_beside, temp_path
from scraper.errors import OutputError, UsageError

STDOUT = "-"
_log = logging.getLogger(__name__)


@contextmanager
def output(name: str, *, binary: bool) -> Iterator[IO[Any]]:
    """A stream to write the export to: stdout for ``-``, else the file ``name``."""
    if name == STDOUT:
        with _stdout(binary) as stream:
            yield stream
        return
    path = Path(name)
    try:
        if path.exists() and not path.is_file() and not path.is_dir():
            with _open(path, "w", binary) as stream:  # a device or FIFO: written in place
                yield stream
        else:
            target = Path(os.path.realpath(path)) if path.is_symlink() else path
            with _replaced(target, binary) as stream:
                yield stream
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror or error}; "
                         "choose another file with -o") from None


@contextmanager
def _stdout(binary: bool) -> Iterator[IO[Any]]:
    if sys.stdout is None:  # started with stdout closed (">&-")
        raise UsageError("stdout is closed; give an output file with -o FILE")
    stream: IO[Any] = sys.stdout.buffer if binary else sys.stdout
    try:
        yield stream
        stream.flush()
    except OSError as error:
        _discard_stdout()
        reason = ("its reader stopped reading" if isinstance(error, BrokenPipeError)
                  else error.strerror or str(error))
        raise OutputError(f"cannot write to stdout: {reason}; the export is incomplete "
                          "(give an output file with -o FILE)") from None


def _discard_stdout() -> None:
    """Point stdout at /dev/null, so that flushing what is still buffered at exit cannot fail
    a second time (Python would print that failure too)."""
    with contextlib.suppress(OSError, ValueError):  # no descriptor: nothing to flush to one
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


@contextmanager
def _replaced(target: Path, binary: bool) -> Iterator[IO[Any]]:
    """A temporary file beside ``target``, renamed over it when the block completes."""
    remove_stale_beside(target)
    temp = temp_path(target)
    created = False
    try:
        with _open(temp, "x", binary) as stream:
            created = True
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, target)
        created = False
    finally:
        if created:
            _remove(temp)


def _remove(temp: Path) -> None:
    try:
        temp.unlink()
    except OSError as error:  # e.g. the filesystem turned read-only: the next export deletes it
        _log.warning("cannot delete the temporary file %s: %s", temp, error.strerror or error)


def _open(path: Path, mode: str, binary: bool) -> IO[Any]:
    if binary:
        return open(path, mode + "b")
    return open(path, mode, encoding="utf-8", newline="")
