"""The article's own view count, the counts its structured data declares, and where on the page
an element sits (beside the headline, inside the article, or among other articles).

Views come from structured data first (JSON-LD ``interactionStatistic``, the old
``interactionCount`` "UserPageVisits:123", microdata), else from what the page shows beside the
headline or inside the article: a view-counter element, an eye icon and its number, or a phrase
such as "1.2K views" or "Lượt xem: 1.234".  Counts in widgets, rails and lists of other articles
are not this article's; when the candidates inside the article disagree, there is no answer.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urlsplit

import lxml.etree

from scraper.extract.document import Document, HtmlElement, select
from scraper.extract.metadata import article_objects
from scraper.extract.numbers import count_beside, find_counts, parse_count
from scraper.extract.patterns import (
    BUILDER_TOKEN,
    COMMENT_NOUN,
    ELSEWHERE_TAGS,
    ELSEWHERE_TOKEN,
    VIEW_AFTER_COUNT,
    VIEW_BEFORE_COUNT,
    VIEW_FALSE_TOKEN,
    VIEW_INTERACTIONS,
    VIEW_STEMS,
    VIEW_TOKEN,
)

# View counters inside the article: class/id marks and microdata (page order); counters whose
# classes say "statistics", "luot-xem" or "pvc_stats" also say "views" in words ...
# (``descendant-or-self::*`` visits elements only, cheaper than ``.//``; ``itemprop`` only when
# the page's shared itemprop index has such a value).
_VIEW_MARKS_XPATH = (
    "descendant-or-self::*/@class[contains(., 'iew') or contains(., 'eye') or contains(., 'hit')]"
    " | descendant-or-self::*/@id[contains(., 'iew')]")
_VIEW_MARKS = lxml.etree.XPath(_VIEW_MARKS_XPATH)
_VIEW_MARKS_AND_ITEMPROPS = lxml.etree.XPath(
    _VIEW_MARKS_XPATH + " | descendant-or-self::*/@itemprop[contains(., 'nteraction')]")
# ... and, when the article's text has a views phrase at all, the short texts that may hold it
# (an XPath with only the words the text contains: each contains() costs a string copy).
_VIEW_TEXT_WORDS = ("iew", "xem", "isit", "ufrufe", "vues", "ettur", "ectur", "eitur", "isualiz",
                    "eads", "its", "elesen", "росмотр")
_ARTICLE_TAGS = frozenset({"article", "main"})
_PAGE_TAGS = frozenset({"html", "body"})
_ICON_TAGS = frozenset({"i", "svg", "span", "em", "img", "b", "use"})
_NEAR_LEVELS = 3  # the headline, its parent and grandparent: the header / byline area
_NEAR_SIBLINGS = 3  # boxes before or after the headline (or its parent) that count as beside it
_MAX_BOX_TEXT = 400  # a meta bar or header, not the body
_MAX_LABEL_TEXT = 80
_NEAR_DIGIT = 16  # characters between a view word and its number, at most


class Regions:
    """Where the article is: the headline (the h1 inside the article element, else the first
    h1), its close ancestors, and the article element."""

    __slots__ = ("_doc", "_here", "_near", "around_headline", "near_levels", "roots")

    def __init__(self, doc: Document, found: Iterable[HtmlElement] | None = None) -> None:
        """``found``: the page's h1 and article elements (default: ``doc.landmarks()``)."""
        found = list(doc.landmarks() if found is None else found)
        headlines = [element for element in found if element.tag == "h1"]
        headline = next((h1 for h1 in headlines if _article_of(h1) is not None),
                        headlines[0] if headlines else None)
        levels: list[HtmlElement] = []
        roots: list[HtmlElement] = []
        if headline is not None:
            levels = list(itertools.islice(_ancestors(headline), _NEAR_LEVELS))
            article = _article_of(headline)
            roots.append(article if article is not None else levels[-1])
        else:
            roots.extend(itertools.islice((e for e in found if e.tag == "article"), 1))
        self.near_levels = tuple(levels)  # h1, its parent, its grandparent
        self.roots = tuple(roots)  # subtrees that hold the article
        # The h1's ancestors: they hold the article itself, whatever their class names say.
        self.around_headline = frozenset(_ancestors(headline)) if headline is not None \
            else frozenset()
        self._doc = doc
        self._here: frozenset[str] | None = None
        self._near: frozenset[HtmlElement] | None = None

    @property
    def here(self) -> frozenset[str]:
        """URL paths of this page (its URL, og:url, canonical link)."""
        if self._here is None:
            self._here = _here_paths(self._doc)
        return self._here

    def is_near(self, element: HtmlElement) -> bool:
        """Beside the headline: inside its (small) parent, or a small box right before or after
        it or its parent (the header, byline and meta bar; never the body text)."""
        if self._near is None:
            self._near = frozenset(self._near_boxes())
        return any(node in self._near for node in _ancestors(element))

    def _near_boxes(self) -> Iterator[HtmlElement]:
        for level in self.near_levels[:2]:
            if level is not self.near_levels[0] and _is_small(level):
                yield level
            for preceding in (False, True):
                siblings = level.itersiblings(preceding=preceding)
                yield from (sibling for sibling in itertools.islice(siblings, _NEAR_SIBLINGS)
                            if isinstance(sibling.tag, str) and _is_small(sibling))


