"""WARC capture with the archive's files on a real S3 server (SeaweedFS) and its index in a real
PostgreSQL: each worker writes into its machine-local spool folder and uploads every finished
file under ``warc/``; every pointer the archive stores reads back through the storage, on this
machine and on one with an empty spool, and verify, ``show --capture`` and the WACZ export work
from the bucket."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from archive.storage import open_store
from archive.warc.captures import CaptureIndex
from archive.warc.cdxj import parse_line
from archive.warc.pointer import WarcError, WarcPointer
from archive.warc.reader import read_capture
from archive.warc.recorder import WarcRecorder
from archive.warc.records import read_record_at
from archive.warc.spool import upload_file
from archive.warc.writer import RollingWarcWriter
from scraper.archive_access import ArchiveAccess, archive_access
from scraper.cli.main import main
from scraper.config import load_config
from scraper.crawl.warc_capture import open_capture, warc_source
from scraper.demo import DemoServer, expected_articles
from tests.s3_server import S3Server
from tests.test_wacz import pages, validate
from tests.test_warc_files import closed_port, exchange
from tests.warc_fixture import write_demo_warcs

WARCIO = str(Path(sys.executable).parent / "warcio")
SETTINGS = """\
politeness:
  delay: 0
  per_host_concurrency: 4
  concurrency: 4
crawl:
  extract_workers: 0
warc:
  max_file_size: 65536
