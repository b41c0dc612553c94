"""The article's header and meta area, found by where they sit and what they hold; lists of
other posts, found by their shape.

Themes nest the headline and its meta area (author, date, view and comment counters) in any
number of wrappers, and put them in separate blocks: tagDiv's ``td_block_wrap > tdb-block-inner
> h1`` with the meta list a sibling of the block, JNews's meta bar in the next row, a Jannah
post-meta inside the header.  What they share is their place: small boxes around the headline
block, before the body starts.  So the header is found by climbing from the h1 while the
ancestors stay free of the body, and taking at each level the small boxes beside it, down into
the box where the body starts up to its first paragraph.

A list of other posts (popular, related, "read more") may sit anywhere, even inside the
article element and beside its header.  It is told by its shape: repeated sibling items of one
kind, each with its own link to another page under a title; counts inside one are not the
article's.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator

import lxml.etree

from scraper.extract.document import HtmlElement

_PAGE_TAGS = frozenset({"html", "body"})
_INVISIBLE = frozenset({"script", "style", "noscript", "template"})
_WALK_EVENTS = ("start", "end", "comment")
_BLOCK_TAGS = frozenset({"div", "p", "li", "dt", "dd", "td", "th", "tr", "br", "section",
                         "header", "footer", "article", "aside", "nav", "figure", "figcaption",
                         "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl"})
_SPACED_TAGS = tuple(_BLOCK_TAGS | _INVISIBLE)
SMALL, MEDIUM, BODY = "small", "medium", "body"
_MAX_BOX_TEXT = 400  # a meta bar or header box, not the body
_BODY_TEXT = 1200  # a box with more text than this holds the body (or much of the page)
_BODY_PARAGRAPHS = 3  # ... as does one with this many paragraphs
_PROSE_TEXT = 80  # a paragraph longer than this is prose
_LEAD_TEXT = 150  # a paragraph longer than this is body text: the header has ended
_MAX_SIBLINGS = 8  # boxes looked at on each side of a level, and children of a box
_MAX_DEPTH = 8  # levels descended into the box where the body starts
_NEAR_LEVELS = 2  # the headline and its parent: boxes before them count even outside an article
_MAX_TWINS = 12  # siblings compared when looking for the items of a list
_TITLE_WORDS = 3  # words in a link text (or title) that names a post, not an author or a date
_MAX_ITEM_TEXT = 600  # a teaser: title, meta and maybe an excerpt


def ancestors(element: HtmlElement) -> Iterator[HtmlElement]:
    """``element`` and its ancestors, up to (not including) ``body``."""
    node: HtmlElement | None = element
    while node is not None and node.tag not in _PAGE_TAGS:
        yield node
        node = node.getparent()


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


def box_size(element: HtmlElement) -> str:
    """``SMALL``: short, and not a run of paragraphs (a meta bar, a header box; not the body of
    a short article); ``BODY``: long, or several paragraphs; ``MEDIUM`` in between."""
    prose = _paragraphs(element, _BODY_PARAGRAPHS)  # first: most bodies end the walk here
    if prose >= _BODY_PARAGRAPHS:
        return BODY
    length = _visible_length(element, _BODY_TEXT)
    if length is None:
        return BODY
    return SMALL if length <= _MAX_BOX_TEXT and prose < 2 else MEDIUM


def _visible_length(element: HtmlElement, limit: int) -> int | None:
    """The length of the element's shown text (page builders put a ``<style>`` in every
    block), or None when it is longer than ``limit``.  The text with scripts and styles is
    read first (in C); the walk that leaves them out runs only when it could change the
    answer."""
    text = short_text(element, limit)
    if (text is None or len(text) > _MAX_BOX_TEXT) and \
            next(element.iter(*_INVISIBLE), None) is not None:
        text = _visible_text(element, limit)
    return None if text is None else len(text)


def _visible_text(element: HtmlElement, limit: int) -> str | None:
    """``short_text`` without the text of scripts, styles and templates."""
    return _walked_text(element, limit, frozenset())


def label_text(element: HtmlElement, limit: int) -> str | None:
    """``short_text`` as a reader sees it: no script or style text, and blocks apart
    (``<div class="counts">1.2K</div><span>VIEWS</span>`` reads "1.2K VIEWS", not "1.2KVIEWS")."""
    text = short_text(element, limit)  # in C; walked again only when the walk could differ
    if text is None:
        if next(element.iterdescendants(*_INVISIBLE), None) is None:
            return None  # too long, and nothing in it to leave out
    elif next(element.iterdescendants(*_SPACED_TAGS), None) is None:
        return text
    return _walked_text(element, limit, _BLOCK_TAGS)


def _walked_text(element: HtmlElement, limit: int, blocks: frozenset[str]) -> str | None:
    parts: list[str] = []
    size = 0
    for event, node in lxml.etree.iterwalk(element, events=_WALK_EVENTS):
        if event == "start":
            text = node.text if node.tag not in _INVISIBLE else None
            if node.tag in blocks:
                parts.append(" ")
        else:  # "end" of an element or a comment: the text that follows it
            if node.tag in blocks:
                parts.append(" ")
            text = node.tail if node is not element else None
        if text:
            size += len(text)
            if size > limit * 3:
                return None
            parts.append(text)
    joined = " ".join("".join(parts).split())
    return joined if len(joined) <= limit else None


def _paragraphs(element: HtmlElement, enough: int) -> int:
    """How many paragraphs of prose (not a dateline or a name) the element holds, up to
    ``enough``."""
    found = 0
    for paragraph in element.iter("p"):
        if short_text(paragraph, _PROSE_TEXT) is None:
            found += 1
            if found >= enough:
                break
    return found


def header_boxes(headline: HtmlElement, article: HtmlElement | None) -> Iterator[HtmlElement]:
    """The boxes of the article's header: the headline's ancestors up to the first that holds
    the body (or the article element), those of them that are small, and at every level the
    small boxes beside it, up to the body and into the box where the body starts.  Boxes before
    the headline count inside the article element (elsewhere only beside the h1 and its
    parent: before that come the site's header and menus)."""
    levels = ancestors(headline)
    for index, level in enumerate(levels):
        if level is article:
            return
        if index:
            size = box_size(level)
            if size == BODY:
                break
            if size == SMALL:
                yield level
        yield from _following(level)
        if article is not None or index < _NEAR_LEVELS:
            yield from _preceding(level)
    else:
        return
    if article is not None:
        yield from _leading_rows(itertools.chain((level,), levels), article)


def header_scope(headline: HtmlElement) -> HtmlElement:
    """A box that holds every header box of a headline outside an article element: its first
    ancestor that holds the body, else the page body."""
    last = headline
    for level in ancestors(headline):
        if level is not headline and box_size(level) == BODY:
            return level
        last = level
    parent = last.getparent()
    return parent if parent is not None else last


def _leading_rows(levels: Iterator[HtmlElement], article: HtmlElement) -> Iterator[HtmlElement]:
    """Where the headline starts a box that holds the body, the meta area may be a row before
    it (a page builder's meta row above the title row): the small boxes before each such level,
    up to the article, while no body-sized box precedes the headline."""
    for level in levels:
        if level is article:
            return
        before = list(itertools.islice(_elements(level.itersiblings(preceding=True)),
                                       _MAX_SIBLINGS + 1))
        sizes = [box_size(box) for box in before]
        if len(before) > _MAX_SIBLINGS or BODY in sizes:
            return
        yield from (box for box, size in zip(before, sizes, strict=True) if size == SMALL)


def _following(level: HtmlElement) -> Iterator[HtmlElement]:
    for sibling in itertools.islice(_elements(level.itersiblings()), _MAX_SIBLINGS):
        if _is_body_text(sibling):
            return
        size = box_size(sibling)
        if size == SMALL:
            yield sibling
        elif size == BODY:
            yield from _leading(sibling, _MAX_DEPTH)
            return


def _preceding(level: HtmlElement) -> Iterator[HtmlElement]:
    for sibling in itertools.islice(_elements(level.itersiblings(preceding=True)),
                                    _MAX_SIBLINGS):
        size = box_size(sibling)
        if size == SMALL:
            yield sibling
        elif size == BODY:
            return


def _leading(box: HtmlElement, depth: int) -> Iterator[HtmlElement]:
    """The small boxes at the start of ``box``, before its first paragraph: a meta bar that a
    theme puts in the next row or column, however deep."""
    for child in itertools.islice(_elements(box.iterchildren()), _MAX_SIBLINGS):
        if _is_body_text(child):
            return
        size = box_size(child)
        if size == SMALL:
            yield child
        elif size == BODY:
            if depth > 0:
                yield from _leading(child, depth - 1)
            return


def _elements(nodes: Iterator[HtmlElement]) -> Iterator[HtmlElement]:
    """Elements only (no comments or processing instructions)."""
    return (node for node in nodes if isinstance(node.tag, str))


def _is_body_text(element: HtmlElement) -> bool:
    return element.tag == "p" and short_text(element, _LEAD_TEXT) is None


def in_list_of_posts(element: HtmlElement, stop: frozenset[HtmlElement],
                     is_away: Callable[[str], bool]) -> bool:
    """Inside one item of a list of other posts: an ancestor (below ``stop``, the boxes that
    hold the article itself) that is a teaser-sized box with a sibling of the same kind, each
    linking to another post under a title of a few words.  Class names play no part: only the
    repetition."""
    for node in ancestors(element):
        if node in stop:
            return False
        if _is_list_item(node, stop, is_away):
            return True
    return False


def _is_list_item(node: HtmlElement, stop: frozenset[HtmlElement],
                  is_away: Callable[[str], bool]) -> bool:
    kind = _kind(node)
    siblings = itertools.chain(itertools.islice(node.itersiblings(), _MAX_TWINS),
                               itertools.islice(node.itersiblings(preceding=True), _MAX_TWINS))
    twins = [sibling for sibling in siblings if _kind(sibling) == kind and sibling not in stop]
    if not twins:
        return False
    own = _post_link(node, is_away)
    if own is None:
        return False
    return any(link is not None and link != own
               for link in (_post_link(twin, is_away) for twin in twins))


def _kind(element: HtmlElement) -> tuple[object, str]:
    classes = (element.get("class") or "").split()
    return element.tag, classes[0] if classes else ""


def _post_link(item: HtmlElement, is_away: Callable[[str], bool]) -> str | None:
    """Where a teaser-sized item links under a title of a few words (not an author's name or
    a date), or None."""
    if short_text(item, _MAX_ITEM_TEXT) is None:
        return None
    for link in item.iter("a"):
        href = link.get("href")
        if href and is_away(href):
            title = link.get("title") or link.text_content()
            if sum(any(char.isalpha() for char in word) for word in title.split()) >= \
                    _TITLE_WORDS:
                return str(href).strip()
    return None
