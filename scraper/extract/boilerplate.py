"""Removing what is not article text: junk elements first, then furniture inside the content.

``prune_page`` runs on the whole ``<body>`` before candidates are scored; ``clean_content`` runs
on the chosen content container only, so its per-element checks stay cheap.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import lxml.etree

from scraper.extract.dates import parse_date
from scraper.extract.document import HtmlElement
from scraper.extract.marks import Mark, is_hidden, mark_of, marks_of
from scraper.extract.measure import link_length, longer, shorter, text_length
from scraper.extract.other_pages import CARDS, HEADINGS, NOT_A_LIST, list_title, other_pages
from scraper.extract.patterns import (
    BOILERPLATE_TEXT,
    BYLINE_PREFIX,
    COUNTER_LINE,
    FURNITURE_HEADING,
    FURNITURE_TAGS,
    JUNK_TAGS,
    META_SEPARATOR,
    MODIFIED_LABEL,
    SLIDE_COUNTER,
)
from scraper.extract.patterns import COMMENT_NOUN as _COMMENT_NOUN
from scraper.extract.patterns import VIEW_NOUN as _VIEW_NOUN

_LIST_TAGS = frozenset({"ul", "ol", "dl", "table", "div", "section", "nav", "aside", "p", "span"})
_KEEP_FRACTION = 0.5
_BOXES = frozenset({"div", "section", "aside"})
# Tags that condemn an element without attributes, and those whose tests read its children.
_JUDGED_BY_TAG = FURNITURE_TAGS | {"figcaption", "figure", "h1"}
_JUDGED_BY_CHILDREN = _BOXES | _LIST_TAGS
_READ_ATTRIBUTES = frozenset({"class", "id", "hidden", "aria-hidden", "style"})  # marks, hiding
_BOX_SHARE = 0.34  # a headed box of furniture is a small part of the content ...
_MAX_BOX = 1500  # ... and short (characters, whitespace not counted)
_HEADING_LENGTH = 80
_SHORT_BLOCK = 80
_SHORT_META = 200
_KEEP, _DROP, _LIST = 0, 1, 2
_WEAK_PROSE = 120  # characters: under a weak furniture name, less than a paragraph is furniture
_WEAK_LINKS = 0.3
_CAPTION_LENGTH = 150  # characters of text per picture: more is prose, not a caption
_MEDIA_TAGS = ("img", "picture", "video", "audio")
_TEXT_FIGURES = ("blockquote", "table", "pre", "q")
_META_PART_WORDS = 6
_NOUNS = f"(?:{_VIEW_NOUN.pattern}|{_COMMENT_NOUN.pattern})"
# "2.310 visitas", "1.2K views", "Post Views: 2,045", "5 thoughts on ..."
_COUNT_PHRASE = re.compile(rf"\d[\d.,]*\s?[kKmM]?\s*{_NOUNS}(?!\w)|(?<!\w){_NOUNS}\s*[:(]?\s*\d", re.I)


def detach(element: HtmlElement) -> None:
    """Remove ``element`` and its subtree, keeping the text that follows it (its tail)."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    if tail and tail.strip():
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def remove_nodes(nodes: Iterable[HtmlElement]) -> None:
    for node in nodes:
        detach(node)


def prune_page(body: HtmlElement) -> None:
    """Drop scripts, styles and the like, and nav/aside/footer/header/form furniture."""
    lxml.etree.strip_elements(body, *JUNK_TAGS, lxml.etree.Comment,
                              lxml.etree.ProcessingInstruction, with_tail=False)
    total = text_length(body)
    for element in list(body.iter(*FURNITURE_TAGS)):
        if not _is_attached(element, body):
            continue
        if longer(element, total * _KEEP_FRACTION):
            continue  # a form or header wrapping the whole page: keep it
        detach(element)


def _is_attached(element: HtmlElement, root: HtmlElement) -> bool:
    for ancestor in element.iterancestors():
        if ancestor is root:
            return True
    return element is root


def clean_content(root: HtmlElement, title: str | None) -> None:
    """Remove boilerplate inside the chosen container ``root`` (never ``root`` itself)."""
    total = max(text_length(root), 1)
    stack = list(reversed(root))
    while stack:
        element = stack.pop()
        if not isinstance(element.tag, str):
            continue
        verdict = _verdict(element, total, title)
        if verdict == _KEEP:
            stack.extend(reversed(element))
            continue
        parent, before = element.getparent(), element.getprevious()
        detach(element)
        if verdict == _LIST and parent is not None:
            heading = list_title(parent, before, root)
            if heading is not None:
                detach(heading)


def _verdict(element: HtmlElement, total: int, title: str | None) -> int:
    """``_KEEP``, ``_DROP`` or ``_LIST`` (drop a list of cards, with its title if any)."""
    if _plainly_kept(element):
        return _KEEP
    if _is_boilerplate(element, total, title):
        return _DROP
    if element.tag in _BOXES and _headed_as_furniture(element) \
            and shorter(element, min(total * _BOX_SHARE, _MAX_BOX)):
        return _DROP  # "About the author" and a bio, "Related posts" and their cards
    if element.tag in _LIST_TAGS:
        kind = other_pages(element, total)
        if kind != NOT_A_LIST:
            return _LIST if kind == CARDS else _DROP
    return _KEEP


