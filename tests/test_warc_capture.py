"""WARC capture end to end (issue 12): the real crawler against the demo site on 127.0.0.1
writes every exchange the server logged as WARC 1.1 records that warcio's own checker accepts,
re-visits as revisit records, and every record's pointer reads back to the page it came from."""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from archive import Archive
from archive.warc.pointer import WarcPointer
from archive.warc.reader import read_capture
from scraper.cli.main import main
from scraper.demo import DemoServer
from tests.demo_settings import FAST_CONFIG

WARCIO = str(Path(sys.executable).parent / "warcio")
FILE_NAME = re.compile(r"broadsheet-\d{14}-\d+-\d{5}\.warc\.gz")
NOT_MODIFIED = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
IDENTICAL = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    with DemoServer() as running:
        yield running


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(list(argv))
    return code, out.getvalue()


def crawl(server: DemoServer, root: Path, config: str = FAST_CONFIG) -> dict[str, Any]:
    path = root.parent / f"{root.name}-config.yaml"
    path.write_text(config, encoding="utf-8")
    code, out = run("crawl", server.base_url + "/", "--archive", str(root), "--config",
                    str(path), "--quiet", "--json")
    summary: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    assert code == 0, summary
    return summary


def warc_files(root: Path) -> list[Path]:
    return sorted((root / "warc").glob("*.warc.gz"))


def index(path: Path) -> list[dict[str, str]]:
    done = subprocess.run([WARCIO, "index", "-f", "warc-type,warc-target-uri,warc-profile,"
                           "warc-refers-to-target-uri,http:status,offset", str(path)],
                          capture_output=True, text=True, check=True)
    return [json.loads(line) for line in done.stdout.splitlines()]


def records(root: Path) -> list[dict[str, Any]]:
    return [json.loads(path.read_text(encoding="utf-8"))
            for path in sorted((root / "articles").rglob("*.json"))]


@pytest.fixture(scope="module")
def crawled(server: DemoServer, tmp_path_factory: pytest.TempPathFactory
            ) -> tuple[Path, list[str], list[str]]:
    """An archive crawled twice: (root, URLs the server logged in the first crawl, in the
    second).  The WARC files of the first crawl are the ones older than the second's."""
    root = tmp_path_factory.mktemp("warc-archive")
    server.clear_requests()
    crawl(server, root)
    first = [server.base_url + request.path for request in server.requests]
    server.clear_requests()
    crawl(server, root)
    second = [server.base_url + request.path for request in server.requests]
    return root, first, second


def test_every_file_is_finished_and_passes_warcio_check(
        crawled: tuple[Path, list[str], list[str]]) -> None:
    root = crawled[0]
    files = warc_files(root)
    assert len(files) == 2  # one per crawl
    assert list((root / "warc").glob("*.open")) == []
    for path in files:
        assert FILE_NAME.fullmatch(path.name), path.name
        done = subprocess.run([WARCIO, "check", "-v", str(path)], capture_output=True,
                              text=True, check=False)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "digest pass" in done.stdout
        entries = index(path)
        assert entries[0]["warc-type"] == "warcinfo"
        assert [entry for entry in entries if entry["warc-type"] == "warcinfo"] == entries[:1]
        info = gzip.decompress(path.read_bytes()).split(b"\r\n\r\n")[1]
        assert b"software: broadsheet/" in info and b"broadsheet-config: {" in info


def test_warcio_index_lists_every_fetch_the_server_logged(
        crawled: tuple[Path, list[str], list[str]]) -> None:
    root, first, second = crawled
    logged = Counter(first + second)
    entries = [entry for path in warc_files(root) for entry in index(path)]
    requests = Counter(entry["warc-target-uri"] for entry in entries
                       if entry["warc-type"] == "request")
    answers = Counter(entry["warc-target-uri"] for entry in entries
                      if entry["warc-type"] in ("response", "revisit"))
    assert requests == logged
    assert answers == logged
    fetched = {url.rsplit("/", 1)[-1] for url in logged}
    assert "robots.txt" in fetched and any(url.endswith(".xml") for url in logged)


def test_recrawl_writes_revisit_records(crawled: tuple[Path, list[str], list[str]]) -> None:
    root = crawled[0]
    second = index(warc_files(root)[-1])
    not_modified = [entry for entry in second if entry.get("warc-profile") == NOT_MODIFIED]
    identical = [entry for entry in second if entry.get("warc-profile") == IDENTICAL]
    assert not_modified and identical
    assert all(entry["http:status"] == "304" for entry in not_modified)
    assert all(entry["http:status"] == "200" for entry in identical)
    for entry in not_modified + identical:
        assert entry["warc-refers-to-target-uri"] == entry["warc-target-uri"]
    robots = [entry for entry in second if entry.get("warc-target-uri", "").endswith("/robots.txt")
              and entry["warc-type"] != "request"]
    assert [entry.get("warc-profile") for entry in robots] == [IDENTICAL]


