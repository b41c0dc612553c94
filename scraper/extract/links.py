"""Where a page points: its canonical and AMP URLs, its feeds, and its outgoing links.

Read-only over ``doc.tree``; run before the body step removes anything.  Links the page asks
crawlers not to follow (``rel`` ``nofollow``, ``sponsored`` or ``ugc``; all links under a
``<meta name="robots" content="nofollow">``) are returned apart, for the crawler to decide.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from scraper.extract.document import Document
from scraper.extract.metadata import absolute

NOFOLLOW_RELS = frozenset({"nofollow", "sponsored", "ugc"})
_FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/feed+json",
                         "application/rdf+xml", "application/xml", "text/xml"})


@dataclass(frozen=True, slots=True)
class PageLinks:
    """A page's ``<a href>`` targets, absolute, in document order, split by whether the page
    lets crawlers follow them.  A URL linked both ways counts as followable."""

    follow: tuple[str, ...] = ()
    nofollow: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class HeadLinks:
    """The page's own ``<link>`` URLs, absolute: canonical (else og:url), AMP, feeds."""

    canonical: str | None = None
    amphtml: str | None = None
    feeds: tuple[str, ...] = ()


def base_url(doc: Document) -> str | None:
    """The URL relative links resolve against: ``<base href>`` if present, else the page URL."""
    base = next((element for element in doc.tree.iter("base") if element.get("href") is not None),
                None)
    if base is not None:
        return absolute(base.get("href") or "", doc.url) or doc.url
    return doc.url


def find_head_links(doc: Document) -> HeadLinks:
    """Canonical, AMP and feed URLs from one pass over the ``<link>`` elements."""
    base = base_url(doc)
    canonical = amphtml = None
    feeds: dict[str, None] = {}
    for element in doc.tree.iter("link"):
        rels = (element.get("rel") or "").lower().split()
        href = (element.get("href") or "").strip()
        if not rels or not href:
            continue
        if canonical is None and "canonical" in rels:
            canonical = absolute(href, base)
        if amphtml is None and "amphtml" in rels:
            amphtml = absolute(href, base)
        if "alternate" in rels and (element.get("type") or "").strip().lower() in _FEED_TYPES \
                and (url := absolute(href, base)):
            feeds.setdefault(url, None)
    og_url = doc.meta.get("og:url")
    if canonical is None and og_url:
        canonical = absolute(og_url, base)
    return HeadLinks(canonical, amphtml, tuple(feeds))


def find_links(doc: Document) -> PageLinks:
    """Absolute http(s) ``<a href>`` targets without fragments or repeats, split by rel."""
    base = base_url(doc)
    page_nofollow = _robots_nofollow(doc.meta.get("robots", ""))
    follow: dict[str, None] = {}
    nofollow: dict[str, None] = {}
    for link in doc.tree.iter("a"):
        href = (link.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
            continue
        url = _resolve(href, base)
        if url is None:
            continue
        rels = (link.get("rel") or "").lower().split()
        if page_nofollow or NOFOLLOW_RELS.intersection(rels):
            nofollow.setdefault(url, None)
        else:
            follow.setdefault(url, None)
    return PageLinks(tuple(follow), tuple(url for url in nofollow if url not in follow))


def _robots_nofollow(content: str) -> bool:
    """``<meta name="robots">`` says nofollow (or ``none``, which implies it)."""
    directives = {part.strip() for part in content.lower().split(",")}
    return bool(directives & {"nofollow", "none"})


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
