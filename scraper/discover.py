"""Discovery sources other than page links: XML sitemaps (indexes, gzipped, Google News) and
RSS/Atom feeds.  Pure parsing: the crawler fetches, these functions read bytes.
"""

from __future__ import annotations

import gzip
import zlib
from dataclasses import dataclass
from urllib.parse import urljoin

import lxml.etree

from scraper.errors import ExtractionError

MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # the sitemap protocol's own limit, uncompressed
_PARSER = lxml.etree.XMLParser(resolve_entities=False, no_network=True, recover=True,
                               huge_tree=False, remove_comments=True)


@dataclass(frozen=True, slots=True)
class SitemapEntries:
    """What one sitemap lists: pages to fetch and nested sitemaps to read."""

    pages: tuple[str, ...]
    sitemaps: tuple[str, ...]


def looks_like_sitemap(content_type: str, body: bytes) -> bool:
    head = _maybe_gunzip(body[:4096] if not body.startswith(b"\x1f\x8b") else body)[:2048]
    return b"<urlset" in head or b"<sitemapindex" in head


def parse_sitemap(body: bytes, base_url: str) -> SitemapEntries:
    """Read a ``<urlset>`` or ``<sitemapindex>`` (plain or gzipped; news sitemaps included)."""
    root = _parse_xml(_maybe_gunzip(body), "sitemap")
    pages: list[str] = []
    sitemaps: list[str] = []
    target = sitemaps if _local(root.tag) == "sitemapindex" else pages
    for element in root.iter():
        if _local(element.tag) == "loc" and element.text and element.text.strip():
            target.append(urljoin(base_url, element.text.strip()))
    return SitemapEntries(tuple(dict.fromkeys(pages)), tuple(dict.fromkeys(sitemaps)))


def looks_like_feed(content_type: str, body: bytes) -> bool:
    if any(kind in content_type for kind in ("rss", "atom")):
        return True
    head = body[:2048].lower()
    return b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head


def parse_feed(body: bytes, base_url: str) -> tuple[str, ...]:
    """The item/entry links of an RSS 2.0, RSS 1.0 or Atom feed, in feed order."""
    root = _parse_xml(body, "feed")
    links: list[str] = []
    for element in root.iter():
        name = _local(element.tag)
        if name == "link" and _is_entry_link(element):
            href = element.get("href") or (element.text or "").strip()
            if href:
                links.append(urljoin(base_url, href))
        elif name == "guid" and element.get("isPermaLink", "").lower() == "true" and element.text:
            links.append(urljoin(base_url, element.text.strip()))
    return tuple(dict.fromkeys(links))


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
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()