"""


@dataclass(frozen=True)
class S3Crawl:
    root: Path  # archive.directory: this machine's folder (the spool is in it)
    config: Path
    access: ArchiveAccess
    server: S3Server
    bucket: str

    def args(self, root: Path | None = None) -> list[str]:
        return ["--archive", str(root or self.root), "--config", str(self.config), "-q"]

    def stored_warcs(self) -> list[str]:
        return sorted(self.server.filesystem().ls(f"{self.bucket}/archive/warc/", detail=False))


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def s3_config(tmp_path: Path, dsn: str, server: S3Server, bucket: str) -> Path:
    path = tmp_path / "config.yaml"
    options = "".join(f"    {key}: {value}\n" for key, value in server.options.items())
    path.write_text(f"{SETTINGS}backend:\n  kind: postgres\n  dsn: {dsn}\n"
                    f"  storage: s3://{bucket}/archive\n  storage_options:\n{options}",
                    encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def demo() -> Iterator[DemoServer]:
    with DemoServer() as running:
        yield running


@pytest.fixture
def crawled(tmp_path: Path, postgres_dsn: str, s3_server: S3Server, s3_bucket: str,
            demo: DemoServer) -> S3Crawl:
    config = s3_config(tmp_path, postgres_dsn, s3_server, s3_bucket)
    root = tmp_path / "machine-a"
    code, out, err = run("crawl", demo.base_url + "/", "--archive", str(root), "--config",
                         str(config), "-q")
    assert code == 0, out + err
    settings = load_config(config).replace("archive", directory=str(root))
    return S3Crawl(root, config, archive_access(settings), s3_server, s3_bucket)


def test_finished_warcs_are_uploaded_checked_and_every_pointer_reads_back(
        crawled: S3Crawl, demo: DemoServer, tmp_path: Path) -> None:
    stored = crawled.stored_warcs()
    assert len(stored) > 1, stored  # rolled at 64 KiB: several files
    assert all(name.endswith(".warc.gz") for name in stored)
    spool = crawled.root / "warc-spool"
    assert sorted(path.name for path in spool.iterdir()
                  if ".warc" in path.name) == []  # every file uploaded, none left open
    assert not (crawled.root / "warc").exists()
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    for key in stored:
        local = downloads / key.rsplit("/", 1)[-1]
        crawled.server.filesystem().get(key, str(local))
        checked = subprocess.run([WARCIO, "check", str(local)], capture_output=True, text=True,
                                 check=False)
        assert checked.returncode == 0, checked.stdout + checked.stderr
    source = warc_source(crawled.access)
    with crawled.access.open_archive() as archive:
        records = list(archive.iter_records())
        assert {record["url"] for record in records} == {
            item.path for item in expected_articles(demo.base_url)}
        for record in records:
            pointer = WarcPointer.from_dict(record["warc"])
            assert f"{crawled.bucket}/archive/warc/{pointer.file}" in stored
            capture = read_capture(source, pointer)
            assert capture.body == archive.raw_page(record["id"]), record["url"]
            assert capture.url == record["fetched_url"]


def test_verify_and_show_capture_read_from_the_bucket_on_any_machine(
        crawled: S3Crawl, tmp_path: Path) -> None:
    code, out, err = run("verify", *crawled.args())
    assert code == 0, out + err
    with crawled.access.open_archive() as archive:
        record = next(iter(archive.iter_records()))
    other = tmp_path / "machine-b"  # another machine: an empty spool, everything from S3
    for root in (crawled.root, other):
        code, out, err = run("show", record["id"], "--capture", *crawled.args(root))
        assert code == 0, err
        assert out.splitlines()[0].startswith(f"WARC response of {record['fetched_url']} at ")
        assert "HTTP/1.1 200 OK" in out.splitlines()
        assert record["title"].split()[0] in out
    code, out, err = run("verify", *crawled.args(other))
    assert code == 0, out + err
    first = crawled.stored_warcs()[0]
    crawled.server.filesystem().rm(first)
    code, out, err = run("verify", *crawled.args(other))
    assert code != 0 and "missing_warc" in out + err, out + err


def test_wacz_export_packs_the_bucket_and_its_index_finds_every_page(
        crawled: S3Crawl, demo: DemoServer, tmp_path: Path) -> None:
    out = tmp_path / "s3.wacz"
    code, _, err = run("export", "--format", "wacz", "-o", str(out),
                       *crawled.args(tmp_path / "machine-b"))
    assert code == 0, err
    validate(out)
    entries = pages(out)[1:]
    with crawled.access.open_archive() as archive:
        stored = {record["id"]: record for record in archive.iter_records()}
    assert {stored[entry["id"]]["url"] for entry in entries} == {
        item.path for item in expected_articles(demo.base_url)}
    for entry in entries:  # the page is the capture the record was extracted from
        assert entry["url"] == stored[entry["id"]]["fetched_url"]
        assert entry["title"] == stored[entry["id"]]["title"]
    with zipfile.ZipFile(out) as wacz:
        names = sorted(name for name in wacz.namelist() if name.startswith("archive/"))
        index = [parse_line(line) for line in
                 wacz.read("indexes/index.cdxj").decode("utf-8").splitlines()]
        wacz.extractall(tmp_path / "unpacked")
    assert [name.removeprefix("archive/") for name in names] == [
        key.rsplit("/", 1)[-1] for key in crawled.stored_warcs()]
    places = {(entry.fields["filename"], entry.offset): entry for entry in index}
    for entry in entries:
        pointer = stored[entry["id"]]["warc"]
        assert places[(pointer["file"], pointer["offset"])].url == entry["url"]
        record = read_record_at(tmp_path / "unpacked" / "archive" / pointer["file"],
                                pointer["offset"])
        assert record.url == entry["url"] and record.length == pointer["length"]



def test_reextract_reads_the_bucket_when_raw_pages_are_gone(crawled: S3Crawl,
                                                            tmp_path: Path) -> None:
    filesystem = crawled.server.filesystem()
    raw = filesystem.find(f"{crawled.bucket}/archive/raw/")
    assert raw
    filesystem.rm(raw)
    code, out, err = run("reextract", "--json", *crawled.args(tmp_path / "machine-b"))
    assert code == 0, out + err
    summary = json.loads(out.strip().splitlines()[-1])
    assert summary["articles"] == len(expected_articles_of(crawled)) > 0
    assert summary["without_raw"] == 0 and summary["failed"] == 0, summary


def expected_articles_of(crawled: S3Crawl) -> list[dict[str, object]]:
    with crawled.access.open_archive() as archive:
        return list(archive.iter_records())


def test_a_file_whose_upload_failed_is_uploaded_at_the_next_start(
        tmp_path: Path, postgres_dsn: str, s3_server: S3Server, s3_bucket: str) -> None:
    config = load_config(s3_config(tmp_path, postgres_dsn, s3_server, s3_bucket)).replace(
        "archive", directory=str(tmp_path / "machine-a"))
    unreachable = {**dict(config.backend.storage_options),
                   "endpoint_url": f"http://127.0.0.1:{closed_port()}"}
    down = config.replace("backend", storage_options=tuple(sorted(unreachable.items())))
    with open_capture(down) as recorder:  # the upload fails: told, and the file stays
        assert recorder is not None
        pointer = recorder.record(exchange(1))
    spool = tmp_path / "machine-a" / "warc-spool"
    assert (spool / pointer.file).is_file()
    access = archive_access(config)
    assert read_capture(warc_source(access), pointer).url == "http://site.test/1"  # from the spool
    assert crawled_keys(s3_server, s3_bucket) == []
    with open_capture(config) as recorder:  # the next start uploads it
        assert not (spool / pointer.file).exists()
        assert recorder is not None
        second = recorder.record(exchange(2))
    assert crawled_keys(s3_server, s3_bucket) == sorted([pointer.file, second.file])
    assert [path.name for path in spool.iterdir() if ".warc" in path.name] == []
    for which, number in ((pointer, 1), (second, 2)):
        assert read_capture(warc_source(access), which).url == f"http://site.test/{number}"


def test_an_upload_cut_before_the_spool_file_was_deleted_is_finished(
        tmp_path: Path, s3_server: S3Server, s3_bucket: str) -> None:
    store = open_store(f"s3://{s3_bucket}/archive", s3_server.options)
    recorder = WarcRecorder(RollingWarcWriter(tmp_path, worker="w", max_file_size=1 << 20,
                                              info={}), CaptureIndex(tmp_path))
    pointer = recorder.record(exchange(1))
    recorder.close()
    path = tmp_path / pointer.file
    kept = path.read_bytes()
    assert upload_file(path, store) is True and not path.exists()
    path.write_bytes(kept)  # as if killed between the upload and the delete
    assert upload_file(path, store) is True and not path.exists()
    path.write_bytes(kept + b"more")  # another file of the same name: never overwritten
    with pytest.raises(WarcError, match="exists with other bytes"):
        upload_file(path, store)
    assert path.exists() and store.read(f"warc/{pointer.file}") == kept


def crawled_keys(server: S3Server, bucket: str) -> list[str]:
    filesystem = server.filesystem()
    if not filesystem.exists(f"{bucket}/archive/warc"):
        return []
    return sorted(key.rsplit("/", 1)[-1]
                  for key in filesystem.ls(f"{bucket}/archive/warc/", detail=False))


def test_imported_warcs_go_to_the_bucket_and_their_pointers_resolve(
        tmp_path: Path, postgres_dsn: str, s3_server: S3Server, s3_bucket: str,
        demo: DemoServer) -> None:
    config = s3_config(tmp_path, postgres_dsn, s3_server, s3_bucket)
    warcs = write_demo_warcs(tmp_path / "warcs", demo.base_url)
    root = tmp_path / "machine-a"
    code, out, err = run("import-warc", *map(str, warcs), "--archive", str(root), "--config",
                         str(config), "-q")
    assert code == 0, out + err
    names = sorted(path.name + ("" if path.name.endswith(".gz") else ".gz") for path in warcs)
    assert crawled_keys(s3_server, s3_bucket) == names
    assert [path.name for path in (root / "warc-spool").iterdir() if ".warc" in path.name] == []
    assert not (root / "warc").exists()
    other = archive_access(load_config(config).replace("archive",
                                                       directory=str(tmp_path / "machine-b")))
    with other.open_archive() as archive:
        records = list(archive.iter_records())
        assert records
        for record in records:
            capture = read_capture(warc_source(other), WarcPointer.from_dict(record["warc"]))
            assert capture.url == record["fetched_url"]
