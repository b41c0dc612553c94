"""The archive commands on the shared backend: an archive whose index is in a real PostgreSQL
and whose files are on a real S3 server (or in a storage directory), read and repaired by the
real command line, printing what the same commands print on an embedded archive of the same
records."""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from archive import Archive
from archive.storage import open_store
from scraper.archive_access import ArchiveAccess
from scraper.cli.main import main
from scraper.demo.server import DemoServer
from scraper.demo.site import DemoSite, default_catalog
from scraper.extract import extract
from tests.s3_server import S3Server

SETTINGS = "politeness:\n  delay: 0\n  concurrency: 4\ncrawl:\n  extract_workers: 0\n"
WHEN = "2025-01-02T03:04:05Z"
LATER = "2025-01-05T03:04:05Z"
EDIT = "\n\nUpdate: the council answered on Friday."


def run(*args: str) -> tuple[int, str, str]:
    """The command's exit code, stdout and stderr (``-q``: no ``config: ...`` line)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([*args, "-q"])
    return code, out.getvalue(), err.getvalue()


def fill(archive: Archive, base: str) -> str:
    """Three demo articles (served at ``base``), one edited a few days later (a second
    version) and given an alias; returns the edited article's id."""
    site = DemoSite()
    ids = []
    for article in default_catalog().articles[:3]:
        url = base + article.path
        html = site.respond(article.path, base).body
        record = extract(html, url).to_dict()
        ids.append(archive.store(record, url_keys=[url], fetched_url=url, fetched_at=WHEN,
                                 raw=html).id)
        if len(ids) == 1:
            edited = {**record, "body": record["body"] + EDIT}
            archive.store(edited, url_keys=[url], fetched_url=url, fetched_at=LATER,
                          raw=html + b"<!-- edited -->")
            archive.add_aliases(ids[0], [url + "?utm_source=feed"])
    return ids[0]


def config(tmp_path: Path, backend: str = "") -> str:
    path = tmp_path / f"config-{len(list(tmp_path.glob('config-*')))}.yaml"
    path.write_text(SETTINGS + backend, encoding="utf-8")
    return str(path)


def postgres_backend(dsn: str, storage: str | None = None,
                     options: dict[str, str] | None = None) -> str:
    text = f"backend:\n  kind: postgres\n  dsn: {dsn}\n"
    if storage:
        text += f"  storage: {storage}\n"
    if options:
        text += "  storage_options:\n" + "".join(f"    {k}: {v}\n" for k, v in options.items())
    return text


class Pair:
    """The same records in an embedded archive and in a shared one; ``both`` runs a command
    on each and gives (exit code, stdout, stderr) of both, the archives' names replaced."""

    def __init__(self, tmp_path: Path, shared: ArchiveAccess, shared_config: str,
                 base: str) -> None:
        self.embedded_root = tmp_path / "embedded"
        self.shared = shared
        self.embedded_args = ("--archive", str(self.embedded_root), "--config", config(tmp_path))
        self.shared_args = ("--archive", str(shared.root), "--config", shared_config)
        with Archive(self.embedded_root) as archive:
            self.edited = fill(archive, base)
        with shared.open_archive() as archive:
            assert fill(archive, base) == self.edited

    def both(self, *args: str) -> tuple[tuple[int, str, str], tuple[int, str, str]]:
        embedded = run(*args, *self.embedded_args)
        shared = run(*args, *self.shared_args)
        return (self._named(embedded, str(self.embedded_root)),
                self._named(shared, self.shared.where))

    @staticmethod
    def _named(result: tuple[int, str, str], where: str) -> tuple[int, str, str]:
        code, out, err = result
        return code, out.replace(where, "ARCHIVE"), err.replace(where, "ARCHIVE")


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    with DemoServer() as running:
        yield running


