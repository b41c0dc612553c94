"""The archive: layout, deduplication outcomes, atomic writes, index rebuild, error messages.

Snapshot history and versions: tests/test_archive_snapshots.py."""

from __future__ import annotations

import errno
import gzip
import json
import os
import re
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

import archive
from archive import Archive, ArchiveError, StoreResult
from archive.dedup import MIN_DEDUP_CHARS, content_hash, id_for_url
from archive.index.sqlite import LOOKUP_QUERIES
from archive.layout import site_dir_name
from archive.record import FIELD_ORDER, OPTIONAL_FIELDS
from scraper.extract.record import Article, Comment

ARCHIVE_PACKAGE = Path(archive.__file__).parent
SCHEMA = json.loads((ARCHIVE_PACKAGE / "schema.json").read_text(encoding="utf-8"))
STORY_URL = "https://news.example.com/2024/05/harbour-reopens"
BODY = ("The harbour reopened on Monday after three weeks of repairs to the sea wall.\n\n"
        "Fishermen said the closure had cost them most of the spring catch, and the council "
        "promised compensation before the summer.")
WHEN = "2024-05-06T08:30:00Z"
LATER = "2024-05-07T08:30:00+00:00"


def make_record(url: str = STORY_URL, body: str = BODY, **changes: Any) -> dict[str, Any]:
    """An extractor record, built the way the crawler builds it (``Article.to_dict``)."""
    article = Article(
        url=url, title="Harbour reopens after repairs", authors=("Mai Nguyễn",),
        published="2024-05-06T07:00:00+07:00", modified=None, views=337, comment_count=1,
        comments=(Comment(text="Good news", author="Lan", published="2024-05-06",
                          replies=(Comment(text="Agreed"),)),),
        body=body, language="en", site_name="Example News", description="The harbour is open.",
        tags=("harbour", "council"), image="https://news.example.com/img/harbour.jpg")
    record = article.to_dict()
    record.update(changes)
    return record


def store(archive_: Archive, record: dict[str, Any] | None = None, *,
          url_keys: list[str] | None = None, **options: Any) -> StoreResult:
    record = record if record is not None else make_record()
    keys = url_keys if url_keys is not None else [record["url"]]
    options.setdefault("fetched_url", keys[-1])
    options.setdefault("fetched_at", WHEN)
    return archive_.store(record, url_keys=keys, **options)


