"""A crawl over a site serving every hostile route of issue 13 at once (``tests/hostile_site.py``)
finishes, stores every normal article, gives each hostile URL at most one failure, files nothing
under a host that did not serve it, and stays within ``--max-pages`` requests.

The real command runs as a child process (a hostile input must not end it with a traceback, nor
make it run for ever)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.hostile_site import COMMENTS, DAY, GOOD, HostileSites

ROOT = Path(__file__).resolve().parent.parent
MAX_PAGES = 200  # room for the default per-site sitemap and feed bounds, far below 5,000
DEADLINE = 240.0  # seconds; the crawl takes a few where every bound holds
CONFIG = """\
politeness:
  delay: 0
  per_host_concurrency: 4
  concurrency: 8
fetch:
  retries: 1
  backoff_base: 0.05
  backoff_max: 0.1
  max_retry_after: 5
crawl:
  extraction_timeout: 8  # the flood takes about 2 s, the slow page about 27 s
"""


@pytest.fixture(scope="module")
def sites() -> Iterator[HostileSites]:
    with HostileSites() as running:
        yield running


@pytest.fixture(scope="module")
def crawl(sites: HostileSites, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Crawl the hostile sites once; the summary, stderr, records and how long it took."""
    work = tmp_path_factory.mktemp("hostile")
    config = work / "config.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    archive = work / "archive"
    started = time.monotonic()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "scraper", "crawl", *sites.seeds, "--config", str(config),
             "--archive", str(archive), "--max-pages", str(MAX_PAGES), "--json", "--quiet"],
            capture_output=True, text=True, timeout=DEADLINE, cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)}, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the crawl did not finish in {DEADLINE:.0f} s")
    records = [json.loads(path.read_text(encoding="utf-8"))
               for path in (archive / "articles").rglob("*.json")]
    lines = done.stdout.strip().splitlines()
    return {"code": done.returncode, "stderr": done.stderr, "records": records,
            "summary": json.loads(lines[-1]) if lines else None,
            "seconds": time.monotonic() - started}


def finished(crawl: dict[str, Any]) -> dict[str, Any]:
    """The crawl's summary; fails unless the crawl ended as a crawl should (every other check
    means something only then)."""
    assert "Traceback" not in crawl["stderr"], crawl["stderr"][-3000:]
    assert crawl["code"] in (0, 1), crawl["stderr"][-3000:]
    assert crawl["summary"] is not None
    summary: dict[str, Any] = crawl["summary"]
    return summary


def by_title(crawl: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {record["title"]: record for record in crawl["records"]}


def test_the_crawl_finishes_without_a_traceback(crawl: dict[str, Any]) -> None:
    finished(crawl)


def test_every_normal_article_is_stored(sites: HostileSites, crawl: dict[str, Any]) -> None:
    finished(crawl)
    stored = by_title(crawl)
    for path, title in GOOD.items():
        assert title in stored, sorted(stored)
        assert stored[title]["url"] == sites.a.base + path


def test_each_hostile_url_fails_at_most_once_and_none_as_an_internal_error(
        crawl: dict[str, Any]) -> None:
    failures = finished(crawl)["failed_by_reason"]
    counted = Counter(url for urls in failures.values() for url in urls)
    assert [url for url, times in counted.items() if times > 1] == []
    assert "internal" not in failures, failures["internal"]


def test_hostile_pages_that_are_articles_are_stored_as_such(crawl: dict[str, Any]) -> None:
    """Odd charsets give way to detection, deep JSON-LD is ignored, an absurd counter is no
    counter; the crowded element is stored or fails as an extraction timeout."""
    finished(crawl)
    stored = by_title(crawl)
    for title in ("Charset undefined story", "Punycode charset story", "Sixteen bit story",
                  "Deep structured data story", "Story with a huge counter",
                  "Story with many feeds", "Story with a comment flood"):
        assert title in stored, sorted(stored)
        assert "The council met on Tuesday evening" in stored[title]["body"]
    counter = stored["Story with a huge counter"]
    for field in ("views", "comment_count"):
        assert counter[field] is None or counter[field] <= 10**12
    flood = stored["Story with a comment flood"]
    assert flood["comment_count"] == COMMENTS or len(flood["comments"]) == COMMENTS
    if "Story with a crowded element" not in stored:
        failures = crawl["summary"]["failed_by_reason"]
        assert any(url.endswith("many-attributes") for url in
                   failures.get("extraction_timeout", [])), failures


def test_a_page_too_slow_to_read_fails_as_an_extraction_timeout(
        sites: HostileSites, crawl: dict[str, Any]) -> None:
    failures = finished(crawl)["failed_by_reason"]
    assert sites.a.base + f"{DAY}slow-extract" in failures.get("extraction_timeout", []), failures


def test_nothing_is_filed_under_a_host_that_did_not_serve_it(sites: HostileSites,
                                                             crawl: dict[str, Any]) -> None:
    finished(crawl)
    a_host, b_host = urlsplit(sites.a.base).netloc, urlsplit(sites.b.base).netloc
    for record in crawl["records"]:
        host = urlsplit(record["url"]).netloc
        if record["title"].startswith(("Forged story on site A", "IPv6 canonical story")):
            assert host == a_host, record["url"]
        if "on site B" in record["title"]:
            assert host == b_host, record["url"]
        assert "2001:db8" not in host


def test_discovery_and_fetches_stay_within_max_pages(sites: HostileSites,
                                                     crawl: dict[str, Any]) -> None:
    """The self-listing sitemap index and the page with 5,000 feeds cannot make the crawl run
    for ever: every request counts against --max-pages."""
    finished(crawl)
    assert len(sites.a.requested("/sitemap-index.xml")) <= MAX_PAGES
    assert len(sites.a.requested("/feeds/")) <= MAX_PAGES
    pages = [path for path in sites.a.requests if path != "/robots.txt"]
    assert len(pages) <= MAX_PAGES + 10  # a few in flight when the limit is reached
    assert crawl["seconds"] < 120


def test_retry_after_of_5000_digits_or_a_superscript_is_one_failure(
        sites: HostileSites, crawl: dict[str, Any]) -> None:
    failures = finished(crawl)["failed_by_reason"]
    failed = {url for urls in failures.values() for url in urls}
    assert sites.c.base + f"{DAY}retry-after-digits" in failed
    assert sites.d.base + f"{DAY}retry-after-superscript" in failed
