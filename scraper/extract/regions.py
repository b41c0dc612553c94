"""Where on the page an element sits: in the article's header (its meta area), elsewhere in
the article, or among other articles (widgets, rails, menus, lists of other posts).

The view and comment-count finders share one ``Regions`` per page.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from scraper.extract.document import Document, HtmlElement
from scraper.extract.meta_area import ancestors, header_boxes, header_scope, in_list_of_posts
from scraper.extract.patterns import BUILDER_TOKEN, ELSEWHERE_TAGS, ELSEWHERE_TOKEN

_WORD = re.compile(r"\w+")
_ARTICLE_TAGS = frozenset({"article", "main"})
_NEAR_LEVELS = 3  # the headline, its parent and grandparent: the subtree searched without an article


class Regions:
    """Where the article is: the headline (the h1 inside the article element, else the first
    h1), the subtrees that hold the article, and its header boxes (the meta area)."""

    __slots__ = ("_doc", "_here", "_near", "around_headline", "headline", "roots",
                 "within_article")

    def __init__(self, doc: Document, found: Iterable[HtmlElement] | None = None) -> None:
        """``found``: the page's h1 and article elements (default: ``doc.landmarks()``)."""
        found = list(doc.landmarks() if found is None else found)
        headlines = [element for element in found if element.tag == "h1"]
        headline = _titled(doc, headlines) if headlines else None
        roots: list[HtmlElement] = []
        article = None
        if headline is not None:
            levels = list(itertools.islice(ancestors(headline), _NEAR_LEVELS))
            article = _article_of(headline)
            roots.append(article if article is not None else levels[-1])
        else:
            roots.extend(itertools.islice((e for e in found if e.tag == "article"), 1))
        self.headline = headline
        self.within_article = article  # the article element holding the headline, if any
        self.roots = tuple(roots)  # subtrees that hold the article
        # The h1's ancestors: they hold the article itself, whatever their class names say.
        self.around_headline = frozenset(ancestors(headline)) if headline is not None \
            else frozenset()
        self._doc = doc
        self._here: frozenset[str] | None = None
        self._near: frozenset[HtmlElement] | None = None

    @classmethod
    def of(cls, doc: Document) -> Regions:
        """The page's ``Regions``, shared by the view and comment finders (built once)."""
        found = doc.shared.get("regions")
        if isinstance(found, Regions):
            return found
        regions = cls(doc)
        doc.shared["regions"] = regions
        return regions

    @property
    def here(self) -> frozenset[str]:
        """URL paths of this page (its URL, og:url, canonical link)."""
        if self._here is None:
            self._here = _here_paths(self._doc)
        return self._here

    @property
    def header(self) -> frozenset[HtmlElement]:
        """The boxes of the article's header: the headline block and the small boxes beside it,
        up to where the body starts (see ``meta_area.header_boxes``)."""
        if self._near is None:
            boxes = header_boxes(self.headline, self.within_article) \
                if self.headline is not None else ()
            self._near = frozenset(boxes)
        return self._near

    def is_near(self, element: HtmlElement) -> bool:
        """In the article's header (its meta area), and not in a list of other posts there."""
        header = self.header
        return any(node in header for node in ancestors(element)) and \
            not self.in_list_of_posts(element)

    def in_roots(self, element: HtmlElement) -> bool:
        """Inside the subtrees that hold the article (see ``roots``)."""
        return any(node in self.roots for node in ancestors(element))

    def in_list_of_posts(self, element: HtmlElement) -> bool:
        """Inside one item of a list of other posts (see ``meta_area.in_list_of_posts``)."""
        return in_list_of_posts(element, self.around_headline,
                                lambda href: not is_here(href, self.here))


def _titled(doc: Document, headlines: list[HtmlElement]) -> HtmlElement:
    """The h1 that shares most words with the page's declared titles (a logo h1 shares the
    site name at most, a heading inside the text a few words); on a tie, the first inside an
    article element, else the first."""
    if len(headlines) == 1:
        return headlines[0]
    title = doc.tree.find("head/title")
    declared = " ".join(text for text in (doc.meta.get("og:title"), doc.meta.get("twitter:title"),
                                          title.text_content() if title is not None else None)
                        if text)
    words = set(_WORD.findall(declared.lower()))
    return max(headlines, key=lambda h1: (
        len(words.intersection(_WORD.findall(h1.text_content().lower()))),
        _article_of(h1) is not None, -headlines.index(h1)))


def _article_of(element: HtmlElement) -> HtmlElement | None:
    for node in ancestors(element):
        if node.tag in _ARTICLE_TAGS or "Article" in (node.get("itemtype") or ""):
            return node
    return None


def _here_paths(doc: Document) -> frozenset[str]:
    urls = [doc.url, doc.meta.get("og:url")]
    head = doc.tree.find("head")
    if head is not None:
        urls += [link.get("href") for link in head.iter("link")
                 if (link.get("rel") or "").lower() == "canonical"]
    return frozenset(path for url in urls if url and (path := _path(url)) is not None)


def _path(url: str) -> str | None:
    """The path of ``url``; None for a URL that cannot be read (a broken IPv6 literal, say)."""
    try:
        return urlsplit(url.strip()).path.rstrip("/") or "/"
    except ValueError:
        return None


def tokens(element: HtmlElement) -> list[str]:
    """The element's class and id tokens."""
    return ((element.get("class") or "") + " " + (element.get("id") or "")).split()


def is_elsewhere(element: HtmlElement, regions: Regions,
                 kept: Callable[[HtmlElement], bool] | None = None) -> bool:
    """Inside a widget, rail, menu or a link to another page?  Only the containers below the
    ones that hold the headline count: those hold the article itself, whatever their names
    ("has-sidebar", "theiaStickySidebar").  ``kept`` spares a sidebar-like tag the caller knows
    to be the region it looks for (an ``<aside>`` holding the comments)."""
    for node in ancestors(element):
        if node in regions.around_headline:
            return False
        if node.tag in ELSEWHERE_TAGS and not (kept is not None and kept(node)):
            return True
        if node.tag == "a" and not is_here(node.get("href") or "", regions.here):
            return True
        if any(ELSEWHERE_TOKEN.search(token) for token in tokens(node)
               if not BUILDER_TOKEN.match(token)):
            return True
    return False


def is_here(href: str, here: frozenset[str]) -> bool:
    """Does a link point into this page (a fragment, or this page's own URL)?"""
    href = href.strip()
    if not href or href.startswith("#"):
        return True
    if here:
        path = _path(href)
        return path is not None and path in here
    return "#" in href and href.split("#", 1)[1].startswith(("comment", "respond", "disqus"))


def candidate_roots(regions: Regions) -> list[HtmlElement]:
    """The subtrees to search for the article's counters: the article element; without one,
    the box that holds the headline and the body (the header boxes are in it), whose counters
    count when they are in the header or near the headline (``Regions.in_roots``)."""
    if regions.within_article is None and regions.headline is not None:
        return [header_scope(regions.headline)]
    return list(regions.roots)
