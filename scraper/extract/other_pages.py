"""Blocks that list other pages: link lists (tags, pagers, "read more" lines) and lists of
teaser cards (related stories, more posts, product tiles), found by their shape.

A card is a short block whose headline is a link standing on its own (inside a heading, or the
whole text of its line), usually with an excerpt, an image and a date.  A block whose children
are mostly such cards lists other pages, whatever its class is called; prose with links inside
sentences never has that shape.
"""

from __future__ import annotations

from dataclasses import dataclass

from scraper.extract.document import HtmlElement
from scraper.extract.measure import link_length, shorter, text_length, text_length_of, visible_text

HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Children that are text, not cards: paragraphs, headings and inline markup.
_NOT_CARDS = HEADINGS | frozenset({"p", "span", "em", "strong", "b", "i", "u", "small", "img",
                                   "br", "hr", "blockquote", "pre", "table", "code", "time"})
_INLINE = frozenset({"span", "em", "strong", "b", "i", "u", "small", "font", "mark", "cite",
                     "abbr", "sup", "sub", "time"})
_MAX_CARD = 500  # characters (no whitespace): a headline, an excerpt, a dateline
_MIN_TITLE = 12  # a headline, not "More" or an icon's label
_CARD_SHARE = 0.6  # the cards hold this much of the list's text
_MIN_CARDS = 3
_NOT_PAGES = ("#", "javascript:", "mailto:", "tel:")
_ELLIPSES = ("...", "…", "[…]", "[...]")
_CLOSING = " \t\n\r\xa0»›→"
_CARD_LIST_TAGS = frozenset({"ul", "ol", "div", "section", "aside", "nav"})
_KEEP_FRACTION = 0.5  # a list holding half the content is the content
_CARD_LIST_SHARE = 0.34  # ... and a list of cards holding a third of it is a round-up
# Link densities (link characters over all characters, whitespace not counted) of a short line
# of links, of a list of links, and of a block that is mostly links around a little prose.
_LINE_OF_LINKS, _LIST_OF_LINKS, _HALF_LINKS = 0.75, 0.68, 0.42
_SHORT_LINE = 80
_PROSE_OUTSIDE_LINKS = 300
_LIST_TITLE = 60  # characters: "More in Business", "You may also like"


NOT_A_LIST, LINKS, CARDS = 0, 1, 2


def other_pages(element: HtmlElement, total: int) -> int:
    """``LINKS`` or ``CARDS`` when ``element`` (inside content of ``total`` characters) is a
    list of links or of cards for other pages that is a small part of the content, else
    ``NOT_A_LIST``."""
    if _is_link_list(element, total):
        return LINKS
    if element.tag not in _CARD_LIST_TAGS:
        return NOT_A_LIST
    cards = _cards_of(element)
    if cards is None:
        return NOT_A_LIST
    if cards.truncated * 2 >= cards.count or shorter(element, total * _CARD_LIST_SHARE):
        return CARDS  # teasers cut short, or a small part of the content: not a round-up
    return NOT_A_LIST


def list_title(removed_from: HtmlElement, before: HtmlElement | None,
               root: HtmlElement) -> HtmlElement | None:
    """The title of a list of cards just removed from ``removed_from`` (``before``: the
    element that preceded it): a heading right before it, or a parent left holding only a
    heading.  (Not for lists of links: in a round-up, the heading before a list of shop links
    names the item.)"""
    if before is not None and _is_heading_line(before):
        return before
    if removed_from is not root and len(removed_from) and _is_heading_line(removed_from):
        return removed_from
    return None


def _is_heading_line(element: HtmlElement) -> bool:
    if element.tag not in HEADINGS and next(element.iter(*HEADINGS), None) is None:
        return False
    return shorter(element, _LIST_TITLE)


