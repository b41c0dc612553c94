from __future__ import annotations

import gzip
from datetime import UTC, datetime

import pytest

from scraper.crawl.discover import (
    COMMON_FEED_PATHS,
    MAX_LISTED,
    common_feed_urls,
    is_common_feed_url,
    looks_like_feed,
    looks_like_sitemap,
    parse_feed,
    parse_sitemap,
)
from scraper.errors import ExtractionError
from scraper.extract import analyse

URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>https://a.example/news/1</loc><lastmod>2024-05-13</lastmod></url>
  <url><loc>https://a.example/news/2</loc>
    <news:news><news:publication_date>2024-05-14T10:00:00+00:00</news:publication_date>
    </news:news></url>
  <url><loc>/news/3</loc></url>
</urlset>"""


def test_urlset_plain_and_gzipped() -> None:
    for body in (URLSET, gzip.compress(URLSET)):
        assert looks_like_sitemap("application/xml", body)
        entries = parse_sitemap(body, "https://a.example/sitemap.xml")
        assert entries.pages == ("https://a.example/news/1", "https://a.example/news/2",
                                 "https://a.example/news/3")
        assert entries.sitemaps == ()


def test_sitemap_index_lists_sitemaps() -> None:
    body = (b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            b"<sitemap><loc>https://a.example/s1.xml.gz</loc></sitemap></sitemapindex>")
    entries = parse_sitemap(body, "https://a.example/")
    assert entries.sitemaps == ("https://a.example/s1.xml.gz",)
    assert entries.pages == ()


def test_rss_and_atom_item_links() -> None:
    rss = (b"<rss version='2.0'><channel><link>https://a.example/</link>"
           b"<item><link>https://a.example/1?utm_source=rss</link></item>"
           b"<item><guid isPermaLink='true'>https://a.example/2</guid></item></channel></rss>")
    assert looks_like_feed("application/rss+xml", rss)
    assert parse_feed(rss, "https://a.example/") == ("https://a.example/1?utm_source=rss",
                                                     "https://a.example/2")
    atom = (b'<feed xmlns="http://www.w3.org/2005/Atom"><link href="/"/>'
            b'<entry><link rel="alternate" href="/e1"/><link rel="edit" href="/x"/></entry></feed>')
    assert looks_like_feed("", atom)
    assert parse_feed(atom, "https://a.example/") == ("https://a.example/e1",)


def test_entities_are_not_expanded() -> None:
    body = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            b"<urlset><url><loc>https://a.example/&e;</loc></url></urlset>")
    entries = parse_sitemap(body, "https://a.example/")
    assert all("root:" not in page for page in entries.pages)


@pytest.mark.parametrize("body", [b"", b"   ", b"\x1f\x8b not gzip"])
def test_broken_input_is_an_extraction_error(body: bytes) -> None:
    with pytest.raises(ExtractionError):
        parse_sitemap(body, "https://a.example/")


NEWS = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
  <url><loc>https://a.example/old-day</loc><lastmod>2024-05-13</lastmod></url>
  <url><loc>https://a.example/old-news-new-lastmod</loc><lastmod>2024-05-20</lastmod>
    <news:news><news:publication_date>2024-05-14T10:00:00+00:00</news:publication_date>
    </news:news></url>
  <url><loc>https://a.example/new-news-old-lastmod</loc><lastmod>2024-01-01</lastmod>
    <news:news><news:publication_date>2024-05-14T13:00:00Z</news:publication_date></news:news>
    <image:image><image:loc>https://a.example/photo.jpg</image:loc></image:image></url>
  <url><loc>https://a.example/undated</loc></url>
  <url><loc>https://a.example/month</loc><lastmod>2024-05</lastmod></url>
  <url><loc>https://a.example/unreadable</loc><lastmod>last tuesday</lastmod></url>
  <url><loc>https://a.example/offset</loc><lastmod>2024-05-14T13:00:00+01:00</lastmod></url>
</urlset>"""
SINCE = datetime(2024, 5, 14, 12, 0, tzinfo=UTC)