def _is_small(element: HtmlElement) -> bool:
    """Short, and not a run of paragraphs (the body of a short article)."""
    if short_text(element, _MAX_BOX_TEXT) is None:
        return False
    return len(list(itertools.islice(element.iter("p"), 2))) < 2


def _ancestors(element: HtmlElement) -> Iterator[HtmlElement]:
    """``element`` and its ancestors, up to (not including) ``body``."""
    node: HtmlElement | None = element
    while node is not None and node.tag not in _PAGE_TAGS:
        yield node
        node = node.getparent()


def _article_of(element: HtmlElement) -> HtmlElement | None:
    for node in _ancestors(element):
        if node.tag in _ARTICLE_TAGS or "Article" in (node.get("itemtype") or ""):
            return node
    return None


def _here_paths(doc: Document) -> frozenset[str]:
    urls = [doc.url, doc.meta.get("og:url")]
    head = doc.tree.find("head")
    if head is not None:
        urls += [link.get("href") for link in head.iter("link")
                 if (link.get("rel") or "").lower() == "canonical"]
    return frozenset(_path(url) for url in urls if url)


def _path(url: str) -> str:
    return urlsplit(url.strip()).path.rstrip("/") or "/"


def tokens(element: HtmlElement) -> list[str]:
    """The element's class and id tokens."""
    return ((element.get("class") or "") + " " + (element.get("id") or "")).split()


def is_elsewhere(element: HtmlElement, regions: Regions) -> bool:
    """Inside a widget, rail, menu or a link to another page?  Only the containers below the
    ones that hold the headline count: those hold the article itself, whatever their names
    ("has-sidebar", "theiaStickySidebar")."""
    for node in _ancestors(element):
        if node in regions.around_headline:
            return False
        if node.tag in ELSEWHERE_TAGS:
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
        return _path(href) in here
    return "#" in href and href.split("#", 1)[1].startswith(("comment", "respond", "disqus"))


def short_text(element: HtmlElement, limit: int) -> str | None:
    """The element's text, whitespace-collapsed, or None when it is longer than ``limit``."""
    parts: list[str] = []
    size = 0
    for text in element.itertext():
        size += len(text)
        if size > limit * 3:
            return None
        parts.append(text)
    joined = " ".join("".join(parts).split())
    return joined if len(joined) <= limit else None


def find_views(doc: Document) -> int | None:
    """The article's view count, or None when the page shows or declares none of its own."""
    declared = declared_count(doc, VIEW_INTERACTIONS)
    if declared is not None:
        return declared
    regions = Regions(doc)
    near: list[int] = []
    inside: list[int] = []
    for element, value in _view_candidates(doc, regions):
        (near if regions.is_near(element) else inside).append(value)
    if near:
        return near[0]
    return inside[0] if inside and len(set(inside)) == 1 else None


def declared_count(doc: Document, interactions: tuple[str, ...], field: str | None = None,
                   meta_keys: tuple[str, ...] = ()) -> int | None:
    """A count the article's JSON-LD (``interactionStatistic``, ``interactionCount``, or
    ``field`` such as ``commentCount``) or its ``<meta>`` tags (``meta_keys``, the old
    ``itemprop=interactionCount`` "UserComments:5") declare."""
    for item in article_objects(doc):
        for statistic in _as_list(item.get("interactionStatistic")):
            if isinstance(statistic, dict) and _interaction(statistic) in interactions:
                value = _number(statistic.get("userInteractionCount"))
                if value is not None:
                    return value
        for legacy in _as_list(item.get("interactionCount")):
            if (value := _legacy_count(legacy, interactions)) is not None:
                return value
        if field is not None and (value := _number(item.get(field))) is not None:
            return value
    for key in meta_keys:
        if (value := _number(doc.meta.get(key))) is not None:
            return value
    return _legacy_count(doc.meta.get("interactioncount"), interactions)


def _interaction(statistic: dict[str, Any]) -> str:
    kind = statistic.get("interactionType")
    if isinstance(kind, dict):
        kind = kind.get("@type") or kind.get("@id") or ""
    return str(kind or "").rstrip("/").rsplit("/", 1)[-1].lower()


