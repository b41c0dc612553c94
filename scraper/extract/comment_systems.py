"""Reading one comment system's comments out of the page: items, nesting, author, date, text.

The systems are data (``patterns.COMMENT_SYSTEMS``); this module applies one of them to the
elements the comment scan marked.  Nesting follows the DOM: a reply sits inside its parent
comment or in a replies container right after it (Drupal's ``div.indented``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from scraper.extract.comment_selectors import Selector, SelectorSet, compile_group
from scraper.extract.comment_words import roles_of
from scraper.extract.dates import parse_date
from scraper.extract.document import HtmlElement
from scraper.extract.patterns import (
    AUTHOR_NOISE,
    COMMENT_CHROME,
    COMMENT_DEPTH,
    COMMENT_INDENT,
    COMMENT_REPLIES,
    COMMENT_SAYS,
    COMMENT_SYSTEMS,
    HIDDEN_STYLE,
)
from scraper.extract.record import Comment

_MAX_AUTHOR = 80
_MAX_DATE_TEXT = 160
_LINE_BREAK = "\ue000"  # a <br> while rendering: survives the whitespace clean-up
_BLOCK_TAGS = frozenset({"p", "div", "blockquote", "li", "ul", "ol", "pre", "h1", "h2", "h3",
                         "h4", "h5", "h6", "table", "tr", "section", "article", "header",
                         "footer", "figure", "dl", "dt", "dd", "hr"})


@dataclass(frozen=True, slots=True)
class CommentSystem:
    name: str
    needs_author_or_date: bool
    containers: SelectorSet
    items: SelectorSet
    authors: tuple[Selector, ...]
    dates: tuple[Selector, ...]
    texts: tuple[Selector, ...]


SYSTEMS = tuple(
    CommentSystem(name, bool(spec.get("require")),
                  SelectorSet(compile_group(spec.get("containers", ""))),
                  SelectorSet(compile_group(spec.get("items", ""))),
                  *(compile_group(spec.get(key, "")) for key in ("authors", "dates", "texts")))
    for name, spec in COMMENT_SYSTEMS.items())
# Every system's item selectors: the marked elements that may be a comment of some system.
ANY_ITEM = SelectorSet([selector for system in SYSTEMS for selector in system.items.selectors])
_REPLIES = SelectorSet(compile_group(COMMENT_REPLIES))
# Text selectors that match a class substring: their matches must say text in words.
_LOOSE_TEXTS = frozenset(selector for system in SYSTEMS for selector in system.texts
                         if any(name == "class" and op == "*="
                                for name, op, _ in selector.steps[-1].attrs))
_CHROME = SelectorSet(compile_group(COMMENT_CHROME))
_INDENT_LEVELS = 4  # a comment and its wrappers looked at for an indentation


@dataclass(slots=True)
class _Item:
    element: HtmlElement
    parent: HtmlElement | None
    comment: Comment | None  # None: no text (a wrapper); its replies move up a level


def read_system(system: CommentSystem, candidates: Sequence[HtmlElement],
                enclosing: Collection[HtmlElement], day_first: bool | None
                ) -> tuple[tuple[Comment, ...], list[HtmlElement]]:
    """The system's comments (threaded) and the elements of its top-level comments, from the
    ``candidates`` (the marked elements that match ``ANY_ITEM``); ``enclosing``: the marked
    elements that hold a candidate (where the system's containers may be)."""
    elements = _items(system, candidates, enclosing)
    if not elements:
        return (), []
    members = set(elements)
    parents = _parents_by_depth(elements)
    items = [_Item(element, _parent_or(_parent_item(element, members), parents.get(element)),
                   _read_item(system, element, members, day_first)) for element in elements]
    return _thread(items)


def _items(system: CommentSystem, candidates: Sequence[HtmlElement],
           enclosing: Collection[HtmlElement]) -> list[HtmlElement]:
    containers: set[HtmlElement] | None = None  # None: the system's items count anywhere
    if system.containers.selectors:
        containers = {element for element in enclosing if system.containers.matches(element)}
        if not containers:  # none of its containers on the page (other systems' pages)
            return []
    candidates = [element for element in candidates if system.items.matches(element)
                  and not HIDDEN_STYLE.search(element.get("style") or "")]
    if not candidates or containers is None:
        return candidates
    return [element for element in candidates
            if any(ancestor in containers for ancestor in element.iterancestors())]


def _parent_item(element: HtmlElement, members: set[HtmlElement]) -> HtmlElement | None:
    node = element.getparent()
    while node is not None:
        if node in members:
            return node
        if _REPLIES.matches(node):
            previous = _previous_item(node, members)
            if previous is not None:
                return previous
        node = node.getparent()
    return None


def _parent_or(found: HtmlElement | None, fallback: HtmlElement | None) -> HtmlElement | None:
    return found if found is not None else fallback


def _parents_by_depth(elements: list[HtmlElement]) -> dict[HtmlElement, HtmlElement]:
    """Flat lists that mark nesting with ``depth-N`` classes (WordPress themes) or by
    indentation: a comment of depth N replies to the nearest comment of depth N-1 before it."""
    parents: dict[HtmlElement, HtmlElement] = {}
    last_at_depth: dict[int, HtmlElement] = {}
    indents = indent_levels(elements, ())
    for element in elements:
        match = COMMENT_DEPTH.search(element.get("class") or "")
        depth = int(match[1]) if match else indents.get(element, 0)
        if not depth:
            continue
        if depth > 1 and depth - 1 in last_at_depth:
            parents[element] = last_at_depth[depth - 1]
        last_at_depth[depth] = element
    return parents


def indent_levels(items: Sequence[HtmlElement], lists: Collection[HtmlElement]
                   ) -> dict[HtmlElement, int]:
    """Levels from the indentation of each comment or its own wrapper (the nearest inline
    ``padding-left``/``margin-left`` a few levels up, below the list), when the comments show
    at least two and nearly all show one: the smallest is level 1."""
    indents: dict[HtmlElement, float] = {}
    for item in items:
        node: HtmlElement | None = item
        for _ in range(_INDENT_LEVELS):
            if node is None or node in lists:
                break
            style = node.get("style")
            if style and (match := COMMENT_INDENT.search(style)):
                indents[item] = float(match[1])
                break
            node = node.getparent()
    distinct = sorted(set(indents.values()))
    if len(distinct) < 2 or len(indents) * 5 < len(items) * 4:
        return {}
    return {item: distinct.index(indent) + 1 for item, indent in indents.items()}


def _previous_item(node: HtmlElement, members: set[HtmlElement]) -> HtmlElement | None:
    """The comment right before a replies container (empty anchors in between are skipped)."""
    for sibling in node.itersiblings(preceding=True):
        if not isinstance(sibling.tag, str):
            continue
        if sibling in members:
            return sibling
        if sibling.tag == "a" and len(sibling) == 0 and not (sibling.text or "").strip():
            continue
        return None
    return None


def thread_items(read: Sequence[tuple[HtmlElement, HtmlElement | None, Comment | None]]
                 ) -> tuple[tuple[Comment, ...], list[HtmlElement]]:
    """``(element, parent element or None, comment or None)`` in page order, threaded."""
    return _thread([_Item(element, parent, comment) for element, parent, comment in read])


def _thread(items: list[_Item]) -> tuple[tuple[Comment, ...], list[HtmlElement]]:
    """Hang each comment under its nearest kept ancestor comment, in page order."""
    by_element = {item.element: item for item in items}
    children: dict[HtmlElement | None, list[_Item]] = {}
    for item in items:
        parent = item.parent
        while parent is not None and by_element[parent].comment is None:
            parent = by_element[parent].parent
        if item.comment is not None:
            children.setdefault(parent, []).append(item)

    def build(item: _Item) -> Comment:
        assert item.comment is not None
        replies = tuple(build(child) for child in children.get(item.element, []))
        return Comment(item.comment.text, item.comment.author, item.comment.published, replies)

    roots = children.get(None, [])
    return tuple(build(item) for item in roots), [item.element for item in roots]


def _read_item(system: CommentSystem, item: HtmlElement, members: set[HtmlElement],
               day_first: bool | None) -> Comment | None:
    own = [(element, set((element.get("class") or "").split()))
           for element in _own_elements(item, members)]
    author, author_element = _first_value(own, system.authors, item, _author_of)
    published, date_element = _first_value(
        own, system.dates, item, lambda element: _date_of(element, day_first))
    used = {author_element, date_element}
    kept = {element for element, _ in own}

    def skip(element: HtmlElement) -> bool:
        """Rendering starts at the item or one of its own elements, so every element it meets
        is either its own or one left out of them (a nested comment or replies)."""
        return element not in kept or element in used or _CHROME.matches(element)

    text, _ = _first_value(own, system.texts, item, lambda element: render_text(element, skip),
                           _LOOSE_TEXTS)
    if text is None:
        text = render_text(item, skip)
    text = COMMENT_SAYS.sub("", text, count=1).strip()
    if not text or (system.needs_author_or_date and author is None and published is None):
        return None
    return Comment(text=text, author=author, published=published)


def _own_elements(item: HtmlElement, members: Collection[HtmlElement]) -> list[HtmlElement]:
    """The item's descendants in page order, not entering nested comments (``members``) or
    replies containers.  One flat walk: a node whose parent was left out is left out too."""
    found: list[HtmlElement] = []
    left_out: set[HtmlElement] = set()
    for node in item.iterdescendants():
        if not isinstance(node.tag, str):
            continue
        if (left_out and node.getparent() in left_out) or node in members \
                or _REPLIES.matches(node):
            left_out.add(node)
        else:
            found.append(node)
    return found


def _first_value(own: list[tuple[HtmlElement, set[str]]], selectors: Sequence[Selector],
                 item: HtmlElement, read: Callable[[HtmlElement], str | None],
                 loose: Collection[Selector] = ()) -> tuple[str | None, HtmlElement | None]:
    """The first non-empty value read from the item's own elements (each with its class
    tokens) that match the first selector that gives one.  An element that a ``loose``
    selector (a class substring: ``[class*=text]``) matches counts only when its class words
    say text ("comment-text", "messageBody"; not the utility "text-right")."""
    for selector in selectors:
        needs_class, needs_tag = selector.needs_class, selector.needs_tag
        for element, classes in own:
            if needs_class is not None and needs_class not in classes:
                continue
            if needs_tag is not None and element.tag != needs_tag:
                continue
            if not selector.matches(element, item, classes):
                continue
            if selector in loose and "text" not in roles_of(element):
                continue
            if (value := read(element)):
                return value, element
    return None, None


def _author_of(element: HtmlElement) -> str | None:
    raw = element.get("content") if element.tag == "meta" else element.text_content()
    name = " ".join((raw or "").split())
    while name:
        cleaned = AUTHOR_NOISE.sub("", name)
        if cleaned == name:
            break
        name = cleaned
    return name if name and len(name) <= _MAX_AUTHOR else None


def _date_of(element: HtmlElement, day_first: bool | None) -> str | None:
    for attribute in ("datetime", "content", "title"):
        value = element.get(attribute)
        if value and (date := parse_date(value, day_first)):
            return date
    text = element.text_content()
    return parse_date(text[:_MAX_DATE_TEXT], day_first) if text.strip() else None


def render_text(root: HtmlElement, skip: Callable[[HtmlElement], bool]) -> str:
    """Text of ``root``: paragraphs joined by a blank line, ``<br>`` as a line break."""
    if root.tag == "meta":
        return " ".join((root.get("content") or "").split())
    blocks: list[str] = []
    parts: list[str] = []

    def flush() -> None:
        """Close a block; an empty line inside it (``<br><br>``) starts a new paragraph."""
        lines: list[str] = []
        for line in "".join(parts).split(_LINE_BREAK):
            line = " ".join(line.split())
            if line:
                lines.append(line)
            elif lines:
                blocks.append("\n".join(lines))
                lines = []
        if lines:
            blocks.append("\n".join(lines))
        parts.clear()

    def walk(element: HtmlElement) -> None:
        block = element.tag in _BLOCK_TAGS
        if block:
            flush()
        if element.tag == "br":
            parts.append(_LINE_BREAK)
        parts.append(element.text or "")
        for child in element:
            if isinstance(child.tag, str) and not skip(child):
                walk(child)
            parts.append(child.tail or "")
        if block:
            flush()

    walk(root)
    flush()
    return "\n\n".join(blocks)
