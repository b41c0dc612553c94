"""Fixtures for real servers shared by the tests (started here, stopped by PID)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.postgres_server import PostgresServer, running_postgres


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One real PostgreSQL for the session.  Its folder is outside pytest's private temporary
    directory, which the ``postgres`` user (the server's owner under root) could not enter."""
    directory = Path(tempfile.mkdtemp(prefix="broadsheet-pg-"))
    try:
        with running_postgres(directory) as server:
            yield server
    finally:
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def postgres_dsn(postgres_server: PostgresServer) -> str:
    """The DSN of a new, empty database on the session's server."""
    return postgres_server.create_database()
