"""``broadsheet export``: JSON lines, CSV and Parquet that pandas and DuckDB load with the row
count ``broadsheet stats`` reports; filters; streaming; the archive's own files load directly."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest

from archive import Archive
from archive.export import write_csv, write_jsonl
from scraper.cli.main import main
from scraper.extract.record import Article, Comment

WHEN = "2024-06-01T08:00:00Z"


def article(url: str, n: int, *, published: str | None = "2024-05-06T07:00:00+07:00",
            views: int | None = 100) -> dict[str, Any]:
    """An extractor record (as the crawler builds it) with a body unique to ``n``."""
    return Article(
        url=url, title=f"Story {n}: the harbour, «reopened»", authors=("Mai Nguyễn", "Ana Ruiz"),
        published=published, views=views, comment_count=1,
        comments=(Comment(text="Good, news", author="Lan", published="2024-05-06",
                          replies=(Comment(text='He said "agreed"\nand left'),)),),
        body=f"Story number {n}. " + "The harbour reopened on Monday after repairs. " * 4,
        language="en", site_name="Example News", tags=("harbour", "council"),
    ).to_dict()


def build_archive(root: Path) -> int:
    """An archive of 7 articles on 3 sites over 3 months (one dated by its fetch time), one
    found under 3 URLs and one exact duplicate folded into it; returns the article count."""
    stories = [("https://www.news.example.com/a", "2024-05-06T07:00:00+07:00"),
               ("https://www.news.example.com/b", "2024-05-31"),
               ("https://news.example.com/c", "2024-06-02T10:00:00Z"),
               ("https://other.example.org/d", "2024-06-15"),
               ("https://other.example.org/e", None),
               ("https://third.example.net/f", "2023-12-24"),
               ("https://third.example.net/g", "2024-06-01")]
    with Archive(root) as archive:
        for n, (url, published) in enumerate(stories):
            archive.store(article(url, n, published=published), url_keys=[url], fetched_url=url,
                          fetched_at=WHEN, raw=f"<html>{n}</html>".encode())
        first = stories[0][0]
        archive.store(article(first, 0, published=stories[0][1]),
                      url_keys=[first, first + "?utm_source=rss", first + "/amp"],
                      fetched_url=first + "/amp", fetched_at=WHEN)
        copy = "https://mirror.example.com/a-copy"
        outcome = archive.store(article(copy, 0, published=stories[0][1]), url_keys=[copy],
                                fetched_url=copy, fetched_at=WHEN).outcome
        assert outcome == "duplicate"
    return len(stories)


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export") / "archive"
    build_archive(path)
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["-q", *args])  # -q: no "config:" line, so stderr holds what a test looks for
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def stats_total(capsys: pytest.CaptureFixture[str], root: Path, *options: str) -> int:
    code, out, _ = run(capsys, "stats", "--archive", str(root), "--json", *options)
    assert code == 0
    total: int = json.loads(out)["articles"]
    return total


def test_export_outputs_load_in_pandas_and_duckdb_with_the_stats_row_count(
        root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    total = stats_total(capsys, root)
    assert total == 7
    files = {fmt: tmp_path / f"out.{fmt}" for fmt in ("jsonl", "csv", "parquet")}
    for fmt, path in files.items():
        code, _, err = run(capsys, "export", "--archive", str(root), "--format", fmt,
                           "-o", str(path))
        assert code == 0
        assert f"exported {total} records" in err
    frames = {"jsonl": pd.read_json(files["jsonl"], lines=True),
              "csv": pd.read_csv(files["csv"]),
              "parquet": pd.read_parquet(files["parquet"])}
    for frame in frames.values():
        assert len(frame) == total
        assert sorted(frame["id"]) == sorted(frames["jsonl"]["id"])
    readers = {"jsonl": "read_json_auto", "csv": "read_csv_auto", "parquet": "read_parquet"}
    with duckdb.connect() as db:
        for fmt, reader in readers.items():
            (rows,) = db.execute(f"SELECT count(*) FROM {reader}(?)", [str(files[fmt])]).fetchone()
            assert rows == total, fmt
        (sites,) = db.execute("SELECT count(DISTINCT url) FROM read_parquet(?)",
                              [str(files["parquet"])]).fetchone()
        assert sites == total


def test_every_format_keeps_the_values(root: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    stored = {record["id"]: record for record in (
        json.loads(path.read_text(encoding="utf-8"))
        for path in (root / "articles").rglob("*.json"))}
    paths = {fmt: tmp_path / f"all.{fmt}" for fmt in ("jsonl", "csv", "parquet")}
    for fmt, path in paths.items():
        assert run(capsys, "export", "--archive", str(root), "--format", fmt, "-o", str(path))[0] == 0
    lines = [json.loads(line) for line in paths["jsonl"].read_text(encoding="utf-8").splitlines()]
    assert {record["id"]: record for record in lines} == stored
    with paths["csv"].open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    parquet = pd.read_parquet(paths["parquet"]).set_index("id")
    for row in rows:
        record = stored[row["id"]]
        assert json.loads(row["authors"]) == record["authors"] == list(parquet.at[row["id"], "authors"])
        assert json.loads(row["comments"]) == record["comments"]
        assert [{**dict(comment), "replies": json.loads(comment["replies"])}
                for comment in parquet.at[row["id"], "comments"]] == record["comments"]
        assert json.loads(row["aliases"]) == record["aliases"]
        assert row["title"] == record["title"] and row["body"] == record["body"]
        assert row["published"] == (record["published"] or "")
        assert int(row["views"]) == record["views"] == parquet.at[row["id"], "views"]
    merged = next(row for row in rows if json.loads(row["aliases"]))
    assert len(json.loads(merged["aliases"])) == 3  # two variants and the mirror's copy


def test_site_and_since_filters_match_stats(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cases = {("--site", "news.example.com"): 3, ("--site", "www.news.example.com"): 3,
             ("--site", "https://OTHER.example.org/x"): 2, ("--since", "2024-06-01"): 4,
             ("--since", "2024-06-01", "--site", "third.example.net"): 1}
    for options, expected in cases.items():
        code, out, _ = run(capsys, "export", "--archive", str(root), *options)
        assert code == 0
        assert len(out.splitlines()) == expected == stats_total(capsys, root, *options), options
    code, out, _ = run(capsys, "export", "--archive", str(root), "--since", "2024-06-14")
    urls = sorted(json.loads(line)["url"] for line in out.splitlines())
    # other.example.org/e has no published date: its fetch time (2024-06-01) dates it
    assert urls == ["https://other.example.org/d"]


def test_csv_goes_to_stdout_by_default(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "export", "--archive", str(root), "--format", "csv")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][:3] == ["id", "url", "title"]
    assert len(rows) == 1 + 7
    assert "to stdout" in err


def counted(records: list[dict[str, Any]], produced: list[int]) -> Iterator[dict[str, Any]]:
    for record in records:
        produced.append(1)
        yield record


class FirstWriteCheck(io.StringIO):
    """Fails when the first row is written only after more than ``allowed`` records were read."""

    def __init__(self, produced: list[int], allowed: int) -> None:
        super().__init__()
        self.produced = produced
        self.allowed = allowed
        self.checked = False

    def write(self, text: str) -> int:
        if not self.checked and len(self.produced) > 0:
            self.checked = True
            assert len(self.produced) <= self.allowed
        return super().write(text)


@pytest.mark.parametrize("writer", [write_jsonl, write_csv])
def test_writers_stream_instead_of_loading_every_record(root: Path, writer: Any) -> None:
    records = [json.loads(path.read_text(encoding="utf-8"))
               for path in (root / "articles").rglob("*.json")]
    produced: list[int] = []
    out = FirstWriteCheck(produced, allowed=1)
    assert writer(counted(records, produced), out) == len(records)
    assert out.checked


def test_parquet_needs_a_file_and_pyarrow(root: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = run(capsys, "export", "--archive", str(root), "--format", "parquet")
    assert code == 2 and out == ""
    assert err.strip() == "broadsheet: error: parquet is binary: give an output file with -o FILE"
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # as if the extra were not installed
    target = tmp_path / "out.parquet"
    code, _, err = run(capsys, "export", "--archive", str(root), "--format", "parquet",
                       "-o", str(target))
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert "pip install -e '.[parquet]'" in err
    assert not target.exists() and list(tmp_path.iterdir()) == []


def test_bad_options_and_paths_are_one_line_errors(root: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "export", "--archive", str(root), "--since", "last week")
    assert code == 2 and err.count("\n") == 1 and "--since must be a date" in err
    code, _, err = run(capsys, "export", "--archive", str(root), "-o",
                       str(tmp_path / "missing-dir" / "out.jsonl"))
    assert code == 2 and err.count("\n") == 1 and "cannot write" in err
    code, _, err = run(capsys, "export", "--archive", str(tmp_path / "nothing-here"))
    assert code == 2 and err.count("\n") == 1 and f"no archive at {tmp_path}/nothing-here" in err
    assert not (tmp_path / "nothing-here").exists()


def test_archive_json_files_load_directly_in_duckdb_and_pandas(
        root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    total = stats_total(capsys, root)
    pattern = str(root / "articles" / "**" / "*.json")
    with duckdb.connect() as db:
        (rows, sites) = db.execute("SELECT count(*), count(DISTINCT url) FROM read_json(?)",
                                   [pattern]).fetchone()
    assert rows == sites == total
    frame = pd.DataFrame([pd.read_json(path, typ="series")
                          for path in sorted((root / "articles").rglob("*.json"))])
    assert len(frame) == total
    assert frame["url"].nunique() == total
