"""A real PostgreSQL server for the tests: ``initdb`` into a temporary directory, ``postgres``
on 127.0.0.1 at a free port, stopped by PID.

Debian's ``postgresql`` package provides the binaries (``.ci/run`` installs it where missing).
PostgreSQL refuses to run as root, so as root the server runs as the ``postgres`` user.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

SEARCH_DIRS = ("/usr/lib/postgresql/17/bin", "/usr/lib/postgresql/16/bin",
               "/usr/lib/postgresql/15/bin")
START_TIMEOUT = 30.0


def binary(name: str) -> str:
    """Path of a PostgreSQL server program, from PATH or Debian's versioned folder."""
    for folder in SEARCH_DIRS:
        candidate = Path(folder) / name
        if candidate.exists():
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise RuntimeError(f"PostgreSQL's {name} not found: install Debian's postgresql package")
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PostgresServer:
    """One PostgreSQL cluster in ``directory``, listening on 127.0.0.1:``port``."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def admin_dsn(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def dsn(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        data = self.directory / "data"
        data.mkdir(parents=True)
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres")
            shutil.chown(data, "postgres")
        self._as_owner([binary("initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                        "-E", "UTF8", "--no-sync"], check=True)
        command = [binary("postgres"), "-D", str(data), "-h", "127.0.0.1", "-p", str(self.port),
                   "-k", str(self.directory), "-c", "fsync=off", "-c", "max_connections=200"]
        with (self.directory / "server.log").open("wb") as log:  # the server keeps its own copy
            self.process = subprocess.Popen(self._owner_prefix() + command, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        self._wait_ready()

    def stop(self) -> None:
        if self.process is None:
            return
        # The whole process group: under root the server is a child of runuser, which does not
        # pass signals on.  SIGINT is PostgreSQL's fast shutdown.
        os.killpg(self.process.pid, signal.SIGINT)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.process = None

    def create_database(self) -> str:
        """A new empty database; its DSN."""
        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.admin_dsn, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.dsn(name)

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                log = (self.directory / "server.log").read_text(errors="replace")
                raise RuntimeError(f"postgres exited: {log[-2000:]}")
            try:
                with psycopg.connect(self.admin_dsn, connect_timeout=2):
                    return
            except psycopg.OperationalError:
                time.sleep(0.1)
        raise RuntimeError("postgres did not start within 30 s")

    def _owner_prefix(self) -> list[str]:
        return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _as_owner(self, command: list[str], check: bool) -> None:
        subprocess.run(self._owner_prefix() + command, check=check, capture_output=True)


@contextmanager
def running_postgres(directory: Path) -> Iterator[PostgresServer]:
    server = PostgresServer(directory)
    server.start()
    try:
        yield server
    finally:
        server.stop()
