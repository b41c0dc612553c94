"""Where reader comments may be, by what the page calls them: elements whose class or id names
comments in any common language ("kommentarModul", "ce_comments", "wc-thread-wrapper" inside
"wpdiscuz", "ol#commentlist"), and headings that say comments ("3 Kommentare", "Comments (4)",
"Leserbriefe", "Reacties", "5 thoughts on “X”").

A region never holds the article (its headline or articleBody), and is not in a sidebar, widget
or list of other posts; an ``<aside>`` inside the main content may hold the comment area
(themes move it there).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from scraper.extract.comment_words import element_names_comments, shape_of
from scraper.extract.document import HtmlElement
from scraper.extract.meta_area import short_text
from scraper.extract.patterns import (
    COMMENT_HEADING,
    COMMENT_HEADING_NEEDS_NUMBER,
    MAX_HEADING_CHARS,
)
from scraper.extract.regions import Regions, is_elsewhere

_REGION_TAGS = frozenset({"div", "section", "aside", "ol", "ul", "dl", "article", "footer",
                          "table", "tbody", "main", "details", "li"})
_PAGE_TAGS = frozenset({"html", "body"})
_WRAPPER_LEVELS = 6  # levels of wrappers around each comment of a list, at most
_CONTENT_TAGS = frozenset({"main", "article"})
_HEADING_LEVELS = 3  # the heading's siblings, its parent's, its grandparent's
_MAX_WRAPPER_EXTRA = 20  # characters a heading's wrapper may add (a count, an icon's label)


@dataclass(frozen=True, slots=True)
class Region:
    """Search ``root`` for comments; with ``after``, only the root's children after it (the
    siblings that follow a comment heading).  ``named``: the root's own name says comments."""

    root: HtmlElement
    after: HtmlElement | None = None
    heading: HtmlElement | None = None
    named: bool = True
    items: tuple[HtmlElement, ...] = ()  # like-named comments, each in wrappers of its own


def named_regions(candidates: Iterable[HtmlElement], holders: frozenset[HtmlElement],
                  regions: Regions) -> list[Region]:
    """The outermost elements whose class or id names comments (``candidates``: the elements
    the comment scan found), never the article's holders nor anything elsewhere.  Comments
    named one by one in an unnamed list make their list the region."""
    named = [element for element in candidates if element.tag in _REGION_TAGS
             and element not in holders and element_names_comments(element)]
    outer = _outermost(named)
    alike: dict[tuple[HtmlElement | None, tuple[str, str | None]], int] = {}
    for element in outer:
        key = (element.getparent(), shape_of(element))
        alike[key] = alike.get(key, 0) + 1
    lifted = [parent if parent is not None and alike[(parent, shape_of(element))] >= 2
              and parent not in holders else element
              for element in outer for parent in (element.getparent(),)]
    wrapped = _wrapped_lists(outer, holders)
    lifted = [wrapped.get(element, lift) for element, lift in zip(outer, lifted, strict=True)]
    roots = [root for root in _outermost(lifted) if root is not None and root.tag not in _PAGE_TAGS
             and not is_elsewhere_area(root, regions, named=True)]
    listed: dict[HtmlElement, list[HtmlElement]] = {}
    for element, root in wrapped.items():
        listed.setdefault(root, []).append(element)
    return [Region(root, items=tuple(listed.get(root, ()))) for root in roots]


def _wrapped_lists(outer: Sequence[HtmlElement], holders: frozenset[HtmlElement]
                   ) -> dict[HtmlElement, HtmlElement]:
    """Like-named comments each in wrappers of their own (``div > div > div.Comment``), each
    with their nearest common ancestor, a few levels up, that holds the list (not one that
    holds the article)."""
    by_shape: dict[tuple[str, str | None], list[HtmlElement]] = {}
    for element in outer:
        by_shape.setdefault(shape_of(element), []).append(element)
    wrapped: dict[HtmlElement, HtmlElement] = {}
    for elements in by_shape.values():
        if len(elements) < 2 or len({element.getparent() for element in elements}) < 2:
            continue
        common = _common_ancestor(elements)
        if common is not None and common not in holders and common.tag not in _PAGE_TAGS:
            wrapped.update(dict.fromkeys(elements, common))
    return wrapped


