"""Issue 10, "data analysts load without cleaning": UTC timestamps in every record, typed
Parquet, the flat comments and snapshots tables, and the README's views-over-time query, on an
archive made by a real crawl of the demo site (127.0.0.1) and two snapshot runs (304s)."""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import polars as pl
import pyarrow.parquet as pq
import pytest

from scraper.cli.main import main
from scraper.demo import DemoServer
from tests.demo_settings import FAST_CONFIG

CONFIG = FAST_CONFIG + "crawl:\n  extract_workers: 0\n"
README = Path(__file__).resolve().parent.parent / "README.md"


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def records(root: Path) -> list[dict[str, Any]]:
    return [json.loads(path.read_text(encoding="utf-8"))
            for path in sorted((root / "articles").rglob("*.json"))]


def later(days: int) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%S")


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    with DemoServer() as running:
        yield running


@pytest.fixture(scope="module")
def root(server: DemoServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo site crawled, then re-visited twice (each re-visit a 304)."""
    config = tmp_path_factory.mktemp("config") / "config.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    path = tmp_path_factory.mktemp("analyst") / "archive"
    common = ("--archive", str(path), "--config", str(config), "--quiet")
    code, out, _ = run("crawl", server.base_url + "/", *common, "--json")
    assert code == 0, out
    for days in (8, 40):
        code, out, _ = run("snapshot", *common, "--json", "--now", later(days))
        assert code == 0, out
    return path


def comment_total(comments: list[dict[str, Any]]) -> int:
    return sum(1 + comment_total(comment["replies"]) for comment in comments)


def export(root: Path, out: Path, *options: str) -> str:
    code, _stdout, err = run("export", "--archive", str(root), "-o", str(out), *options)
    assert code == 0, err
    return err


def test_records_carry_utc_timestamps_beside_the_dates_as_shown(root: Path) -> None:
    stored = records(root)
    zoned = [record for record in stored if re.search(r"T.*(Z|[+-]\d\d:\d\d)$",
                                                      record["published"] or "")]
    assert zoned and len(zoned) < len(stored)  # the demo has zoned and unzoned dates
    for record in stored:
        published = record["published"]
        if record in zoned:
            expected = datetime.fromisoformat(published).astimezone(UTC)
            assert record["published_utc"] == expected.strftime("%Y-%m-%dT%H:%M:%SZ")
        else:
            assert record["published_utc"] is None, published
        assert "modified_utc" in record
    assert pd.to_datetime(pd.Series([r["published_utc"] for r in stored]), utc=True).notna().sum() \
        == len(zoned)


def test_pandas_reads_parquet_timestamps(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "articles.parquet"
    err = export(root, out, "--format", "parquet")
    count = len(records(root))
    assert f"exported {count} records as parquet" in err
    frame = pd.read_parquet(out)
    for column in ("published_utc", "modified_utc", "fetched_at"):
        assert isinstance(frame[column].dtype, pd.DatetimeTZDtype), column
        assert str(frame[column].dt.tz) == "UTC"
    assert frame["published_utc"].notna().any()
    snapshots = frame["snapshots"].iloc[0]
    assert len(snapshots) == 3 and [s["http_status"] for s in snapshots] == [200, 304, 304]
    assert isinstance(snapshots[0]["fetched_at"], datetime | pd.Timestamp)


def test_polars_reads_parquet_timestamps_and_nested_comments(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "articles.parquet"
    err = export(root, out, "--format", "parquet")
    assert "records as parquet" in err
    frame = pl.read_parquet(out)
    for column in ("published_utc", "fetched_at"):
        assert frame.schema[column] == pl.Datetime("us", "UTC"), column
    comments = frame.schema["comments"]
    assert isinstance(comments, pl.List)
    assert [field.name for field in comments.inner.fields] == [  # type: ignore[union-attr]
        "author", "published", "text", "replies"]
    stored = {record["id"]: record for record in records(root)}
    for article_id, thread in frame.select("id", "comments").iter_rows():
        expected = stored[article_id]["comments"]
        assert [c["text"] for c in thread] == [c["text"] for c in expected]
        assert [json.loads(c["replies"]) for c in thread] == [c["replies"] for c in expected]


def test_duckdb_reads_parquet_timestamps(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "articles.parquet"
    export(root, out, "--format", "parquet")
    with duckdb.connect() as db:
        types = dict(db.execute("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM "
                                "read_parquet(?))", [str(out)]).fetchall())
        assert types["published_utc"] == types["fetched_at"] == "TIMESTAMP WITH TIME ZONE"
        (views_rows,) = db.execute(
            "SELECT count(*) FROM (SELECT unnest(snapshots) AS s FROM read_parquet(?)) "
            "WHERE s.http_status = 304", [str(out)]).fetchone()
    assert views_rows == 2 * len(records(root))


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_comments_table_has_one_row_per_comment_replies_included(
        root: Path, tmp_path: Path, fmt: str) -> None:
    stored = records(root)
    total = sum(comment_total(record["comments"]) for record in stored)
    assert total > sum(len(record["comments"]) for record in stored)  # replies exist
    out = tmp_path / f"comments.{fmt}"
    err = export(root, out, "--table", "comments", "--format", fmt)
    assert f"exported {total} comments as {fmt}" in err
    with duckdb.connect() as db:
        reader = {"jsonl": "read_json_auto", "csv": "read_csv_auto", "parquet": "read_parquet"}
        rows = db.execute(f"SELECT article_id, comment_index, parent_index, depth, text "
                          f"FROM {reader[fmt]}(?)", [str(out)]).fetchall()
    assert len(rows) == total
    by_id = {record["id"]: record for record in stored}
    replies = [row for row in rows if row[3] == 1]
    assert replies
    for article_id, _index, parent, depth, text in replies:
        parents = [r for r in rows if r[0] == article_id and r[1] == parent]
        assert len(parents) == 1 and parents[0][3] == depth - 1
        first_level = next(c for c in by_id[article_id]["comments"]
                       if c["text"] == parents[0][4])["replies"]
        assert text in [reply["text"] for reply in first_level]


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_snapshots_table_has_one_row_per_fetch(root: Path, tmp_path: Path, fmt: str) -> None:
    stored = records(root)
    total = sum(len(record["snapshots"]) for record in stored)
    assert total == 3 * len(stored)
    out = tmp_path / f"snapshots.{fmt}"
    err = export(root, out, "--table", "snapshots", "--format", fmt)
    assert f"exported {total} snapshots as {fmt}" in err
    with duckdb.connect() as db:
        reader = {"jsonl": "read_json_auto", "csv": "read_csv_auto", "parquet": "read_parquet"}
        rows = db.execute(f"SELECT article_id, http_status, views, version FROM {reader[fmt]}(?)",
                          [str(out)]).fetchall()
    assert len(rows) == total
    assert sorted({row[1] for row in rows}) == [200, 304]
    assert all(row[2] is None for row in rows if row[1] == 304)
    if fmt == "parquet":
        assert pq.read_schema(out).field("fetched_at").type.tz == "UTC"


def readme_views_query() -> str:
    """The SQL statement of README's "views over time" query."""
    text = README.read_text(encoding="utf-8")
    block = next(block for block in re.findall(r"```sql\n(.*?)```", text, re.S)
                 if "views over time" in block)
    statement = next(part for part in block.split(";") if "views over time" in part)
    return "\n".join(line.split("--")[0] for line in statement.splitlines())


def test_readme_views_over_time_query_skips_304_snapshots(root: Path) -> None:
    query = readme_views_query().replace("'data/", f"'{root.as_posix()}/")
    stored = records(root)
    full = [(record["id"], snapshot["views"]) for record in stored
            for snapshot in record["snapshots"] if snapshot["http_status"] != 304]
    with duckdb.connect() as db:
        rows = db.execute(query).fetchall()
    assert len(rows) == len(full) == len(stored)  # one 200 and two 304s each
    assert sorted((row[0], row[2]) for row in rows) == sorted(full, key=lambda r: (r[0], r[1] or 0))
    assert any(row[2] is not None for row in rows)


def test_old_records_without_utc_fields_load_and_reextract_fills_them(
        root: Path, tmp_path: Path) -> None:
    copy = tmp_path / "old"
    shutil.copytree(root, copy)
    path = next(p for p in sorted((copy / "articles").rglob("*.json"))
                if json.loads(p.read_text(encoding="utf-8"))["published_utc"])
    record = json.loads(path.read_text(encoding="utf-8"))
    expected = record["published_utc"]
    for name in ("published_utc", "modified_utc"):
        del record[name]
    path.write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")
    out = tmp_path / "old.parquet"
    err = export(copy, out, "--format", "parquet")
    assert "records as parquet" in err
    frame = pd.read_parquet(out).set_index("id")
    assert pd.isna(frame.at[record["id"], "published_utc"])
    code, stdout, _ = run("reextract", "--archive", str(copy), "--quiet")
    assert code == 0 and "0 failed" in stdout
    assert json.loads(path.read_text(encoding="utf-8"))["published_utc"] == expected