def _is_link_list(element: HtmlElement, total: int) -> bool:
    """A block mostly made of links (related stories, tag lists, pagers)."""
    if next(element.iter("a"), None) is None:
        return False  # no link: the answer below, found without measuring any text
    if element.tag == "span" and _in_running_text(element):
        return False  # "said <span><a>the report</a></span> was wrong": a link in a sentence
    length = text_length(element)
    if length == 0 or length > total * _KEEP_FRACTION:
        return False
    links = link_length(element)
    if links == 0:
        return False
    density = links / length
    if element.tag in ("p", "span"):
        return density > _LINE_OF_LINKS and length < _SHORT_LINE
    return density > _LIST_OF_LINKS or (
        density > _HALF_LINKS and length - links < _PROSE_OUTSIDE_LINKS)


def _in_running_text(element: HtmlElement) -> bool:
    """Whether text runs on right before or after the inline ``element`` (it is part of a
    sentence, not a line of its own)."""
    if element.tail and not element.tail.isspace():
        return True
    previous = element.getprevious()
    if previous is not None:
        before = previous.tail
    else:
        parent = element.getparent()
        before = parent.text if parent is not None else None
    return bool(before and not before.isspace())


def is_card_list(element: HtmlElement) -> bool:
    """Whether three or more children of ``element`` of one shape (tag and first class) are
    teaser cards, holding most of its text."""
    return _cards_of(element) is not None


@dataclass(slots=True)
class _Cards:
    count: int = 0
    length: int = 0
    truncated: int = 0  # excerpts cut short ("…", "[...]"): teasers, not a round-up's items


def _cards_of(element: HtmlElement) -> _Cards | None:
    shapes: dict[tuple[str, str], int] = {}
    for child in element:  # cheap first test: children of one shape with a link, nothing measured
        if child.tag not in _NOT_CARDS and isinstance(child.tag, str) \
                and next(child.iter("a"), None) is not None:
            shape = _shape(child)
            shapes[shape] = shapes.get(shape, 0) + 1
    common = max(shapes.items(), key=lambda item: item[1], default=None)
    if common is None or common[1] < _MIN_CARDS:
        return None
    cards = _Cards()
    for child in element:
        if not isinstance(child.tag, str) or _shape(child) != common[0]:
            continue
        text = _card_text(child)
        if text:
            cards.count += 1
            cards.length += text_length_of(text)
            cards.truncated += text.rstrip(_CLOSING).endswith(_ELLIPSES)
    if cards.count >= _MIN_CARDS and cards.length >= _CARD_SHARE * text_length(element):
        return cards
    return None


def _shape(element: HtmlElement) -> tuple[str, str]:
    classes = (element.get("class") or "").split()
    return str(element.tag), classes[0] if classes else ""


def card_length(element: HtmlElement) -> int:
    """The text length of ``element`` when it is a teaser card, else 0."""
    text = _card_text(element)
    return text_length_of(text) if text else 0


def _card_text(element: HtmlElement) -> str | None:
    """The text of ``element`` when it is a teaser card."""
    if next(element.iter("a"), None) is None:
        return None
    text = visible_text(element)
    length = text_length_of(text)
    if not length or length > _MAX_CARD:
        return None
    return text if _has_headline_link(element) else None


def _has_headline_link(card: HtmlElement) -> bool:
    """Whether a link to another page, long enough for a headline, stands on its own line in
    ``card`` (no text runs on before or after it, as it would in a sentence)."""
    for link in card.iter("a"):
        href = (link.get("href") or "").strip()
        if not href or href.startswith(_NOT_PAGES):
            continue
        if text_length(link) >= _MIN_TITLE and (link is card or _stands_alone(link)):
            return True
    return False


def _stands_alone(link: HtmlElement) -> bool:
    """"<h3><a>Title</a></h3>", "<li><a>Title</a><time>…": yes; "<li><b><a>Title</a>.</b> text"
    and "said <a>the report</a> on": no."""
    node = link
    while True:
        if _in_running_text(node):
            return False
        parent = node.getparent()
        if parent is None or parent.tag not in _INLINE:
            return True
        node = parent
