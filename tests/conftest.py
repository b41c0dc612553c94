"""Fixtures for real servers shared by the tests (started here, stopped by PID)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.postgres_server import PostgresServer, running_postgres
from tests.s3_server import S3Server, running_s3


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


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    """One real S3-compatible server (SeaweedFS ``weed mini``) for the session."""
    directory = Path(tempfile.mkdtemp(prefix="broadsheet-s3-"))
    try:
        with running_s3(directory) as server:
            yield server
    finally:
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def s3_bucket(s3_server: S3Server) -> str:
    """The name of a new, empty bucket on the session's S3 server."""
    return s3_server.create_bucket()