def _common_ancestor(elements: Sequence[HtmlElement]) -> HtmlElement | None:
    """The nearest ancestor of all ``elements`` at most ``_WRAPPER_LEVELS`` above each."""
    first = list(elements[0].iterancestors())[:_WRAPPER_LEVELS]
    ranks = {node: rank for rank, node in enumerate(first)}
    lowest = 0
    for element in elements[1:]:
        rank = next((ranks[node] for _, node in zip(range(_WRAPPER_LEVELS),
                                                     element.iterancestors(), strict=False)
                     if node in ranks), None)
        if rank is None:
            return None
        lowest = max(lowest, rank)
    return first[lowest]


def heading_regions(headings: Iterable[tuple[HtmlElement, str]], holders: frozenset[HtmlElement],
                    regions: Regions, taken: Sequence[HtmlElement]) -> list[list[Region]]:
    """Headings that say comments, each with the siblings after it (the heading's wrapper
    climbed when it holds nothing else: ``div.secthead > h2``), then with the siblings after
    its parent and grandparent (a section's header holding the heading and a summary): the
    levels to search, nearest first.  Headings inside ``taken`` regions are left out.
    ``headings``: each heading with its ``text_content()``."""
    found: list[list[Region]] = []
    taken_set = set(taken)
    for heading, raw in headings:
        if len(raw) > 3 * MAX_HEADING_CHARS:
            continue
        text = " ".join(raw.split())
        if not text or len(text) > MAX_HEADING_CHARS or not is_comment_heading(text):
            continue
        if any(node in taken_set for node in heading.iterancestors()):
            continue
        anchor = _unwrapped(heading, text, holders)
        if is_elsewhere_area(anchor, regions, named=False):
            continue
        levels: list[Region] = []
        node: HtmlElement | None = anchor
        while node is not None and len(levels) < _HEADING_LEVELS:
            parent = node.getparent()
            if parent is None or parent.tag in _PAGE_TAGS:
                break
            levels.append(Region(parent, after=node, heading=heading, named=False))
            if parent in holders:
                break
            node = parent
        if levels:
            found.append(levels)
    return found


def is_comment_heading(text: str) -> bool:
    """Does a heading's whole text say comments ("3 Kommentare", "Comments (4)")?  "Thoughts"
    or "Responses" alone need a number ("5 thoughts on “X”")."""
    if COMMENT_HEADING.match(text) is None:
        return False
    return COMMENT_HEADING_NEEDS_NUMBER.match(text) is None


def _unwrapped(heading: HtmlElement, text: str, holders: frozenset[HtmlElement]) -> HtmlElement:
    """The heading, or the wrapper that holds nothing but it (a count or icon at most)."""
    node = heading
    while True:
        parent = node.getparent()
        if parent is None or parent.tag in _PAGE_TAGS or parent in holders:
            return node
        wrapper_text = short_text(parent, MAX_HEADING_CHARS + _MAX_WRAPPER_EXTRA)
        if wrapper_text is None or len(wrapper_text) > len(text) + _MAX_WRAPPER_EXTRA:
            return node
        node = parent


def is_elsewhere_area(element: HtmlElement, regions: Regions, named: bool) -> bool:
    """Inside a sidebar, widget, menu, list of other posts or a link to another page?  Like
    ``regions.is_elsewhere``, but an ``<aside>`` may be the comment area (themes put it there:
    see ``_comment_aside``)."""
    return is_elsewhere(element, regions, lambda node: node.tag == "aside"
                        and _comment_aside(node, element, named))


def _comment_aside(aside: HtmlElement, element: HtmlElement, named: bool) -> bool:
    """Is the ``<aside>`` the comment area itself: named comments, or headed by the comment
    heading ``element`` right inside it, or (a ``named`` area) inside the content?"""
    if element_names_comments(aside) or (not named and element.getparent() is aside):
        return True
    return named and _inside_content(aside)


def _inside_content(node: HtmlElement) -> bool:
    return any(ancestor.tag in _CONTENT_TAGS for ancestor in node.iterancestors())


def _outermost(elements: Iterable[HtmlElement | None]) -> list[HtmlElement]:
    chosen = dict.fromkeys(element for element in elements if element is not None)
    return [element for element in chosen
            if not any(ancestor in chosen for ancestor in element.iterancestors())]
