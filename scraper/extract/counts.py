"""The article's own view count, and the counts its structured data declares.

Views come from structured data first (JSON-LD ``interactionStatistic``, the old
``interactionCount`` "UserPageVisits:123", microdata), else from what the page shows in the
article's meta area (its header, however deeply the theme nests it: see ``meta_area``) or
elsewhere inside the article: a view-counter element, an eye icon and its number, or a phrase
such as "1.2K views" or "Lượt xem: 1.234".  Counts in widgets, rails and lists of other posts
are not this article's; when the candidates outside the meta area disagree, there is no answer.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any

import lxml.etree

from scraper.extract.document import Document, HtmlElement, select
from scraper.extract.meta_area import label_text, short_text
from scraper.extract.metadata import article_objects
from scraper.extract.numbers import count_beside, find_counts, parse_count, sane_count
from scraper.extract.patterns import (
    COMMENT_NOUN,
    CONTROL_TAGS,
    VIEW_AFTER_COUNT,
    VIEW_FALSE_TOKEN,
    VIEW_INTERACTIONS,
    VIEW_LABEL_BEFORE,
    VIEW_STEMS,
    VIEW_TOKEN,
)
from scraper.extract.regions import Regions, candidate_roots, is_elsewhere, tokens

# Shared with the comment finders, which place counters the same way.
__all__ = ["Regions", "declared_count", "find_views", "icon_label", "is_elsewhere", "short_text",
           "tokens"]

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
_ICON_TAGS = frozenset({"i", "svg", "span", "em", "img", "b", "use"})
_MAX_LABEL_TEXT = 80
_NEAR_DIGIT = 16  # characters between a view word and its number, at most
_DIGIT = re.compile(r"\d")
_CODE_TAGS = ("script", "style")
_BIG_CODE = 2000  # characters of a script or style left out of the text searched for views
_PROBE = 100


def find_views(doc: Document) -> int | None:
    """The article's view count, or None when the page shows or declares none of its own.

    The first counter in the article's meta area wins; else the counters elsewhere in the
    article, when they agree.  Counters in a list of other posts never count."""
    declared = declared_count(doc, VIEW_INTERACTIONS)
    if declared is not None:
        return declared
    regions = Regions.of(doc)
    inside: list[int] = []
    for element, value in _view_candidates(doc, regions):
        if regions.in_list_of_posts(element):
            continue
        if regions.is_near(element):
            return value
        if regions.in_roots(element):
            inside.append(value)
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
        return sane_count(value)
    if isinstance(value, float) and value.is_integer():
        return sane_count(int(value))
    if isinstance(value, str):
        return parse_count(value)
    return None


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def _view_candidates(doc: Document, regions: Regions) -> Iterator[tuple[HtmlElement, int]]:
    """(element, count) for every view counter inside the article regions, page order."""
    marks = _VIEW_MARKS_AND_ITEMPROPS if doc.itemprop_mentions("nteraction") else _VIEW_MARKS
    for root in candidate_roots(regions):
        # Marked elements that are no view counter ("white", "preview") are skipped: a views
        # phrase in one is found by the text search below.
        elements = [element for element in select(marks, root)
                    if element.get("itemprop") or _is_view_counter(element)]
        text = _shown_text(root)
        if _mentions_views(text):
            words = tuple(word for word in _VIEW_TEXT_WORDS if word in text)
            elements += select(_view_texts(words), root) if words else []
        for element in elements:
            value = _views_of(element)
            if value is not None and not _is_control(element) and \
                    not is_elsewhere(element, regions):
                yield element, value


def _shown_text(root: HtmlElement) -> str:
    """The root's text without its big scripts and styles (a JSON blob or a bundle can be most
    of a page's text, and says nothing a reader sees): what the views phrase search scans."""
    text: str = root.text_content()
    kept: list[str] = []
    start = 0  # the scripts' texts come in page order, as in ``text``: each is looked for once
    for code in root.iter(*_CODE_TAGS):
        body = code.text
        if body is None or len(body) <= _BIG_CODE:
            continue
        at = text.find(body[:_PROBE], start)  # a short probe, then one comparison
        if at != -1 and text.startswith(body, at):
            kept.append(text[start:at])
            start = at + len(body)
    if not kept:
        return text
    kept.append(text[start:])
    return " ".join(kept)


def _is_control(element: HtmlElement) -> bool:
    """A button or form field: its number belongs to an action ("View 3 more")."""
    return element.tag in CONTROL_TAGS or next(element.iterancestors(*CONTROL_TAGS), None) \
        is not None


@functools.cache
def _view_texts(words: tuple[str, ...]) -> lxml.etree.XPath:
    """Short texts (under 100 characters) that contain one of ``words``.  Each test copies the
    text in libxml2, so the rare one (a word) comes first and the length is measured only for
    the few texts that have a word."""
    return lxml.etree.XPath("descendant::text()[not(parent::script or parent::style)][" + " or ".join(
        f"contains(., '{word}')" for word in words) + "][string-length(.) < 100]")


def _mentions_views(text: str) -> bool:
    """Is there a view word with a digit close by?  (Cheap: ``str.find``, no regex.)"""
    text = text.lower()
    for stem in VIEW_STEMS:
        start = text.find(stem)
        while start != -1:
            if _DIGIT.search(text, max(0, start - _NEAR_DIGIT),
                             start + len(stem) + _NEAR_DIGIT) is not None:
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
        text = label_text(holder, _MAX_LABEL_TEXT) if holder is not None else None
        if text is None:
            return None  # too long to be a label: so is the parent, which holds all of it
        if text and (value := count_beside(text, VIEW_AFTER_COUNT, VIEW_LABEL_BEFORE)) is not None:
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
    own = label_text(element, _MAX_LABEL_TEXT)
    if own is None:
        return None
    if own and (value := _count_in_label(own)) is not None:
        return value
    if not own and element.tag in _ICON_TAGS and (value := _beside_icon(element)) is not None:
        return value
    parent = element.getparent()
    around = label_text(parent, _MAX_LABEL_TEXT) if parent is not None else None
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
    return label_text(following, _MAX_LABEL_TEXT) if following is not None else None


def _count_in_label(text: str) -> int | None:
    """A views phrase's count, else the text's only count when nothing says it is another."""
    value = count_beside(text, VIEW_AFTER_COUNT, VIEW_LABEL_BEFORE)
    if value is not None:
        return value
    counts = find_counts(text)
    if len(counts) != 1 or COMMENT_NOUN.search(text):
        return None
    return counts[0].value
