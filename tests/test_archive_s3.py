"""An archive whose files live on a real S3 server (SeaweedFS): the same records, the same keys
and bytes as on disk, deduplication, version history, raw pages, reindex and lookups."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

import fsspec
import pandas as pd
import pytest

from archive import Archive, ArchiveError
from archive.lookup import ArchiveReader
from archive.reading import RecordFilter, iter_records
from archive.reindex import reindex
from archive.storage import BlobStore, LocalStore, open_store
from archive.verify import verify_archive
from tests.s3_server import S3Server
from tests.test_archive import BODY, LATER, STORY_URL, WHEN, make_record, store

EDITED = BODY + "\n\nUpdate: the council has paid the first compensation claims."
COPY_URL = "https://mirror.example.org/harbour-story"
OTHER_URL = "https://news.example.com/2024/05/bridge-closes"
OTHER_BODY = ("The old bridge closed on Tuesday for an inspection that engineers expect to last "
              "a fortnight, and buses will take the long way round through the valley road.")


@pytest.fixture
def s3_store(s3_server: S3Server, s3_bucket: str) -> BlobStore:
    return open_store(f"s3://{s3_bucket}/archive", s3_server.options)


@pytest.fixture
def s3_archive(tmp_path: Path, s3_store: BlobStore) -> Iterator[Archive]:
    with Archive(tmp_path / "index-here", storage=s3_store) as opened:
        yield opened


def crawl(archive: Archive) -> list[tuple[str, str]]:
    """The same visits, in order, to any archive: a new article, a copy of it under another
    URL, an edit (a new version), a re-visit, a 304 and a second article."""
    results = [
        store(archive, raw=b"<html>first</html>"),
        store(archive, make_record(url=COPY_URL), url_keys=[COPY_URL], raw=b"<html>copy</html>"),
        store(archive, make_record(body=EDITED), fetched_at=LATER, raw=b"<html>edited</html>"),
        store(archive, make_record(body=EDITED), fetched_at="2024-05-08T08:30:00Z",
              raw=b"<html>edited, new ad</html>"),
        archive.record_not_modified(STORY_URL, "2024-05-09T08:30:00Z"),
        store(archive, make_record(url=OTHER_URL, body=OTHER_BODY), raw=b"<html>bridge</html>"),
    ]
    return [(result.outcome, result.id) for result in results]


def objects(storage: BlobStore) -> dict[str, bytes]:
    return {key: storage.read(key) for key in storage.list("")}


def test_an_archive_on_s3_has_the_keys_and_bytes_of_a_local_one(
        tmp_path: Path, s3_archive: Archive, s3_store: BlobStore) -> None:
    with Archive(tmp_path / "local") as local:
        expected = crawl(local)
    assert crawl(s3_archive) == expected
    assert [outcome for outcome, _ in expected] == [
        "stored", "duplicate", "updated", "unchanged", "unchanged", "stored"]
    local_objects = objects(LocalStore(tmp_path / "local"))
    local_objects = {key: data for key, data in local_objects.items()
                     if not key.startswith("index.sqlite")}
    assert objects(s3_store) == local_objects
    assert sorted(key.split("/")[0] for key in local_objects) == [
        "articles", "articles", "raw", "raw", "raw", "versions"]
    # Nothing but the index is written locally beside an S3 archive.
    assert sorted(path.name for path in s3_archive.root.iterdir()
                  if not path.name.startswith(".writer")) == [
        "index.sqlite", "index.sqlite-shm", "index.sqlite-wal"]


def test_dedup_versions_and_raw_pages_read_back_from_s3(s3_archive: Archive,
                                                       s3_store: BlobStore) -> None:
    first = store(s3_archive, raw=b"<html>first</html>")
    copy = store(s3_archive, make_record(url=COPY_URL), url_keys=[COPY_URL],
                 raw=b"<html>copy</html>")
    assert (copy.outcome, copy.id) == ("duplicate", first.id)
    assert s3_archive.load(first.id)["aliases"] == [COPY_URL]
    assert s3_archive.owner(COPY_URL) == first.id
    assert [key for key in s3_store.list("raw/")] == [s3_archive.load(first.id)["raw"]]

    updated = store(s3_archive, make_record(body=EDITED), fetched_at=LATER,
                    raw=b"<html>edited</html>")
    assert updated.outcome == "updated" and updated.relpath == first.relpath
    assert [entry["version"] for entry in s3_archive.versions(first.id)] == [1]
    assert s3_archive.load_version(first.id, 1)["body"] == BODY
    assert s3_archive.load_version(first.id, 2)["body"] == EDITED
    assert s3_archive.raw_page(first.id) == b"<html>edited</html>"
    stored = json.loads(s3_store.read(first.relpath))
    assert stored["version"] == 2 and stored["snapshots"][0]["fetched_at"] == WHEN
    version_key = stored["versions"][0]["path"]
    assert json.loads(s3_store.read(version_key))["body"] == BODY
    assert gzip.decompress(s3_store.read(stored["raw"])) == b"<html>edited</html>"


def test_reindex_of_an_s3_archive_rebuilds_from_the_bucket(tmp_path: Path, s3_archive: Archive,
                                                           s3_store: BlobStore) -> None:
    outcomes = crawl(s3_archive)
    s3_archive.close()
    fresh = tmp_path / "new-index"
    with pytest.raises(ArchiveError, match=r"index .* is missing but the archive holds articles"):
        Archive(fresh, storage=s3_store)
    with Archive(fresh, storage=s3_store, reset_index=True) as rebuilt:
        assert rebuilt.rebuild_index() == 2
        article_id = outcomes[0][1]
        assert rebuilt.owner(COPY_URL) == article_id
        assert rebuilt.load(article_id)["version"] == 2
        assert sorted(record["url"] for record in rebuilt.iter_records()) == [
            OTHER_URL, STORY_URL]


def test_a_missing_object_is_reported_with_its_s3_url(s3_archive: Archive,
                                                      s3_store: BlobStore) -> None:
    first = store(s3_archive, raw=b"<html>first</html>")
    s3_store.delete(first.relpath)
    with pytest.raises(ArchiveError) as caught:
        s3_archive.load(first.id)
    assert str(caught.value).startswith(f"{s3_store.where(first.relpath)} is in the index but "
                                        "missing")


def test_the_json_objects_load_as_analysts_read_them(s3_server: S3Server, s3_archive: Archive,
                                                     s3_store: BlobStore) -> None:
    """The README's pandas recipe, with an s3:// glob instead of a local one."""
    crawl(s3_archive)
    options = {"key": s3_server.options["key"], "secret": s3_server.options["secret"],
               "client_kwargs": {"endpoint_url": s3_server.endpoint}}
    files = fsspec.open_files(f"{s3_store.url}/articles/**/*.json", mode="rb", **options)
    records = []
    for file in files:
        with file as opened:
            records.append(json.load(opened))
    frame = pd.DataFrame(records)
    assert sorted(frame["url"]) == [OTHER_URL, STORY_URL]
    assert frame.set_index("url").loc[STORY_URL, "version"] == 2


