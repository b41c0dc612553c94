"""The WARC writer, the repair of files a killed crawl left open, and the warc config keys."""

from __future__ import annotations

import gzip
import logging
import random
import re
import socket
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from archive.warc.captures import CaptureIndex
from archive.warc.exchange import Exchange
from archive.warc.pointer import WarcError, WarcPointer
from archive.warc.reader import read_capture
from archive.warc.recorder import WarcRecorder
from archive.warc.repair import complete_length, repair_open_files
from archive.warc.writer import RollingWarcWriter
from scraper.config import parse_config
from scraper.crawl.warc_capture import open_capture
from scraper.errors import ConfigError

WARCIO = str(Path(sys.executable).parent / "warcio")


def exchange(number: int, status: int = 200, body: bytes | None = None) -> Exchange:
    payload = gzip.compress(b"<html><p>page %d</p></html>" % number) if body is None else body
    return Exchange(url=f"http://site.test/{number}", target=f"/{number}",
                    http_version="HTTP/1.1", request_headers=[("Host", "site.test")],
                    status=status, reason="OK", payload=payload, started=datetime.now(UTC),
                    response_headers=[("Content-Type", "text/html; charset=utf-8"),
                                      ("Content-Encoding", "gzip"),
                                      ("Content-Length", str(len(payload)))])


def recorder(directory: Path, max_file_size: int = 10**9) -> WarcRecorder:
    writer = RollingWarcWriter(directory, worker="host:7", max_file_size=max_file_size,
                               info={"software": "broadsheet/test"})
    return WarcRecorder(writer, CaptureIndex(directory))


