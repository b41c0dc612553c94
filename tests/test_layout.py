"""The sharded article layout, compatibility with archives written before sharding, stray temp files."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from archive import Archive, ArchiveError
from archive.dedup import id_for_url
from archive.layout import Layout, write_staged

WHEN = "2024-05-06T08:30:00Z"
LATER = "2024-05-07T08:30:00Z"


def record(url: str, body: str) -> dict[str, Any]:
    return {"url": url, "title": "A title", "authors": ["Ann Lee"], "published": "2024-05-06",
            "modified": None, "views": 10, "comment_count": 0, "comments": [], "body": body,
            "language": "en", "site_name": "Example", "description": None, "tags": [],
            "image": None}


def body(n: int) -> str:
    return f"Story number {n}: the council met on Monday and voted on the harbour budget again."


def store(archive: Archive, url: str, text: str, when: str = WHEN) -> Any:
    return archive.store(record(url, text), url_keys=[url], fetched_url=url, fetched_at=when)


def article_files(root: Path) -> list[str]:
    return sorted(path.relative_to(root).as_posix() for path in (root / "articles").rglob("*.json"))


def test_new_article_goes_to_its_shard_directory(tmp_path: Path) -> None:
    url = "https://news.example.com/2024/05/one"
    article_id = id_for_url(url)
    with Archive(tmp_path) as archive:
        result = store(archive, url, body(1))
    expected = f"articles/news.example.com/{article_id[:2]}/{article_id}.json"
    assert result.path == tmp_path / expected
    assert article_files(tmp_path) == [expected]
    assert Layout(tmp_path).article_relpath(url, article_id) == expected
    assert Layout(tmp_path).legacy_article_relpath(url, article_id) == \
        f"articles/news.example.com/{article_id}.json"


def test_shards_spread_one_site_over_many_directories(tmp_path: Path) -> None:
    layout = Layout(tmp_path)
    urls = [f"https://news.example.com/story/{n}" for n in range(2000)]
    shards = {layout.article_relpath(url, id_for_url(url)).split("/")[2] for url in urls}
    assert len(shards) > 200  # 2000 ids over 256 hex pairs leave very few empty
    assert all(len(shard) == 2 and int(shard, 16) < 256 for shard in shards)


def make_legacy_archive(root: Path, urls: list[str]) -> list[Path]:
    """An archive as broadsheet wrote it before sharding: files at articles/<site>/<id>.json."""
    with Archive(root) as archive:
        stored = [store(archive, url, body(n)) for n, url in enumerate(urls)]
    legacy = []
    for result in stored:
        target = result.path.parent.parent / result.path.name
        os.replace(result.path, target)
        result.path.parent.rmdir()
        legacy.append(target)
    for name in ("index.sqlite", "index.sqlite-wal", "index.sqlite-shm"):
        (root / name).unlink(missing_ok=True)
    return legacy


def test_legacy_archive_reindexes_and_is_found(tmp_path: Path) -> None:
    urls = ["https://news.example.com/a", "https://other.example.org/b"]
    legacy = make_legacy_archive(tmp_path, urls)
    with pytest.raises(ArchiveError, match="reindex"):
        Archive(tmp_path)
    with Archive(tmp_path, reset_index=True) as archive:
        assert archive.rebuild_index() == 2
        assert [archive.owner(url) for url in urls] == [id_for_url(url) for url in urls]
        assert archive.load(id_for_url(urls[0]))["url"] == urls[0]
    assert sorted(Layout(tmp_path).iter_article_files()) == sorted(legacy)


def test_legacy_article_stored_again_keeps_its_path_and_new_ones_are_sharded(tmp_path: Path) -> None:
    old_url, new_url = "https://news.example.com/a", "https://news.example.com/b"
    (legacy,) = make_legacy_archive(tmp_path, [old_url])
    with Archive(tmp_path, reset_index=True) as archive:
        archive.rebuild_index()
        updated = store(archive, old_url, body(1) + " Updated.", when=LATER)
        unchanged = store(archive, old_url, body(1) + " Updated.", when=LATER)
        fresh = store(archive, new_url, body(2))
    assert (updated.outcome, updated.path) == ("updated", legacy)
    assert (unchanged.outcome, unchanged.path) == ("unchanged", legacy)
    assert json.loads(legacy.read_text(encoding="utf-8"))["body"].endswith("Updated.")
    new_id = id_for_url(new_url)
    assert fresh.path == tmp_path / "articles" / "news.example.com" / new_id[:2] / f"{new_id}.json"
    assert article_files(tmp_path) == sorted([legacy.relative_to(tmp_path).as_posix(),
                                            fresh.path.relative_to(tmp_path).as_posix()])
    with Archive(tmp_path, reset_index=True) as archive:  # both depths are read back
        assert archive.rebuild_index() == 2
        assert (archive.owner(old_url), archive.owner(new_url)) == (id_for_url(old_url), new_id)


def test_iter_article_files_reads_both_depths_and_skips_everything_else(tmp_path: Path) -> None:
    layout = Layout(tmp_path)
    layout.prepare()
    site = layout.articles_dir / "news.example.com"
    wanted = [site / "0123456789abcdef.json", site / "ab" / "ab23456789abcdef.json"]
    ignored = [site / ".0123456789abcdef.json.0a1b2c3d.tmp", site / "ab" / ".hidden.json",
               site / "notes" / "0123456789abcdee.json", site / "abc" / "abc3456789abcdef.json",
               site / ".cd" / "cd23456789abcdef.json", site / "ab" / "readme.txt"]
    for path in wanted + ignored:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("{}", encoding="utf-8")
    (site / "cd" / "ef.json").mkdir(parents=True)  # a directory is not a record file
    assert sorted(layout.iter_article_files()) == sorted(wanted)


def test_iter_article_files_of_an_empty_archive_is_empty(tmp_path: Path) -> None:
    layout = Layout(tmp_path)
    layout.prepare()
    assert list(layout.iter_article_files()) == []


def test_stray_temp_files_lists_what_a_killed_writer_left_and_touches_nothing(tmp_path: Path) -> None:
    url = "https://news.example.com/a"
    with Archive(tmp_path) as archive:
        stored = store(archive, url, body(1))
    layout = Layout(tmp_path)
    assert list(layout.stray_temp_files()) == []
    staged = [write_staged(stored.path, b"half a record"),  # killed before its rename
              write_staged(tmp_path / "raw" / "ab" / ("ab" * 32 + ".html.gz"), b"gzip"),
              write_staged(tmp_path / "versions" / "news.example.com" / "1.json", b"old"),
              tmp_path / ".write-probe.0a1b2c3d.tmp"]
    staged[-1].write_bytes(b"")
    not_listed = [tmp_path / "notes.tmp", tmp_path / "articles" / ".x.json.NOTHEX00.tmp",
                  tmp_path / "elsewhere" / ".shared.json.0a1b2c3d.tmp"]  # not the archive's
    for path in not_listed:
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(b"")
    before = {path: path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()}
    assert sorted(layout.stray_temp_files()) == sorted(staged)
    assert {path: path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()} == before


def test_stray_temp_files_reports_an_unreadable_directory(tmp_path: Path) -> None:
    layout = Layout(tmp_path / "missing")
    with pytest.raises(ArchiveError, match="cannot list"):
        list(layout.stray_temp_files())
