"""``broadsheet report`` opened in a real headless Chromium (Debian's ``chromium`` package, which
tests/system-packages.sh installs where missing): an archive of the bundled demo site, crawled
on 127.0.0.1 and re-visited twice while one article's view and comment counters grow, gives a
page that loads with no console error and no request, one table row per archived article and a
chart with three points per series for that article.  A screenshot is saved under the test's
temporary directory; its path is printed and named in every assertion message."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import ConsoleMessage, Request, sync_playwright

from scraper.cli.main import main
from scraper.demo import DemoServer, DemoSite
from scraper.demo.catalog import DemoArticle
from tests.demo_settings import FAST_CONFIG

CHROMIUM = "/usr/bin/chromium"
CONFIG = FAST_CONFIG


@pytest.fixture
def site() -> Iterator[tuple[DemoSite, DemoServer]]:
    demo = DemoSite()
    with DemoServer(demo) as running:
        yield demo, running


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(list(args))
    return code, out.getvalue()


def records(root: Path) -> list[dict[str, Any]]:
    return [json.loads(path.read_text(encoding="utf-8"))
            for path in sorted((root / "articles").rglob("*.json"))]


def counted_article(demo: DemoSite, root: Path, base_url: str) -> tuple[DemoArticle, str]:
    """An archived demo article whose page gave both counters exactly as the site has them,
    with its record id."""
    for record in records(root):
        article = demo.catalog.article_at(record["url"].removeprefix(base_url))
        if (article is not None and article.views is not None and record["views"] ==
                article.views and record["comment_count"] == article.comment_count is not None):
            return article, record["id"]
    raise AssertionError("no demo article with both counters extracted")


def grow(demo: DemoSite, chosen: DemoArticle, step: int) -> None:
    """The site now shows ``chosen`` with more views and comments (the thread itself is the
    same, so only the counters change)."""
    changed = [dataclasses.replace(article, views=(chosen.views or 0) * (step + 1),
                                   comment_count=(chosen.comment_count or 0) + 3 * step)
               if article.path == chosen.path else article for article in demo.catalog.articles]
    demo.catalog = dataclasses.replace(demo.catalog, articles=tuple(changed), _by_path={})


def test_the_report_opens_in_chromium_with_a_row_per_article_and_a_three_point_chart(
        site: tuple[DemoSite, DemoServer], tmp_path: Path) -> None:
    demo, server = site
    config = tmp_path / "config.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    root = tmp_path / "archive"
    common = ("--archive", str(root), "--config", str(config), "--quiet")
    code, out = run("crawl", server.base_url + "/", *common, "--json")
    assert code == 0, out
    chosen, chosen_id = counted_article(demo, root, server.base_url)
    for step, days in ((1, 10), (2, 30)):
        grow(demo, chosen, step)
        later = (datetime.now(UTC) + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%S")
        code, out = run("snapshot", *common, "--json", "--now", later)
        assert code == 0, out
    (record,) = [item for item in records(root) if item["id"] == chosen_id]
    assert [(snapshot["views"], snapshot["comment_count"]) for snapshot in record["snapshots"]
            ] == [(chosen.views * step, (chosen.comment_count or 0) + 3 * (step - 1))
                  for step in (1, 2, 3)]

    code, out = run("report", *common)
    report = root / "report.html"
    assert (code, out) == (0, f"{report}\n")
    screenshot = tmp_path / "report.png"
    seen = look(report, screenshot, chosen_id)
    print(f"report screenshot: {screenshot}")
    where = f"(screenshot: {screenshot})"
    assert seen["problems"] == [], where
    assert seen["requests"] == [report.as_uri()], where
    assert seen["rows"] == len(records(root)) > 1, where
    assert seen["row_ids"] == {item["id"] for item in records(root)}, where
    assert seen["views_points"] == seen["comments_points"] == 3, where
    assert seen["data_points"] == "3", where
    assert seen["no_crawl"] == 0 and seen["fetched"] > 0, where
    assert screenshot.stat().st_size > 10_000, where


def look(report: Path, screenshot: Path, article_id: str) -> dict[str, Any]:
    """Open ``report`` in headless Chromium and read what a person would see."""
    problems: list[str] = []
    requests: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})

            def console(message: ConsoleMessage) -> None:
                if message.type in ("error", "warning"):
                    problems.append(f"console {message.type}: {message.text}")

            def request(sent: Request) -> None:
                requests.append(sent.url)

            page.on("console", console)
            page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
            page.on("request", request)
            page.goto(report.as_uri(), wait_until="load")
            page.screenshot(path=str(screenshot), full_page=True)
            figure = page.locator(f'figure.article-chart[data-id="{article_id}"]')
            fetched = page.locator("#crawl .card b").nth(1).inner_text()
            return {
                "problems": problems, "requests": requests,
                "rows": page.locator("#articles tbody tr").count(),
                "row_ids": set(page.locator("#articles tbody tr").evaluate_all(
                    "rows => rows.map(row => row.dataset.id)")),
                "views_points": figure.locator("circle.pt.pt-views").count(),
                "comments_points": figure.locator("circle.pt.pt-comments").count(),
                "data_points": figure.locator("svg").get_attribute("data-points"),
                "no_crawl": page.locator(".no-crawl").count(),
                "fetched": int(fetched.replace(",", "")),
            }
        finally:
            browser.close()
