"""``broadsheet export --format wacz``: WARCs of the demo site (``tests/warc_fixture.py``) are
imported, then packed; the package is checked against the WACZ 1.1.1 spec's required files and
its index is checked to find every page's capture."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from archive.warc.cdxj import parse_line
from archive.warc.records import read_record_at
from scraper.cli.main import main
from scraper.demo import DemoServer, expected_articles
from tests.warc_fixture import write_demo_warcs, write_warc

REQUIRED = ("datapackage.json", "datapackage-digest.json", "indexes/index.cdxj",
            "pages/pages.jsonl")


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    with DemoServer() as running:
        yield running


@pytest.fixture(scope="module")
def package(server: DemoServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An archive made by importing the demo WARCs, exported as a WACZ."""
    root = tmp_path_factory.mktemp("archive")
    warcs = write_demo_warcs(tmp_path_factory.mktemp("warcs"), server.base_url)
    assert main(["import-warc", *map(str, warcs), "--archive", str(root), "--quiet"]) == 0
    out = tmp_path_factory.mktemp("out") / "demo.wacz"
    assert main(["export", "--format", "wacz", "-o", str(out), "--archive", str(root),
                 "--quiet"]) == 0
    return out


def datapackage(package: Path) -> dict[str, Any]:
    with zipfile.ZipFile(package) as wacz:
        loaded: dict[str, Any] = json.loads(wacz.read("datapackage.json"))
        return loaded


def pages(package: Path) -> list[dict[str, Any]]:
    with zipfile.ZipFile(package) as wacz:
        return [json.loads(line) for line in wacz.read("pages/pages.jsonl").splitlines()]


def test_required_files_are_there_and_warcs_are_stored(package: Path) -> None:
    with zipfile.ZipFile(package) as wacz:
        names = wacz.namelist()
        warcs = [info for info in wacz.infolist() if info.filename.startswith("archive/")]
    assert set(REQUIRED) <= set(names)
    assert sorted(info.filename for info in warcs) == ["archive/demo-articles.warc.gz",
                                                       "archive/demo-copies.warc.gz"]
    assert all(info.compress_type == zipfile.ZIP_STORED for info in warcs)
    assert not [path for path in package.parent.iterdir() if path != package]  # no temp left


def test_webrecorders_validator_accepts_the_package(package: Path) -> None:
    """``wacz validate`` (py-wacz, the format's reference tools) checks the required files,
    the data package (frictionless: hashes and sizes of every file) and the digest file."""
    validate(package)


