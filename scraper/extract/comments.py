"""Reader comments (threaded, with authors and dates), the comment count the page displays, and
the comment area's elements so that the body extractor can leave them out.

One XPath marks every element whose class, id, itemprop or itemtype mentions comments.  The
systems of ``patterns.COMMENT_SYSTEMS`` (class names of known comment systems: fast paths) are
tried in order on the marked elements (the first that finds comments wins).  Without them,
comments are found by structure (``comment_structure``): in the regions whose names say
comments, else after the headings that say so.  JSON-LD ``comment`` arrays are the fallback.
Nothing here changes ``doc.tree``.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import lxml.etree
import lxml.html

from scraper.extract.comment_count import comment_count
from scraper.extract.comment_reading import read_found
from scraper.extract.comment_regions import Region, heading_regions, named_regions
from scraper.extract.comment_structure import Found, find_structured, numbered_items
from scraper.extract.comment_systems import ANY_ITEM, SYSTEMS, read_system, render_text
from scraper.extract.date_parsing import day_first
from scraper.extract.dates import parse_date
from scraper.extract.document import Document, HtmlElement
from scraper.extract.marked import MarkSearch
from scraper.extract.metadata import article_objects, name_of, types_of
from scraper.extract.patterns import (
    COMMENT_AREA_TOKEN,
    ELSEWHERE_TOKEN,
)
from scraper.extract.record import Comment
from scraper.extract.regions import Regions, is_elsewhere, tokens

# Cheap in libxml2; the Python side then keeps only real comment marks (not "element", "moment").
# Links to "#comments" are comment counters.  Each branch walks the tree (``//*/@class`` visits
# elements only, ``//@class`` every node), so ``itemprop`` is searched only when the page's
# shared itemprop index has such a value.  Each branch returns the attributes' elements
# (``/..``), cheaper than the Python side asking every attribute string for its element; a page
# crowded with such marks is searched in one walk instead (``marked``: the cost stays linear).
# Other languages' names without "ment" ("leserbriefe", "binh-luan", "reacties") are found by
# their headings: each more contains() costs a string copy of every class attribute.
_COMMENT_MARK = re.compile(r"omment|oment|isqus", re.I)
_UNMARKED_TAGS = frozenset({"script", "style", "link", "head", "html", "body", "input",
                            "textarea", "button", "label", "select", "option", "svg", "path"})
_AREA_TAGS = frozenset({"div", "section", "aside", "ol", "ul", "dl", "form", "p", "h2", "h3",
                        "h4", "h5", "h6", "article", "footer", "header"})
_BODY_TAGS = frozenset({"div", "section", "article"})
# A comment list or area left out of the body may hold this much besides the comments (its
# heading, a form's labels, "load more"); one holding more holds something else too.
_AREA_EXTRA = 400
_DATE_KEYS = ("dateCreated", "datePublished", "commentTime", "uploadDate")


@dataclass(frozen=True, slots=True)
class CommentSection:
    """What ``find_comments`` found; empty tuples and ``count=None`` when there is nothing."""

    comments: tuple[Comment, ...] = ()  # threaded: replies under their parent, page order
    count: int | None = None  # the number the page displays (or declares), never len(comments)
    nodes: tuple[HtmlElement, ...] = ()  # comment-area subtrees: heading, list, form, notice


def find_comments(doc: Document) -> CommentSection:
    """The page's reader comments, their displayed count and the comment-area elements."""
    scanned = _marks_search(doc.itemprop_mentions("omment"))(doc.source, doc.tree)
    marked = [element for element in scanned if _is_marked(element)]
    regions = Regions.of(doc)
    holders = _article_holders(doc)
    areas = _areas(marked, holders)
    first_day = day_first(doc.lang)
    comments, roots = _dom_comments(marked, regions, holders, first_day)
    shown: list[HtmlElement] = []  # structural areas: lists, named regions, headings
    if not comments:
        comments, roots, shown, headings = _structured(doc, scanned, holders, regions, first_day)
    else:
        headings = []
    if not comments:
        comments = json_ld_comments(doc)
    count = comment_count(doc, regions, marked, areas, headings)
    return CommentSection(comments, count, _outermost([*areas, *shown, *roots]))


