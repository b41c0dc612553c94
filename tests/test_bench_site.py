"""The crawl benchmark's synthetic news site serves what it claims, over real HTTP on 127.0.0.1."""

from __future__ import annotations

import gzip
import http.client
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import pytest

SITE_SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "news_site.py"
ARTICLES = 330  # enough for every section to paginate (about 40 stories each, 20 a page)


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href and not href.startswith("#"):
            self.hrefs.append(href)


class Site:
    """A running news site and one keep-alive connection to it."""

    def __init__(self, process: subprocess.Popen[str], banner: str) -> None:
        self.process = process
        self.url, *counts = banner.split()[1:]
        values = dict(item.split("=") for item in counts)
        self.articles, self.pages = int(values["articles"]), int(values["pages"])
        parts = urlsplit(self.url)
        self.connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)

    def get(self, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
        self.connection.request("GET", path, headers=headers)
        response = self.connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()


def start_site(articles: int, seed: int = 7) -> Site:
    process = subprocess.Popen(
        [sys.executable, str(SITE_SCRIPT), "--articles", str(articles), "--seed", str(seed),
         "--lifetime", "120"], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    banner = process.stdout.readline()
    assert banner.startswith("serving http://127.0.0.1:"), banner
    return Site(process, banner)


def stop(site: Site) -> None:
    site.connection.close()
    site.process.terminate()
    site.process.wait(timeout=10)


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    running = start_site(ARTICLES)
    yield running
    stop(running)


@pytest.fixture(scope="module")
def crawl(site: Site) -> dict[str, bytes]:
    """Every page reachable by links from the home page, by path (one connection throughout)."""
    pages: dict[str, bytes] = {}
    queue = ["/"]
    while queue:
        path = queue.pop()
        if path in pages:
            continue
        status, _, body = site.get(path)
        assert status == 200, f"{path} answered {status}"
        pages[path] = body
        queue += [link for link in page_links(site, body) if link not in pages]
    return pages


def page_links(site: Site, body: bytes) -> list[str]:
    parser = Links()
    parser.feed(body.decode("utf-8"))
    absolute = [urljoin(site.url, href) for href in parser.hrefs]
    return [urlsplit(url).path for url in absolute if url.startswith(site.url)]


def is_article(body: bytes) -> bool:
    return b'<meta property="og:type" content="article">' in body


def test_every_link_on_the_site_works_and_reaches_the_claimed_pages(site: Site,
                                                                   crawl: dict[str, bytes]) -> None:
    assert site.articles == ARTICLES
    assert len(crawl) == site.pages - 1  # every page but robots.txt is linked
    assert sum(map(is_article, crawl.values())) == ARTICLES


def test_listing_pages_alone_link_every_article(site: Site, crawl: dict[str, bytes]) -> None:
    listings = {path: body for path, body in crawl.items() if not is_article(body)}
    linked = {link for body in listings.values() for link in page_links(site, body)}
    articles = {path for path, body in crawl.items() if is_article(body)}
    assert articles <= linked
    assert "/news/page/2/" in listings and b'rel="next"' in listings["/news/"]


def test_article_pages_look_like_news_pages(crawl: dict[str, bytes]) -> None:
    articles = [body for body in crawl.values() if is_article(body)]
    assert all(30_000 <= len(body) <= 90_000 for body in articles)
    for body in articles[:20]:
        found = re.search(rb'<script type="application/ld\+json">(.*?)</script>', body)
        assert found is not None
        assert json.loads(found[1])["@type"] == "NewsArticle"
        assert 6 <= body.count(b'<p class="ldg-art-') <= 15
    assert any(b'class="comment-list"' in body for body in articles)


def test_robots_allows_everything_and_unknown_paths_are_404(site: Site) -> None:
    status, headers, body = site.get("/robots.txt")
    assert status == 200 and headers["content-type"].startswith("text/plain")
    robots = RobotFileParser()
    robots.parse(body.decode().splitlines())
    assert robots.can_fetch("AnyBot", site.url + "news/2025/06/30/anything/")
    assert site.get("/no/such/page/")[0] == 404


def test_keep_alive_content_length_and_gzip(site: Site) -> None:
    _, headers, plain = site.get("/")
    socket_before = site.connection.sock
    _, zipped_headers, zipped = site.get("/", **{"Accept-Encoding": "gzip"})
    assert site.connection.sock is socket_before  # the same connection answered both
    assert int(headers["content-length"]) == len(plain)
    assert zipped_headers["content-encoding"] == "gzip"
    assert gzip.decompress(zipped) == plain


def test_the_same_seed_gives_the_same_site(site: Site) -> None:
    other = start_site(ARTICLES)
    try:
        for path in ("/", "/politics/page/2/"):
            mine = site.get(path)[2].decode().replace(site.url, "BASE/")
            theirs = other.get(path)[2].decode().replace(other.url, "BASE/")
            assert mine == theirs
    finally:
        stop(other)
