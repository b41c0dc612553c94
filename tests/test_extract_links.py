"""Link finding: ``HrefResolver``'s shortcuts give exactly what ``urljoin`` + ``urlsplit`` give,
on many odd hrefs and bases; and ``find_links`` keeps page order, drops repeats and fragments,
and splits nofollow links out."""

from __future__ import annotations

import itertools
import random
from urllib.parse import urljoin, urlsplit

import pytest

from scraper.extract.document import parse
from scraper.extract.links import HrefResolver, find_links

BASES = [None, "", "https://example.com/dir/page.html?x=1#top", "http://example.com",
         "http://example.com:8080/a/b/", "https://example.com:/a", "HTTPS://Example.com/a",
         "https://user@example.com/", "http://[::1]:8000/x", "https://bücher.de/x",
         "https://example.com/a;b/c", "ftp://example.com/", "http://ex ample.com/",
         "http://example.com\\a/", "https://example.com/a b/c", "http:///no-host"]
STARTS = ["", "/", "//", "///", "http://", "https://", "HTTP://", "Https://", "http:", "https:/",
          "ftp://", " /", "\t/", "\x01/", "./", "../", "?", "#", ":", "javascript:", "a/"]
HOSTS = ["", "example.com", "Example.COM", "example.com:8080", "example.com:", "127.0.0.1:80",
         "user:pw@example.com", "[::1]", "[::1", "::1]", "bücher.de", "ex\uff03ample.com",
         "a b", "ex\nample.com"]
PATHS = ["", "/", "/a", "/a/b/", "/a/./b", "/a/../b", "/..", "/.", "/.well-known", "/a;p",
         "/a;p/b", "/a;", "/a b", "/é", "/%2e%2e/", "//x", "/a\\b", "/a\tb", "/a\nb", "/a\x00b",
         "/\u00a0x", "/\u2028", "/a:b", "a", "../a", "./"]
QUERIES = ["", "?", "?q=1", "?q=1;x", "?a?b", "?q=/../x", "?q= 1"]
FRAGMENTS = ["", "#", "#f", "#f?x", "#/a/../b", "##"]
NOT_WEB = ("#", "javascript:", "mailto:", "tel:", "data:")


def reference(raw: str | None, base: str | None) -> str | None:
    """What link finding did before its shortcuts: urljoin, then urlsplit's checks."""
    href = (raw or "").strip()
    if not href or href.startswith(NOT_WEB):
        return None
    try:
        url = urljoin(base, href) if base else href
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return url[: url.index("#")] if parts.fragment else url


def odd_hrefs(count: int, seed: int) -> list[str]:
    """Hand-picked edge cases, then ``count`` random combinations of the parts above."""
    picked = ["/", "/a", "//host/x", "../a", "?q", "#f", " /a b ", "/ünï/cödé", "HTTP://x.com/a",
              "http://x.com:8080", "https://x.com:99999/a", "http://x.com?q", "http://x.com#f",
              "https://example.com/a/../b", "http://example.com/a#", "http://example.com/a?#",
              "/a?#", "/a#", "/a?", "http:/x", "https:x", "mailto:a@b.c", "/a/..", "/a/b/."]
    rng = random.Random(seed)
    parts = (STARTS, HOSTS, PATHS, QUERIES, FRAGMENTS)
    return picked + ["".join(rng.choice(choices) for choices in parts) for _ in range(count)]


@pytest.mark.parametrize("base", BASES)
def test_shortcuts_match_urljoin_on_odd_hrefs(base: str | None) -> None:
    hrefs = odd_hrefs(6000, seed=len(base or "") + 1)
    resolve = HrefResolver(base)
    for href in hrefs:
        assert resolve(href) == reference(href, base), (base, href)


def test_shortcuts_match_urljoin_on_every_simple_combination() -> None:
    """Every web-looking href built from the parts, against the usual kinds of base."""
    shortcut = 0
    for base in ("https://example.com/dir/page.html?x=1#top", "http://example.com:8080"):
        resolve = HrefResolver(base)
        for start, host, path, query, fragment in itertools.product(
                ("/", "http://", "https://"), HOSTS[:8], PATHS, QUERIES, FRAGMENTS):
            href = start + (host if start != "/" else "") + path + query + fragment
            assert resolve(href) == reference(href, base), (base, href)
            shortcut += resolve._shortcut(href.strip()) is not None
    assert shortcut > 10_000  # the shortcuts answer most of them, not the slow path


def test_find_links_order_repeats_fragments_and_nofollow() -> None:
    doc = parse("<html><head><meta name='x' content='y'></head><body>"
                "<a href='/b#one'>b</a><a href='/a'>a</a><a href='/b#two'>b again</a>"
                "<a rel='NoFollow' href='/c'>c</a><a rel='sponsored' href='/a'>a paid</a>"
                "<a rel='author' href='https://other.org/x?y=1#z'>x</a><a href='#top'>top</a>"
                "<a href='mailto:a@b.c'>mail</a><a>none</a><a href='  /d\n'>d</a>"
                "<a href='../up/./e;p'>e</a></body></html>", "https://site.example/s/t/page")
    links = find_links(doc)
    assert links.follow == ("https://site.example/b", "https://site.example/a",
                            "https://other.org/x?y=1", "https://site.example/d",
                            "https://site.example/s/up/e;p")
    assert links.nofollow == ("https://site.example/c",)


def test_find_links_resolves_against_base_href_and_robots_nofollow() -> None:
    doc = parse("<html><head><base href='http://cdn.example/root/'>"
                "<meta name='robots' content='index, NoFollow'></head><body>"
                "<a href='x'>x</a><a href='/y'>y</a></body></html>", "https://site.example/")
    links = find_links(doc)
    assert links.follow == ()
    assert links.nofollow == ("http://cdn.example/root/x", "http://cdn.example/y")