@pytest.fixture
def s3_pair(tmp_path: Path, postgres_dsn: str, s3_server: S3Server, s3_bucket: str,
            server: DemoServer) -> Pair:
    storage = f"s3://{s3_bucket}/archive"
    shared = ArchiveAccess(tmp_path / "local", dsn=postgres_dsn, storage=storage,
                           storage_options=tuple(sorted(s3_server.options.items())))
    backend = postgres_backend(postgres_dsn, storage, s3_server.options)
    return Pair(tmp_path, shared, config(tmp_path, backend), server.base_url)


def sorted_lines(text: str) -> list[str]:
    return sorted(text.splitlines())


def test_read_commands_print_what_they_print_on_an_embedded_archive(
        s3_pair: Pair, tmp_path: Path) -> None:
    for command in (("stats",), ("stats", "--json"), ("verify",), ("verify", "--json"),
                    ("show", s3_pair.edited), ("show", s3_pair.edited, "--json"),
                    ("history", s3_pair.edited), ("diff", s3_pair.edited),
                    ("diff", s3_pair.edited, "--from", "1", "--to", "2")):
        embedded, shared = s3_pair.both(*command)
        assert shared == embedded, command
        assert embedded[0] == 0, (command, embedded)
    embedded, shared = s3_pair.both("stats")
    assert shared[1].startswith("3 articles in ARCHIVE\n")
    assert "earlier versions: 1 of 1 articles" in shared[1]
    assert "index 127.0.0.1:" in run("stats", *s3_pair.shared_args)[1]
    embedded, shared = s3_pair.both("diff", s3_pair.edited)
    assert "+Update: the council answered on Friday." in shared[1]
    for command in (("list",), ("list", "--json"),
                    ("export",), ("export", "--format", "csv"),
                    ("export", "--table", "comments"), ("export", "--table", "snapshots")):
        embedded, shared = s3_pair.both(*command)
        assert embedded[0] == shared[0] == 0, command
        assert sorted_lines(shared[1]) == sorted_lines(embedded[1]), command
        assert len(embedded[1].splitlines()) >= 3, command
    tables = []
    for args in (s3_pair.embedded_args, s3_pair.shared_args):
        target = tmp_path / f"out-{len(tables)}.parquet"
        assert run("export", "-o", str(target), *args)[0] == 0
        tables.append(pq.read_table(target).sort_by("id").to_pylist())
    assert tables[1] == tables[0] and len(tables[0]) == 3


def test_reindex_reextract_and_verify_after_a_lost_object(s3_pair: Pair,
                                                          s3_server: S3Server) -> None:
    embedded, shared = s3_pair.both("reindex")
    assert shared == embedded and shared[1] == "reindexed 3 articles in ARCHIVE\n"
    embedded, shared = s3_pair.both("reindex", "--json")
    assert shared == embedded
    assert json.loads(shared[1]) == {"articles": 3, "replaced_because": None}
    embedded, shared = s3_pair.both("reextract", "--json")
    assert shared == embedded and json.loads(shared[1])["updated"] == 1  # the edited one
    assert s3_pair.both("show", s3_pair.edited, "--json")[1][1].count('"version": 3') == 1
    assert s3_pair.both("verify")[1][0] == 0

    store = s3_pair.shared.store()
    assert store is not None
    with Archive(s3_pair.embedded_root) as archive:
        raw_key = archive.load(s3_pair.edited)["raw"]
    store.delete(raw_key)
    code, out, err = run("verify", *s3_pair.shared_args)
    assert code == 1 and raw_key in out and "found 1 problems" in out, (out, err)


def test_postgres_index_with_files_in_a_storage_directory(
        tmp_path: Path, postgres_dsn: str, server: DemoServer) -> None:
    storage = tmp_path / "shared-mount"
    shared = ArchiveAccess(tmp_path / "local", dsn=postgres_dsn, storage=str(storage))
    pair = Pair(tmp_path, shared, config(tmp_path, postgres_backend(postgres_dsn, str(storage))),
                server.base_url)
    assert sorted(path.name for path in storage.iterdir()) == ["articles", "raw", "versions"]
    assert not (tmp_path / "local" / "index.sqlite").exists()
    for command in (("stats", "--json"), ("verify", "--json"), ("show", pair.edited),
                    ("history", pair.edited, "--json"), ("reindex", "--json")):
        embedded, shared_result = pair.both(*command)
        assert shared_result == embedded and embedded[0] == 0, command
    embedded, shared_result = pair.both("export")
    assert sorted_lines(shared_result[1]) == sorted_lines(embedded[1])


