"""Dates the page states in words after a label: "Originally published on 26 Sep 2019" (the
first publication), and "Veröffentlicht am: 6. August 2009", "Published: 03 Dec 2025",
"Dieser Artikel wurde am 14. Dezember 2015 ... geschrieben" (a dateline anywhere, read when the
headline shows none and the page declares none).

The label's text node is found by one XPath of cheap ``contains()`` tests; the date must follow
the label closely, in the same text or the next few.  Labels inside comments, embedded posts and
teasers are not the article's.
"""

from __future__ import annotations

import functools
import re

import lxml.etree

from scraper.extract.date_parsing import day_first, parse_date
from scraper.extract.document import Document, HtmlElement
from scraper.extract.patterns import (
    ORIGINAL_LABEL,
    ORIGINAL_NEEDLE,
    PUBLISHED_LABEL,
    PUBLISHED_LABEL_NEEDLES,
    STARTS_WITH_DATE,
)
from scraper.extract.surroundings import Surroundings

__all__ = ["labelled_published", "originally_published", "text_owner"]

_MAX_DATELINE = 160
_ORIGINAL_WINDOW = 32  # the date must follow the label: "on 26 Sep 2019 at 4:12pm"
_LABEL_WINDOW = 48  # room for a weekday: "Veröffentlicht am: Donnerstag, 6. August 2009"
_NEXT_TEXTS = 4  # "<span>Published:</span> <time>…</time>": the date may be in the next texts
_MAX_LABELS = 20  # label texts looked at, in page order
_NEEDLE_FORMS = tuple((needle, (needle, *escaped)) for needle, *escaped in PUBLISHED_LABEL_NEEDLES)
_ALL_NEEDLES = tuple(needle for needle, _ in _NEEDLE_FORMS)
_ANY_NEEDLE = re.compile("|".join(re.escape(needle) for needle in _ALL_NEEDLES))
_BODY_TEXTS = lxml.etree.XPath("count(//body//text())")  # cheap: no node list is built
# The texts a label may be in; a regex over them costs less than libxml2's contains() per needle.
_PLAIN_TEXTS = lxml.etree.XPath("//body//text()[not(parent::script or parent::style)]")
_SOURCE_PER_TEXT = 100  # source characters per text node above which texts are searched first
_ORIGINAL_TEXTS = lxml.etree.XPath(f"//body//text()[contains(., '{ORIGINAL_NEEDLE}')]")

# From a text's parent element: the text itself, then the next ones (a tail is the first text
# following its element; an element's own text is its first descendant text).
_FROM_TAIL = lxml.etree.XPath(f"following::text()[position() <= {_NEXT_TEXTS + 1}]")
_FROM_TEXT = lxml.etree.XPath(
    f"(descendant::text() | following::text())[position() <= {_NEXT_TEXTS + 1}]")


def originally_published(doc: Document) -> str | None:
    """The date after an "Originally published on" label: the first publication, in words."""
    if not doc.mentions(ORIGINAL_NEEDLE):
        return None
    found = _ORIGINAL_TEXTS(doc.tree)
    for node in found if isinstance(found, list) else []:
        block = text_owner(node)
        if block is None:
            continue
        text = block.text_content()[:_MAX_DATELINE * 4]
        for label in ORIGINAL_LABEL.finditer(text):
            after = text[label.end():label.end() + _ORIGINAL_WINDOW]
            if STARTS_WITH_DATE.match(after) and (date := parse_date(after, day_first(doc.lang))):
                return date
    return None


def labelled_published(doc: Document) -> str | None:
    """The first date right after a publication label, outside comments and teasers."""
    around = Surroundings(None)
    for node in _label_nodes(doc)[:_MAX_LABELS]:
        text = str(node)
        label = PUBLISHED_LABEL.search(text)
        if label is None or around.elsewhere(text_owner(node)):
            continue
        after = text[label.end():].strip()
        if len(after) < _LABEL_WINDOW:
            after = " ".join([after, *_next_texts(node)]).strip()
        after = after[:_LABEL_WINDOW + _MAX_DATELINE // 4]
        if STARTS_WITH_DATE.match(after) and (date := parse_date(after, day_first(doc.lang))):
            return date
    return None


def _label_nodes(doc: Document) -> list[lxml.etree._ElementUnicodeResult]:
    """The texts holding a label needle that the page source mentions, page order.

    Asking the source about every needle scans it once per needle: on a page that is mostly
    scripts, styles or inline data (many source characters per text node) that costs more than
    searching the texts (one regex) for every needle and asking the source only about the
    needles found.  Both give the same texts."""
    mentioned: dict[str, bool] = {}

    def is_mentioned(needle: str, forms: tuple[str, ...]) -> bool:
        if needle not in mentioned:
            mentioned[needle] = any(doc.mentions(form) for form in forms)
        return mentioned[needle]

    texts = _BODY_TEXTS(doc.tree)
    if len(doc.source) > _SOURCE_PER_TEXT * (texts if isinstance(texts, float) else 0):
        return [node for node in _smart_strings(_PLAIN_TEXTS(doc.tree)) if _ANY_NEEDLE.search(
            node) and any(needle in node and is_mentioned(needle, forms)
                          for needle, forms in _NEEDLE_FORMS)]
    needles = tuple(needle for needle, forms in _NEEDLE_FORMS if is_mentioned(needle, forms))
    return _smart_strings(_label_texts(needles)(doc.tree)) if needles else []


def _smart_strings(found: object) -> list[lxml.etree._ElementUnicodeResult]:
    return [node for node in found if isinstance(node, lxml.etree._ElementUnicodeResult)] if (
        isinstance(found, list)) else []


@functools.lru_cache(maxsize=64)
def _label_texts(needles: tuple[str, ...]) -> lxml.etree.XPath:
    """The texts (not of scripts or styles) holding one of ``needles``: one compiled query per
    set of needles the page source holds.  The cheap parent test comes first, so that a long
    script is not copied once per needle."""
    return lxml.etree.XPath("//body//text()[not(parent::script or parent::style)][" + " or ".join(
        f"contains(., '{needle}')" for needle in needles) + "]")


def _next_texts(node: lxml.etree._ElementUnicodeResult) -> list[str]:
    """The few texts after a text node, stripped."""
    parent = node.getparent()
    if parent is None:
        return []
    found = (_FROM_TAIL if node.is_tail else _FROM_TEXT)(parent)
    return [str(text).strip() for text in (found if isinstance(found, list) else [])[1:]]


def text_owner(node: object) -> HtmlElement | None:
    """The element whose content a text node is (a tail belongs to the enclosing element)."""
    getparent = getattr(node, "getparent", None)
    element = getparent() if getparent is not None else None
    if element is not None and getattr(node, "is_tail", False):
        element = element.getparent()
    return element if isinstance(element, HtmlElement) else None
