"""Snapshot history and versions: re-visits, edits, 304s, version files, schema 1 upgrade."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from archive import Archive, ArchiveError, StoreResult, load_schema
from archive.dedup import content_hash
from archive.record import (
    CONTENT_FIELDS,
    EXTRACTOR_FIELDS,
    SNAPSHOT_FIELDS,
    SNAPSHOT_OPTIONAL_FIELDS,
    VERSION_FIELDS,
    VOLATILE_FIELDS,
)
from tests.test_archive import BODY, LATER, STORY_URL, WHEN, make_record, store, tree

VALIDATOR = Draft202012Validator(load_schema())
DAY2, DAY3, DAY4 = "2024-05-08T08:30:00Z", "2024-05-09T08:30:00Z", "2024-05-10T08:30:00Z"
EDITED = BODY + "\n\nUpdate: the council has paid the first compensation claims."


@pytest.fixture
def arch(tmp_path: Path) -> Any:
    with Archive(tmp_path / "archive") as opened:
        yield opened


def files(root: Path, folder: str) -> list[str]:
    return sorted(path.relative_to(root).as_posix() for path in (root / folder).rglob("*")
                  if path.is_file())


def read_valid(result: StoreResult) -> dict[str, Any]:
    record: dict[str, Any] = json.loads(result.path.read_bytes())
    assert list(VALIDATOR.iter_errors(record)) == []
    return record


def test_storing_the_same_record_again_is_unchanged_and_only_adds_a_snapshot(arch: Archive) -> None:
    first = store(arch, raw=b"<html>page</html>", etag='"v1"')
    for path in arch.root.rglob("*"):
        os.utime(path, ns=(1_000_000_000, 1_000_000_000))  # an old mtime: any rewrite shows
    before = tree(arch.root)
    saved = json.loads(first.path.read_bytes())
    again = store(arch, raw=b"<html>page, new ad</html>", fetched_at=LATER, etag='"v2"')
    assert again == StoreResult("unchanged", first.id, first.path)
    after = tree(arch.root)
    relpath = first.path.relative_to(arch.root).as_posix()
    assert {name: after[name] for name in after if name != relpath} == {
        name: before[name] for name in before if name != relpath}  # no raw page, no version
    now = json.loads(first.path.read_bytes())
    assert now["snapshots"] == [saved["snapshots"][0], {**saved["snapshots"][0], "fetched_at": LATER}]
    assert {**now, "snapshots": saved["snapshots"]} == saved
    assert arch.last_fetched(STORY_URL) == LATER
    assert arch.validators(STORY_URL) == ('"v2"', None)


def test_edited_body_is_updated(arch: Archive) -> None:
    first = store(arch, raw=b"<html>v1</html>")
    result = store(arch, make_record(body=BODY + " Updated at noon."), fetched_at=LATER,
                   http_status=203, raw=b"<html>v2</html>")
    saved = json.loads(first.path.read_text())
    assert result == StoreResult("updated", first.id, first.path)
    assert saved["version"] == 2 and saved["fetched_at"] == LATER and saved["http_status"] == 203
    assert saved["raw"] is not None and gzip.decompress(
        (arch.root / saved["raw"]).read_bytes()) == b"<html>v2</html>"
    assert arch.count() == 1


def test_validators_and_not_modified_revisit(arch: Archive) -> None:
    fetched = STORY_URL + "?utm_medium=email"
    result = store(arch, url_keys=[STORY_URL, fetched], etag='W/"abc"',
                   last_modified="Mon, 06 May 2024 07:00:00 GMT")
    before = result.path.read_bytes()
    revisit = arch.record_not_modified(fetched, LATER)
    assert arch.validators(fetched) == ('W/"abc"', "Mon, 06 May 2024 07:00:00 GMT")
    assert arch.validators("https://news.example.com/never-seen") is None
    assert revisit == StoreResult("unchanged", result.id, result.path)
    assert arch.last_fetched(fetched) == LATER and arch.last_fetched(STORY_URL) == WHEN
    saved, now = json.loads(before), json.loads(result.path.read_bytes())
    assert now["snapshots"] == [*saved["snapshots"], {
        "fetched_at": LATER, "http_status": 304, "views": None, "comment_count": None,
        "content_hash": saved["content_hash"], "version": 1}]
    assert {**now, "snapshots": saved["snapshots"]} == saved
    with pytest.raises(ArchiveError, match="no article is stored under"):
        arch.record_not_modified("https://news.example.com/never-seen", LATER)


def test_three_revisits_with_changing_views_add_three_snapshots_and_no_version(
        arch: Archive) -> None:
    first = store(arch, raw=b"<html>337 views</html>")
    raw_before = files(arch.root, "raw")
    visits = [(LATER, 338, 2), (DAY2, 401, 2), (DAY3, 402, 5)]
    for when, views, comments in visits:
        page = f"<html>{views} views</html>".encode()
        result = store(arch, make_record(views=views, comment_count=comments), fetched_at=when,
                       raw=page)
        assert result == StoreResult("unchanged", first.id, first.path)
    record = read_valid(first)
    assert [(s["fetched_at"], s["views"], s["comment_count"]) for s in record["snapshots"]] == [
        (WHEN, 337, 1), *visits]
    assert {s["version"] for s in record["snapshots"]} == {1}
    assert {s["content_hash"] for s in record["snapshots"]} == {content_hash(BODY)}
    assert (record["version"], record["versions"], arch.versions(first.id)) == (1, [], [])
    assert (record["views"], record["comment_count"]) == (402, 5)  # the last fetch's counters
    assert record["fetched_at"] == WHEN  # the fetch that produced this version
    assert files(arch.root, "raw") == raw_before  # unchanged re-visits keep no raw page
    assert not (arch.root / "versions").exists()


def test_edited_body_makes_a_new_version_and_the_old_one_stays_readable(arch: Archive) -> None:
    first = store(arch, raw=b"<html>first</html>")
    original = read_valid(first)
    store(arch, fetched_at=LATER)  # a re-visit of version 1
    result = store(arch, make_record(body=EDITED, views=500), fetched_at=DAY2,
                   raw=b"<html>edited</html>")
    assert result == StoreResult("updated", first.id, first.path)
    current = read_valid(first)
    assert current["version"] == 2 and current["body"] == EDITED
    assert current["fetched_at"] == DAY2 and current["raw"] != original["raw"]
    entry: dict[str, Any] = {"version": 1, "fetched_at": WHEN, "content_hash": content_hash(BODY),
             "changed": ["body"], "path": f"versions/news.example.com/{first.id[:2]}/"
                                          f"{first.id}/1.json"}
    assert current["versions"] == arch.versions(first.id) == [entry]
    assert [(s["fetched_at"], s["version"]) for s in current["snapshots"]] == [
        (WHEN, 1), (LATER, 1), (DAY2, 2)]
    old = arch.load_version(first.id, 1)
    assert old == json.loads((arch.root / entry["path"]).read_bytes())
    assert list(VALIDATOR.iter_errors(old)) == []
    assert old["body"] == BODY and old["raw"] == original["raw"] and old["version"] == 1
    assert [s["fetched_at"] for s in old["snapshots"]] == [WHEN, LATER]  # those that saw it
    assert arch.load_version(first.id, 2) == arch.load(first.id) == current
    assert arch.owner(STORY_URL) == first.id and arch.count() == 1


def test_each_edit_is_a_version_listing_the_fields_it_changed(arch: Archive) -> None:
    first = store(arch)
    store(arch, make_record(title="Harbour reopens", body=EDITED), fetched_at=LATER)
    store(arch, make_record(title="Harbour reopens", body=EDITED, comments=[]), fetched_at=DAY2)
    store(arch, make_record(title="Harbour reopens", body=EDITED, comments=[], comment_count=9),
          fetched_at=DAY3)  # a counter alone: snapshot only
    assert [(entry["version"], entry["changed"]) for entry in arch.versions(first.id)] == [
        (1, ["title", "body"]), (2, ["comments"])]
    versions = [arch.load_version(first.id, number) for number in (1, 2, 3)]
    assert [record["title"] for record in versions] == [
        "Harbour reopens after repairs", "Harbour reopens", "Harbour reopens"]
    assert [len(record["comments"]) for record in versions] == [1, 1, 0]
    assert [[s["fetched_at"] for s in record["snapshots"]] for record in versions] == [
        [WHEN], [LATER], [WHEN, LATER, DAY2, DAY3]]
    assert versions[1]["versions"] == arch.versions(first.id)[:1]
    assert versions[2]["comment_count"] == 9 and versions[2]["version"] == 3
    with pytest.raises(ArchiveError, match=f"article {first.id} has no version 4 "
                                           r"\(versions 1 to 3\)"):
        arch.load_version(first.id, 4)


def test_not_modified_revisit_appends_a_snapshot_without_counters(arch: Archive) -> None:
    first = store(arch, raw=b"<html>page</html>", etag='"a"')
    raw_before = files(arch.root, "raw")
    assert arch.record_not_modified(STORY_URL, LATER).outcome == "unchanged"
    record = read_valid(first)
    assert record["snapshots"][-1] == {"fetched_at": LATER, "http_status": 304, "views": None,
                                       "comment_count": None,
                                       "content_hash": content_hash(BODY), "version": 1}
    assert record["views"] == 337 and len(record["snapshots"]) == 2
    assert files(arch.root, "raw") == raw_before


def test_copies_and_duplicates_add_no_snapshot(arch: Archive) -> None:
    first = store(arch)
    print_url = "https://news.example.com/print/48213"
    assert store(arch, make_record(url=print_url, title="PRINT")).outcome == "duplicate"
    arch.add_aliases(first.id, ["https://news.example.com/amp/1"])
    copy = make_record(url=STORY_URL, title="PRINT: Harbour reopens")  # claims the article:
    assert store(arch, copy, url_keys=[STORY_URL, print_url]).outcome == "updated"  # a version
    record = read_valid(first)
    assert len(record["snapshots"]) == 2 and record["version"] == 2


def v1_record(record: dict[str, Any]) -> dict[str, Any]:
    """A schema_version 1 file as broadsheet wrote it before snapshot history."""
    old = {name: value for name, value in record.items()
           if name not in ("version", "versions", "snapshots")}
    return {**old, "schema_version": 1}


def test_schema_version_1_files_are_upgraded_on_read_and_written_as_version_2(
        tmp_path: Path) -> None:
    root = tmp_path / "archive"
    with Archive(root) as arch:
        first = store(arch)
        record = read_valid(first)
    first.path.write_text(json.dumps(v1_record(record), indent=2), encoding="utf-8")
    with Archive(root, reset_index=True) as arch:
        assert arch.rebuild_index() == 1
        assert arch.load(first.id) == record  # the same history a version 2 store gives
        assert [r["id"] for r in arch.iter_records()] == [first.id]
        assert store(arch, make_record(views=400), fetched_at=LATER).outcome == "unchanged"
        upgraded = read_valid(first)
    assert upgraded["schema_version"] == 2 and upgraded["views"] == 400
    assert [s["views"] for s in upgraded["snapshots"]] == [337, 400]


def test_a_broken_schema_1_file_is_reported_by_field(arch: Archive) -> None:
    first = store(arch)
    broken = {**v1_record(read_valid(first)), "fetched_at": "yesterday"}
    first.path.write_text(json.dumps(broken), encoding="utf-8")
    with pytest.raises(ArchiveError, match=r"not a valid article record \(field 'fetched_at'"):
        arch.load(first.id)


def test_a_hand_edited_snapshot_is_reported_by_field(arch: Archive) -> None:
    first = store(arch)
    record = read_valid(first)
    record["snapshots"][0]["views"] = -1
    first.path.write_text(json.dumps(record), encoding="utf-8")
    with pytest.raises(ArchiveError, match=r"field 'snapshots\[0\]\.views'"):
        arch.load(first.id)


def test_rebuild_index_ignores_version_files(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    with Archive(root) as arch:
        first = store(arch)
        other = store(arch, make_record(url="https://news.example.com/b", body="Other. " * 20))
        store(arch, make_record(body=EDITED), fetched_at=LATER)
        store(arch, make_record(body=EDITED + " More."), fetched_at=DAY2)
    assert len(files(root, "versions")) == 2
    for name in ("index.sqlite", "index.sqlite-wal", "index.sqlite-shm"):
        (root / name).unlink(missing_ok=True)
    with Archive(root, reset_index=True) as arch:
        assert arch.rebuild_index() == 2 and arch.count() == 2
        assert sorted(r["id"] for r in arch.iter_records()) == sorted([first.id, other.id])
        assert arch.load_version(first.id, 1)["body"] == BODY
        assert arch.load_version(first.id, 2)["body"] == EDITED
        assert store(arch, make_record(body=BODY), fetched_at=DAY3).outcome == "updated"
        assert arch.load(first.id)["version"] == 4  # back to the first text: still a new version


def test_a_missing_version_file_is_reported(arch: Archive) -> None:
    first = store(arch)
    store(arch, make_record(body=EDITED), fetched_at=LATER)
    (arch.root / arch.versions(first.id)[0]["path"]).unlink()
    with pytest.raises(ArchiveError, match=r"1\.json is listed as a version of article "
                                           f"{first.id} but missing on disk"):
        arch.load_version(first.id, 1)


def test_a_crash_between_the_version_file_and_the_article_loses_nothing(
        arch: Archive, monkeypatch: pytest.MonkeyPatch) -> None:
    first = store(arch)
    before = first.path.read_bytes()
    real_replace = os.replace

    def replace_all_but_the_article(src: Any, dst: Any) -> None:
        if Path(dst) == first.path:
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", replace_all_but_the_article)
        with pytest.raises(ArchiveError, match="disk full"):
            store(arch, make_record(body=EDITED), fetched_at=LATER)
    assert first.path.read_bytes() == before
    assert store(arch, make_record(body=EDITED), fetched_at=DAY2).outcome == "updated"
    assert arch.load_version(first.id, 1)["snapshots"] == json.loads(before)["snapshots"]
    assert [s["fetched_at"] for s in arch.load(first.id)["snapshots"]] == [WHEN, DAY2]


def test_snapshot_history_survives_many_revisits_in_fetch_order(arch: Archive) -> None:
    first = store(arch)
    times = [f"2024-06-{day:02d}T{hour:02d}:00:00Z" for day in range(1, 11) for hour in (0, 12)]
    for number, when in enumerate(times):
        if number % 3:
            store(arch, make_record(views=1000 + number), fetched_at=when)
        else:
            arch.record_not_modified(STORY_URL, when)
    record = read_valid(first)
    assert [s["fetched_at"] for s in record["snapshots"]] == [WHEN, *times]
    assert [s["http_status"] for s in record["snapshots"][1:]] == [
        304 if number % 3 == 0 else 200 for number in range(len(times))]
    assert record["version"] == 1 and record["views"] == 1000 + len(times) - 1
    assert arch.store(make_record(), url_keys=[STORY_URL], fetched_url=STORY_URL,
                      fetched_at=DAY4).outcome == "unchanged"


def test_schema_history_definitions_match_the_code() -> None:
    schema = load_schema()
    snapshot, previous = schema["$defs"]["snapshot"], schema["$defs"]["previous_version"]
    assert snapshot["required"] == list(SNAPSHOT_FIELDS)
    assert list(snapshot["properties"]) == [*SNAPSHOT_FIELDS, *SNAPSHOT_OPTIONAL_FIELDS]
    assert previous["required"] == list(previous["properties"]) == list(VERSION_FIELDS)
    assert previous["properties"]["changed"]["items"]["enum"] == list(CONTENT_FIELDS)
    assert set(CONTENT_FIELDS) | set(VOLATILE_FIELDS) == set(EXTRACTOR_FIELDS)
    assert not set(CONTENT_FIELDS) & set(VOLATILE_FIELDS)
