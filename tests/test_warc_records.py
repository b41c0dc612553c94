"""``archive.warc.records`` and ``archive.warc.cdxj`` on WARC files written here with warcio:
offsets and lengths that lead back to each record, revisit records in the index, damaged files
named with the byte where they break."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive.errors import ArchiveError
from archive.warc.cdxj import cdxj_lines, parse_line, surt_key, timestamp14
from archive.warc.records import DamagedWarc, iter_warc, read_record_at

PAGE = b"<html><head><title>T</title></head><body>" + bytes(range(256)) * 40 + b"</body></html>"


def write(path: Path, *, gzip: bool) -> Path:
    with open(path, "wb") as stream:
        writer = WARCWriter(stream, gzip=gzip, warc_version="WARC/1.1")
        for number in range(3):
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                       protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                f"https://news.example.com/story/{number}?b=2&a=1", "response",
                payload=BytesIO(PAGE + bytes([number])), http_headers=headers))
        headers = StatusAndHeaders("304 Not Modified", [], protocol="HTTP/1.1")
        revisit = writer.create_revisit_record(
            "https://news.example.com/story/0?b=2&a=1", "sha1:AAAA",
            "https://news.example.com/story/0?b=2&a=1", "2024-05-13T04:00:00Z",
            http_headers=headers)
        revisit.rec_headers.replace_header("WARC-Profile",
                                           "http://netpreserve.org/warc/1.1/revisit/server-not-modified")
        writer.write_record(revisit)
    return path


@pytest.mark.parametrize("gzip", [True, False])
def test_offsets_and_lengths_lead_back_to_each_record(tmp_path: Path, gzip: bool) -> None:
    path = write(tmp_path / ("a.warc.gz" if gzip else "a.warc"), gzip=gzip)
    found = list(iter_warc(path))
    assert [record.rec_type for record in found] == ["response"] * 3 + ["revisit"]
    data = path.read_bytes()
    for number, record in enumerate(found):
        again = read_record_at(path, record.offset)
        assert again.url == record.url and again.payload == record.payload
        assert again.length == record.length
        if number < 3:
            assert record.payload == PAGE + bytes([number])
            assert record.status == 200 and record.mime == "text/html"
    if gzip:  # members tile the file
        assert found[0].offset == 0
        assert sum(record.length for record in found) == len(data)


def test_index_lines_are_sorted_and_hold_the_revisit(tmp_path: Path) -> None:
    path = write(tmp_path / "a.warc.gz", gzip=True)
    lines = cdxj_lines([path])
    assert lines == sorted(lines) and len(lines) == 4
    entries = [parse_line(line) for line in lines]
    assert {entry.key for entry in entries} == {f"com,example,news)/story/{n}?a=1&b=2"
                                                for n in range(3)}
    revisit = [entry for entry in entries if entry.fields["mime"] == "warc/revisit"]
    assert len(revisit) == 1 and revisit[0].fields["status"] == "304"
    for entry in entries:
        assert entry.fields["filename"] == "a.warc.gz"
        assert read_record_at(path, entry.offset).url == entry.url
    assert surt_key("http://www.Example.com/A?z=1&a=2") == "com,example)/a?a=2&z=1"
    assert timestamp14("2024-05-13T04:00:01.123456Z") == "20240513040001"


@pytest.mark.parametrize("gzip", [True, False])
def test_a_truncated_file_names_the_broken_record(tmp_path: Path, gzip: bool) -> None:
    path = write(tmp_path / ("a.warc.gz" if gzip else "a.warc"), gzip=gzip)
    whole = list(iter_warc(path))
    data = path.read_bytes()
    path.write_bytes(data[: whole[2].offset + whole[2].length // 2])
    read = []
    with pytest.raises(DamagedWarc, match=f"is truncated: the record at byte {whole[2].offset} "):
        read.extend(iter_warc(path))
    assert [record.offset for record in read] == [whole[0].offset, whole[1].offset]


def test_a_file_that_is_no_warc_is_damaged(tmp_path: Path) -> None:
    path = tmp_path / "x.warc"
    path.write_bytes(b"<html>not a warc</html>\n")
    with pytest.raises(DamagedWarc, match=r"x\.warc is damaged at byte 0"):
        list(iter_warc(path))
    assert issubclass(DamagedWarc, ArchiveError)
    with pytest.raises(ArchiveError, match="cannot read WARC file"):
        list(iter_warc(tmp_path / "missing.warc"))
