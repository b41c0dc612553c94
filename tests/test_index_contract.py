"""The ``ArchiveIndex`` contract (``archive.index.base``), run on every backend: SQLite and a
real PostgreSQL (the ``postgres_dsn`` fixture: a new empty database per test)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from archive.errors import ArchiveError
from archive.index.base import ArchiveIndex
from archive.index.opening import open_index
from archive.near_dup import signature

BACKENDS = ("sqlite", "postgres")
Opener = Callable[[], ArchiveIndex]
BODY = " ".join(f"word{n} harbour council vote budget" for n in range(40))
OTHER_BODY = " ".join(f"term{n} river school energy museum" for n in range(40))


@pytest.fixture(params=BACKENDS)
def opener(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Opener]:
    """Opens new connections to one index (the same one each call), closed after the test."""
    opened: list[ArchiveIndex] = []
    if request.param == "postgres":
        dsn = request.getfixturevalue("postgres_dsn")

        def open_one() -> ArchiveIndex:
            opened.append(open_index("postgres", dsn=dsn))
            return opened[-1]
    else:
        (tmp_path / "archive").mkdir()

        def open_one() -> ArchiveIndex:
            opened.append(open_index("sqlite", root=tmp_path / "archive"))
            return opened[-1]
    yield open_one
    for index in opened:
        index.close()


@pytest.fixture
def index(opener: Opener) -> ArchiveIndex:
    return opener()


def test_owners_and_add_keys_keep_the_first_owner(index: ArchiveIndex) -> None:
    assert index.owners([]) == {}
    assert index.owners(["https://a.example/1"]) == {}
    index.add_keys("aaaa", ["https://a.example/1", "https://a.example/1?amp"])
    index.add_keys("bbbb", ["https://a.example/1", "https://a.example/2"])
    assert index.owners(["https://a.example/1", "https://a.example/2", "https://x.example/"]) == {
        "https://a.example/1": "aaaa", "https://a.example/2": "bbbb"}


def test_articles_paths_and_content_hashes(index: ArchiveIndex) -> None:
    assert index.path_of("b1") is None and index.article_with_hash("sha256:x") is None
    index.put_article("b1", "articles/a/b1.json", "sha256:x")
    index.put_article("a1", "articles/a/a1.json", "sha256:x")
    index.put_article("c1", "articles/a/c1.json", None)
    assert index.article_with_hash("sha256:x") == "a1"  # the smallest id
    index.put_article("a1", "articles/b/a1.json", "sha256:y")  # replaced
    assert index.path_of("a1") == "articles/b/a1.json"
    assert index.article_with_hash("sha256:x") == "b1"
    assert index.count() == 3


def test_validators_and_fetch_times(index: ArchiveIndex) -> None:
    key = "https://a.example/1"
    index.record_fetch([key], etag='"v1"', last_modified=None, fetched_at="2024-05-06T08:00:00Z")
    assert index.validators(key) is None  # a key no article owns gives no validators
    assert index.last_fetched(key) == "2024-05-06T08:00:00Z"
    index.add_keys("a1", [key])
    assert index.validators(key) == ('"v1"', None)
    index.record_revisit(key, "2024-05-07T08:00:00Z")
    assert index.validators(key) == ('"v1"', None)
    assert index.last_fetched(key) == "2024-05-07T08:00:00Z"
    index.record_fetch([key], etag=None, last_modified=None, fetched_at="2024-05-08T08:00:00Z")
    assert index.validators(key) is None and index.last_fetched(key) == "2024-05-08T08:00:00Z"
    index.record_revisit("https://a.example/new", "2024-05-09T08:00:00Z")
    assert index.last_fetched("https://a.example/new") == "2024-05-09T08:00:00Z"
    index.record_fetch([], etag="x", last_modified="y", fetched_at="2024-05-09T08:00:00Z")


def test_keyset_pages_sort_byte_wise(index: ArchiveIndex) -> None:
    ids = ["0a", "0b", "B0", "a0", "é0"]  # byte order: digits < upper case < lower < non-ASCII
    for article_id in reversed(ids):
        index.put_article(article_id, f"articles/s/{article_id}.json", f"h{article_id}")
        index.add_keys(article_id, [f"https://s.example/{article_id}"])
    assert [row[0] for row in index.page("", 3)] == ids[:3]
    assert index.page("0b", 2) == [("B0", "articles/s/B0.json"), ("a0", "articles/s/a0.json")]
    assert index.article_rows("a0", 5) == [("é0", "articles/s/é0.json", "hé0")]
    assert [row[0] for row in index.key_rows("", 10)] == [f"https://s.example/{i}" for i in ids]
    assert index.key_rows("https://s.example/a0", 10) == [("https://s.example/é0", "é0")]


def test_revisit_rows_keep_the_earliest_and_latest(index: ArchiveIndex) -> None:
    row = ("https://a.example/1", "a.example", "2024-05-06T08:00:00Z", "2024-05-06T08:00:00Z")
    index.note_visit("a1", row)
    index.note_visit("a1", (*row[:2], "2024-05-01T00:00:00Z", "2024-05-02T00:00:00Z"))
    index.note_visit("a1", (*row[:2], "2024-05-09T00:00:00Z", "2024-05-10T00:00:00Z"))
    index.note_visit("b1", ("https://a.example/2", *row[1:]))
    assert index.revisits("", 10) == [
        ("a1", *row[:2], "2024-05-01T00:00:00Z", "2024-05-10T00:00:00Z"),
        ("b1", "https://a.example/2", *row[1:])]
    assert [r[0] for r in index.revisits("a1", 10)] == ["b1"]


def test_near_duplicate_candidates(index: ArchiveIndex) -> None:
    sig, other = signature(BODY), signature(OTHER_BODY)
    assert sig is not None and other is not None
    assert index.near_candidates(sig) == []
    index.add_near_keys("b1", sig)
    index.add_near_keys("a1", sig)
    index.add_near_keys("a1", sig)  # twice: no error, no double count
    index.add_near_keys("c1", other)
    assert index.near_candidates(sig) == ["a1", "b1"]
    assert index.near_candidates(other) == ["c1"]


def test_claim_keys_gives_a_contested_key_to_the_smaller_id(index: ArchiveIndex) -> None:
    assert index.claim_keys("bbbb", ["k1", "k2"]) == []
    assert index.claim_keys("aaaa", ["k2", "k3"]) == ["k2"]
    assert index.claim_keys("cccc", ["k1", "k3"]) == ["k1", "k3"]
    assert index.owners(["k1", "k2", "k3"]) == {"k1": "bbbb", "k2": "aaaa", "k3": "aaaa"}


def test_clear_rebuildable_keeps_the_validators(index: ArchiveIndex) -> None:
    sig = signature(BODY)
    assert sig is not None
    index.put_article("a1", "articles/a/a1.json", "h")
    index.add_keys("a1", ["k"])
    index.add_near_keys("a1", sig)
    index.note_visit("a1", ("k", "s", "2024-05-06T08:00:00Z", "2024-05-06T08:00:00Z"))
    index.record_fetch(["k"], etag="e", last_modified=None, fetched_at="2024-05-06T08:00:00Z")
    index.clear_rebuildable()
    assert index.count() == 0 and index.owners(["k"]) == {} and index.revisits("", 9) == []
    assert index.near_candidates(sig) == []
    assert index.last_fetched("k") == "2024-05-06T08:00:00Z"
    index.add_keys("a1", ["k"])
    assert index.validators("k") == ("e", None)


def record(article_id: str, url: str, aliases: list[str], body: str = BODY) -> dict[str, Any]:
    return {"id": article_id, "url": url, "aliases": aliases, "body": body,
            "fetched_at": "2024-05-06T08:00:00Z", "published": "2024-05-01"}


def test_index_record(index: ArchiveIndex, tmp_path: Path) -> None:
    path = tmp_path / "articles" / "s" / "bb.json"
    assert index.index_record(record("bb", "https://s.example/b", ["k"]), "articles/s/bb.json",
                              path) == []
    assert index.path_of("bb") == "articles/s/bb.json"
    assert index.revisits("", 5) == [("bb", "https://s.example/b", "s.example",
                                      "2024-05-01T00:00:00Z", "2024-05-06T08:00:00Z")]
    sig = signature(BODY)
    assert sig is not None and index.near_candidates(sig) == ["bb"]
    other = tmp_path / "articles" / "s" / "aa.json"
    assert index.index_record(record("aa", "https://s.example/a", ["k"], "x"),
                              "articles/s/aa.json", other) == ["k"]
    assert index.owners(["k"]) == {"k": "aa"}
    with pytest.raises(ArchiveError, match="stored twice"):
        index.index_record(record("bb", "https://s.example/b", []), "articles/t/bb.json", path)
    with pytest.raises(ArchiveError, match="holds article zz, not bb"):
        index.index_record(record("zz", "https://s.example/z", []), "articles/s/bb.json", path)


def test_transaction_commits_or_rolls_back(opener: Opener) -> None:
    index, other = opener(), opener()
    with index.transaction():
        index.put_article("a1", "articles/a/a1.json", None)
        assert other.path_of("a1") is None  # not committed yet
    assert other.path_of("a1") == "articles/a/a1.json"
    with pytest.raises(RuntimeError), index.transaction():
        index.put_article("b1", "articles/a/b1.json", None)
        index.add_keys("b1", ["k"])
        raise RuntimeError("stop")
    assert index.path_of("b1") is None and other.owners(["k"]) == {}


def test_transactions_of_two_writers_run_one_at_a_time(opener: Opener) -> None:
    first, second = opener(), opener()
    inside = threading.Event()
    times: dict[str, float] = {}

    def hold() -> None:
        with first.transaction():
            first.owners(["k"])
            inside.set()
            time.sleep(0.4)
            first.add_keys("a1", ["k"])
            times["first_done"] = time.monotonic()

    thread = threading.Thread(target=hold)
    thread.start()
    assert inside.wait(10)
    with second.transaction():
        times["second_in"] = time.monotonic()
        seen = second.owners(["k"])  # read-decide-write sees the other's committed write
    thread.join()
    assert times["second_in"] >= times["first_done"]
    assert seen == {"k": "a1"}


def test_close_twice_is_harmless(opener: Opener) -> None:
    index = opener()
    index.close()
    index.close()
