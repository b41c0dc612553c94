"""Temporary files named by their writer, and the removal of those a killed writer left.

Every temporary file broadsheet writes is ``.<target name>.<pid>-<space>.<8 random hex>.tmp``
beside its target: ``<pid>`` is the writing process and ``<space>`` 8 hex digits naming the
machine and process-id namespace it ran in (host name, boot id, pid namespace), because a pid
says nothing about another machine's or container's processes.  A temporary file is *stale*,
provably left by a writer that can never rename it, when its space is ours and no process has
its pid.  Only stale files are ever deleted: a live writer's file is never touched, and a file in
the old ``.<name>.<8 hex>.tmp`` form, or from another machine or container, is left alone
(``broadsheet verify`` lists it).  A reused pid keeps a stale file until that process ends too.

To find stale files without walking a whole archive on every start, a writer of an archive
registers itself: ``Writers.enter`` creates ``<root>/.writer.<pid>-<space>`` and ``leave``
removes it.  A registration whose process is gone means a killed writer: the next writer to
enter walks the archive once, deletes the stale temporary files and then the registration.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import socket
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

TEMP_NAME = re.compile(r"\..+\.[0-9a-f]{8}\.tmp")
"""Any temporary file, of this version (pid-named) or an older one (random only)."""
_OWNED = re.compile(r"\..+\.(?P<pid>[0-9]{1,20})-(?P<space>[0-9a-f]{8})\.[0-9a-f]{8}\.tmp")
_WRITER = re.compile(r"\.writer\.(?P<pid>[0-9]{1,20})-(?P<space>[0-9a-f]{8})")
_ENTERED: dict[Path, int] = {}
"""Archive root -> how many open archives of this process registered there."""
_ENTERED_GUARD = threading.Lock()


def _read(path: str) -> str:
    try:
        with open(path, encoding="ascii", errors="replace") as file:
            return file.read().strip()
    except OSError:
        return ""


def _space() -> str:
    """8 hex digits naming where our pids mean something: host, boot and pid namespace."""
    try:
        namespace = os.readlink("/proc/self/ns/pid")
    except OSError:
        namespace = ""
    parts = (socket.gethostname(), _read("/proc/sys/kernel/random/boot_id"), namespace)
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:8]


SPACE = _space()


def temp_path(path: Path) -> Path:
    """A fresh temporary file name beside ``path``, carrying this process's pid."""
    return path.with_name(f".{path.name}.{os.getpid()}-{SPACE}.{secrets.token_hex(4)}.tmp")


def is_alive(pid: int) -> bool:
    """True when a process with this pid exists here (also one of another user)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except (OverflowError, OSError):  # no process can have such a pid
        return False
    return True


def _owner_gone(match: re.Match[str] | None) -> bool:
    return (match is not None and match["space"] == SPACE and int(match["pid"]) != os.getpid()
            and not is_alive(int(match["pid"])))


def is_stale(name: str) -> bool:
    """True for a temporary file of a writer that is gone (see the module docstring)."""
    return _owner_gone(_OWNED.fullmatch(name))


def remove_stale(paths: Iterable[Path]) -> list[Path]:
    """Delete the stale temporary files among ``paths``; returns those deleted."""
    removed = []
    for path in paths:
        if is_stale(path.name):
            try:
                path.unlink()
            except FileNotFoundError:
                continue  # another writer removed it first
            removed.append(path)
    return removed


def remove_stale_beside(target: Path) -> list[Path]:
    """Delete the stale temporary files of ``target`` (for a file written outside an archive,
    such as an export); one listing of its directory."""
    prefix = f".{target.name}."
    try:
        with os.scandir(target.parent) as entries:
            names = [entry.name for entry in entries if entry.name.startswith(prefix)]
    except OSError:
        return []
    return remove_stale(target.parent / name for name in names)


class Writers:
    """The registrations of the processes writing one archive (see the module docstring)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.mark = root / f".writer.{os.getpid()}-{SPACE}"

    def enter(self, find_temps: Callable[[], Iterable[Path]]) -> list[Path]:
        """Register this process; if a registered writer is gone, delete the stale temporary
        files ``find_temps`` lists, then its registration.  Returns the files deleted.
        Raises OSError."""
        with _ENTERED_GUARD:
            key = self.root.resolve()
            if not _ENTERED.get(key):
                self.mark.write_bytes(b"")
            _ENTERED[key] = _ENTERED.get(key, 0) + 1
        with os.scandir(self.root) as entries:
            gone = [self.root / entry.name for entry in entries
                    if _owner_gone(_WRITER.fullmatch(entry.name))]
        if not gone:
            return []
        removed = remove_stale(find_temps())
        for mark in gone:
            mark.unlink(missing_ok=True)
        return removed

    def leave(self) -> None:
        """Unregister this process when its last open archive of this root closes."""
        with _ENTERED_GUARD:
            key = self.root.resolve()
            _ENTERED[key] = _ENTERED.get(key, 1) - 1
            if _ENTERED[key] <= 0:
                del _ENTERED[key]
                self.mark.unlink(missing_ok=True)
