"""Discovery sources other than page links: XML sitemaps (indexes, gzipped, Google News) and
RSS/Atom feeds.  Pure parsing: the crawler fetches, these functions read bytes (and are given
the date window; they never read the clock).
"""

from __future__ import annotations

import gzip
import re
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import lxml.etree

from scraper.errors import ExtractionError
from scraper.urls import join_url

MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # the sitemap protocol's own limit, uncompressed
MAX_LISTED = 50_000  # entries read from one sitemap or feed: the sitemap protocol's own limit
# Where sites without a <link rel="alternate"> feed usually serve one (WordPress, Hugo, Jekyll,
# Ghost, Blogger...).  Probed only when a site's home page announces no feed.
COMMON_FEED_PATHS = ("/feed", "/rss", "/feed.xml", "/rss.xml", "/atom.xml", "/index.xml")
_YEAR_OR_MONTH = re.compile(r"(\d{4})(?:-(\d{2}))?")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_PARSER = lxml.etree.XMLParser(resolve_entities=False, no_network=True, recover=True,
                               huge_tree=False, remove_comments=True)


@dataclass(frozen=True, slots=True)
class SitemapEntries:
    """What one sitemap lists: pages to fetch and nested sitemaps to read."""

    pages: tuple[str, ...]
    sitemaps: tuple[str, ...]
    too_old: int = 0  # entries left out because they are dated before the window


def looks_like_sitemap(content_type: str, body: bytes) -> bool:
    head = _maybe_gunzip(body[:4096] if not body.startswith(b"\x1f\x8b") else body)[:2048]
    return b"<urlset" in head or b"<sitemapindex" in head


def parse_sitemap(body: bytes, base_url: str, *, since: datetime | None = None) -> SitemapEntries:
    """Read a ``<urlset>`` or ``<sitemapindex>`` (plain or gzipped; news sitemaps included):
    its first ``MAX_LISTED`` entries, the protocol's limit, so one file cannot flood the queue.

    With ``since``, an entry dated before it is left out: a page by its Google News
    ``<news:publication_date>``, else its ``<lastmod>``; a nested sitemap by its ``<lastmod>``.
    Undated or unreadably dated entries are kept.
    """
    root = _parse_xml(_maybe_gunzip(body), "sitemap")
    is_index = _local(root.tag) == "sitemapindex"
    found: list[str] = []
    too_old = 0
    for url, date in _sitemap_items(root):
        if since is not None and date is not None and _period_end(date) < since:
            too_old += 1
        elif (joined := join_url(base_url, url)) is not None:
            found.append(joined)
    unique = tuple(dict.fromkeys(found))
    return SitemapEntries((), unique, too_old) if is_index else SitemapEntries(unique, (), too_old)


def _sitemap_items(root: lxml.etree._Element) -> list[tuple[str, str | None]]:
    """(loc, date text) of each ``<url>``/``<sitemap>``; bare ``<loc>`` lists (a malformed but
    common shape) are read too, undated."""
    items: list[tuple[str, str | None]] = []
    for element in root.iter():
        if _local(element.tag) not in ("url", "sitemap"):
            continue
        loc = news_date = lastmod = None
        for child in element.iter():
            name = _local(child.tag)
            text = (child.text or "").strip()
            if name == "loc" and loc is None and child.getparent() is element:
                loc = text
            elif name == "publication_date" and text:
                news_date = text
            elif name == "lastmod" and text:
                lastmod = text
        if loc:
            items.append((loc, news_date or lastmod))
            if len(items) == MAX_LISTED:
                break
    if not items:
        items = [((e.text or "").strip(), None) for e in root.iter() if _local(e.tag) == "loc"]
    return [(loc, date) for loc, date in items if loc][:MAX_LISTED]


def _period_end(text: str) -> datetime:
    """The latest moment a W3C date can mean (``2024-05-13`` lasts until the next midnight);
    an unreadable date ends at ``datetime.max``, so it never counts as old."""
    text = text.strip()
    try:
        if match := _YEAR_OR_MONTH.fullmatch(text):
            year, month = int(match.group(1)), int(match.group(2) or 12)
            return datetime(year + month // 12, month % 12 + 1, 1, tzinfo=UTC)
        if _DAY.fullmatch(text):
            return datetime.fromisoformat(text).replace(tzinfo=UTC) + timedelta(days=1)
        moment = datetime.fromisoformat(text)
    except (ValueError, OverflowError):
        return datetime.max.replace(tzinfo=UTC)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def common_feed_urls(page_url: str) -> tuple[str, ...]:
    """The ``COMMON_FEED_PATHS`` on ``page_url``'s origin."""
    parts = urlsplit(page_url)
    return tuple(f"{parts.scheme}://{parts.netloc}{path}" for path in COMMON_FEED_PATHS)


def is_common_feed_url(url: str) -> bool:
    """True for a ``COMMON_FEED_PATHS`` URL: a probe there may find nothing, and that is fine."""
    return urlsplit(url).path.rstrip("/") in COMMON_FEED_PATHS


def looks_like_feed(content_type: str, body: bytes) -> bool:
    if any(kind in content_type for kind in ("rss", "atom")):
        return True
    head = body[:2048].lower()
    return b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head


def parse_feed(body: bytes, base_url: str) -> tuple[str, ...]:
    """The item/entry links of an RSS 2.0, RSS 1.0 or Atom feed, in feed order."""
    root = _parse_xml(body, "feed")
    links: list[str | None] = []
    for element in root.iter():
        name = _local(element.tag)
        if name == "link" and _is_entry_link(element):
            href = element.get("href") or (element.text or "").strip()
            if href:
                links.append(join_url(base_url, href))
        elif name == "guid" and element.get("isPermaLink", "").lower() == "true" and element.text:
            links.append(join_url(base_url, element.text.strip()))
    return tuple(dict.fromkeys(link for link in links if link is not None))[:MAX_LISTED]


def _is_entry_link(element: lxml.etree._Element) -> bool:
    parent = element.getparent()
    if parent is None or _local(parent.tag) not in ("item", "entry"):
        return False
    return element.get("rel", "alternate") == "alternate"


def _parse_xml(body: bytes, what: str) -> lxml.etree._Element:
    if not body.strip():
        raise ExtractionError(f"empty {what}")
    try:
        root = lxml.etree.fromstring(body, _PARSER)
    except lxml.etree.XMLSyntaxError as exc:
        raise ExtractionError(f"unreadable {what}: {exc}") from None
    if root is None:
        raise ExtractionError(f"unreadable {what}: no XML root element")
    return root


def _maybe_gunzip(body: bytes) -> bytes:
    if not body.startswith(b"\x1f\x8b"):
        return body
    try:
        decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
        data = decompressor.decompress(body, MAX_SITEMAP_BYTES)
    except (zlib.error, gzip.BadGzipFile, EOFError) as exc:
        raise ExtractionError(f"corrupt gzip data: {exc}") from None
    return data


def _local(tag: object) -> str:
    """The tag name without namespace (``{ns}name``, or ``news:name`` from a recovering parse of
    an undeclared prefix)."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower()
