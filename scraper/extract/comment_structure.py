"""Reader comments found by structure inside a region that names them (see ``comment_regions``).

From the region's root down, the children of each element are grouped by shape (tag and first
telling class token).  A group holds comments when its items (a few sampled) each carry free
text and a name, a date or a permalink, and are no list of other posts (a title link to another
page, a link to a comment on another page).  Items without a class of their own group by tag;
``dt``/``dd`` or ``p.info`` + ``div`` pairs (who and when before the text) count as one item.
The search does not enter the items of a group that holds comments, stops after a fixed number
of elements, and looks at a fixed number of items per group: cheap however long the thread.
Replies are the elements of the same shape nested in the list (inside a comment, or in a
replies container right after one).
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from scraper.extract.comment_regions import Region, is_elsewhere_area
from scraper.extract.comment_signs import MIN_TEXT, SignsMemo
from scraper.extract.comment_words import element_names_comments, is_hidden, shape_of
from scraper.extract.document import HtmlElement
from scraper.extract.patterns import COMMENT_ID, COMMENT_ITEM_NUMBER, WROTE_BEFORE
from scraper.extract.regions import Regions

_NOT_ITEMS = frozenset({
    "a", "span", "b", "i", "em", "strong", "img", "br", "hr", "input", "button", "label",
    "option", "svg", "path", "use", "script", "style", "meta", "link", "noscript", "iframe",
    "source", "picture", "textarea", "select", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "time", "small", "sup", "sub", "abbr", "cite", "u", "s", "font", "nav"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_MAX_DEPTH = 8  # levels below the region's root searched for the list
_MAX_VISITED = 4000  # elements the search looks at, at most
_SAMPLE = 6  # items of a group looked at
_MIN_QUALIFIED = 0.6  # share of sampled items that must look like comments
_MAX_HEADER = 160  # characters of the header line of a pair ("Ana schrieb am 05.05.2024:")
_MAX_ITEM_HEADING = 120  # characters of a comment's own heading ("#1 Kommentar von Ana")
_MAX_ITEM_TEXT = 6000  # characters of a comment under its own heading, at most
_NUMBER = re.compile(r"#\s*\d+\s*")


@dataclass(slots=True)
class Found:
    """Comment elements in page order (replies included), the header sibling of paired items,
    and the elements that hold the top-level comments."""

    items: list[HtmlElement] = field(default_factory=list)
    headers: dict[HtmlElement, HtmlElement] = field(default_factory=dict)
    lists: list[HtmlElement] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Group:
    parent: HtmlElement
    shapes: frozenset[tuple[str, str | None]]
    items: tuple[HtmlElement, ...]
    headers: tuple[HtmlElement, ...] = ()  # for pairs: the header before each item


def find_structured(region: Region, regions: Regions) -> Found:
    """The comments under ``region`` (empty when it holds none)."""
    if region.items:  # the common ancestor is searched no further than its named comments
        groups = _wrapped(region, regions) or [
            group for item in region.items for group in _search(Region(item), regions)]
    else:
        groups = _search(region, regions)
    found = Found()
    members: set[HtmlElement] = set()
    for group in groups:
        if group.headers:
            found.headers.update(zip(group.items, group.headers, strict=True))
            elements: list[HtmlElement] = list(group.items)
        else:
            elements = list(_with_replies(group))
        members.update(elements)
        found.lists.append(group.parent)
        found.items.extend(elements)
    if len(groups) > 1:  # page order
        order = {element: index for index, element in enumerate(_iter_roots(found.lists))}
        found.items.sort(key=lambda element: order.get(element, 0))
    found.items = list(dict.fromkeys(found.items))
    return found


def _wrapped(region: Region, regions: Regions) -> list[_Group]:
    """The region's like-named comments, each in wrappers of its own, when they look like
    comments: one group, its items in page order (replies among them)."""
    group = _Group(region.root, frozenset(shape_of(item) for item in region.items), region.items)
    return [group] if _qualifies(group, SignsMemo(regions), strict=False) else []


def numbered_items(headings: Sequence[tuple[HtmlElement, str]], holders: frozenset[HtmlElement],
                   regions: Regions) -> Found:
    """Comments each under a numbered heading of its own that names the commenter ("#1
    Kommentar von Ana", "2. Comment by Ben"): the heading's parent is the comment, when it
    holds no other such heading, no article, and is no sidebar or widget.  ``headings``: each
    heading with its ``text_content()``; most fail the number test at once."""
    found = Found()
    for heading, raw in headings:
        if len(raw) > 2 * _MAX_ITEM_HEADING or not COMMENT_ITEM_NUMBER.match(raw):
            continue
        text = " ".join(raw.split())
        if len(text) > _MAX_ITEM_HEADING or not WROTE_BEFORE.match(_NUMBER.sub("", text, count=1)):
            continue
        item = heading.getparent()
        if item is None or item in holders or item.tag in ("body", "html") or _too_long(item) \
                or next(item.iter(*_HEADINGS)) is not heading \
                or sum(1 for _ in item.iter(*_HEADINGS)) > 1 \
                or is_elsewhere_area(item, regions, named=False):
            continue
        found.items.append(item)
        parent = item.getparent()
        if parent is not None and parent not in found.lists and parent not in holders:
            found.lists.append(parent)
    found.items = list(dict.fromkeys(found.items))
    return found


def _too_long(item: HtmlElement) -> bool:
    total = 0
    for text in item.itertext():
        total += len(text.strip())
        if total > _MAX_ITEM_TEXT:
            return True
    return False


def _iter_roots(roots: Sequence[HtmlElement]) -> Iterator[HtmlElement]:
    for root in dict.fromkeys(roots):
        yield from root.iter()


def _search(region: Region, regions: Regions) -> list[_Group]:
    """Breadth first from the root: the groups that hold comments, none inside another.  A
    lone item is looked into first: it is a comment only when nothing inside it but its own
    replies holds comments (else it is a wrapper of the list)."""
    strict_region = False  # a lone item must show a name and a date (below)
    memo = SignsMemo(regions)
    queue: deque[tuple[HtmlElement, HtmlElement | None, int]] = deque(
        [(region.root, region.after, 0)])
    visited = 0
    found: list[_Group] = []
    singles: list[_Group] = []
    while queue and visited < _MAX_VISITED:
        parent, after, depth = queue.popleft()
        children = _children(parent, after)
        visited += len(children)
        taken: set[HtmlElement] = set()
        pair = _pairs(parent, children)
        if pair is not None and _short_headers(pair) and _qualifies(pair, memo, strict_region):
            found.append(pair)  # before the groups: a header alone looks like a comment too
            taken.update(pair.items)
            taken.update(pair.headers)
            pair = None
        for group in _groups(parent, children):
            if taken.intersection(group.items):
                continue
            single = len(group.items) == 1
            if single and not (after is not None or _named_item(group.items[0])):
                continue
            if _qualifies(group, memo, strict_region or single):
                if single:
                    singles.append(group)
                    continue
                found.append(group)
                taken.update(group.items)
        if not taken and pair is not None and _qualifies(pair, memo, strict_region):
            found.append(pair)
            taken.update(pair.items)
            taken.update(pair.headers)
        if depth < _MAX_DEPTH:
            queue.extend((child, None, depth + 1) for child in children if child not in taken)
    return _with_singles(found, singles)


def _with_singles(found: list[_Group], singles: list[_Group]) -> list[_Group]:
    """Lone comments (outer first), unless a group inside one holds other shapes (it wraps the
    list) or it lies inside a comment already kept (a part of it); the groups inside a lone
    comment that have its shape are its replies."""
    kept = list(found)
    for single in singles:
        (item,) = single.items
        inside = [group for group in kept if group.parent is item
                  or item in group.parent.iterancestors()]
        if any(not group.shapes <= single.shapes for group in inside):
            continue
        taken = {element for group in kept if group not in inside for element in group.items}
        if any(ancestor in taken for ancestor in item.iterancestors()):
            continue
        kept = [group for group in kept if group not in inside]
        kept.append(single)
    return kept


def _children(parent: HtmlElement, after: HtmlElement | None) -> list[HtmlElement]:
    """The element children that may be comments; after ``after`` only, up to the next
    heading of its kind (another section)."""
    if after is None:
        return [child for child in parent if isinstance(child.tag, str)
                and child.tag not in _NOT_ITEMS and not is_hidden(child)]
    children = []
    for sibling in after.itersiblings():
        if not isinstance(sibling.tag, str):
            continue
        if sibling.tag == after.tag and sibling.tag in _HEADINGS:
            break
        if sibling.tag not in _NOT_ITEMS and not is_hidden(sibling):
            children.append(sibling)
    return children


def _groups(parent: HtmlElement, children: Sequence[HtmlElement]) -> list[_Group]:
    """The children by tag, all shapes of a tag together first (comments of members and
    guests: "li.member", "li.guest"), then by shape."""
    by_shape: dict[tuple[str, str | None], list[HtmlElement]] = {}
    for child in children:
        by_shape.setdefault(shape_of(child), []).append(child)
    groups = []
    by_tag: dict[str, list[tuple[str, str | None]]] = {}
    for shape in by_shape:
        by_tag.setdefault(shape[0], []).append(shape)
    for shapes in by_tag.values():
        if len(shapes) > 1:
            items = tuple(child for child in children if shape_of(child) in shapes)
            groups.append(_Group(parent, frozenset(shapes), items))
    groups += [_Group(parent, frozenset({shape}), tuple(items))
               for shape, items in by_shape.items()]
    return groups


def _named_item(element: HtmlElement) -> bool:
    """Is the element named a comment (class or id), so that one alone may be a comment?"""
    return element_names_comments(element) or bool(COMMENT_ID.match(element.get("id") or ""))


def _pairs(parent: HtmlElement, children: Sequence[HtmlElement]) -> _Group | None:
    """Children that alternate between two shapes (``dt``, ``dd``; ``p.info``, ``div``; a
    table's name row and text row, told apart by their cells): each pair is one item, the
    second its text."""
    if len(children) < 4 or len(children) % 2:
        return None
    shapes = [shape_of(child) for child in children]
    if len(set(shapes)) == 1:  # table rows without classes: told apart by their cells
        shapes = [_pair_shape(child) for child in children]
    first, second = shapes[0], shapes[1]
    if first == second:
        return None
    for index, shape in enumerate(shapes):
        if shape != (first if index % 2 == 0 else second):
            return None
    return _Group(parent, frozenset({shape_of(children[1])}), tuple(children[1::2]),
                  tuple(children[0::2]))


def _pair_shape(element: HtmlElement) -> tuple[str, str | None]:
    """The element's shape; for one without a class holding a single element (a table row
    with one cell), that of its child as well: ``tr > td.gbhead`` is not ``tr > td``."""
    shape = shape_of(element)
    if shape[1] is not None or len(element) != 1 or not isinstance(element[0].tag, str):
        return shape
    inner = shape_of(element[0])
    return shape[0], f"{inner[0]}.{inner[1] or ''}"


def _short_headers(pair: _Group) -> bool:
    """Are the pair's first elements header lines ("Ana schrieb am 05.05.2024:"), shorter
    than the texts after them, not comments followed by their replies?"""
    for header, item in zip(pair.headers[:_SAMPLE], pair.items[:_SAMPLE], strict=False):
        length = len(header.text_content().strip())
        if length > _MAX_HEADER or length >= len(item.text_content().strip()):
            return False
    return True


def _qualifies(group: _Group, memo: SignsMemo, strict: bool) -> bool:
    """Do most sampled items look like comments, and (almost) none like teasers?  Items with
    hardly any text are ruled out first, cheaply (in C): most groups are of those."""
    count = len(group.items)
    picks = sorted({*range(min(3, count)), count // 2, count - 2, count - 1} - {-1})[:_SAMPLE]
    sampled = len(picks)
    needed = _MIN_QUALIFIED * sampled
    qualified = teasers = 0
    for done, index in enumerate(picks):
        if qualified + sampled - done < needed:
            return False
        if len(group.items[index].text_content()) < MIN_TEXT:
            continue
        signs = memo.item(group.items[index])
        if group.headers:
            signs.add(memo.item(group.headers[index]))
        teasers += signs.teaser
        qualified += signs.looks_like_comment(strict)
    return qualified >= needed and teasers * 5 <= sampled


def _with_replies(group: _Group) -> Iterator[HtmlElement]:
    """The group's items and the elements of its shapes nested in its list (replies)."""
    shapes = {shape for shape in group.shapes if shape[1] is not None}
    if not shapes:
        yield from group.items
        return
    items = set(group.items)
    for element in group.parent.iter(*{tag for tag, _ in shapes}):
        if element in items or shape_of(element) in shapes:
            yield element