def test_verify_reads_an_s3_archive_and_finds_what_is_broken(s3_archive: Archive,
                                                            s3_store: BlobStore) -> None:
    crawl(s3_archive)
    report = verify_archive(s3_archive.root, storage=s3_store)
    assert report.ok and report.record_files == report.index_articles == 2
    assert (report.raw_pages_checked, report.version_files_checked) == (3, 1)
    first = s3_archive.load(s3_archive.owner(STORY_URL) or "")
    s3_store.delete(first["raw"])
    s3_store.write(f"{first['versions'][0]['path']}", b'{"id": "trunc')
    broken = verify_archive(s3_archive.root, storage=s3_store)
    assert dict(broken.counts) == {"missing_raw": 1, "corrupt_record": 1}
    assert {problem.where for problem in broken.problems} == {
        first["raw"], first["versions"][0]["path"]}


def test_readers_list_and_look_up_records_on_s3(tmp_path: Path, s3_archive: Archive,
                                               s3_store: BlobStore) -> None:
    crawl(s3_archive)
    with Archive(tmp_path / "local") as local:
        crawl(local)
    on_s3 = sorted((record for record in iter_records(s3_archive.root, storage=s3_store)),
                   key=lambda record: record["id"])
    on_disk = sorted(iter_records(tmp_path / "local"), key=lambda record: record["id"])
    assert on_s3 == on_disk and len(on_s3) == 2
    only_news = iter_records(s3_archive.root, RecordFilter(site="mirror.example.org"),
                             storage=s3_store)
    assert list(only_news) == []
    with ArchiveReader(s3_archive.root, storage=s3_store) as reader:
        found = reader.lookup(COPY_URL)
        assert found["url"] == STORY_URL and found["version"] == 2
        assert reader.load_version(found, 1)["body"] == BODY


def test_reindex_rebuilds_a_lost_index_of_an_s3_archive(
        tmp_path: Path, s3_server: S3Server, s3_bucket: str, s3_archive: Archive,
        s3_store: BlobStore) -> None:
    outcomes = crawl(s3_archive)
    s3_archive.close()
    result = reindex(tmp_path / "other-machine", storage=s3_store)
    assert (result.articles, result.replaced_because) == (2, "it was missing")
    with Archive(tmp_path / "other-machine", storage=s3_store) as reopened:
        assert reopened.owner(COPY_URL) == outcomes[0][1]
    empty = open_store(f"s3://{s3_bucket}/elsewhere", s3_server.options)
    with pytest.raises(ArchiveError, match="holds no archive"):
        reindex(tmp_path / "third", storage=empty)
