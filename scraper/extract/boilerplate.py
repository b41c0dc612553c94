"""Removing what is not article text: junk elements first, then furniture inside the content.

``prune_page`` runs on the whole ``<body>`` before candidates are scored; ``clean_content`` runs
on the chosen content container only, so its per-element checks stay cheap.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

import lxml.etree

from scraper.extract.dates import parse_date
from scraper.extract.document import HtmlElement
from scraper.extract.measure import link_length, longer, shorter, text_length
from scraper.extract.patterns import (
    ARTICLE_CONTAINER_CLASS,
    BOILERPLATE_CLASS,
    BOILERPLATE_TEXT,
    BYLINE_PREFIX,
    CAPTION_CLASS,
    CONTENT_CLASS,
    FURNITURE_TAGS,
    HIDDEN_STYLE,
    JUNK_TAGS,
    META_LINE_TOKEN,
    META_SEPARATOR,
    MODIFIED_LABEL,
)
from scraper.extract.patterns import COMMENT_NOUN as _COMMENT_NOUN
from scraper.extract.patterns import VIEW_NOUN as _VIEW_NOUN

_LIST_TAGS = frozenset({"ul", "ol", "dl", "table", "div", "section", "nav", "aside", "p", "span"})
_KEEP_FRACTION = 0.5
# Link densities (link characters over all characters, whitespace not counted) of a short line
# of links, of a list of links, and of a block that is mostly links around a little prose.
_LINE_OF_LINKS, _LIST_OF_LINKS, _HALF_LINKS = 0.75, 0.68, 0.42
_SHORT_BLOCK = 80
_PROSE_OUTSIDE_LINKS = 300
_SHORT_META = 200
_CONTENT, _FURNITURE, _META = 0, 1, 2
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


def _is_hidden(element: HtmlElement) -> bool:
    attrib = element.attrib
    if not attrib:
        return False
    if "hidden" in attrib or attrib.get("aria-hidden") == "true":
        return True
    style = attrib.get("style")
    return bool(style and HIDDEN_STYLE.search(style))


def clean_content(root: HtmlElement, title: str | None) -> None:
    """Remove boilerplate inside the chosen container ``root`` (never ``root`` itself)."""
    total = max(text_length(root), 1)
    stack = list(reversed(root))
    while stack:
        element = stack.pop()
        if not isinstance(element.tag, str):
            continue
        if _is_boilerplate(element, total, title):
            detach(element)
            continue
        stack.extend(reversed(element))


def _is_boilerplate(element: HtmlElement, total: int, title: str | None) -> bool:
    tag = element.tag
    if tag == "figcaption":
        return True
    if tag in FURNITURE_TAGS or _is_hidden(element):
        return shorter(element, total * _KEEP_FRACTION)
    marks = _class_and_id(element)
    kind = _marked_as(marks) if marks else _CONTENT
    if kind == _FURNITURE:
        return shorter(element, total * _KEEP_FRACTION)
    if kind == _META:
        return shorter(element, min(_SHORT_META, total * _KEEP_FRACTION))
    if tag in _LIST_TAGS:
        return _is_link_list(element, total)
    return tag == "h1" and title is not None


def _class_and_id(element: HtmlElement) -> str:
    attrib = element.attrib
    if not attrib:
        return ""
    classes = attrib.get("class")
    ident = attrib.get("id")
    if classes and ident:
        return f"{classes} {ident}"
    return classes or ident or ""


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
        return density > _LINE_OF_LINKS and length < _SHORT_BLOCK
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


def is_boilerplate_text(text: str) -> bool:
    """A short paragraph such as "Share this Post:" or "0 Comments"."""
    return len(text) < _SHORT_BLOCK and BOILERPLATE_TEXT.match(text) is not None


@functools.lru_cache(maxsize=4096)
def _marked_as(marks: str) -> int:
    """What class/id ``marks`` say an element is (cached: the same classes repeat)."""
    if BOILERPLATE_CLASS.search(marks) and not CONTENT_CLASS.search(marks):
        return _FURNITURE
    if CAPTION_CLASS.search(marks) and not ARTICLE_CONTAINER_CLASS.search(marks):
        return _FURNITURE  # "wp-caption-text": a bare "text" does not make it the article
    if any(META_LINE_TOKEN.match(token) for token in marks.split()):
        return _META
    return _CONTENT


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