def test_every_pointer_reads_back_to_the_page(crawled: tuple[Path, list[str], list[str]]
                                              ) -> None:
    root = crawled[0]
    stored = records(root)
    assert stored
    with Archive(root) as archive:
        for record in stored:
            capture = read_capture(root / "warc", WarcPointer.from_dict(record["warc"]))
            assert capture.record_type == "response"
            assert capture.url == record["fetched_url"] and capture.status == 200
            assert capture.body == archive.raw_page(record["id"])
            first, last = record["snapshots"][0], record["snapshots"][-1]
            assert first["warc"] == record["warc"]
            revisit = read_capture(root / "warc", WarcPointer.from_dict(last["warc"]))
            assert revisit.record_type == "revisit" and last["http_status"] == revisit.status
            assert revisit.body == capture.body


def test_show_capture_prints_status_headers_and_body(
        crawled: tuple[Path, list[str], list[str]]) -> None:
    root = crawled[0]
    record = records(root)[0]
    code, out = run("show", record["id"], "--archive", str(root), "--capture")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith(f"WARC response of {record['fetched_url']} at ")
    assert "HTTP/1.1 200 OK" in lines
    assert any(line.lower().startswith("content-type: text/html") for line in lines)
    assert record["title"].split()[0] in out


def test_reextract_reads_the_warc_when_raw_pages_are_gone(
        server: DemoServer, tmp_path: Path) -> None:
    root = tmp_path / "archive"
    crawl(server, root)
    before = {record["id"]: record for record in records(root)}
    shutil.rmtree(root / "raw")
    code, out = run("reextract", "--archive", str(root), "--json")
    summary = json.loads(out.strip().splitlines()[-1])
    assert code == 0, summary
    assert summary["articles"] == len(before) > 0
    assert summary["without_raw"] == 0 and summary["failed"] == 0
    after = {record["id"]: record for record in records(root)}
    assert {key: record["body"] for key, record in after.items()} == {
        key: record["body"] for key, record in before.items()}


def test_small_max_file_size_rolls_into_several_checked_files(
        server: DemoServer, tmp_path: Path) -> None:
    root = tmp_path / "archive"
    crawl(server, root, FAST_CONFIG + "warc:\n  max_file_size: 65536\n")
    files = warc_files(root)
    assert len(files) >= 4
    serials = sorted(int(path.name.rsplit("-", 1)[1][:5]) for path in files)
    assert serials == list(range(1, len(files) + 1))
    for path in files:
        assert subprocess.run([WARCIO, "check", str(path)], check=False).returncode == 0
        assert index(path)[0]["warc-type"] == "warcinfo"
    for record in records(root):
        pointer = WarcPointer.from_dict(record["warc"])
        assert read_capture(root / "warc", pointer).url == record["fetched_url"]


def test_disabled_capture_writes_no_warc(server: DemoServer, tmp_path: Path) -> None:
    root = tmp_path / "archive"
    crawl(server, root, FAST_CONFIG + "warc:\n  enabled: false\n")
    assert not (root / "warc").exists()
    stored = records(root)
    assert stored and all(record["warc"] is None for record in stored)
    assert all("warc" not in snapshot for record in stored for snapshot in record["snapshots"])
    code, _ = run("show", stored[0]["id"], "--archive", str(root), "--capture")
    assert code == 2


def test_no_assets_are_fetched_by_default(crawled: tuple[Path, list[str], list[str]]) -> None:
    _, first, second = crawled
    assert not [url for url in first + second if url.endswith((".png", ".css"))]


def test_capture_assets_writes_same_site_images_and_css_to_the_warc_only(
        server: DemoServer, tmp_path: Path) -> None:
    root = tmp_path / "archive"
    server.clear_requests()
    crawl(server, root, FAST_CONFIG + "crawl:\n  capture_assets: true\n")
    logged = [server.base_url + request.path for request in server.requests]
    assets = {url for url in logged if url.endswith((".png", ".css"))}
    assert any(url.endswith(".css") for url in assets)
    assert any(url.endswith(".png") for url in assets)
    assert len([url for url in logged if url in assets]) == len(assets)  # each fetched once
    entries = [entry for path in warc_files(root) for entry in index(path)]
    captured = {entry["warc-target-uri"]: entry["http:status"] for entry in entries
                if entry["warc-type"] == "response"}
    assert all(captured[url] == "200" for url in assets)
    assert Counter(entry["warc-target-uri"] for entry in entries
                   if entry["warc-type"] == "request") == Counter(logged)
    assert not any(url.endswith((".png", ".css")) for record in records(root)
                   for url in [record["url"], *record["aliases"]])


def test_verify_checks_every_pointer_and_names_a_missing_or_cut_warc(
        crawled: tuple[Path, list[str], list[str]], tmp_path: Path) -> None:
    root = tmp_path / "copy"
    shutil.copytree(crawled[0], root)
    code, out = run("verify", "--archive", str(root), "--json")
    assert code == 0, out
    assert json.loads(out)["ok"]
    pointed = Counter(record["warc"]["file"] for record in records(root) if record.get("warc"))
    (most, _), *rest = pointed.most_common()
    (root / "warc" / most).unlink()
    if rest:
        cut = root / "warc" / rest[0][0]
        cut.write_bytes(cut.read_bytes()[:100])
    code, out = run("verify", "--archive", str(root), "--quick", "--json")
    report = json.loads(out)
    assert code == 1
    assert report["problems_by_kind"]["missing_warc"] >= pointed[most]
    assert not rest or report["problems_by_kind"]["bad_warc_pointer"] >= 1
