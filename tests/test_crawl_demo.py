"""End to end: the real crawler, fetcher, extractor and archive against the demo site served on
127.0.0.1, driven through the command line."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from archive import Archive, load_schema
from scraper.cli.main import main
from scraper.demo import DemoServer, expected_articles, seed_expected_record
from scraper.urls import canonical_url
from tests.demo_settings import FAST_CONFIG


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    with DemoServer() as running:
        yield running


@pytest.fixture(scope="module")
def config_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("config") / "config.yaml"
    path.write_text(FAST_CONFIG, encoding="utf-8")
    return path


def crawl(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    capsys.readouterr()
    code = main(["crawl", *args, "--quiet", "--json"])
    out = capsys.readouterr().out
    return code, json.loads(out.strip().splitlines()[-1])


def snapshot(root: Path) -> dict[str, tuple[str, int]]:
    return {str(path.relative_to(root)): (hashlib.sha256(path.read_bytes()).hexdigest(),
                                          path.stat().st_mtime_ns)
            for path in sorted((root / "articles").rglob("*.json"))}


def records(root: Path) -> list[dict[str, Any]]:
    return [json.loads(path.read_text(encoding="utf-8"))
            for path in sorted((root / "articles").rglob("*.json"))]


@pytest.fixture(scope="module")
def first_crawl(server: DemoServer, config_file: Path,
                tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, dict[str, Any]]:
    root = tmp_path_factory.mktemp("archive")
    out = io.StringIO()  # a module-scoped fixture cannot use capsys
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(["crawl", server.base_url + "/", "--archive", str(root),
                     "--config", str(config_file), "--quiet", "--json"])
    return root, code, json.loads(out.getvalue().strip().splitlines()[-1])


def test_every_distinct_article_is_stored_once(first_crawl: tuple[Path, int, dict[str, Any]],
                                               server: DemoServer) -> None:
    root, code, summary = first_crawl
    assert code == 0, summary
    assert summary["failed"] == 0
    expected = {item.path for item in expected_articles(server.base_url)}
    stored = [record["url"] for record in records(root)]
    assert len(stored) == len(set(stored))
    assert set(stored) == expected
    assert summary["stored"] == len(expected)
    assert summary["duplicates"] > 0  # print and AMP copies were found and linked


def test_stored_records_validate_against_the_schema(
        first_crawl: tuple[Path, int, dict[str, Any]]) -> None:
    validator = Draft202012Validator(load_schema())
    for record in records(first_crawl[0]):
        assert list(validator.iter_errors(record)) == [], record["url"]


def test_url_variants_resolve_to_their_article(first_crawl: tuple[Path, int, dict[str, Any]],
                                               server: DemoServer) -> None:
    with Archive(first_crawl[0]) as archive:
        for item in expected_articles(server.base_url):
            article_id = archive.owner(item.path)
            assert article_id is not None, item.path
            for variant in item.variants:
                key = canonical_url(variant)
                assert key is not None
                assert archive.owner(key) in (None, article_id), variant


def test_seed_article_record_is_exact(first_crawl: tuple[Path, int, dict[str, Any]],
                                      server: DemoServer) -> None:
    expected = seed_expected_record(server.base_url)
    assert expected is not None, "the seed page ../shared/seed/article.txt was not found"
    stored = {record["url"]: record for record in records(first_crawl[0])}[expected["url"]]
    assert stored["title"] == expected["title"]
    assert stored["authors"] == ["Laurine Ortiz"]
    assert stored["published"] == "2024-05-13T04:00"
    assert stored["views"] == 337
    assert stored["comment_count"] == 0
    assert stored["comments"] == []
    assert stored["body"] == expected["body"]
    for boilerplate in ("Share this Post", "Leave a comment", "0 Comments",
                        "Chưa có bình luận nào", "Related articles"):
        assert boilerplate not in stored["body"]
    assert stored["title"] not in stored["body"]


def test_robots_disallowed_paths_are_never_fetched(
        first_crawl: tuple[Path, int, dict[str, Any]], server: DemoServer) -> None:
    paths = [request.path for request in server.requests]
    assert "/robots.txt" in paths
    assert not [path for path in paths if path.startswith("/search")]


def test_second_run_changes_nothing(first_crawl: tuple[Path, int, dict[str, Any]],
                                    server: DemoServer, config_file: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    """A re-visit adds exactly one snapshot per article and changes nothing else: same content
    and versions, no new raw page, no version file."""
    root = first_crawl[0]
    before = {record["id"]: record for record in records(root)}
    raw_before = sorted((root / "raw").rglob("*"))
    code, summary = crawl(capsys, server.base_url + "/", "--archive", str(root),
                          "--config", str(config_file))
    assert code == 0
    after = {record["id"]: record for record in records(root)}
    assert after.keys() == before.keys()
    for article_id, record in after.items():
        old = before[article_id]
        assert len(record["snapshots"]) == len(old["snapshots"]) + 1, record["url"]
        assert record["snapshots"][:-1] == old["snapshots"]
        assert record["snapshots"][-1]["version"] == record["version"] == old["version"]
        assert {**record, "snapshots": old["snapshots"]} == old, record["url"]
    assert sorted((root / "raw").rglob("*")) == raw_before
    assert not (root / "versions").exists()
    assert summary["stored"] == summary["updated"] == summary["duplicates"] == 0
    assert summary["unchanged"] == len(before)


def test_interrupted_crawl_resumes_and_stores_each_article_once(
        server: DemoServer, config_file: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    code, partial = crawl(capsys, server.base_url + "/", "--archive", str(tmp_path),
                          "--config", str(config_file), "--max-pages", "25")
    assert code == 0 and partial["fetched"] == 25
    code, rest = crawl(capsys, server.base_url + "/", "--archive", str(tmp_path),
                       "--config", str(config_file))
    assert code == 0
    assert rest["resumed"] > 0
    urls = [record["url"] for record in records(tmp_path)]
    assert sorted(urls) == sorted({item.path for item in expected_articles(server.base_url)})
