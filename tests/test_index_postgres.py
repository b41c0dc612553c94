"""The archive on a real PostgreSQL index: schema and migrations, sharing a connection (and
one transaction) with the caller, racing claims and stores, and a whole archive on it
(duplicates, re-visits, 304s, verify, reindex)."""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Iterator
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

import psycopg
import pytest

from archive import Archive
from archive.errors import ArchiveError
from archive.index.postgres import SCHEMA_VERSION, TABLES, PostgresIndex
from archive.reindex import reindex
from archive.storage import open_store
from archive.verify import verify_archive
from tests.s3_server import S3Server
from tests.test_export import WHEN, article

LATER = "2024-06-02T08:00:00Z"


@pytest.fixture
def connection(postgres_dsn: str) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        yield conn


def pg_archive(root: Path, dsn: str) -> Archive:
    return Archive(root, index=PostgresIndex(dsn), reader=PostgresIndex(dsn))


def test_schema_is_created_once_and_a_newer_one_is_refused(
        postgres_dsn: str, connection: psycopg.Connection[Any]) -> None:
    errors: list[BaseException] = []

    def open_close() -> None:
        try:
            PostgresIndex(postgres_dsn).close()
        except BaseException as error:  # noqa: BLE001 -- reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=open_close) for _ in range(4)]  # workers starting at once
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert connection.execute("SELECT component, version FROM broadsheet_schema").fetchall() == [
        ("archive_index", SCHEMA_VERSION)]
    tables = {row[0] for row in connection.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
    assert set(TABLES) <= tables
    connection.execute("UPDATE broadsheet_schema SET version = %s", (SCHEMA_VERSION + 1,))
    with pytest.raises(ArchiveError, match="newer than this broadsheet understands"):
        PostgresIndex(postgres_dsn)


def test_an_unreachable_database_is_one_line_without_the_password() -> None:
    with pytest.raises(ArchiveError) as caught:
        PostgresIndex("postgresql://postgres:s3cret@127.0.0.1:1/nothing?connect_timeout=2")
    message = str(caught.value)
    assert "\n" not in message and "s3cret" not in message
    assert message.startswith("cannot connect to index database 127.0.0.1:1/nothing")


def test_one_transaction_with_the_callers_own_statements(
        connection: psycopg.Connection[Any]) -> None:
    """The fencing contract: the caller's lease check, the store's index rows and the caller's
    finish commit together, or not at all."""
    connection.execute("CREATE TABLE leases (url_key TEXT PRIMARY KEY, token TEXT)")
    index = PostgresIndex(connection)
    assert index.connection is connection
    with pytest.raises(RuntimeError), connection.transaction():
        connection.execute("INSERT INTO leases VALUES ('k', 't1')")
        with index.transaction():
            index.put_article("a1", "articles/a/a1.json", None)
            index.add_keys("a1", ["k"])
        raise RuntimeError("lease lost: finish refused")
    assert connection.execute("SELECT count(*) FROM leases").fetchone() == (0,)
    assert index.path_of("a1") is None and index.owners(["k"]) == {}
    with connection.transaction():
        connection.execute("INSERT INTO leases VALUES ('k', 't2')")
        with index.transaction():
            index.put_article("a1", "articles/a/a1.json", None)
        connection.execute("DELETE FROM leases WHERE token = 't2'")
    assert index.path_of("a1") == "articles/a/a1.json"
    index.close()
    assert not connection.closed  # a borrowed connection stays open
    with psycopg.connect(connection.info.dsn) as manual, pytest.raises(ArchiveError,
                                                                       match="autocommit"):
        PostgresIndex(manual)


ROUNDS = 10


def _claim_rounds(dsn: str, article: str, barrier: Barrier, results: Any) -> None:
    index = PostgresIndex(dsn)
    try:
        for round_ in range(ROUNDS):
            keys = [f"https://race.example/{round_}/{n}" for n in range(20)]
            barrier.wait(timeout=30)
            results[(article, round_)] = index.claim_keys(f"{article}{round_}", keys)
    finally:
        index.close()


def test_racing_claims_leave_exactly_one_owner(postgres_dsn: str) -> None:
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager:
        barrier, results = context.Barrier(2), manager.dict()
        workers = [context.Process(target=_claim_rounds, args=(postgres_dsn, name, barrier,
                                                               results))
                   for name in ("b", "a")]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(60)
            assert worker.exitcode == 0
        claimed = dict(results)
    index = PostgresIndex(postgres_dsn)
    try:
        for round_ in range(ROUNDS):
            keys = [f"https://race.example/{round_}/{n}" for n in range(20)]
            assert index.owners(keys) == {key: f"a{round_}" for key in keys}
            lost_a, lost_b = set(claimed[("a", round_)]), set(claimed[("b", round_)])
            assert lost_a.isdisjoint(lost_b) and lost_a | lost_b == set(keys)
    finally:
        index.close()


def _store_copies(dsn: str, root: str, site: str, count: int, barrier: Barrier) -> None:
    with pg_archive(Path(root), dsn) as archive:
        barrier.wait(timeout=30)
        for n in range(count):
            url = f"https://{site}/story-{n}"
            archive.store(article(url, n), url_keys=[url], fetched_url=url, fetched_at=WHEN)


def test_two_workers_storing_the_same_stories_keep_one_copy_each(
        postgres_dsn: str, tmp_path: Path) -> None:
    root, count = tmp_path / "archive", 15
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    workers = [context.Process(target=_store_copies, args=(postgres_dsn, str(root), site,
                                                           count, barrier))
               for site in ("one.example.com", "two.example.org")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    with pg_archive(root, postgres_dsn) as archive:
        assert archive.count() == count
        records = list(archive.iter_records())
    assert all(len(record["aliases"]) == 1 for record in records)
    assert len(list((root / "articles").rglob("*.json"))) == count
    index = PostgresIndex(postgres_dsn)
    try:
        assert verify_archive(root, index=index).ok
    finally:
        index.close()


def test_an_archive_on_postgres(postgres_dsn: str, tmp_path: Path) -> None:
    root = tmp_path / "archive"
    url, copy, other = ("https://news.example.com/a", "https://mirror.example.org/a",
                        "https://news.example.com/b")
    with pg_archive(root, postgres_dsn) as archive:
        first = archive.store(article(url, 1), url_keys=[url], fetched_url=url, fetched_at=WHEN,
                              etag='"v1"', raw=b"<html>1</html>")
        assert first.outcome == "stored"
        assert archive.store(article(other, 2), url_keys=[other], fetched_url=other,
                             fetched_at=WHEN).outcome == "stored"
        duplicate = archive.store(article(copy, 1), url_keys=[copy], fetched_url=copy,
                                  fetched_at=WHEN)
        assert (duplicate.outcome, duplicate.id) == ("duplicate", first.id)
        again = archive.store(article(url, 1), url_keys=[url], fetched_url=url, fetched_at=LATER,
                              etag='"v1"')
        assert (again.outcome, again.id) == ("unchanged", first.id)
        assert archive.validators(url) == ('"v1"', None)
        assert archive.record_not_modified(url, "2024-06-03T08:00:00Z").outcome == "unchanged"
        assert archive.last_fetched(url) == "2024-06-03T08:00:00Z"
        assert archive.lookup(copy)["id"] == first.id
        assert archive.load(first.id)["aliases"] == [copy]
        assert len(archive.load(first.id)["snapshots"]) == 3
        assert sorted(row[0] for row in archive.revisit_times()) == [url, other]
    assert not (root / "index.sqlite").exists()

    index = PostgresIndex(postgres_dsn)
    try:
        report = verify_archive(root, index=index)
        assert report.ok and report.index_articles == 2
        index.connection.execute("DELETE FROM archive_url_keys WHERE url_key = %s", (copy,))
        index.connection.execute("UPDATE archive_articles SET dedup_hash = 'sha256:stale'")
        broken = verify_archive(root, index=index)
        assert {"url_key_missing", "index_hash"} <= set(broken.counts)
    finally:
        index.close()
    assert reindex(root, index=PostgresIndex(postgres_dsn)).articles == 2
    index = PostgresIndex(postgres_dsn)
    try:
        assert verify_archive(root, index=index).ok
        assert index.owners([copy]) == {copy: first.id}
        assert index.validators(url) == ('"v1"', None)  # the validators survive a reindex
    finally:
        index.close()


def test_an_empty_postgres_index_beside_stored_articles_asks_for_reindex(
        postgres_dsn: str, tmp_path: Path) -> None:
    root = tmp_path / "archive"
    with Archive(root) as archive:  # stored with the SQLite index
        url = "https://news.example.com/a"
        archive.store(article(url, 1), url_keys=[url], fetched_url=url, fetched_at=WHEN)
    with pytest.raises(ArchiveError, match="empty but the archive holds articles"):
        pg_archive(root, postgres_dsn)
    assert reindex(root, index=PostgresIndex(postgres_dsn)).articles == 1
    with pg_archive(root, postgres_dsn) as archive:
        assert archive.lookup(url)["url"] == url


def test_one_given_index_serves_lookups_and_stores_from_two_threads(
        postgres_dsn: str, tmp_path: Path) -> None:
    """Without a ``reader`` the given index answers lookups too, under the store's lock, so a
    lookup never runs inside another thread's store transaction."""
    root = tmp_path / "archive"
    urls = [f"https://news.example.com/{n}" for n in range(12)]
    with Archive(root, index=PostgresIndex(postgres_dsn)) as archive:
        done = threading.Event()
        looked: list[str | None] = []

        def look() -> None:
            while not done.is_set():
                looked.append(archive.owner(urls[0]))

        reader = threading.Thread(target=look)
        reader.start()
        try:
            ids = [archive.store(article(url, n), url_keys=[url], fetched_url=url,
                                 fetched_at=WHEN).id for n, url in enumerate(urls)]
        finally:
            done.set()
            reader.join()
        assert archive.count() == len(urls) and archive.owner(urls[-1]) == ids[-1]
        assert set(looked) <= {None, ids[0]}


def test_files_on_s3_and_the_index_in_postgres(postgres_dsn: str, s3_server: S3Server,
                                               s3_bucket: str, tmp_path: Path) -> None:
    """The several-machines shape: nothing of the archive on the worker's disk but its
    marker folder; store, verify and reindex work."""
    storage = open_store(f"s3://{s3_bucket}/archive", s3_server.options)
    root = tmp_path / "worker"
    url, copy = "https://news.example.com/a", "https://mirror.example.org/a"
    with Archive(root, storage=storage, index=PostgresIndex(postgres_dsn),
                 reader=PostgresIndex(postgres_dsn)) as archive:
        first = archive.store(article(url, 1), url_keys=[url], fetched_url=url, fetched_at=WHEN)
        assert archive.store(article(copy, 1), url_keys=[copy], fetched_url=copy,
                             fetched_at=WHEN).outcome == "duplicate"
    assert not (root / "index.sqlite").exists() and not (root / "articles").exists()
    assert reindex(root, storage=storage, index=PostgresIndex(postgres_dsn)).articles == 1
    index = PostgresIndex(postgres_dsn)
    try:
        report = verify_archive(root, storage=storage, index=index)
        assert report.ok and report.index_articles == 1
        assert index.owners([url, copy]) == {url: first.id, copy: first.id}
    finally:
        index.close()
