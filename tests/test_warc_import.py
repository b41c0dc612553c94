"""``broadsheet import-warc``: WARC files written by another tool (httpx + warcio, see
``tests/warc_fixture.py``) from the demo site served on 127.0.0.1 become the archive records the
crawl would have made, and importing them again changes nothing."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from archive.warc.pointer import WarcPointer
from archive.warc.reader import read_capture
from archive.warc.records import iter_warc, read_record_at
from scraper.cli.main import main
from scraper.demo import DemoServer, expected_articles
from scraper.warc_import import capture_time
from tests.warc_fixture import (
    write_demo_warcs,
    write_warc,
    write_warcio_capture,
    write_wget_style_warc,
)


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    with DemoServer() as running:
        yield running


@pytest.fixture(scope="module")
def warcs(server: DemoServer, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_demo_warcs(tmp_path_factory.mktemp("warcs"), server.base_url)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    capsys.readouterr()
    code = main(["import-warc", *args, "--quiet", "--json"])
    out = capsys.readouterr().out.strip().splitlines()
    return code, json.loads(out[-1]) if out else {}


def records(root: Path) -> dict[str, dict[str, Any]]:
    found = [json.loads(path.read_text(encoding="utf-8"))
             for path in (root / "articles").rglob("*.json")]
    return {record["url"]: record for record in found}


def files(root: Path) -> dict[str, str]:
    return {str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(root.rglob("*")) if path.is_file() and path.suffix != ".sqlite"}


def flat(text: str) -> str:
    return " ".join(text.split())


def test_import_yields_the_demo_sites_records(warcs: list[Path], server: DemoServer,
                                              tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    code, summary = run(capsys, *map(str, warcs), "--archive", str(tmp_path))
    assert code == 0, summary
    expected = expected_articles(server.base_url)
    assert summary["stored"] == summary["imported"] == len(expected)
    assert summary["skipped_not_html"] == 1  # robots.txt
    assert summary["not_articles"] == 1  # the home page
    assert summary["duplicates"] == 2  # two AMP copies, filed as aliases
    assert summary["failed"] == 0
    stored = records(tmp_path)
    assert set(stored) == {item.path for item in expected}
    for item in expected:
        record = stored[item.path]
        for name, value in item.record.items():
            got = record[name]
            if name == "body":
                got, value = flat(got), flat(value)
            assert got == value, (item.path, name)
    amp = next(variant for variant in expected[0].variants if "/amp/" in variant)
    assert amp in stored[expected[0].path]["aliases"]


def test_records_keep_the_capture_time_and_the_file_is_kept(
        warcs: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = run(capsys, str(warcs[0]), "--archive", str(tmp_path))
    assert code == 0
    dates = {record.url: capture_time(record.date or "") for record in iter_warc(warcs[0])
             if record.rec_type == "response"}
    for url, record in records(tmp_path).items():
        assert record["fetched_at"] == dates[url]
    kept = tmp_path / "warc" / warcs[0].name
    assert kept.read_bytes() == warcs[0].read_bytes()
    for url, record in records(tmp_path).items():
        pointer = record["warc"]
        assert pointer["file"] == warcs[0].name
        assert record["snapshots"][0]["warc"] == pointer
        capture = read_capture(tmp_path / "warc", WarcPointer.from_dict(pointer))
        assert capture.url == url and capture.status == 200
        assert read_record_at(kept, pointer["offset"]).length == pointer["length"]


def test_a_second_import_changes_nothing(warcs: list[Path], tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, *map(str, warcs), "--archive", str(tmp_path))[0] == 0
    before = files(tmp_path)
    code, again = run(capsys, *map(str, warcs), "--archive", str(tmp_path))
    assert code == 0
    assert again["imported"] == again["unchanged"] == 0
    assert again["already_archived"] == again["responses"] - 4  # all but robots, home, 2 copies
    assert files(tmp_path) == before


def test_a_plain_warc_is_read_too(server: DemoServer, tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    article = expected_articles(server.base_url)[0]
    plain = write_warc(tmp_path / "plain.warc", [article.path], gzip=False)
    code, summary = run(capsys, str(plain), "--archive", str(tmp_path / "archive"))
    assert code == 0 and summary["stored"] == 1
    stored = records(tmp_path / "archive")
    assert list(stored) == [article.path]
    pointer = stored[article.path]["warc"]
    assert pointer["file"] == "plain.warc.gz"  # placed as the archive keeps WARCs: gzip members
    capture = read_capture(tmp_path / "archive" / "warc", WarcPointer.from_dict(pointer))
    assert capture.url == article.path
    assert run(capsys, str(plain), "--archive", str(tmp_path / "archive"))[1]["imported"] == 0


def test_a_truncated_warc_is_a_one_line_error(warcs: list[Path], tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    data = warcs[0].read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: len(data) - 1000])
    capsys.readouterr()
    code = main(["import-warc", str(warcs[1]), str(cut), "--archive", str(tmp_path / "archive"),
                 "--quiet"])
    error = capsys.readouterr().err.strip().splitlines()
    assert code == 1
    assert error[-1].startswith("broadsheet: error: cut.warc.gz is truncated: the record at byte")
    assert error[-1].endswith(f"nothing was imported from {cut}")
    assert not records(tmp_path / "archive")
    assert not list((tmp_path / "archive").rglob("*.warc*"))  # nothing placed, not even the
    # good file given first


def test_a_file_not_named_as_a_warc_is_refused(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("hello", encoding="utf-8")
    code = main(["import-warc", str(other), "--archive", str(tmp_path / "archive"), "--quiet"])
    assert code == 2
    assert "is not named like a WARC file" in capsys.readouterr().err


@pytest.mark.parametrize("writer", [write_warcio_capture, write_wget_style_warc])
def test_other_crawlers_warcs_are_read(writer: Any, server: DemoServer, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    expected = expected_articles(server.base_url)[:4]
    urls = [server.base_url + "/robots.txt", *(item.path for item in expected)]
    warc = writer(tmp_path / "other.warc.gz", urls)
    code, summary = run(capsys, str(warc), "--archive", str(tmp_path / "archive"))
    assert code == 0, summary
    assert summary["stored"] == len(expected) and summary["skipped_not_html"] == 1
    stored = records(tmp_path / "archive")
    for item in expected:
        assert stored[item.path]["title"] == item.record["title"]
        assert flat(stored[item.path]["body"]) == flat(item.record["body"])


def test_on_the_postgres_backend_warcs_go_to_the_shared_storage(
        warcs: list[Path], tmp_path: Path, postgres_dsn: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The files every worker mounts (``backend.storage``) hold the WARCs records point to, not
    the machine-local archive folder; verify and the WACZ export find them there."""
    shared, local = tmp_path / "shared", tmp_path / "local"
    config = tmp_path / "config.yaml"
    config.write_text(f"backend:\n  kind: postgres\n  dsn: {postgres_dsn}\n  storage: {shared}\n",
                      encoding="utf-8")
    settings = ("--archive", str(local), "--config", str(config))
    code, summary = run(capsys, *map(str, warcs), *settings)
    assert code == 0 and summary["imported"] > 0
    assert sorted(path.name for path in (shared / "warc").iterdir()) == sorted(
        path.name for path in warcs)
    assert not (local / "warc").exists()
    for record in records(shared).values():
        capture = read_capture(shared / "warc", WarcPointer.from_dict(record["warc"]))
        assert capture.status == 200
    assert main(["verify", *settings, "--json"]) == 0
    package = tmp_path / "out.wacz"
    assert main(["export", *settings, "-o", str(package)]) == 0
    assert package.stat().st_size > 0