def check(path: Path) -> None:
    done = subprocess.run([WARCIO, "check", str(path)], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_file_is_open_while_written_and_finished_on_close(tmp_path: Path) -> None:
    capture = recorder(tmp_path)
    pointer = capture.record(exchange(1))
    open_files = list(tmp_path.glob("*.warc.gz.open"))
    assert [path.name for path in open_files] == [pointer.file + ".open"]
    assert read_capture(tmp_path, pointer).body == b"<html><p>page 1</p></html>"
    capture.close()
    assert list(tmp_path.glob("*.open")) == []
    check(tmp_path / pointer.file)
    assert pointer.file.startswith("broadsheet-") and "-host_7-00001" in pointer.file


def test_a_cut_record_is_truncated_away_and_the_file_finished(tmp_path: Path) -> None:
    capture = recorder(tmp_path)
    pointers = [capture.record(exchange(number)) for number in range(3)]
    capture.close()
    finished = tmp_path / pointers[0].file
    whole = finished.read_bytes()
    left_open = finished.with_name(finished.name + ".open")
    cut = gzip.compress(b"WARC/1.1\r\nWARC-Type: response\r\n" * 50)
    left_open.write_bytes(whole + cut[: len(cut) // 2])
    finished.unlink()
    assert complete_length(left_open) == len(whole)
    report = repair_open_files(tmp_path)
    assert report.finished == [finished.name]
    assert report.truncated == {left_open.name: len(cut) // 2}
    assert finished.read_bytes() == whole
    check(finished)
    assert [read_capture(tmp_path, pointer).url for pointer in pointers] == [
        f"http://site.test/{number}" for number in range(3)]


def test_repair_leaves_a_live_writers_file_alone_and_removes_empty_ones(tmp_path: Path) -> None:
    live = recorder(tmp_path)
    pointer = live.record(exchange(1))
    (tmp_path / "broadsheet-20260101000000-9-00001.warc.gz.open").write_bytes(b"\x1f\x8b\x08")
    report = repair_open_files(tmp_path)
    assert report.busy == [pointer.file + ".open"]
    assert report.removed == ["broadsheet-20260101000000-9-00001.warc.gz.open"]
    assert (tmp_path / (pointer.file + ".open")).exists()
    live.close()
    check(tmp_path / pointer.file)


def test_files_roll_past_the_size_cap_each_with_warcinfo(tmp_path: Path) -> None:
    capture = recorder(tmp_path, max_file_size=4000)
    body = random.Random(12).randbytes(3000)  # does not compress
    pointers = [capture.record(exchange(number, body=body + bytes([number])))
                for number in range(8)]
    capture.close()
    files = sorted(tmp_path.glob("*.warc.gz"))
    assert len(files) > 2
    assert {pointer.file for pointer in pointers} == {path.name for path in files}
    for path in files:
        check(path)
        assert gzip.decompress(path.read_bytes()).count(b"WARC-Type: warcinfo") == 1
    for number, pointer in enumerate(pointers):
        assert read_capture(tmp_path, pointer).body == body + bytes([number])


def test_revisits_refer_to_the_earlier_capture(tmp_path: Path) -> None:
    capture = recorder(tmp_path)
    first = capture.record(exchange(1))
    same = capture.record(exchange(1))
    not_modified = capture.record(exchange(1, status=304, body=b""))
    changed = capture.record(exchange(1, body=gzip.compress(b"<p>new</p>")))
    capture.close()
    assert read_capture(tmp_path, first).record_type == "response"
    for pointer, profile in ((same, "identical-payload-digest"),
                             (not_modified, "server-not-modified")):
        revisit = read_capture(tmp_path, pointer)
        assert revisit.record_type == "revisit" and revisit.profile is not None
        assert revisit.profile.endswith(profile)
        assert revisit.refers_to == (first.file, first.offset)
        assert revisit.body == b"<html><p>page 1</p></html>"
    assert read_capture(tmp_path, not_modified).status == 304
    assert read_capture(tmp_path, changed).record_type == "response"


def test_a_wrong_pointer_is_a_warc_error(tmp_path: Path) -> None:
    capture = recorder(tmp_path)
    pointer = capture.record(exchange(1))
    capture.close()
    with pytest.raises(WarcError, match="missing"):
        read_capture(tmp_path, WarcPointer("broadsheet-nothing.warc.gz", 0, 10))
    with pytest.raises(WarcError, match="not a response"):
        read_capture(tmp_path, WarcPointer(pointer.file, 0, 10))  # the warcinfo record
    with pytest.raises(WarcError, match="not a WARC pointer"):
        WarcPointer.from_dict({"file": "a/b.warc.gz", "offset": 0, "length": 1})


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("warc:\n  enabled: maybe\n", 2, "'warc.enabled' must be true or false"),
        ("warc:\n\n  max_file_size: 1000\n", 3, "'warc.max_file_size' must be at least 65536"),
        ("warc:\n  max_file_size: 100000.5\n", 2, "whole number"),
        ("warc:\n  compress: false\n", 2, "unknown key 'warc.compress'"),
        ("crawl:\n  capture_assets: yes please\n", 2, "'crawl.capture_assets' must be true"),
        ("warc: true\n", 1, "'warc' must be a mapping"),
    ],
)
def test_warc_config_errors_name_the_line(text: str, line: int, words: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(text, "my.yaml")
    message = str(caught.value)
    assert message.startswith(f"my.yaml:{line}: "), message
    assert words in message and "\n" not in message


def test_warc_config_values() -> None:
    config = parse_config("warc:\n  enabled: false\n  max_file_size: 65536\n"
                          "crawl:\n  capture_assets: true\n")
    assert (config.warc.enabled, config.warc.max_file_size) == (False, 65536)
    assert config.crawl.capture_assets is True
    default = parse_config("")
    assert (default.warc.enabled, default.crawl.capture_assets) == (True, False)


def test_an_upload_to_unreachable_s3_storage_leaves_the_file_in_the_spool(
        tmp_path: Path, caplog: pytest.LogCaptureFixture, postgres_dsn: str) -> None:
    config = parse_config(f"backend:\n  kind: postgres\n  dsn: {postgres_dsn}\n"
                          "  storage: s3://bucket/archive\n  storage_options:\n"
                          f"    endpoint_url: http://127.0.0.1:{closed_port()}\n"
                          "    key: k\n    secret: s\n"
                          ).replace("archive", directory=str(tmp_path))
    with caplog.at_level(logging.WARNING), open_capture(config) as recorder:
        assert recorder is not None
        pointer = recorder.record(exchange(1))
    warnings = [record.getMessage() for record in caplog.records]
    assert len(warnings) == 1 and "cannot upload the WARC file" in warnings[0], warnings
    assert "\n" not in warnings[0] and "next crawl starts" in warnings[0]
    assert [path.name for path in (tmp_path / "warc-spool").iterdir()
            if path.name.endswith(".warc.gz")] == [pointer.file]
    check(tmp_path / "warc-spool" / pointer.file)
    assert not (tmp_path / "warc").exists()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_postgres_worker_names_its_files_after_its_worker_id(tmp_path: Path,
                                                               postgres_dsn: str) -> None:
    config = parse_config(f"backend:\n  kind: postgres\n  dsn: {postgres_dsn}\n"
                          f"  storage: {tmp_path / 'shared'}\n  worker_id: 'box-1:77'\n"
                          ).replace("archive", directory=str(tmp_path / "local"))
    with open_capture(config) as recorder:
        assert recorder is not None
        pointer = recorder.record(exchange(1))
    assert "-box_1_77-00001.warc.gz" in pointer.file
    check(tmp_path / "shared" / "warc" / pointer.file)


def test_only_the_warc_package_imports_warcio_and_the_extractor_knows_no_warc() -> None:
    root = Path(__file__).resolve().parent.parent
    importers = set()
    for path in [*root.joinpath("scraper").rglob("*.py"), *root.joinpath("archive").rglob("*.py")]:
        text = path.read_text(encoding="utf-8")
        if re.search(r"^\s*(from|import) warcio", text, re.MULTILINE):
            importers.add(path.relative_to(root).parent.as_posix())
        if path.relative_to(root).as_posix().startswith("scraper/extract/"):
            assert "warc" not in text.lower(), path
    assert importers == {"archive/warc"}
