"""Re-extraction of stored raw pages: an improved extractor upgrades an old crawl offline."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from archive import Archive
from scraper.cli.main import main
from scraper.demo.site import DemoSite, default_catalog
from scraper.extract import extract

BASE = "http://news.example"


def demo_page() -> tuple[str, bytes]:
    article = default_catalog().articles[0]
    return BASE + article.path, DemoSite().respond(article.path, BASE).body


def store(archive: Archive, url: str, record: dict[str, Any], raw: bytes | None) -> str:
    return archive.store(record, url_keys=[url], fetched_url=url,
                         fetched_at="2025-01-02T03:04:05Z", raw=raw).id


def test_reextract_makes_a_new_version_from_the_raw_page(tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    url, html = demo_page()
    current = extract(html, url).to_dict()
    old = {**current, "body": current["body"].rsplit("\n\n", 1)[0] + "\n\nShare this story",
           "authors": []}  # what an older, worse extractor had stored
    with Archive(tmp_path) as archive:
        article_id = store(archive, url, old, html)
        assert archive.raw_page(article_id) == html
    assert main(["reextract", "--archive", str(tmp_path), "--json", "--quiet"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (summary["updated"], summary["unchanged"], summary["failed"]) == (1, 0, 0)
    with Archive(tmp_path) as archive:
        record = archive.load(article_id)
        first = archive.load_version(article_id, 1)
    assert record["body"] == current["body"] and record["authors"] == current["authors"]
    assert record["version"] == 2 and record["versions"][0]["changed"] == ["authors", "body"]
    assert first["body"] == old["body"]
    assert len(record["snapshots"]) == 1  # nothing was fetched
    assert main(["reextract", "--archive", str(tmp_path), "--json", "--quiet"]) == 0
    assert json.loads(capsys.readouterr().out)["unchanged"] == 1


def test_articles_without_a_raw_page_or_with_a_lost_one_are_counted(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url, html = demo_page()
    record = extract(html, url).to_dict()
    with Archive(tmp_path) as archive:
        store(archive, url, record, None)
        lost = store(archive, BASE + "/other", {**record, "url": BASE + "/other",
                                                "body": record["body"] + "\n\nMore."}, b"<p>x")
        raw_path = tmp_path / archive.load(lost)["raw"]
    raw_path.unlink()
    assert main(["reextract", "--archive", str(tmp_path), "--json", "--quiet"]) == 1
    summary = json.loads(capsys.readouterr().out)
    assert (summary["without_raw"], summary["failed"]) == (1, 1)
    assert "missing" in summary["failed_by_id"][lost]