def tree(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under root (index files excluded) with its bytes and mtime."""
    return {path.relative_to(root).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
            for path in sorted(root.rglob("*")) if path.is_file() and "index.sqlite" not in path.name}


def temp_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.name.endswith(".tmp")]


@pytest.fixture
def arch(tmp_path: Path) -> Any:
    with Archive(tmp_path / "archive") as opened:
        yield opened


def test_store_writes_the_documented_path_and_a_valid_record(arch: Archive) -> None:
    result = store(arch)
    expected_id = id_for_url(STORY_URL)
    shard = expected_id[:2]
    assert result == StoreResult(
        "stored", expected_id,
        arch.root / "articles" / "news.example.com" / shard / f"{expected_id}.json")
    assert re.fullmatch(r"[0-9a-f]{16}", expected_id)
    saved = json.loads(result.path.read_text(encoding="utf-8"))
    Draft202012Validator(SCHEMA).validate(saved)
    assert saved["id"] == expected_id and saved["content_hash"] == content_hash(BODY)
    assert saved["fetched_at"] == WHEN and saved["http_status"] == 200
    assert saved["raw"] is None and saved["aliases"] == [] and saved["schema_version"] == 2
    assert saved["version"] == 1 and saved["versions"] == []
    assert saved["snapshots"] == [{"fetched_at": WHEN, "http_status": 200, "views": 337,
                                   "comment_count": 1, "content_hash": content_hash(BODY),
                                   "version": 1}]
    assert arch.load(expected_id) == saved
    assert arch.owner(STORY_URL) == expected_id and arch.count() == 1


def test_file_is_utf8_in_documented_field_order_with_trailing_newline(arch: Archive) -> None:
    text = store(arch).path.read_text(encoding="utf-8")
    assert text.endswith("}\n") and "Mai Nguyễn" in text and "\\u" not in text
    assert text.startswith('{\n  "id": ')
    assert list(json.loads(text)) == list(FIELD_ORDER)
    comment = json.loads(text)["comments"][0]
    assert list(comment) == ["author", "published", "text", "replies"]


def test_schema_is_strict_draft_2020_12_and_matches_the_field_order() -> None:
    Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert SCHEMA["additionalProperties"] is False
    assert list(SCHEMA["properties"]) == list(FIELD_ORDER)
    assert SCHEMA["required"] == [name for name in FIELD_ORDER if name not in OPTIONAL_FIELDS]
    assert SCHEMA["$defs"]["comment"]["additionalProperties"] is False


def test_content_hash_ignores_unicode_form_and_whitespace() -> None:
    composed = "Café   opens\n\non\tMonday "
    decomposed = "Cafe\u0301 opens on\u00a0Monday"
    assert content_hash(composed) == content_hash(decomposed)
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", content_hash(""))
    assert content_hash("a b") != content_hash("ab")


def test_same_story_under_several_url_keys_is_one_file_with_aliases(arch: Archive) -> None:
    tracking = STORY_URL + "?utm_source=feed"
    amp = "https://news.example.com/amp/2024/05/harbour-reopens"
    first = store(arch, url_keys=[STORY_URL, tracking], fetched_url=tracking)
    second = store(arch, url_keys=[STORY_URL, amp], fetched_url=amp)
    assert (first.outcome, second.outcome, second.id) == ("stored", "unchanged", first.id)
    assert [path.name for path in (arch.root / "articles").rglob("*.json")] == [first.path.name]
    assert json.loads(first.path.read_text())["aliases"] == sorted([tracking, amp])
    assert {arch.owner(key) for key in (STORY_URL, tracking, amp)} == {first.id}
    assert store(arch, url_keys=[STORY_URL, amp]).outcome == "unchanged"


def test_print_copy_with_same_body_and_no_shared_url_is_a_duplicate(arch: Archive) -> None:
    original = store(arch)
    print_url = "https://news.example.com/print/48213"
    copy = make_record(url=print_url, title="PRINT: Harbour reopens",
                       body=BODY.replace("\n\n", "\n"))  # same text, other whitespace
    result = store(arch, copy)
    saved_bytes = original.path.read_bytes()
    again = store(arch, copy)
    assert result == StoreResult("duplicate", original.id, original.path)
    saved = json.loads(saved_bytes)
    assert saved["aliases"] == [print_url] and saved["title"] == "Harbour reopens after repairs"
    assert arch.owner(print_url) == original.id and arch.count() == 1
    assert again.outcome == "unchanged" and original.path.read_bytes() == saved_bytes


def test_short_or_empty_bodies_never_merge_different_articles(arch: Archive) -> None:
    short = "x" * (MIN_DEDUP_CHARS - 1)
    results = [store(arch, make_record(url=f"https://news.example.com/{n}", body=body))
               for n, body in enumerate(["", "", short, short])]
    assert [result.outcome for result in results] == ["stored"] * 4
    assert len({result.id for result in results}) == 4 and arch.count() == 4


def test_moved_canonical_url_updates_the_article_and_keeps_the_old_url(arch: Archive) -> None:
    first = store(arch)
    moved = "https://news.example.com/harbour-reopens"
    result = store(arch, make_record(url=moved), url_keys=[moved, STORY_URL])
    saved = json.loads(first.path.read_text())
    assert result.outcome == "updated" and result.id == first.id
    assert saved["url"] == moved and saved["aliases"] == [STORY_URL]
    assert arch.owner(moved) == arch.owner(STORY_URL) == first.id


def test_raw_page_is_stored_once_per_distinct_bytes_and_round_trips(arch: Archive) -> None:
    page = "<html><body>Cảng mở cửa</body></html>".encode()
    first = store(arch, raw=page)
    second = store(arch, make_record(url="https://news.example.com/other", body="other"),
                   raw=page)
    raw_files = list((arch.root / "raw").rglob("*.html.gz"))
    relpath = json.loads(first.path.read_text())["raw"]
    assert second.outcome == "stored" and len(raw_files) == 1
    assert json.loads(second.path.read_text())["raw"] == relpath
    assert re.fullmatch(r"raw/([0-9a-f]{2})/\1[0-9a-f]{62}\.html\.gz", relpath)
    assert gzip.decompress((arch.root / relpath).read_bytes()) == page
    assert (arch.root / relpath).read_bytes()[4:8] == b"\0\0\0\0"  # gzip mtime 0: deterministic


def test_rebuild_index_from_json_files_alone_gives_the_same_lookups(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    keys = {STORY_URL, STORY_URL + "?ref=rss", "https://news.example.com/print/1",
            "https://other.example.org/a", "https://other.example.org/b"}
    with Archive(root) as arch:
        store(arch, url_keys=[STORY_URL, STORY_URL + "?ref=rss"])
        store(arch, make_record(url="https://news.example.com/print/1"))
        store(arch, make_record(url="https://other.example.org/a", body="Other story. " * 9))
        store(arch, make_record(url="https://other.example.org/b", body=""))
        before = {key: arch.owner(key) for key in keys}
        ids = sorted(record["id"] for record in arch.iter_records())
    for name in ("index.sqlite", "index.sqlite-wal", "index.sqlite-shm"):
        (root / name).unlink(missing_ok=True)
    with pytest.raises(ArchiveError, match=r"index .* is missing .*reindex"):
        Archive(root)
    with Archive(root, reset_index=True) as arch:
        assert arch.rebuild_index() == 3
        assert {key: arch.owner(key) for key in keys} == before
        assert sorted(record["id"] for record in arch.iter_records()) == ids and len(ids) == 3
        print_again = make_record(url="https://news.example.com/print/2")
        assert store(arch, print_again).outcome == "duplicate"  # content hashes rebuilt too


def test_corrupt_index_says_reindex_and_reset_index_recovers(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    with Archive(root) as arch:
        article_id = store(arch).id
    (root / "index.sqlite").write_bytes(b"this is not a database" * 100)
    with pytest.raises(ArchiveError, match=r"corrupt.*reindex") as caught:
        Archive(root)
    assert "\n" not in str(caught.value)
    with Archive(root, reset_index=True) as arch:
        assert arch.rebuild_index() == 1 and arch.owner(STORY_URL) == article_id
    assert (root / "index.sqlite.old").read_bytes().startswith(b"this is not")


def test_rebuild_stops_at_a_corrupt_file_and_keeps_the_old_index(arch: Archive) -> None:
    good = store(arch)
    bad = store(arch, make_record(url="https://news.example.com/b", body="b"))
    bad.path.write_text('{"id": "trunc', encoding="utf-8")
    with pytest.raises(ArchiveError, match=re.escape(str(bad.path)) + r" is corrupt .*reindex"):
        arch.rebuild_index()
    with pytest.raises(ArchiveError, match=r"is corrupt"):
        arch.load(bad.id)
    assert arch.owner(STORY_URL) == good.id and arch.count() == 2


def test_iter_records_pages_through_the_index_in_id_order(
        arch: Archive, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("archive.store._PAGE_ROWS", 2)
    ids = [store(arch, make_record(url=f"https://news.example.com/{n}", body=str(n))).id
           for n in range(5)]
    assert [record["id"] for record in arch.iter_records()] == sorted(ids)
    assert arch.count() == 5


def test_every_lookup_query_uses_an_index(arch: Archive) -> None:
    with closing(sqlite3.connect(arch.root / "index.sqlite")) as connection:
        for name, (sql, params) in LOOKUP_QUERIES.items():
            plan = connection.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
            details = [row[-1] for row in plan]
            assert details and not [d for d in details if d.startswith("SCAN")], (name, details)


def test_two_processes_share_one_archive(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    Archive(root).close()
    script = (
        "import json, sys\n"
        "from archive import Archive\n"
        "record = json.loads(sys.argv[2])\n"
        "with Archive(sys.argv[1]) as arch:\n"
        "    for n in range(40):\n"
        "        url = f'https://b.example.org/{n}'\n"
        "        arch.store({**record, 'url': url, 'body': f'b{n}'}, url_keys=[url],\n"
        "                   fetched_url=url, fetched_at='2024-05-06T08:30:00Z')\n"
    )
    other = subprocess.Popen([sys.executable, "-c", script, str(root), json.dumps(make_record())])
    with Archive(root) as arch:
        for n in range(40):
            store(arch, make_record(url=f"https://a.example.org/{n}", body=f"a{n}"))
        assert other.wait(timeout=120) == 0
        assert arch.count() == 80
        assert arch.owner("https://b.example.org/39") == id_for_url("https://b.example.org/39")


HOSTILE_URLS = [
    "http://../../etc/passwd", "http://..%2F..%2Fetc/x", "https://例子.测试/新闻/1",
    "https://xn--.../a", "http://" + "a" * 5000 + ".com/x", "http://" + "ü" * 300 + ".de/x",
    "file:///etc/passwd", "http://[::1]:8080/x", "http://[broken/x", "/../../relative/path",
    "http://evil.com\\..\\..\\x/y", "http://./..", "http://user:pw@../x", "http://a\x00b/x",
]


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_hostile_urls_never_escape_the_root(arch: Archive, url: str) -> None:
    result = store(arch, make_record(url=url, body=f"body of {url!r}"))
    root = (arch.root / "articles").resolve()
    assert root in result.path.resolve().parents
    site = result.path.resolve().relative_to(root).parts[0]
    assert re.fullmatch(r"[a-z0-9.-]{1,200}", site) and ".." not in site
    assert not site.startswith(".") and result.path.is_file()
    assert arch.owner(url) == result.id


def test_site_names_are_idna_and_never_empty() -> None:
    assert site_dir_name("https://München.de/x") == "xn--mnchen-3ya.de"
    assert site_dir_name("https://News.Example.COM:8443/a") == "news.example.com"
    assert site_dir_name("") == site_dir_name("http://.../") == "unknown"


@pytest.mark.parametrize(("under_file", "problem"), [(True, "is not writable: Not a directory"),
                                                     (False, "is not a directory")])
def test_unusable_root_is_a_one_line_error(tmp_path: Path, under_file: bool,
                                           problem: str) -> None:
    """Fails for root too: a path below a regular file can never become a directory."""
    blocker = tmp_path / "regular-file"
    blocker.write_text("x")
    root = blocker / "archive" if under_file else blocker
    with pytest.raises(ArchiveError, match=re.escape(f"{root} {problem}")) as caught:
        Archive(root)
    assert str(caught.value).endswith("; choose another with --archive")
    assert "\n" not in str(caught.value)


BAD_COMMENT: dict[str, Any] = {"author": None, "published": None, "text": None, "replies": []}
INVALID = [({"views": "many"}, "views"), ({"title": 5}, "title"), ({"surprise": 1}, "surprise"),
           ({"published": "yesterday"}, "published"), ({"comments": [BAD_COMMENT]}, "comments[0].text"),
           ({"id": "0123456789abcdef"}, "id"), ({"content_hash": "sha256:00"}, "content_hash")]


@pytest.mark.parametrize(("changes", "field"), INVALID)
def test_invalid_record_is_refused_naming_the_field(arch: Archive, changes: dict[str, Any],
                                                    field: str) -> None:
    with pytest.raises(ArchiveError, match=re.escape(f"'{field}'")):
        store(arch, make_record(**changes))
    assert arch.count() == 0 and list((arch.root / "articles").iterdir()) == []


def test_missing_field_and_bad_fetch_time_are_named(arch: Archive) -> None:
    record = make_record()
    del record["title"]
    with pytest.raises(ArchiveError, match="field 'title'"):
        store(arch, record)
    with pytest.raises(ArchiveError, match="field 'fetched_at'"):
        store(arch, fetched_at="2024-05-06 08:30")


def test_interrupted_replace_keeps_the_old_file_and_leaves_no_temp_files(
        arch: Archive, monkeypatch: pytest.MonkeyPatch) -> None:
    first = store(arch)
    before = first.path.read_bytes()
    def failing_replace(src: Any, dst: Any) -> None:
        raise OSError(errno.EIO, "Input/output error")
    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", failing_replace)
        with pytest.raises(ArchiveError, match="Input/output error"):
            store(arch, make_record(body="Edited. " + BODY))
    assert first.path.read_bytes() == before and temp_files(arch.root) == []
    assert store(arch, make_record(body="Edited. " + BODY)).outcome == "updated"


def test_disk_full_is_reported_and_nothing_stored_is_lost(
        arch: Archive, monkeypatch: pytest.MonkeyPatch) -> None:
    first = store(arch)
    before = first.path.read_bytes()
    def full_disk(descriptor: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")
    with monkeypatch.context() as patch:
        patch.setattr(os, "fsync", full_disk)
        with pytest.raises(ArchiveError, match=r"disk full while writing .*nothing already "
                                               r"stored was lost") as caught:
            store(arch, make_record(url="https://news.example.com/new", body="new"))
    assert "\n" not in str(caught.value)
    assert first.path.read_bytes() == before and temp_files(arch.root) == []
    assert arch.owner("https://news.example.com/new") is None and arch.count() == 1


def test_misuse_is_reported(arch: Archive) -> None:
    with pytest.raises(ValueError, match="url_keys"):
        arch.store(make_record(), url_keys=STORY_URL, fetched_url=STORY_URL, fetched_at=WHEN)
    with pytest.raises(ValueError, match="url_keys"):
        arch.store(make_record(), url_keys=[], fetched_url=STORY_URL, fetched_at=WHEN)
    with pytest.raises(ArchiveError, match="no article 'ffffffffffffffff'"):
        arch.load("ffffffffffffffff")


def test_add_aliases_links_a_copy_without_touching_content(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    stored = archive.store(
        {**_alias_record(), "url": "https://a.example/story"}, url_keys=["https://a.example/story"],
        fetched_url="https://a.example/story", fetched_at="2024-05-13T04:00:00Z")
    before = json.loads(stored.path.read_text(encoding="utf-8"))
    result = archive.add_aliases(stored.id, ["https://a.example/amp/story"])
    after = json.loads(stored.path.read_text(encoding="utf-8"))
    assert result.outcome == "duplicate" and result.id == stored.id
    assert after["aliases"] == ["https://a.example/amp/story"]
    assert {k: v for k, v in after.items() if k != "aliases"} == {
        k: v for k, v in before.items() if k != "aliases"}
    assert archive.owner("https://a.example/amp/story") == stored.id
    again = archive.add_aliases(stored.id, ["https://a.example/amp/story"])
    assert again.outcome == "duplicate"
    assert json.loads(stored.path.read_text(encoding="utf-8")) == after


def _alias_record() -> dict[str, object]:
    return {"url": None, "title": "A story", "authors": ["A. Writer"], "published": "2024-05-13",
            "modified": None, "views": None, "comment_count": None, "comments": [],
            "body": "A long enough body of text for the content hash to count. " * 3,
            "language": "en", "site_name": None, "description": None, "tags": [], "image": None}