def validate(package: Path) -> None:
    done = subprocess.run([str(Path(sys.executable).parent / "wacz"), "validate", "-f",
                           str(package)], capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Validation succeeded" in done.stdout


def test_datapackage_hashes_and_sizes_match_the_bytes(package: Path) -> None:
    described = datapackage(package)
    assert described["profile"] == "data-package"
    assert described["wacz_version"] == "1.1.1"
    assert described["software"].startswith("broadsheet")
    assert described["title"] and described["created"].endswith("Z")
    with zipfile.ZipFile(package) as wacz:
        listed = {resource["path"] for resource in described["resources"]}
        assert listed == set(wacz.namelist()) - {"datapackage.json", "datapackage-digest.json"}
        for resource in described["resources"]:
            data = wacz.read(resource["path"])
            assert resource["bytes"] == len(data), resource["path"]
            assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        digest = json.loads(wacz.read("datapackage-digest.json"))
        raw = wacz.read("datapackage.json")
    assert digest["path"] == "datapackage.json"
    assert digest["hash"] == "sha256:" + hashlib.sha256(raw).hexdigest()


def test_pages_list_every_article_with_its_title(package: Path, server: DemoServer) -> None:
    header, *entries = pages(package)
    assert header["format"] == "json-pages-1.0" and header["id"] == "pages"
    assert "title" in header
    expected = {item.path: item.record["title"] for item in expected_articles(server.base_url)}
    assert {entry["url"]: entry["title"] for entry in entries} == expected
    assert len(entries) == len(expected)
    for entry in entries:
        assert entry["id"] and entry["ts"].endswith("Z")


def test_the_index_finds_every_page_at_its_offset(package: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(package) as wacz:
        lines = wacz.read("indexes/index.cdxj").decode("utf-8").splitlines()
        wacz.extractall(tmp_path, [name for name in wacz.namelist()
                                   if name.startswith("archive/")])
    assert lines == sorted(lines)
    entries = [parse_line(line) for line in lines]
    by_url = {entry.url: entry for entry in entries}
    for page in pages(package)[1:]:
        entry = by_url[page["url"]]
        assert len(entry.timestamp) == 14 and entry.timestamp.isdigit()
        assert entry.fields["status"] == "200" and entry.fields["mime"] == "text/html"
        record = read_record_at(tmp_path / "archive" / entry.fields["filename"], entry.offset)
        assert record.rec_type == "response"
        assert record.url == page["url"]
        assert record.length == entry.length
        assert page["title"].encode("utf-8")[:20] in (record.payload or b"")


def test_an_archive_without_warcs_is_a_one_line_error(tmp_path: Path, server: DemoServer,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    article = expected_articles(server.base_url)[0]
    warc = write_warc(tmp_path / "one.warc.gz", [article.path])
    assert main(["import-warc", str(warc), "--archive", str(tmp_path), "--quiet"]) == 0
    shutil.rmtree(tmp_path / "warc")  # as an archive crawled before WARC capture
    capsys.readouterr()
    code = main(["export", "--format", "wacz", "-o", str(tmp_path / "x.wacz"),
                 "--archive", str(tmp_path), "--quiet"])
    error = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert error[-1].startswith("broadsheet: error: no WARC files in ")
    assert "warc.enabled" in error[-1]
    assert not (tmp_path / "x.wacz").exists()


def test_wacz_needs_an_output_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "articles").mkdir()
    code = main(["export", "--format", "wacz", "--archive", str(tmp_path), "--quiet"])
    assert code == 2
    assert "give an output file with -o FILE" in capsys.readouterr().err


def test_a_crawls_own_warcs_export_with_every_article(server: DemoServer, tmp_path: Path) -> None:
    """The crawl's capture (warc.enabled, the default) packs into a WACZ whose pages are the
    articles, each found through its record's ``warc`` pointer."""
    root = tmp_path / "archive"
    config = tmp_path / "config.yaml"
    config.write_text("politeness:\n  delay: 0.01\n  per_host_concurrency: 4\n"
                      "  concurrency: 4\n", encoding="utf-8")
    assert main(["crawl", server.base_url + "/", "--archive", str(root), "--config",
                 str(config), "--quiet"]) == 0
    out = tmp_path / "crawl.wacz"
    assert main(["export", "-o", str(out), "--archive", str(root), "--quiet"]) == 0
    validate(out)
    expected = {item.path: item.record["title"] for item in expected_articles(server.base_url)}
    entries = pages(out)[1:]
    assert {entry["url"]: entry["title"] for entry in entries} == expected
    with zipfile.ZipFile(out) as wacz:
        index = [parse_line(line) for line in
                 wacz.read("indexes/index.cdxj").decode("utf-8").splitlines()]
        wacz.extractall(tmp_path / "unpacked")
    stored = {json.loads(path.read_text(encoding="utf-8"))["id"]:
              json.loads(path.read_text(encoding="utf-8"))
              for path in (root / "articles").rglob("*.json")}
    places = {(entry.fields["filename"], entry.offset): entry for entry in index}
    for entry in entries:
        pointer = stored[entry["id"]]["warc"]
        found = places[(pointer["file"], pointer["offset"])]
        assert found.url == entry["url"]
        record = read_record_at(tmp_path / "unpacked" / "archive" / pointer["file"],
                                pointer["offset"])
        assert record.url == entry["url"] and record.length == pointer["length"]


def test_a_damaged_warc_fails_the_export_and_leaves_the_old_file(
        server: DemoServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = expected_articles(server.base_url)[0]
    warc = write_warc(tmp_path / "one.warc.gz", [article.path, server.base_url + "/"])
    root = tmp_path / "archive"
    assert main(["import-warc", str(warc), "--archive", str(root), "--quiet"]) == 0
    out = tmp_path / "old.wacz"
    out.write_bytes(b"the previous export")
    placed = root / "warc" / "one.warc.gz"
    placed.write_bytes(placed.read_bytes()[:-500])  # the disk lost the file's end
    capsys.readouterr()
    code = main(["export", "-o", str(out), "--archive", str(root), "--quiet"])
    error = capsys.readouterr().err.strip().splitlines()
    assert code == 1
    assert error[-1].startswith("broadsheet: error: one.warc.gz is truncated: the record at byte")
    assert out.read_bytes() == b"the previous export"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["archive", "old.wacz",
                                                                "one.warc.gz"]