def in_a_week() -> str:
    return (datetime.now(UTC) + timedelta(days=8)).strftime("%Y-%m-%dT%H:%M:%S")


def test_snapshot_revisits_a_shared_archive_over_http(s3_pair: Pair, server: DemoServer) -> None:
    embedded, shared = s3_pair.both("snapshot", "--dry-run", "--json", "--now", in_a_week())
    assert shared == embedded and len(json.loads(shared[1])["due"]) == 3
    server.clear_requests()
    code, out, err = run("snapshot", "--json", "--now", in_a_week(), *s3_pair.shared_args)
    assert code == 0, err
    summary = json.loads(out.strip().splitlines()[-1])
    assert summary["fetched"] == 3 and summary["failed"] == 0
    assert summary["unchanged"] == 2 and summary["updated"] == 1  # the edit is undone
    assert len([r for r in server.requests if r.path != "/robots.txt"]) == 3
    code, out, _ = run("snapshot", "--json", "--now", in_a_week(), *s3_pair.embedded_args)
    embedded_summary = json.loads(out.strip().splitlines()[-1])
    assert {**embedded_summary, "elapsed_seconds": 0} == {**summary, "elapsed_seconds": 0}
    embedded, shared = s3_pair.both("history", s3_pair.edited, "--json")
    assert [json.loads(line)["http_status"] for line in shared[1].splitlines()] == [200] * 3
    # The snapshot's own queue is a local file; the archive itself stayed in S3 and PostgreSQL.
    assert (s3_pair.shared.root / "snapshot.sqlite").exists()
    assert not (s3_pair.shared.root / "index.sqlite").exists()
    assert not (s3_pair.shared.root / "articles").exists()


def test_a_missing_shared_archive_is_a_usage_error(tmp_path: Path, postgres_dsn: str,
                                                   s3_server: S3Server, s3_bucket: str) -> None:
    storage = f"s3://{s3_bucket}/nothing-here"
    with_s3 = config(tmp_path, postgres_backend(postgres_dsn, storage, s3_server.options))
    without = config(tmp_path, postgres_backend(postgres_dsn))
    for settings in (with_s3, without):
        for command in (("stats",), ("verify",), ("show", "0123456789abcdef"), ("export",)):
            code, out, err = run(*command, "--archive", str(tmp_path / "local"),
                                 "--config", settings)
            assert (code, out) == (2, ""), (command, err)
            assert err.startswith("broadsheet: error: no archive at index 127.0.0.1:"), err
            assert "backend.dsn" in err and len(err.splitlines()) == 1
    assert not (tmp_path / "local").exists()
    assert not open_store(storage, s3_server.options).has_any("")


def test_unreachable_postgres_or_s3_is_one_line(tmp_path: Path, postgres_dsn: str,
                                                s3_server: S3Server, s3_bucket: str) -> None:
    down = config(tmp_path, postgres_backend("postgresql://nobody@127.0.0.1:1/gone"))
    bad_key = {**s3_server.options, "secret": "wrong-secret"}
    refused = config(tmp_path, postgres_backend(postgres_dsn, f"s3://{s3_bucket}/a", bad_key))
    for settings, words in ((down, "cannot connect to index database 127.0.0.1:1/gone"),
                            (refused, f"s3://{s3_bucket}/a")):
        for command in ("stats", "verify", "reindex", "list"):
            code, out, err = run(command, "--archive", str(tmp_path / "local"),
                                 "--config", settings)
            assert code == 1 and out == "", (command, err)
            assert len(err.splitlines()) == 1 and "Traceback" not in err, err
            assert err.startswith("broadsheet: error: ") and words in err, err
