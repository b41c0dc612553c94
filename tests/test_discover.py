from __future__ import annotations

import gzip

import pytest

from scraper.discover import looks_like_feed, looks_like_sitemap, parse_feed, parse_sitemap
from scraper.errors import ExtractionError

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
