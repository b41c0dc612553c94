"""Schema versions in a shared PostgreSQL database: each component (``hosts``, ``frontier``...)
creates and migrates its own tables, recorded in ``broadsheet_schema``.

Creation runs under a transaction-level advisory lock, so workers starting together do not race;
statements are idempotent (``IF NOT EXISTS``, ``CREATE OR REPLACE``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import psycopg

from archive.errors import ArchiveError, TransientDatabaseError

_LOCK_KEY = 0x62726F6164  # any constant shared by every broadsheet worker


def connect(dsn: str, what: str) -> psycopg.Connection[tuple[object, ...]]:
    """An autocommit connection; ArchiveError (one line) when the database cannot be reached."""
    with guard(what):
        return psycopg.connect(dsn, autocommit=True)


@contextmanager
def guard(what: str) -> Iterator[None]:
    """psycopg's errors as ArchiveError naming ``what`` failed."""
    try:
        yield
    except psycopg.Error as exc:
        detail = " ".join(str(exc).split()) or type(exc).__name__
        if isinstance(exc, psycopg.errors.DeadlockDetected | psycopg.errors.SerializationFailure):
            raise TransientDatabaseError(f"{what} was rolled back by PostgreSQL ({detail})"
                                         ) from exc
        raise ArchiveError(f"{what} failed in PostgreSQL ({detail}); check the database and "
                           "backend.dsn, then run the same command again") from exc


def ensure_schema(connection: psycopg.Connection[tuple[object, ...]], component: str,
                  version: int, statements: Sequence[str]) -> None:
    """Create ``component``'s tables at ``version`` unless the database has them already;
    refuse a database of a newer version."""
    with guard(f"creating the {component} tables"), connection.transaction():
        connection.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
        connection.execute("CREATE TABLE IF NOT EXISTS broadsheet_schema ("
                           " component text PRIMARY KEY, version integer NOT NULL)")
        row = connection.execute("SELECT version FROM broadsheet_schema WHERE component = %s",
                                 (component,)).fetchone()
        found = 0 if row is None else int(str(row[0]))
        if found > version:
            raise ArchiveError(f"the database's {component} tables have version {found}, newer "
                               "than this broadsheet understands; upgrade broadsheet")
        if found == version:
            return
        for statement in statements:
            connection.execute(statement)
        connection.execute("INSERT INTO broadsheet_schema (component, version) VALUES (%s, %s)"
                           " ON CONFLICT (component) DO UPDATE SET version = EXCLUDED.version",
                           (component, version))
