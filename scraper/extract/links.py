"""Where a page points: its canonical and AMP URLs, its feeds, and its outgoing links.

Read-only over ``doc.tree``; run before the body step removes anything.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from scraper.extract.document import Document
from scraper.extract.metadata import absolute

_FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/feed+json",
                         "application/rdf+xml", "application/xml", "text/xml"})


def base_url(doc: Document) -> str | None:
    """The URL relative links resolve against: ``<base href>`` if present, else the page URL."""
    base = doc.tree.find(".//base[@href]")
    if base is not None:
        return absolute(base.get("href") or "", doc.url) or doc.url
    return doc.url


def _rel_links(doc: Document, rel: str) -> list[tuple[str, str]]:
    found = []
    for element in doc.tree.iter("link"):
        rels = (element.get("rel") or "").lower().split()
        href = element.get("href")
        if rel in rels and href and href.strip():
            found.append((href.strip(), (element.get("type") or "").strip().lower()))
    return found


def find_canonical(doc: Document) -> str | None:
    """rel=canonical, else og:url, resolved against the page URL."""
    base = base_url(doc)
    for href, _ in _rel_links(doc, "canonical"):
        if url := absolute(href, base):
            return url
    og_url = doc.meta.get("og:url")
    return absolute(og_url, base) if og_url else None


def find_amphtml(doc: Document) -> str | None:
    base = base_url(doc)
    for href, _ in _rel_links(doc, "amphtml"):
        if url := absolute(href, base):
            return url
    return None


def find_feeds(doc: Document) -> tuple[str, ...]:
    base = base_url(doc)
    feeds = []
    for href, kind in _rel_links(doc, "alternate"):
        if kind in _FEED_TYPES and (url := absolute(href, base)):
            feeds.append(url)
    return tuple(dict.fromkeys(feeds))


def find_links(doc: Document) -> tuple[str, ...]:
    """Absolute http(s) ``<a href>`` targets in document order, without fragments or repeats."""
    base = base_url(doc)
    seen: dict[str, None] = {}
    for link in doc.tree.iter("a"):
        href = (link.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
            continue
        url = _resolve(href, base)
        if url is not None:
            seen.setdefault(url, None)
    return tuple(seen)


def _resolve(href: str, base: str | None) -> str | None:
    try:
        url = urljoin(base, href) if base else href
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    if parts.fragment:
        url = url[: url.index("#")]
    return url
