"""Where a page points: its canonical and AMP URLs, its feeds, and its outgoing links.

Read-only over ``doc.tree``; run before the body step removes anything.  Links the page asks
crawlers not to follow (``rel`` ``nofollow``, ``sponsored`` or ``ugc``; all links under a
``<meta name="robots" content="nofollow">``) are returned apart, for the crawler to decide.
"""

from __future__ import annotations

import re
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
    base = next((element for element in doc.elements("base") if element.get("href") is not None),
                None)
    if base is not None:
        return absolute(base.get("href") or "", doc.url) or doc.url
    return doc.url


def find_head_links(doc: Document) -> HeadLinks:
    """Canonical, AMP and feed URLs from one pass over the ``<link>`` elements."""
    base = base_url(doc)
    canonical = amphtml = None
    feeds: dict[str, None] = {}
    for element in doc.elements("link"):
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
    anchors = [(link.get("href"), link.get("rel")) for link in doc.tree.iter("a")]
    resolve = HrefResolver(base_url(doc))
    urls = {raw: resolve(raw) for raw in {raw for raw, _ in anchors}}  # each distinct href once
    page_nofollow = _robots_nofollow(doc.meta.get("robots", ""))
    follow: dict[str, None] = {}
    nofollow: dict[str, None] = {}
    for raw, rel in anchors:
        url = urls[raw]
        if url is None:
            continue
        if page_nofollow or (rel and NOFOLLOW_RELS.intersection(rel.lower().split())):
            nofollow.setdefault(url, None)
        else:
            follow.setdefault(url, None)
    return PageLinks(tuple(follow), tuple(url for url in nofollow if url not in follow))


def _robots_nofollow(content: str) -> bool:
    """``<meta name="robots">`` says nofollow (or ``none``, which implies it)."""
    return bool(_directives(content) & {"nofollow", "none"})


def robots_noindex(content: str) -> bool:
    """``<meta name="robots">`` says noindex (or ``none``, which implies it)."""
    return bool(_directives(content) & {"noindex", "none"})


def _directives(content: str) -> set[str]:
    return {part.strip() for part in content.lower().split(",")}


class HrefResolver:
    """A page's ``href`` values to absolute http(s) URLs without fragment (None: not a
    followable web link).  The common kinds (``/path`` and ``http(s)://host/path``) are
    resolved by string operations that give exactly what ``urljoin`` and ``urlsplit`` give
    (``resolve_href``, the slow path that the rest take)."""

    def __init__(self, base: str | None) -> None:
        self.base = base
        self._prefix = _plain_origin(base)  # "https://host:port"; None: no root-relative ones
        # The scheme urljoin reads from the base ("" when there is no base and so no joining);
        # None: a base whose parts the shortcuts do not know, so every href takes the slow path.
        self._scheme = self._prefix[: self._prefix.index(":")] if self._prefix else (
            None if base else "")

    def __call__(self, raw: str | None) -> str | None:
        href = (raw or "").strip()
        if not href or href.startswith(_NOT_WEB):
            return None
        url = self._shortcut(href)
        return url if url is not None else resolve_href(href, self.base)

    def _shortcut(self, href: str) -> str | None:
        """The shortcut's answer, or None when ``href`` needs the slow path."""
        if self._scheme is None or not href.isprintable():  # urlsplit drops tabs, newlines
            return None
        if href[0] == "/":
            if href[1:2] == "/" or self._prefix is None:
                return None
            return _joined(self._prefix, href, dot_segments=True)
        scheme = "https" if href.startswith("https://") else (
            "http" if href.startswith("http://") else None)
        if scheme is None:
            return None
        start = len(scheme) + 3
        end = _authority_end(href, start)
        authority = href[start:end]
        if not authority or not authority.isascii() or "[" in authority or "]" in authority:
            return None
        if scheme != self._scheme:  # urljoin returns such a URL as it is
            cut = href.find("#")
            return href[:cut] if 0 <= cut < len(href) - 1 else href
        return _joined(href[:end], href[end:], dot_segments=False)


_NOT_WEB = ("#", "javascript:", "mailto:", "tel:", "data:")
_PLAIN_ORIGIN = re.compile(r"(https?://[A-Za-z0-9.-]+(?::[0-9]*)?)(?:[/?#]|$)")


def _plain_origin(base: str | None) -> str | None:
    """``scheme://host[:port]`` of a base URL whose parts ``urlsplit`` reads as they are
    (lower-case http(s), a plain host, nothing it strips or drops), else None."""
    if not base or not base.isprintable() or " " in base:
        return None
    match = _PLAIN_ORIGIN.match(base)
    return match[1] if match else None


def _authority_end(url: str, start: int) -> int:
    """Where the host part of ``url`` ends, as ``urlsplit`` finds it (first ``/``, ``?``, ``#``)."""
    ends = [found for found in (url.find(mark, start) for mark in "/?#") if found >= 0]
    return min(ends) if ends else len(url)


def _joined(origin: str, rest: str, *, dot_segments: bool) -> str | None:
    """``origin`` + path and query of ``rest`` (fragment and an empty query dropped, as
    ``urlunsplit`` does); None when the path has ``;`` parameters or (for a root-relative
    ``rest``, whose dot segments urljoin removes) a ``.`` segment: the slow path's work."""
    cut = rest.find("#")
    if cut >= 0:
        rest = rest[:cut]
    path, _, query = rest.partition("?")
    if ";" in path or (dot_segments and "/." in path):
        return None
    return f"{origin}{path}?{query}" if query else origin + path


def resolve_href(href: str, base: str | None) -> str | None:
    """The slow path, and the reference for ``HrefResolver``'s shortcuts: ``href`` (stripped)
    joined to ``base`` by ``urljoin``, kept when http(s) with a host, without its fragment."""
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