def test_news_sitemap_window_uses_publication_date_then_lastmod() -> None:
    entries = parse_sitemap(NEWS, "https://a.example/", since=SINCE)
    assert entries.pages == ("https://a.example/new-news-old-lastmod", "https://a.example/undated",
                             "https://a.example/month", "https://a.example/unreadable",
                             "https://a.example/offset")
    assert entries.too_old == 2


def test_without_a_window_every_page_entry_is_kept_and_image_locs_are_not_pages() -> None:
    entries = parse_sitemap(NEWS, "https://a.example/")
    assert len(entries.pages) == 7
    assert entries.too_old == 0
    assert "https://a.example/photo.jpg" not in entries.pages


def test_sitemap_index_window_skips_old_nested_sitemaps() -> None:
    body = (b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            b"<sitemap><loc>/2023.xml</loc><lastmod>2023-12-31T23:00:00Z</lastmod></sitemap>"
            b"<sitemap><loc>/2024.xml</loc><lastmod>2024-06-01</lastmod></sitemap>"
            b"<sitemap><loc>/undated.xml</loc></sitemap></sitemapindex>")
    entries = parse_sitemap(gzip.compress(body), "https://a.example/", since=SINCE)
    assert entries.sitemaps == ("https://a.example/2024.xml", "https://a.example/undated.xml")
    assert entries.too_old == 1


def test_bare_loc_lists_are_read() -> None:
    body = b"<urlset><loc>https://a.example/1</loc><loc>https://a.example/2</loc></urlset>"
    assert parse_sitemap(body, "https://a.example/").pages == ("https://a.example/1",
                                                               "https://a.example/2")


def test_common_feed_paths_are_on_the_pages_origin() -> None:
    urls = common_feed_urls("https://a.example:8443/world/story?x=1")
    assert urls[0] == "https://a.example:8443/feed"
    assert len(urls) == len(COMMON_FEED_PATHS)
    assert is_common_feed_url("https://a.example/feed/")
    assert is_common_feed_url("https://a.example/rss.xml")
    assert not is_common_feed_url("https://a.example/news/feed-the-world")


def _links_page(head: str = "") -> str:
    return ("<html><head>" + head + "</head><body>"
            "<a href='/plain'>p</a><a rel='nofollow' href='/nofollow'>n</a>"
            "<a rel='Sponsored noopener' href='/sponsored'>s</a><a rel='ugc' href='/ugc'>u</a>"
            "<a rel='nofollow' href='/both'>b</a><a href='/both'>b</a></body></html>")


def test_nofollow_links_are_returned_apart() -> None:
    analysis = analyse(_links_page(), "https://a.example/")
    assert analysis.links == ("https://a.example/plain", "https://a.example/both")
    assert analysis.nofollow_links == ("https://a.example/nofollow", "https://a.example/sponsored",
                                       "https://a.example/ugc")


def test_robots_meta_nofollow_makes_every_link_nofollow() -> None:
    analysis = analyse(_links_page('<meta name="robots" content="noindex, nofollow">'),
                       "https://a.example/")
    assert analysis.links == ()
    assert len(analysis.nofollow_links) == 5


def test_one_sitemap_or_feed_gives_at_most_the_protocols_50000_entries() -> None:
    urls = "".join(f"<url><loc>https://a.example/s/{n}</loc></url>" for n in range(60_000))
    body = f"<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>{urls}</urlset>"
    pages = parse_sitemap(gzip.compress(body.encode()), "https://a.example/").pages
    assert len(pages) == MAX_LISTED == 50_000 and pages[-1] == "https://a.example/s/49999"
    items = "".join(f"<item><link>https://a.example/f/{n}</link></item>" for n in range(60_000))
    feed = f"<rss version='2.0'><channel>{items}</channel></rss>".encode()
    assert len(parse_feed(feed, "https://a.example/")) == MAX_LISTED
