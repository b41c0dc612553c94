"""Issue 10: a view counter shown as a line of the body text is not body text, so a re-visit
where only that counter moved is a snapshot, not a new version (real crawl and snapshot of a
server on 127.0.0.1 whose article shows a counter that grows on every request)."""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from scraper.cli.main import main
from scraper.demo import DemoServer, DemoSite
from scraper.demo.site import Response

ARTICLE = "/2024/05/harbour-wall-repairs"
PARAGRAPH = ("The repairs to the old harbour wall were finished on Friday, two weeks before "
             "the date the council had promised, after a summer of work by local crews. ")
CONFIG = "politeness:\n  delay: 0.01\nfetch:\n  retries: 0\ncrawl:\n  extract_workers: 0\n"


class CountingSite(DemoSite):
    """One article whose body shows "N views" lines, N growing by 17 on each fetch of it."""

    def __init__(self) -> None:
        super().__init__()
        self.views = 1000

    def respond(self, target: str, base_url: str) -> Response:
        if target == "/robots.txt":
            return Response(200, b"User-agent: *\nAllow: /\n", "text/plain")
        if target != ARTICLE:
            return Response(404, b"<html><body>not found</body></html>", "text/html")
        self.views += 17
        paragraphs = "".join(f"<p>{PARAGRAPH * 2} Point {n}.</p>" for n in range(4))
        page = (f"<!doctype html><html lang='en'><head><title>Harbour wall repairs</title>"
                f"<meta property='og:type' content='article'></head><body><article>"
                f"<h1>Harbour wall repairs</h1><p>{self.views:,} views</p>{paragraphs}"
                f"<div>Views: {self.views:,}</div></article></body></html>")
        return Response(200, page.encode(), "text/html; charset=utf-8")


@pytest.fixture
def server() -> Iterator[DemoServer]:
    with DemoServer(CountingSite()) as running:
        yield running


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def test_a_views_only_change_in_the_body_is_a_snapshot_not_a_version(
        server: DemoServer, tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    root = tmp_path / "archive"
    common = ("--archive", str(root), "--config", str(config), "--quiet")
    code, out, _ = run("crawl", server.base_url + ARTICLE, "--depth", "0", *common, "--json")
    assert code == 0, out
    (path,) = (root / "articles").rglob("*.json")
    first = json.loads(path.read_text(encoding="utf-8"))
    assert first["views"] == 1017 and "views" not in first["body"].lower()

    later = (datetime.now(UTC) + timedelta(days=8)).strftime("%Y-%m-%dT%H:%M:%S")
    code, out, _ = run("snapshot", *common, "--json", "--now", later)
    assert code == 0, out
    summary = json.loads(out.strip().splitlines()[-1])
    assert summary["fetched"] == summary["unchanged"] == 1 and summary["updated"] == 0
    record = json.loads(path.read_text(encoding="utf-8"))
    assert record["version"] == 1 and record["versions"] == []
    assert [(s["http_status"], s["views"]) for s in record["snapshots"]] == [(200, 1017),
                                                                          (200, 1034)]
    assert record["views"] == 1034 and record["body"] == first["body"]
