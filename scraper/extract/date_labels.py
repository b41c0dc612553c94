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
    needles = tuple(needle for needle, *escaped in PUBLISHED_LABEL_NEEDLES
                    if any(doc.mentions(form) for form in (needle, *escaped)))
    if not needles:
        return None
    found = _label_texts(needles)(doc.tree)
    around = Surroundings(None)
    for node in (found if isinstance(found, list) else [])[:_MAX_LABELS]:
        if not isinstance(node, lxml.etree._ElementUnicodeResult):
            continue
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


@functools.lru_cache(maxsize=64)
def _label_texts(needles: tuple[str, ...]) -> lxml.etree.XPath:
    """The texts (not of scripts or styles) holding one of ``needles``: one compiled query per
    set of needles the page source holds."""
    return lxml.etree.XPath("//body//text()[(" + " or ".join(
        f"contains(., '{needle}')" for needle in needles) +
        ") and not(parent::script or parent::style)]")


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
