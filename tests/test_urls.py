from __future__ import annotations

import pytest

from scraper.urls import canonical_url, host_key, looks_like_page, same_site, site_of


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTP://Example.COM:80/a/../b?z=1&a=2#frag", "http://example.com/b?a=2&z=1"),
        ("https://example.com:443", "https://example.com/"),
        ("https://example.com:8443/x", "https://example.com:8443/x"),
        ("https://example.com/x?utm_source=rss&utm_medium=feed", "https://example.com/x"),
        ("https://example.com/x?id=3&fbclid=abc&gclid=z&mc_cid=1", "https://example.com/x?id=3"),
        ("https://EXAMPLE.com./x", "https://example.com/x"),
        ("https://bücher.de/ä", "https://xn--bcher-kva.de/%C3%A4"),
        ("https://example.com/a%7eb", "https://example.com/a~b"),
    ],
)
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


@pytest.mark.parametrize("url", ["", "ftp://example.com/", "mailto:x@example.com",
                                 "javascript:void(0)", "http://", "http://[::1"])
def test_canonical_url_refuses_non_http(url: str) -> None:
    assert canonical_url(url) is None


def test_relative_links_resolve_against_base() -> None:
    assert canonical_url("../c?utm_campaign=x", "http://a.com/x/y/z") == "http://a.com/x/c"


def test_host_and_site() -> None:
    assert host_key("http://127.0.0.1:8080/x") == "127.0.0.1:8080"
    assert host_key("https://News.Example.com/") == "news.example.com"
    assert site_of("https://www.example.com/a") == "example.com"
    sites = frozenset({"example.com"})
    assert same_site("https://news.example.com/a", sites)
    assert same_site("https://www.example.com/a", sites)
    assert not same_site("https://example.com.evil.org/a", sites)
    assert not same_site("https://notexample.com/", sites)


def test_looks_like_page() -> None:
    assert looks_like_page("https://a.com/news/story/")
    assert looks_like_page("https://a.com/news/story.html")
    assert looks_like_page("https://a.com/v1.2/story")
    assert not looks_like_page("https://a.com/img/photo.JPG")
    assert not looks_like_page("https://a.com/files/report.pdf")
