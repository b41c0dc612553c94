"""The test PostgreSQL is a real server: SQL runs, and each test's database starts empty."""

from __future__ import annotations

import psycopg


def test_real_postgres_answers_sql_with_its_own_clock(postgres_dsn: str) -> None:
    with psycopg.connect(postgres_dsn) as connection:
        version = connection.execute("SHOW server_version").fetchone()
        tables = connection.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()
        clock = connection.execute("SELECT now() < clock_timestamp()").fetchone()
    assert version is not None and int(version[0].split(".")[0]) >= 13
    assert tables == (0,)
    assert clock == (True,)
