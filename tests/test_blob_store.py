"""The BlobStore contract, on a local directory and on a real S3 server (SeaweedFS)."""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from archive.errors import ArchiveError
from archive.storage import BlobNotFound, BlobStore, LocalStore, open_store
from archive.temps import TEMP_NAME
from scraper.config import parse_config
from tests.s3_server import S3Server


@pytest.fixture(params=["local", "s3", "s3-head-then-put"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[BlobStore]:
    """Each store; ``s3-head-then-put`` is the fallback for servers without conditional PUT."""
    if request.param == "local":
        yield open_store(tmp_path / "store")
        return
    server: S3Server = request.getfixturevalue("s3_server")
    bucket: str = request.getfixturevalue("s3_bucket")
    options = dict(server.options)
    if request.param == "s3-head-then-put":
        options["conditional_put"] = "false"
    yield open_store(f"s3://{bucket}/some/prefix", options)


def test_write_overwrites_atomically_and_read_returns_the_last_bytes(store: BlobStore) -> None:
    store.write("articles/a.example/ab/abcd.json", b'{"v": 1}\n')
    store.write("articles/a.example/ab/abcd.json", b'{"v": 2}\n')
    assert store.read("articles/a.example/ab/abcd.json") == b'{"v": 2}\n'
    assert store.size("articles/a.example/ab/abcd.json") == len(b'{"v": 2}\n')
    if isinstance(store, LocalStore):  # no temporary file is left beside the target
        assert [p.name for p in store.root.rglob("*") if TEMP_NAME.fullmatch(p.name)] == []


def test_readers_see_old_or_new_bytes_never_a_mix(store: BlobStore) -> None:
    old, new = b"a" * 200_000, b"b" * 300_000
    store.write("articles/x/1.json", old)
    seen: set[bytes] = set()
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            seen.add(store.read("articles/x/1.json"))

    reader = threading.Thread(target=read)
    reader.start()
    for _ in range(5):
        store.write("articles/x/1.json", new)
        store.write("articles/x/1.json", old)
    stop.set()
    reader.join()
    assert seen <= {old, new} and old in seen


def test_create_if_absent_keeps_the_first_content(store: BlobStore) -> None:
    assert store.create("raw/ab/abcdef.html.gz", b"first") is True
    assert store.create("raw/ab/abcdef.html.gz", b"second") is False
    assert store.read("raw/ab/abcdef.html.gz") == b"first"


def test_create_from_file_streams_a_file_in_once_and_open_file_seeks(store: BlobStore,
                                                                      tmp_path: Path) -> None:
    first, second = tmp_path / "first.warc.gz", tmp_path / "second.warc.gz"
    data = os.urandom(3_000_000)
    first.write_bytes(data)
    second.write_bytes(b"other bytes")
    assert store.create_from_file("warc/a.warc.gz", first) is True
    assert store.create_from_file("warc/a.warc.gz", second) is False
    assert first.read_bytes() == data  # the file itself is left as it was
    assert store.size("warc/a.warc.gz") == len(data)
    with store.open_file("warc/a.warc.gz") as handle:
        handle.seek(2_500_000)
        assert handle.read(1000) == data[2_500_000:2_501_000]
        handle.seek(10)
        assert handle.read(5) == data[10:15]
    with pytest.raises(BlobNotFound):
        store.open_file("warc/missing.warc.gz")


def test_staged_create_commits_once_and_discard_writes_nothing(store: BlobStore) -> None:
    kept = store.stage("raw/cd/kept.html.gz", b"kept")
    dropped = store.stage("raw/cd/dropped.html.gz", b"dropped")
    assert not store.exists("raw/cd/kept.html.gz")  # staged is not yet stored
    assert kept.commit() is True and kept.commit() is False
    dropped.discard()
    assert store.read("raw/cd/kept.html.gz") == b"kept"
    assert not store.exists("raw/cd/dropped.html.gz")
    late = store.stage("raw/cd/kept.html.gz", b"other")
    assert late.commit() is False and store.read("raw/cd/kept.html.gz") == b"kept"
    if isinstance(store, LocalStore):
        assert [p.name for p in store.root.rglob("*") if TEMP_NAME.fullmatch(p.name)] == []


def test_concurrent_creates_have_exactly_one_winner(store: BlobStore,
                                                   request: pytest.FixtureRequest) -> None:
    """Exactly one winner; the HEAD-then-PUT fallback only promises that someone wrote whole
    bytes (its races write identical bytes for the content-addressed keys it is used for)."""
    results: list[bool] = []
    lock = threading.Lock()

    def create(number: int) -> None:
        created = store.create("raw/ee/race.html.gz", f"writer {number}".encode())
        with lock:
            results.append(created)

    threads = [threading.Thread(target=create, args=(number,)) for number in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if "head-then-put" in request.node.name:
        assert True in results
    else:
        assert sorted(results) == [False] * 5 + [True]
    assert re.fullmatch(rb"writer [0-5]", store.read("raw/ee/race.html.gz"))


def test_list_exists_and_delete(store: BlobStore) -> None:
    assert list(store.list("articles/")) == [] and not store.has_any("articles/")
    keys = ["articles/b.example/01/b1.json", "articles/a.example/a0.json",
            "articles/a.example/ff/a1.json", "raw/00/r.html.gz"]
    for key in keys:
        store.write(key, key.encode())
    assert sorted(store.list("articles/")) == sorted(keys[:3])
    assert list(store.list("articles/a.example/ff/")) == ["articles/a.example/ff/a1.json"]
    assert sorted(store.list("")) == sorted(keys)
    assert store.has_any("articles/") and store.has_any("raw/") and not store.has_any("versions/")
    assert store.exists("raw/00/r.html.gz") and not store.exists("raw/00/other.html.gz")
    store.delete("raw/00/r.html.gz")
    store.delete("raw/00/r.html.gz")  # absent: nothing happens
    assert not store.exists("raw/00/r.html.gz") and list(store.list("raw/")) == []


def test_reading_a_missing_key_names_it(store: BlobStore) -> None:
    with pytest.raises(BlobNotFound) as caught:
        store.read("articles/none.example/00/missing.json")
    assert caught.value.where == store.where("articles/none.example/00/missing.json")
    assert caught.value.where.endswith("articles/none.example/00/missing.json")
    with pytest.raises(BlobNotFound):
        store.size("articles/none.example/00/missing.json")


@pytest.mark.parametrize("key", ["../outside", "articles/../../x", "", "a//b", "a\\b", "/abs"])
def test_keys_that_would_leave_the_store_are_refused(store: BlobStore, key: str) -> None:
    with pytest.raises(ArchiveError, match="not a path inside the archive"):
        store.write(key, b"x")


def test_s3_url_keeps_its_prefix_and_objects_are_plain(s3_server: S3Server, s3_bucket: str) -> None:
    store = open_store(f"s3://{s3_bucket}/crawl-1/", s3_server.options)
    store.write("articles/a.example/aa/x.json", b"{}\n")
    assert store.where("articles/a.example/aa/x.json") == \
        f"s3://{s3_bucket}/crawl-1/articles/a.example/aa/x.json"
    assert s3_server.filesystem().cat_file(f"{s3_bucket}/crawl-1/articles/a.example/aa/x.json") \
        == b"{}\n"


def test_unreachable_s3_is_one_line_naming_the_storage(tmp_path: Path) -> None:
    store = open_store("s3://bucket/prefix", {"endpoint_url": "http://127.0.0.1:9",
                                              "key": "k", "secret": "s"})
    with pytest.raises(ArchiveError) as caught:
        store.read("articles/a/b.json")
    message = str(caught.value)
    assert "storage s3://bucket/prefix unreachable" in message and "backend.storage" in message
    assert "\n" not in message


def test_wrong_secret_is_reported_as_access_denied(s3_server: S3Server, s3_bucket: str) -> None:
    options = {**s3_server.options, "secret": "wrong"}
    store = open_store(f"s3://{s3_bucket}", options)
    with pytest.raises(ArchiveError, match="denied access"):
        store.write("articles/a/b.json", b"x")


@pytest.mark.parametrize(("url", "options", "message"), [
    ("s3://", None, "is not s3://bucket"),
    ("gs://bucket/x", None, "neither a directory nor s3://"),
    ("/some/dir", {"key": "k"}, "apply to s3:// storage only"),
    ("s3://bucket", {"token": "t"}, "unknown storage option 'token'"),
    ("s3://bucket", {"conditional_put": "maybe"}, "must be true or false"),
])
def test_bad_storage_urls_and_options_are_config_errors(url: str, options: dict[str, str] | None,
                                                       message: str) -> None:
    with pytest.raises(ArchiveError, match=message):
        open_store(url, options)


def test_a_forked_worker_uses_the_store_it_inherited(store: BlobStore) -> None:
    """A worker forked after the store was used works, and leaves the parent's connections
    usable (a child closing the inherited client shut the parent's sockets: 60 s stalls)."""
    store.write("articles/parent.json", b"parent")
    child = os.fork()
    if child == 0:  # pragma: no cover -- runs in the child, which reports through its exit code
        try:
            ok = store.read("articles/parent.json") == b"parent"
            store.write("articles/child.json", b"child")
            os._exit(0 if ok else 3)
        except BaseException:  # noqa: BLE001 -- any failure is the child's exit code
            os._exit(4)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    started = time.monotonic()
    assert store.read("articles/child.json") == b"child"
    assert time.monotonic() - started < 5


def test_the_backend_config_opens_its_storage(s3_server: S3Server, s3_bucket: str) -> None:
    """``backend.storage`` and ``backend.storage_options`` as config.yaml gives them (booleans
    become "true"/"false") open a working store."""
    config = parse_config(
        "backend:\n  kind: postgres\n  dsn: postgresql://u@db.example/crawl\n"
        f"  storage: s3://{s3_bucket}/from-config\n  storage_options:\n"
        f"    endpoint_url: {s3_server.endpoint}\n    key: {s3_server.options['key']}\n"
        f"    secret: {s3_server.options['secret']}\n    conditional_put: true\n"
        "    anon: false\n")
    assert config.backend.storage is not None
    store = open_store(config.backend.storage, dict(config.backend.storage_options))
    assert store.create("raw/aa/page.html.gz", b"page") is True
    assert s3_server.filesystem().cat_file(f"{s3_bucket}/from-config/raw/aa/page.html.gz") == b"page"
