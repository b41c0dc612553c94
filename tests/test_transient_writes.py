"""A write the database rolled back whole (a deadlock) is reported as TransientDatabaseError and
run again by the crawl; other errors are not retried."""

from __future__ import annotations

import threading

import psycopg
import pytest

from archive.errors import ArchiveError, TransientDatabaseError
from scraper.crawl.transient import ATTEMPTS, retrying
from scraper.postgres_schema import guard


def test_a_rolled_back_write_is_run_again_until_it_succeeds() -> None:
    calls: list[int] = []

    def write() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise TransientDatabaseError("deadlock detected")
        return "stored"

    assert retrying(write) == "stored" and len(calls) == 3


def test_retrying_gives_up_and_never_retries_other_errors() -> None:
    calls: list[int] = []

    def deadlocked() -> None:
        calls.append(1)
        raise TransientDatabaseError("deadlock detected")

    with pytest.raises(TransientDatabaseError):
        retrying(deadlocked)
    assert len(calls) == ATTEMPTS

    def broken() -> None:
        calls.append(1)
        raise ArchiveError("disk full")

    with pytest.raises(ArchiveError, match="disk full"):
        retrying(broken)
    assert len(calls) == ATTEMPTS + 1


def test_a_real_deadlock_in_postgresql_is_a_transient_error(postgres_dsn: str) -> None:
    with psycopg.connect(postgres_dsn, autocommit=True) as setup:
        setup.execute("CREATE TABLE t (id int PRIMARY KEY, n int)")
        setup.execute("INSERT INTO t VALUES (1, 0), (2, 0)")
    both_locked = threading.Barrier(2)
    errors: list[BaseException] = []

    def cross(first: int, second: int) -> None:
        with psycopg.connect(postgres_dsn, autocommit=True) as connection:
            try:
                with guard("a crossed update"), connection.transaction():
                    connection.execute("UPDATE t SET n = n + 1 WHERE id = %s", (first,))
                    both_locked.wait()
                    connection.execute("UPDATE t SET n = n + 1 WHERE id = %s", (second,))
            except ArchiveError as exc:
                errors.append(exc)

    threads = [threading.Thread(target=cross, args=pair) for pair in ((1, 2), (2, 1))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(errors) == 1 and isinstance(errors[0], TransientDatabaseError), errors
    assert "rolled back" in str(errors[0])
