"""Each discovery source alone finds the demo site's articles; the discovery rules (news-sitemap
window, common feed paths, nofollow, listing URLs, the depth leaf rule, per-site patterns) hold
in real crawls against servers on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from scraper.config import Config, parse_config
from scraper.crawl.loop import run_crawl
from scraper.crawl.summary import CrawlSummary
from scraper.demo import DemoServer, DemoSite, expected_articles
from scraper.demo.site import Response

FAST = """\
politeness:
  delay: 0.01
  per_host_concurrency: 2
  concurrency: 4
fetch:
  retries: 0
crawl:
"""
SITEMAPS_ONLY = "  use_sitemaps: true\n  use_feeds: false\n  follow_links: false\n"
FEEDS_ONLY = "  use_sitemaps: false\n  use_feeds: true\n  follow_links: false\n"
LINKS_ONLY = "  use_sitemaps: false\n  use_feeds: false\n  follow_links: true\n"


def crawl(base_url: str, archive: Path, crawl_keys: str) -> tuple[CrawlSummary, set[str]]:
    config: Config = parse_config(FAST + crawl_keys).replace("archive", directory=str(archive))
    summary = asyncio.run(run_crawl(config, [base_url + "/"]))
    stored = {json.loads(path.read_text(encoding="utf-8"))["url"]
              for path in (archive / "articles").rglob("*.json")}
    return summary, stored


@pytest.fixture(scope="module")
def demo() -> Iterator[DemoServer]:
    with DemoServer() as running:
        yield running


@pytest.mark.parametrize(("keys", "must_read", "never_read"), [
    (SITEMAPS_ONLY, "/sitemap.xml", ("/feed.xml", "/section/")),
    (FEEDS_ONLY, "/feed.xml", ("/sitemap.xml", "/section/")),
    (LINKS_ONLY, "/section/", ("/sitemap.xml",)),
], ids=["sitemaps", "feeds", "links"])
def test_each_source_alone_finds_every_demo_article(
        demo: DemoServer, tmp_path: Path, keys: str, must_read: str,
        never_read: tuple[str, ...]) -> None:
    demo.clear_requests()
    summary, stored = crawl(demo.base_url, tmp_path, keys)
    assert summary.failures == 0, summary.failed
    assert summary.discovery_errors == 0
    assert stored == {item.path for item in expected_articles(demo.base_url)}
    assert summary.stored == len(stored)
    paths = [request.path for request in demo.requests]
    assert any(path.startswith(must_read) for path in paths)
    assert not [path for path in paths if path.startswith(never_read)]


# A small news site for the discovery rules: a home page that announces no feed, a Google News
# sitemap with dates relative to the real clock (the crawl reads it once, at start), an RSS feed
# at a common path, a tag page that reads like an article, and a sponsored (nofollow) link.
PARAGRAPH = ("The council met on Tuesday evening to debate the new budget, and after four hours "
             "of discussion the members agreed on a compromise that funds the libraries. ")
A = "/news/council-agrees-new-budget-plan/"       # on the home page; in the sitemap, recent
B = "/news/libraries-keep-their-opening-hours/"   # on the home page; in the sitemap, 30 days old
C = "/news/sponsored-story-about-new-cars/"       # only behind a rel="sponsored nofollow" link
D = "/news/bridge-reopens-after-long-repairs/"    # only linked from article A; sitemap, undated
E = "/news/ferry-service-returns-to-island/"      # only linked from the tag page
TAG = "/tag/budget/"


def article_page(title: str, links: str = "", og_type: str = "article") -> bytes:
    body = "".join(f"<p>{title}: {PARAGRAPH * 2} Point {n}.</p>" for n in range(5))
    return (f"<!doctype html><html lang='en'><head><title>{title}</title>"
            f"<meta property='og:type' content='{og_type}'></head><body><article><h1>{title}</h1>"
            f"{body}</article>{links}</body></html>").encode()


class SmallSite(DemoSite):
    def __init__(self, now: datetime) -> None:
        super().__init__()
        self.now = now

    def respond(self, target: str, base_url: str) -> Response:
        pages = self.pages(base_url)
        if target not in pages:
            return Response(404, b"<html><body>not found</body></html>", "text/html")
        content_type, body = pages[target]
        return Response(200, body, content_type)

    def pages(self, base: str) -> dict[str, tuple[str, bytes]]:
        html = "text/html; charset=utf-8"
        home = (f"<html><head><title>Small News</title></head><body><a href='{A}'>a</a>"
                f"<a href='{B}'>b</a><a rel='sponsored nofollow' href='{C}'>c</a>"
                f"<a href='{TAG}'>budget</a></body></html>").encode()
        recent = (self.now - timedelta(days=1)).isoformat(timespec="seconds")
        old = (self.now - timedelta(days=30)).strftime("%Y-%m-%d")
        sitemap = (
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
            f"<url><loc>{base}{A}</loc><news:news><news:publication_date>{recent}"
            "</news:publication_date></news:news></url>"
            f"<url><loc>{base}{B}</loc><lastmod>{old}</lastmod></url>"
            f"<url><loc>{base}{D}</loc></url></urlset>").encode()
        feed = ("<rss version='2.0'><channel><title>Small News</title>"
                f"<item><link>{base}{A}</link></item><item><link>{base}{B}</link></item>"
                "</channel></rss>").encode()
        return {
            "/robots.txt": ("text/plain", f"User-agent: *\nSitemap: {base}/news.xml\n".encode()),
            "/": (html, home),
            "/news.xml": ("application/xml", sitemap),
            "/rss.xml": ("application/rss+xml", feed),
            A: (html, article_page("Council agrees new budget plan", f"<a href='{D}'>d</a>")),
            B: (html, article_page("Libraries keep their opening hours")),
            C: (html, article_page("Sponsored story about new cars")),
            D: (html, article_page("Bridge reopens after long repairs")),
            E: (html, article_page("Ferry service returns to island")),
            TAG: (html, article_page("Budget", f"<a href='{E}'>e</a>")),
        }


@pytest.fixture(scope="module")
def small() -> Iterator[DemoServer]:
    with DemoServer(SmallSite(datetime.now(UTC))) as running:
        yield running


def stored_paths(small: DemoServer, stored: set[str]) -> set[str]:
    return {url.removeprefix(small.base_url) for url in stored}


def test_news_sitemap_window_skips_old_entries_and_keeps_undated(small: DemoServer,
                                                                 tmp_path: Path) -> None:
    small.clear_requests()
    summary, stored = crawl(small.base_url, tmp_path,
                            SITEMAPS_ONLY + "  sitemap_max_age_days: 7\n")
    assert stored_paths(small, stored) == {A, D}
    assert B not in [request.path for request in small.requests]
    assert summary.failures == 0


def test_without_a_window_the_sitemap_gives_every_entry(small: DemoServer,
                                                        tmp_path: Path) -> None:
    _, stored = crawl(small.base_url, tmp_path, SITEMAPS_ONLY)
    assert stored_paths(small, stored) == {A, B, D}


def test_common_feed_paths_are_probed_and_missing_ones_are_no_error(small: DemoServer,
                                                                    tmp_path: Path) -> None:
    small.clear_requests()
    summary, stored = crawl(small.base_url, tmp_path, FEEDS_ONLY)
    assert stored_paths(small, stored) == {A, B}
    assert summary.failures == 0
    assert summary.discovery_errors == 0
    probed = {request.path for request in small.requests if request.status == 404}
    assert {"/feed", "/rss", "/atom.xml"} <= probed


def test_links_skip_nofollow_and_never_store_a_listing_url(small: DemoServer,
                                                           tmp_path: Path) -> None:
    small.clear_requests()
    summary, stored = crawl(small.base_url, tmp_path, LINKS_ONLY)
    paths = [request.path for request in small.requests]
    assert stored_paths(small, stored) == {A, B, D, E}
    assert TAG in paths  # followed: its link to E was found
    assert C not in paths
    assert summary.not_articles >= 2  # the home and the tag page


def test_follow_nofollow_follows_sponsored_links(small: DemoServer, tmp_path: Path) -> None:
    _, stored = crawl(small.base_url, tmp_path, LINKS_ONLY + "  follow_nofollow: true\n")
    assert C in stored_paths(small, stored)


def test_articles_one_hop_past_the_depth_limit_are_fetched_as_leaves(small: DemoServer,
                                                                     tmp_path: Path) -> None:
    small.clear_requests()
    _, stored = crawl(small.base_url, tmp_path, LINKS_ONLY + "  max_depth: 0\n")
    paths = [request.path for request in small.requests]
    assert stored_paths(small, stored) == {A, B}  # linked from the home page (a listing)
    assert D not in paths  # linked from article A, which is a leaf
    assert TAG not in paths  # a listing past the limit


def test_per_site_patterns_apply_to_their_site(small: DemoServer, tmp_path: Path) -> None:
    keys = LINKS_ONLY + "  sites:\n    127.0.0.1:\n      exclude: ['/news/libraries-']\n"
    _, stored = crawl(small.base_url, tmp_path, keys)
    assert stored_paths(small, stored) == {A, D, E}
