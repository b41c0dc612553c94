"""What an element's class and id say it is: furniture, perhaps furniture, a meta line, content.

Names are read as a hint, not as proof: a state flag ("has-sidebar", "not-a-paywall") names
no component, an id made from a heading's text ("related-news-in-the-region") is text, and a
"weak" name (gallery, paywall, ad wrapper) needs the element to look like furniture too.
"""

from __future__ import annotations

import functools
import re
from enum import IntEnum

from scraper.extract.document import HtmlElement
from scraper.extract.patterns import (
    ARTICLE_CONTAINER_CLASS,
    CAPTION_CLASS,
    CONTENT_CLASS,
    FURNITURE_CLASS,
    HIDDEN_STYLE,
    META_LINE_TOKEN,
    STATE_TOKEN,
    WEAK_FURNITURE_CLASS,
)

_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_CAMEL_HUMP = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SLUG_SEPARATORS = 4  # "what-the-new-rules-mean": an id made from text, not a component name


class Mark(IntEnum):
    CONTENT = 0
    FURNITURE = 1  # dropped unless it holds most of the content
    WEAK = 2  # furniture only if it also looks like it (short, link-heavy, a list of cards)
    META = 3  # a byline or dateline block: dropped when short


def marks_of(element: HtmlElement) -> str:
    """The class and id of ``element`` that name what it is (a heading's id or an id made from
    text left out)."""
    attrib = element.attrib
    if not attrib:
        return ""
    classes = attrib.get("class") or ""
    ident = attrib.get("id") or ""
    if ident and (element.tag in _HEADINGS or _is_slug(ident)):
        ident = ""
    if classes and ident:
        return f"{classes} {ident}"
    return classes or ident


def _is_slug(ident: str) -> bool:
    return ident.count("-") + ident.count("_") >= _SLUG_SEPARATORS


@functools.lru_cache(maxsize=4096)
def mark_of(marks: str) -> Mark:
    """What class/id ``marks`` say an element is (cached: the same classes repeat)."""
    tokens = (_CAMEL_HUMP.sub("-", token) for token in marks.split())  # relatedPosts: related-Posts
    names = " ".join(token for token in tokens if not STATE_TOKEN.match(token))
    if not names:
        return Mark.CONTENT
    content = CONTENT_CLASS.search(names) is not None
    if FURNITURE_CLASS.search(names) and not content:
        return Mark.FURNITURE
    if CAPTION_CLASS.search(names) and not ARTICLE_CONTAINER_CLASS.search(names):
        return Mark.FURNITURE  # "wp-caption-text": a bare "text" does not make it the article
    if WEAK_FURNITURE_CLASS.search(names) and not content:
        return Mark.WEAK
    if any(META_LINE_TOKEN.match(token) for token in names.split()):
        return Mark.META
    return Mark.CONTENT


def is_hidden(element: HtmlElement) -> bool:
    """Hidden from readers by its own attributes (``hidden``, ``aria-hidden``, an inline
    display:none or visibility:hidden)."""
    attrib = element.attrib
    if not attrib:
        return False
    if "hidden" in attrib or attrib.get("aria-hidden") == "true":
        return True
    style = attrib.get("style")
    return bool(style and HIDDEN_STYLE.search(style))