@functools.lru_cache(maxsize=2)
def _marks_search(with_itemprops: bool) -> MarkSearch:
    branches = {"class": "contains(., 'ment')", "id": "contains(., 'ment') or contains(., 'isqus')",
                "itemtype": "contains(., 'omment')"}
    if with_itemprops:
        branches["itemprop"] = "contains(., 'omment')"
    link = "contains(., '#comment')"
    fast = " | ".join([*(f"//*/@{name}[{test}]/.." for name, test in branches.items()),
                       f"//a/@href[{link}]/.."])
    linear = "descendant-or-self::*[" + " or ".join([*(f"@{name}[{test}]" for name, test in branches.items()),
                                   f"self::a[@href[{link}]]"]) + "]"
    return MarkSearch(fast, linear, ("ment", "isqus"))


def _structured(doc: Document, scanned: Sequence[HtmlElement], holders: frozenset[HtmlElement],
                regions: Regions, first_day: bool | None
                ) -> tuple[tuple[Comment, ...], list[HtmlElement], list[HtmlElement],
                           list[HtmlElement]]:
    """Comments found by structure: in the regions named comments, else after the headings
    that say comments.  Also the areas to leave out of the body and the comment headings."""
    named = named_regions(scanned, holders, regions)
    found, searched = _search_regions(named, regions)
    headings: list[HtmlElement] = []
    if not found.items:
        texts = [(heading, heading.text_content()) for heading in doc.headings()]  # in C, once
        by_heading = heading_regions(texts, holders, regions, [r.root for r in named])
        headings = [levels[0].after for levels in by_heading if levels[0].after is not None]
        found, searched = _search_levels(by_heading, regions)
        if not found.items:
            found = numbered_items(texts, holders, regions)
    if not found.items:
        return (), [], [], headings
    comments, roots = read_found(found, first_day)
    shown = [region.after for region in searched if region.after is not None]
    shown += [found.headers[root] for root in roots if root in found.headers]
    comment_chars = sum(_text_length(root) for root in roots)
    limit = comment_chars + max(_AREA_EXTRA, comment_chars // 5)
    containers = [region.root for region in searched if region.named] + found.lists
    shown += [element for element in containers
              if element not in holders and _text_length(element, limit) <= limit]
    return comments, roots, [node for node in shown if node not in holders], headings


def _text_length(element: HtmlElement, limit: int | None = None) -> int:
    """Characters of text under ``element`` (stops counting past ``limit``)."""
    total = 0
    for text in element.itertext():
        total += len(text.strip())
        if limit is not None and total > limit:
            break
    return total


def _search_levels(candidates: Sequence[Sequence[Region]], regions: Regions
                   ) -> tuple[Found, list[Region]]:
    """For each heading, the comments of the nearest level that has some."""
    total = Found()
    searched = []
    for levels in candidates:
        for region in levels:
            if _add(total, find_structured(region, regions)):
                searched.append(region)
                break
    return total, searched


def _search_regions(candidates: Sequence[Region], regions: Regions
                    ) -> tuple[Found, list[Region]]:
    """Every region's comments together, and the regions that had some."""
    total = Found()
    searched = [region for region in candidates
                if _add(total, find_structured(region, regions))]
    return total, searched


def _add(total: Found, found: Found) -> bool:
    if not found.items:
        return False
    total.items.extend(found.items)
    total.headers.update(found.headers)
    total.lists.extend(found.lists)
    return True


def _is_marked(element: HtmlElement) -> bool:
    """Does the element's class, id, itemprop or itemtype name comments (or is it a link to
    them)?  Each attribute is searched on its own: the mark is one word, so it cannot span two
    of them, and most marked elements say so in their class, the first one searched."""
    tag = element.tag
    if not isinstance(tag, str) or tag in _UNMARKED_TAGS:
        return False
    get = element.get
    for name in ("class", "id", "itemprop", "itemtype"):
        value = get(name)
        if value and _COMMENT_MARK.search(value) is not None:
            return True
    return tag == "a" and "#comment" in (get("href") or "")


def _areas(marked: Sequence[HtmlElement], holders: frozenset[HtmlElement]) -> list[HtmlElement]:
    """The comment area's elements: outermost only, never one that holds the article."""
    areas = []
    for element in marked:
        if element.tag not in _AREA_TAGS:
            continue
        if not _has_area_token(element.get("class"), element.get("id")):
            continue
        if any(ELSEWHERE_TOKEN.search(token) for token in tokens(element)) or element in holders:
            continue
        areas.append(element)
    return list(_outermost(areas))


@functools.lru_cache(maxsize=4096)
def _has_area_token(classes: str | None, ident: str | None) -> bool:
    """Does a class or id token (as ``tokens`` splits them) match ``COMMENT_AREA_TOKEN``?
    Remembered: comment lists repeat their classes (every comment's "comment-body",
    "comment-meta"), and the regex is slow to say no."""
    marks = f"{classes or ''} {ident or ''}".split()
    return any(COMMENT_AREA_TOKEN.match(token) for token in marks)


def _article_holders(doc: Document) -> frozenset[HtmlElement]:
    """The elements that hold (part of) the article: every h1 and every div, section or article
    whose itemprop says articleBody, with their ancestors.  No comment area or comment does;
    a set, so that asking costs nothing (no subtree walks)."""
    markers = [element for element in doc.landmarks() if element.tag == "h1"]
    markers += [element for element in doc.with_itemprop_containing("articlebody")
                if element.tag in _BODY_TAGS]
    holders: set[HtmlElement] = set()
    for marker in markers:
        holders.add(marker)
        holders.update(marker.iterancestors())
    return frozenset(holders)


def _dom_comments(marked: Sequence[HtmlElement], regions: Regions,
                  holders: frozenset[HtmlElement], day_first: bool | None
                  ) -> tuple[tuple[Comment, ...], list[HtmlElement]]:
    """The comments of the first system that reads them well (most with an author or date),
    else of the first that finds any; and the elements of the top-level comments."""
    fallback: tuple[tuple[Comment, ...], list[HtmlElement]] = ((), [])
    candidates = [element for element in marked if ANY_ITEM.matches(element)]
    if not candidates:  # most pages: counters and headings only
        return fallback
    enclosing = _enclosing(candidates, marked)
    for system in SYSTEMS:
        comments, roots = read_system(system, candidates, enclosing, day_first)
        kept = [(comment, root) for comment, root in zip(comments, roots, strict=True)
                if root not in holders and not is_elsewhere(root, regions)]
        if not kept:
            continue
        found = (tuple(comment for comment, _ in kept), [root for _, root in kept])
        if _well_read(found[0]):
            return found
        fallback = fallback if fallback[0] else found
    return fallback


def _enclosing(candidates: Sequence[HtmlElement], marked: Sequence[HtmlElement]
               ) -> set[HtmlElement]:
    """The marked elements that hold a candidate comment: the only ones that can be a comment
    system's container (far fewer than all marked elements on pages with many)."""
    marked_set = set(marked)
    return {ancestor for element in candidates for ancestor in element.iterancestors()
            if ancestor in marked_set}


def _well_read(comments: tuple[Comment, ...]) -> bool:
    flat = list(_flatten(comments))
    return 2 * sum(1 for comment in flat if comment.author or comment.published) >= len(flat)


def _flatten(comments: Iterable[Comment]) -> Iterable[Comment]:
    for comment in comments:
        yield comment
        yield from _flatten(comment.replies)


def _outermost(elements: Iterable[HtmlElement]) -> tuple[HtmlElement, ...]:
    chosen = dict.fromkeys(elements)
    return tuple(element for element in chosen
                 if not any(ancestor in chosen for ancestor in element.iterancestors()))


def json_ld_comments(doc: Document) -> tuple[Comment, ...]:
    """Comments from the article's JSON-LD ``comment`` array, else loose Comment objects."""
    for item in article_objects(doc):
        thread = _json_thread(item.get("comment"))
        if thread:
            return thread
    return _json_thread([item for item in doc.json_ld if "comment" in types_of(item)])


def _json_thread(value: Any) -> tuple[Comment, ...]:
    entries = value if isinstance(value, list) else [value]
    comments = []
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        text = _plain_text(entry.get("text") or entry.get("commentText")
                           or entry.get("description"))
        if not text:
            continue
        author = name_of(entry.get("author")) or name_of(entry.get("creator"))
        dates = (entry.get(key) for key in _DATE_KEYS)
        published = next((date for value in dates if isinstance(value, str)
                          and (date := parse_date(value))), None)
        comments.append(Comment(text, author, published, _json_thread(entry.get("comment"))))
    return tuple(comments)


def _plain_text(value: Any) -> str:
    """JSON-LD text (sometimes HTML) as paragraphs joined by a blank line."""
    if not isinstance(value, str) or not value.strip():
        return ""
    if "<" not in value and "&" not in value:
        return "\n\n".join(" ".join(block.split()) for block in re.split(r"\n\s*\n", value)
                           if block.strip())
    try:
        fragment = lxml.html.fragment_fromstring(value, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", value)).split())
    return render_text(fragment, lambda element: element.tag in ("script", "style"))
