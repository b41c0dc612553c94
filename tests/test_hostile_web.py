"""A hostile web cannot poison or exhaust a crawl (issue 13): cross-site canonicals and
redirects never file content under a host that did not serve it, discovery is bounded, and
absurd counters are null.  Every test crawls real servers on 127.0.0.1; two sites are
``127.0.0.1`` and ``localhost`` (one server each), since a port alone does not make a site."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from archive import Archive
from scraper.cli import main
from scraper.extract.record import Article
from tests import misbehaving_server
from tests.misbehaving_server import HUGE_COUNT, MisbehavingServer, story_title

site = misbehaving_server.site
other_site = misbehaving_server.other_site

CONFIG = """\
crawl: {follow_links: false, use_sitemaps: false, use_feeds: false, same_site: false}
politeness: {delay: 0}
fetch: {retries: 0}
"""


def crawl(tmp_path: Path, capsys: pytest.CaptureFixture[str], *seeds: str,
          config: str = CONFIG, options: tuple[str, ...] = ()) -> dict[str, Any]:
    path = tmp_path / "config.yaml"
    path.write_text(config, encoding="utf-8")
    capsys.readouterr()
    main(["crawl", *seeds, "--archive", str(tmp_path / "a"), "--config", str(path), "--quiet",
          "--json", *options])
    summary: dict[str, Any] = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    return summary


def records(tmp_path: Path) -> list[dict[str, Any]]:
    return [json.loads(path.read_text(encoding="utf-8"))
            for path in sorted((tmp_path / "a" / "articles").rglob("*.json"))]


def on_localhost(server: MisbehavingServer, path: str) -> str:
    """``path`` on ``server`` under the host name ``localhost``: another site than 127.0.0.1."""
    return f"http://localhost:{server.port}{path}"


def export(tmp_path: Path, capsys: pytest.CaptureFixture[str], *options: str) -> list[str]:
    capsys.readouterr()
    assert main(["export", "--archive", str(tmp_path / "a"), *options]) == 0
    return [json.loads(line)["url"] for line in capsys.readouterr().out.splitlines()]


# -- item 10: counters outside a sane range ------------------------------------------------------

def test_thirty_digit_counters_from_every_source_are_null_and_parquet_exports(
        site: MisbehavingServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    summary = crawl(tmp_path, capsys, site.url("/counters/a"))
    assert summary["stored"] == 1, summary
    (record,) = records(tmp_path)
    assert record["views"] is None and record["comment_count"] is None
    assert record["snapshots"][0]["views"] is None
    out = tmp_path / "out.parquet"
    assert main(["export", "--archive", str(tmp_path / "a"), "--format", "parquet",
                 "-o", str(out)]) == 0
    assert pd.read_parquet(out)["comment_count"].isna().all()


def test_a_stored_counter_over_10_to_12_reads_as_null_in_every_export(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A file that holds a 30-digit counter (written by an older broadsheet, or by hand) and a
    library caller storing one: both read as null, so Parquet and pandas load the export."""
    root = tmp_path / "a"
    body = "The harbour reopened on Monday after repairs that took two years. " * 3
    with Archive(root) as archive:
        stored = archive.store(Article(url="https://news.example.com/b", title="B", body=body,
                                       views=int(HUGE_COUNT), comment_count=7).to_dict(),
                               url_keys=["https://news.example.com/b"],
                               fetched_url="https://news.example.com/b",
                               fetched_at="2024-06-01T08:00:00Z")
        first = archive.store(Article(url="https://news.example.com/a", title="A",
                                      body="Another story, about the library hours. " * 3,
                                      views=5, comment_count=7).to_dict(),
                              url_keys=["https://news.example.com/a"],
                              fetched_url="https://news.example.com/a",
                              fetched_at="2024-06-01T08:00:00Z")
    assert json.loads(stored.path.read_text(encoding="utf-8"))["views"] is None
    old = json.loads(first.path.read_text(encoding="utf-8"))
    old["comment_count"] = old["snapshots"][0]["comment_count"] = int(HUGE_COUNT)
    first.path.write_text(json.dumps(old), encoding="utf-8")
    out = tmp_path / "out.parquet"
    assert main(["export", "--archive", str(root), "--format", "parquet", "-o", str(out)]) == 0
    assert sorted(pd.read_parquet(out)["views"].fillna(-1)) == [-1, 5]
    jsonl = tmp_path / "out.jsonl"
    assert main(["export", "--archive", str(root), "-o", str(jsonl)]) == 0
    frame = pd.read_json(jsonl, lines=True)
    assert frame["comment_count"].isna().sum() == 1
    assert main(["verify", "--archive", str(root), "--quick"]) == 0