def _legacy_count(value: Any, interactions: tuple[str, ...]) -> int | None:
    """``"UserPageVisits:123"`` / ``"UserComments:5"`` (schema.org's older form)."""
    if not isinstance(value, str) or ":" not in value:
        return None
    kind, _, number = value.partition(":")
    return _number(number) if kind.strip().lower() in interactions else None


def _number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float) and value.is_integer() and value >= 0:
        return int(value)
    if isinstance(value, str):
        return parse_count(value)
    return None


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def _view_candidates(doc: Document, regions: Regions) -> Iterator[tuple[HtmlElement, int]]:
    """(element, count) for every view counter inside the article regions, page order."""
    marks = _VIEW_MARKS_AND_ITEMPROPS if doc.itemprop_mentions("nteraction") else _VIEW_MARKS
    for root in regions.roots:
        elements = select(marks, root)
        text = root.text_content()
        if _mentions_views(text):
            words = tuple(word for word in _VIEW_TEXT_WORDS if word in text)
            elements += select(_view_texts(words), root) if words else []
        for element in elements:
            value = _views_of(element)
            if value is not None and not is_elsewhere(element, regions):
                yield element, value


@functools.cache
def _view_texts(words: tuple[str, ...]) -> lxml.etree.XPath:
    """Short texts (under 100 characters) that contain one of ``words``."""
    return lxml.etree.XPath(".//text()[string-length(.) < 100][" + " or ".join(
        f"contains(., '{word}')" for word in words) + "]")


def _mentions_views(text: str) -> bool:
    """Is there a view word with a digit close by?  (Cheap: ``str.find``, no regex.)"""
    text = text.lower()
    for stem in VIEW_STEMS:
        start = text.find(stem)
        while start != -1:
            around = text[max(0, start - _NEAR_DIGIT): start + len(stem) + _NEAR_DIGIT]
            if any(char.isdigit() for char in around):
                return True
            start = text.find(stem, start + len(stem))
    return False


def _views_of(element: HtmlElement) -> int | None:
    """The views an element declares (microdata), shows as a counter, or states in words."""
    if element.get("itemprop") and (value := _microdata_views(element)) is not None:
        return value
    if _is_view_counter(element) and (value := _shown_views(element)) is not None:
        return value
    for holder in (element, element.getparent()):
        text = short_text(holder, _MAX_LABEL_TEXT) if holder is not None else None
        if text and (value := count_beside(text, VIEW_AFTER_COUNT, VIEW_BEFORE_COUNT)) is not None:
            return value
    return None


def _is_view_counter(element: HtmlElement) -> bool:
    return any(VIEW_TOKEN.match(token) and not VIEW_FALSE_TOKEN.match(token)
               for token in tokens(element))


def _microdata_views(element: HtmlElement) -> int | None:
    """``itemprop=interactionStatistic`` with a view interaction, or ``interactionCount``."""
    props = (element.get("itemprop") or "").lower().split()
    if "interactioncount" in props:
        return _legacy_count(element.get("content") or element.text_content(),
                             VIEW_INTERACTIONS)
    if "interactionstatistic" not in props:
        return None
    kind = count = None
    for child in element.iter():
        prop = (child.get("itemprop") or "").lower()
        value = child.get("content") or child.get("href") or child.text_content()
        if prop == "interactiontype":
            kind = value.rstrip("/").rsplit("/", 1)[-1].lower()
        elif prop == "userinteractioncount":
            count = parse_count(value)
    return count if kind in VIEW_INTERACTIONS else None


def _shown_views(element: HtmlElement) -> int | None:
    """The number a view counter shows: its own text, or beside it when it is an icon."""
    own = short_text(element, _MAX_LABEL_TEXT)
    if own is None:
        return None
    if own and (value := _count_in_label(own)) is not None:
        return value
    if not own and element.tag in _ICON_TAGS and (value := _beside_icon(element)) is not None:
        return value
    parent = element.getparent()
    around = short_text(parent, _MAX_LABEL_TEXT) if parent is not None else None
    return _count_in_label(around) if around else None


def _beside_icon(icon: HtmlElement) -> int | None:
    text = icon_label(icon)
    return _count_in_label(text) if text else None


def icon_label(icon: HtmlElement) -> str | None:
    """The text shown right after an icon: ``<i class="fa fa-eye"></i> 337`` or
    ``<span class="icon-eye"></span><span>337</span>``."""
    after = " ".join((icon.tail or "").split())
    if after:
        return after
    following = icon.getnext()
    return short_text(following, _MAX_LABEL_TEXT) if following is not None else None


def _count_in_label(text: str) -> int | None:
    """A views phrase's count, else the text's only count when nothing says it is another."""
    value = count_beside(text, VIEW_AFTER_COUNT, VIEW_BEFORE_COUNT)
    if value is not None:
        return value
    counts = find_counts(text)
    if len(counts) != 1 or COMMENT_NOUN.search(text):
        return None
    return counts[0].value
