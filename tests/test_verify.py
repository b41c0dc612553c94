"""``broadsheet verify`` finds deliberately broken files and index rows without changing
anything; ``broadsheet reindex`` repairs what the index got wrong."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from archive import Archive
from scraper.cli.main import main
from tests.test_export import article, build_archive


def tree(root: Path) -> dict[str, tuple[bytes, int]]:
    return {path.relative_to(root).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
            for path in sorted(root.rglob("*")) if path.is_file()}


def verify(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    capsys.readouterr()
    code = main(["verify", "--archive", str(root), "--json"])
    return code, json.loads(capsys.readouterr().out)


def index_sql(root: Path, sql: str, *params: str) -> None:
    with closing(sqlite3.connect(root / "index.sqlite")) as db, db:
        db.execute(sql, params)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    path = tmp_path / "archive"
    build_archive(path)
    return path


def test_a_sound_archive_passes_and_code_beside_it_is_ignored(
        root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (root / "__init__.py").write_text("x = 1\n", encoding="utf-8")
    (root / "__pycache__").mkdir()
    (root / "__pycache__" / "store.cpython-311.pyc").write_bytes(b"\0junk")
    (root / "notes.tmp").write_text("not ours", encoding="utf-8")
    code, report = verify(root, capsys)
    assert code == 0 and report["ok"] and report["problems"] == []
    assert report["record_files"] == report["index_articles"] == 7
    assert report["raw_pages_checked"] == 7
    assert main(["verify", "--archive", str(root)]) == 0
    assert capsys.readouterr().out.endswith(": no problems\n")


def test_verify_finds_each_deliberate_corruption_and_changes_nothing(
        root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = sorted((root / "articles").rglob("*.json"))
    truncated, raw_owner, moved = files[0], files[1], files[2]
    truncated.write_bytes(truncated.read_bytes()[:120])
    raw = json.loads(raw_owner.read_text(encoding="utf-8"))["raw"]
    (root / raw).unlink()
    stray = raw_owner.parent / f".{raw_owner.name}.0123abcd.tmp"
    stray.write_bytes(b"{")
    moved_id = moved.stem
    index_sql(root, "UPDATE articles SET path = 'articles/elsewhere/x.json' WHERE id = ?", moved_id)
    index_sql(root, "INSERT INTO url_keys VALUES ('https://gone.example/x', '0000000000000000')")
    before = tree(root)

    code, report = verify(root, capsys)
    assert code == 1 and not report["ok"]
    where = {(problem["kind"], problem["where"]) for problem in report["problems"]}
    relative = {path: path.relative_to(root).as_posix() for path in (truncated, moved, stray)}
    assert ("corrupt_record", relative[truncated]) in where
    assert ("missing_raw", raw) in where
    assert ("stray_temp", relative[stray]) in where
    assert ("index_path", relative[moved]) in where
    assert ("url_key_orphan", "https://gone.example/x") in where
    assert set(report["problems_by_kind"]) == {"corrupt_record", "missing_raw", "stray_temp",
                                               "index_path", "url_key_orphan"}
    repairs = report["repairs"]
    assert repairs[-1].startswith("run broadsheet reindex")
    assert any(relative[truncated] in repair and "delete it" in repair for repair in repairs)
    assert any(raw in repair for repair in repairs)
    assert any("stray .tmp" in repair for repair in repairs)
    assert tree(root) == before  # read-only

    assert main(["verify", "--archive", str(root)]) == 1
    text = capsys.readouterr().out
    assert "would repair (verify changes nothing):" in text
    assert f"corrupt_record: {relative[truncated]}: not valid JSON" in text


def test_schema_violations_and_misnamed_files_are_found(
        root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = sorted((root / "articles").rglob("*.json"))
    record = json.loads(files[0].read_text(encoding="utf-8"))
    files[0].write_text(json.dumps({**record, "views": -3}), encoding="utf-8")
    renamed = files[1].with_name("00000000000000aa.json")
    files[1].rename(renamed)
    code, report = verify(root, capsys)
    assert code == 1
    kinds = {problem["kind"]: problem for problem in report["problems"]}
    assert "field 'views'" in kinds["invalid_record"]["detail"]
    assert kinds["misnamed_record"]["where"] == renamed.relative_to(root).as_posix()
    assert kinds["index_orphan"]["where"] == files[1].relative_to(root).as_posix()


def test_a_raw_page_whose_bytes_do_not_match_its_name_is_found(
        root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    record = json.loads(next((root / "articles").rglob("*.json")).read_text(encoding="utf-8"))
    (root / record["raw"]).write_bytes(b"not gzip at all")
    code, report = verify(root, capsys)
    assert code == 1 and report["problems_by_kind"] == {"corrupt_raw": 1}
    assert "not readable gzip" in report["problems"][0]["detail"]
    capsys.readouterr()
    assert main(["verify", "--archive", str(root), "--quick"]) == 0


def test_a_url_in_two_files_is_reported_as_contested(
        root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = sorted((root / "articles").rglob("*.json"))
    first = json.loads(files[0].read_text(encoding="utf-8"))
    second = json.loads(files[1].read_text(encoding="utf-8"))
    files[1].write_text(json.dumps({**second, "aliases": [first["url"]]}), encoding="utf-8")
    code, report = verify(root, capsys)
    assert code == 1
    assert report["problems_by_kind"] == {"url_key_contested": 1}
    assert report["problems"][0]["where"] == first["url"]


def test_a_missing_previous_version_is_found(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "archive"
    url = "https://news.example.com/story"
    with Archive(root) as archive:
        archive.store(article(url, 1), url_keys=[url], fetched_url=url,
                      fetched_at="2024-06-01T08:00:00Z")
        edited = {**article(url, 1), "body": "An edited body, long enough to count. " * 3}
        archive.store(edited, url_keys=[url], fetched_url=url, fetched_at="2024-06-02T08:00:00Z")
    code, report = verify(root, capsys)
    assert code == 0 and report["version_files_checked"] == 1
    current = json.loads(next((root / "articles").rglob("*.json")).read_text(encoding="utf-8"))
    previous = current["versions"][0]["path"]
    (root / previous).unlink()
    code, report = verify(root, capsys)
    assert code == 1 and report["problems_by_kind"] == {"missing_version": 1}
    assert report["problems"][0]["where"] == previous


def test_reindex_repairs_a_missing_or_corrupt_index(root: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    index = root / "index.sqlite"
    index.unlink()
    code, report = verify(root, capsys)
    assert code == 1 and report["problems_by_kind"] == {"index_missing": 1}
    assert main(["reindex", "--archive", str(root)]) == 0
    assert capsys.readouterr().out == f"reindexed 7 articles in {root}\n"
    assert verify(root, capsys)[0] == 0

    for suffix in ("-wal", "-shm"):
        Path(f"{index}{suffix}").unlink(missing_ok=True)
    index.write_bytes(b"this is not a database" * 200)
    code, report = verify(root, capsys)
    assert code == 1 and report["problems_by_kind"] == {"index_unreadable": 1}
    assert main(["reindex", "--archive", str(root), "--json"]) == 0
    captured = capsys.readouterr()
    result = json.loads(captured.out)
    assert result["articles"] == 7 and "corrupt" in result["replaced_because"]
    assert (root / "index.sqlite.old").exists()
    assert verify(root, capsys)[0] == 0