def _plainly_kept(element: HtmlElement) -> bool:
    """Whether the tests below would keep ``element`` without measuring it (a shortcut: most
    elements in an article are plain paragraphs and inline markup): it has none of the
    attributes they read (class, id, hiding), no tag that condemns it, and no children that
    the box and list tests read, or a tag they do not apply to."""
    tag = element.tag
    return tag not in _JUDGED_BY_TAG and (not len(element) or tag not in _JUDGED_BY_CHILDREN) \
        and _READ_ATTRIBUTES.isdisjoint(element.keys())


def _headed_as_furniture(box: HtmlElement) -> bool:
    """Whether the first thing in ``box`` (or in its first child) is a heading saying the box
    is not the article ("About the author", "Related posts", "Sign up for our newsletter")."""
    node: HtmlElement | None = box
    for _ in range(2):
        node = next((child for child in node if isinstance(child.tag, str)), None) \
            if node is not None else None
        if node is None:
            return False
        if node.tag in HEADINGS:
            text = node.text_content()
            return len(text) < _HEADING_LENGTH and FURNITURE_HEADING.match(text) is not None
    return False


def _is_boilerplate(element: HtmlElement, total: int, title: str | None) -> bool:
    tag = element.tag
    if tag == "figcaption":
        return True
    if tag == "figure":
        return _is_picture(element)
    if tag in FURNITURE_TAGS:
        return shorter(element, total * _KEEP_FRACTION)
    marks = marks_of(element)
    kind = mark_of(marks) if marks else Mark.CONTENT
    if kind == Mark.FURNITURE:
        return shorter(element, total * _KEEP_FRACTION)
    if kind == Mark.WEAK:
        return _looks_like_furniture(element, total)
    if is_hidden(element):
        return _looks_like_furniture(element, total) or not _in_paragraphs(element)
    if kind == Mark.META:
        return shorter(element, min(_SHORT_META, total * _KEEP_FRACTION))
    return tag == "h1" and title is not None


def _looks_like_furniture(element: HtmlElement, total: int) -> bool:
    """An element with a weak furniture name ("gallery", "paywall", "ad-wrapper"), or hidden,
    is furniture when it is also short, mostly links, pictures with captions or a list of
    cards; prose stays."""
    length = text_length(element)
    if length > total * _KEEP_FRACTION:
        return False
    if length < _WEAK_PROSE or length < _CAPTION_LENGTH * _count_media(element):
        return True  # a label, or pictures with captions (a gallery)
    return link_length(element) > length * _WEAK_LINKS or other_pages(element, total) != NOT_A_LIST


def _in_paragraphs(element: HtmlElement) -> bool:
    """Whether most of the text of ``element`` is in paragraphs: hidden text so written is the
    rest of the article (behind a paywall, in a collapsed section), not a modal, a data blob
    or a tooltip's copy of the footnotes."""
    length = text_length(element)
    return sum(text_length(paragraph) for paragraph in element.iter("p")) * 2 >= length


def _is_picture(element: HtmlElement) -> bool:
    """A figure that is a picture (or video) with at most a caption: not article text (a
    figure holding a quote or a table is text)."""
    media = _count_media(element)
    return media > 0 and next(element.iter(*_TEXT_FIGURES), None) is None \
        and shorter(element, _CAPTION_LENGTH * media)


def _count_media(element: HtmlElement) -> int:
    return sum(1 for _ in element.iter(*_MEDIA_TAGS))


def is_boilerplate_text(text: str) -> bool:
    """A short paragraph such as "Share this Post:", "0 Comments", "1,234 views" or "Image 2
    of 5"."""
    return len(text) < _SHORT_BLOCK and (BOILERPLATE_TEXT.match(text) is not None
                                         or SLIDE_COUNTER.match(text) is not None
                                         or COUNTER_LINE.match(text) is not None)


def is_meta_line(text: str) -> bool:
    """A byline/dateline/counts line: "Por Ann Lee · 9 de marzo de 2025 | 2.310 visitas".

    Its parts, between ``|``, ``·`` or ``•``, are each a byline, a date, a view or comment
    count, or a few words; and one at least is a count or a byline ("Event: May 3 | Austin"
    lines in listings are text).
    """
    if len(text) > _SHORT_META:
        return False
    if len(text) < _SHORT_BLOCK and MODIFIED_LABEL.match(text) and parse_date(text):
        return True  # "Updated March 19, 2025 at 9:15 a.m."
    if "|" not in text and "·" not in text and "•" not in text:
        return False
    parts = [part for part in META_SEPARATOR.split(text) if part]
    marked = False
    for part in parts:
        if _COUNT_PHRASE.search(part) or BYLINE_PREFIX.match(part):
            marked = True
        elif len(part.split()) > _META_PART_WORDS and not parse_date(part):
            return False
    return marked
