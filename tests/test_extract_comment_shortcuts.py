"""The comment finder's shortcuts give the answers of the plain checks they replace: selector
sets (indexed and remembered by class attribute), the flat walk over a comment's own elements,
the class/tag pre-checks of the first-value search, the area-token memory, the per-attribute
comment mark, and the marks XPath returning elements."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import lxml.etree
import pytest

from scraper.extract import comment_selectors, comment_systems, comments
from scraper.extract.comment_selectors import Selector, SelectorSet, compile_group
from scraper.extract.document import Document, HtmlElement, parse, select
from scraper.extract.patterns import COMMENT_AREA_TOKEN, COMMENT_SYSTEMS, HIDDEN_STYLE

GOLDEN = Path(__file__).parent / "golden"
PAGES = sorted([*GOLDEN.glob("comments/*.html"), *GOLDEN.glob("demo/*.html")])
# Odd class attributes: non-ASCII spaces that str.split() splits on, upper case, substrings of
# the selectors' tokens, repeated tokens, and replies nested in replies.
ODD = ("<html><body><main><h1>T</h1><section id='comments' class='comments-area'>"
       "<ol class='comment-list'><li class='comment\u00a0depth-1' id='comment-1'>"
       "<div class='comment-author'><b class='fn'>Ann</b></div><p>One</p>"
       "<ul class='children'><li class='Comment comment' id='comment-2'><cite>Bo</cite><p>Two</p>"
       "<div class='sub-comments replies'><li class='comment\u2003x' id='li-comment-3'>"
       "<time datetime='2024-01-02'>2 Jan</time><p>Three</p></li></div></li></ul>"
       "<div class='reply comment-reply'><a class='comment-reply-link' href='#c'>Reply</a></div>"
       "</li><li class='pingback comments__item'><p>Ping</p></li>"
       "<li class='comment-replies-x commentsx' id='dsq-comment-9'><p>Nine</p></li>"
       "<li class='x\x0ccomment' itemprop='comment' itemscope=''><p>Ten</p></li></ol>"
       "<div class='binh-luan-item c-comment'><span class='user-name'>Vi</span><p>Mot</p></div>"
       "</section></main></body></html>")


def documents() -> Iterator[Document]:
    for path in PAGES:
        yield parse(path.read_bytes(), "https://example.com/a/")
    yield parse(ODD, "https://example.com/a/")


def all_sets() -> dict[str, SelectorSet]:
    """Every selector set the comment finder uses, and each system's value selectors as one."""
    sets = {"any item": comment_systems.ANY_ITEM, "replies": comment_systems._REPLIES,
            "chrome": comment_systems._CHROME}
    for system in comment_systems.SYSTEMS:
        sets[f"{system.name} items"] = system.items
        sets[f"{system.name} containers"] = system.containers
        for key in ("authors", "dates", "texts"):
            sets[f"{system.name} {key}"] = SelectorSet(getattr(system, key))
    return sets


def plain_match(selectors: tuple[Selector, ...], element: HtmlElement,
                within: HtmlElement | None) -> bool:
    return any(selector.matches(element, within) for selector in selectors)


@pytest.mark.parametrize("name", sorted(all_sets()))
def test_selector_sets_answer_as_their_selectors(name: str) -> None:
    selector_set = all_sets()[name]
    checked = matched = 0
    for doc in documents():
        for element in doc.tree.iter():
            for within in (None, element.getparent()):
                expected = plain_match(selector_set.selectors, element, within)
                assert selector_set.matches(element, within) is expected, (name, element.attrib)
                assert selector_set.matches(element, within) is expected  # remembered now
                checked += 1
                matched += expected
    assert checked > 5000
    if selector_set.selectors:  # the pages exercise the set, not only its "no"
        assert matched > 0, name


def test_selector_set_memory_is_bounded_and_still_right() -> None:
    selector_set = SelectorSet(compile_group(COMMENT_SYSTEMS["generic"]["items"]
                                             + ", ul.x .comment-item, [class*=reply-list]"))
    count = comment_selectors._MAX_REMEMBERED + 500
    html = "".join(f"<ul class='x'><li class='c{n} {('comment-item' if n % 3 else 'y')} "
                   f"{'reply-list' if n % 5 == 0 else ''}'>t</li></ul>" for n in range(count))
    doc = parse(f"<html><body>{html}</body></html>")
    items = list(doc.tree.iter("li"))
    for element in items:
        assert selector_set.matches(element) is plain_match(selector_set.selectors, element, None)
    assert len(selector_set._by_marks) <= comment_selectors._MAX_REMEMBERED
    assert sum(selector_set.matches(element) for element in items) == sum(
        1 for n in range(count) if n % 3 or n % 5 == 0)


def marked(doc: Document) -> list[HtmlElement]:
    return [element for element in select(comments._marks_search(False).fast, doc.tree)
            if comments._is_marked(element)]


def own_reference(item: HtmlElement, stops: Callable[[HtmlElement], bool]
                  ) -> Iterator[HtmlElement]:
    """The recursive walk the flat one replaced."""
    for child in item:
        if not isinstance(child.tag, str) or stops(child):
            continue
        yield child
        yield from own_reference(child, stops)


def test_own_elements_as_the_recursive_walk() -> None:
    walked = 0
    for doc in documents():
        candidates = [element for element in marked(doc)
                      if comment_systems.ANY_ITEM.matches(element)]
        members = set(candidates)

        def stops(element: HtmlElement, members: set[HtmlElement] = members) -> bool:
            return element in members or plain_match(
                comment_systems._REPLIES.selectors, element, None)

        for item in candidates:
            expected = list(own_reference(item, stops))
            assert comment_systems._own_elements(item, members) == expected
            walked += len(expected)
    assert walked > 500


def items_reference(system: comment_systems.CommentSystem, candidates: list[HtmlElement],
                    enclosing: set[HtmlElement]) -> list[HtmlElement]:
    """``_items`` before it looked for the system's containers first."""
    candidates = [element for element in candidates if system.items.matches(element)
                  and not HIDDEN_STYLE.search(element.get("style") or "")]
    if not candidates or not system.containers.selectors:
        return candidates
    containers = {element for element in enclosing if system.containers.matches(element)}
    return [element for element in candidates
            if any(ancestor in containers for ancestor in element.iterancestors())]


def test_items_of_each_system_as_before() -> None:
    found = 0
    for doc in documents():
        marks = marked(doc)
        candidates = [element for element in marks if comment_systems.ANY_ITEM.matches(element)]
        enclosing = comments._enclosing(candidates, marks)
        for system in comment_systems.SYSTEMS:
            expected = items_reference(system, candidates, enclosing)
            assert comment_systems._items(system, candidates, enclosing) == expected
            found += len(expected)
    assert found > 100


def first_value_reference(own: list[tuple[HtmlElement, set[str]]],
                          selectors: tuple[Selector, ...], item: HtmlElement,
                          read: Callable[[HtmlElement], str | None]
                          ) -> tuple[str | None, HtmlElement | None]:
    for selector in selectors:
        for element, classes in own:
            if selector.matches(element, item, classes) and (value := read(element)):
                return value, element
    return None, None


def test_first_value_pre_checks_change_no_answer() -> None:
    def read(element: HtmlElement) -> str | None:
        return " ".join(element.text_content().split()) or None

    found = 0
    for doc in documents():
        candidates = [element for element in marked(doc)
                      if comment_systems.ANY_ITEM.matches(element)]
        for item in candidates:
            own = [(element, set((element.get("class") or "").split()))
                   for element in comment_systems._own_elements(item, set(candidates))]
            for system in comment_systems.SYSTEMS:
                for selectors in (system.authors, system.dates, system.texts):
                    expected = first_value_reference(own, selectors, item, read)
                    assert comment_systems._first_value(own, selectors, item, read) == expected
                    found += expected[1] is not None
    assert found > 100


def test_area_token_memory_and_per_attribute_marks_as_before() -> None:
    old_mark = re.compile(r"omment|oment|isqus", re.I)
    for doc in documents():
        for element in doc.tree.iter():
            if not isinstance(element.tag, str):
                continue
            get = element.get
            tokens = f"{get('class') or ''} {get('id') or ''}".split()
            assert comments._has_area_token(get("class"), get("id")) is any(
                COMMENT_AREA_TOKEN.match(token) for token in tokens)
            joined = f"{get('class') or ''} {get('id') or ''} {get('itemprop') or ''} " \
                     f"{get('itemtype') or ''}"
            expected = element.tag not in comments._UNMARKED_TAGS and (
                old_mark.search(joined) is not None
                or (element.tag == "a" and "#comment" in (get("href") or "")))
            assert comments._is_marked(element) is expected


@pytest.mark.parametrize("with_itemprops", [False, True])
def test_marks_search_finds_the_owners_of_the_marked_attributes(with_itemprops: bool) -> None:
    marks = comments._marks_search(with_itemprops)
    by_attributes = lxml.etree.XPath(marks.fast.path.replace("/..", ""))
    for doc in documents():
        found = select(marks.fast, doc.tree)
        assert found == select(by_attributes, doc.tree)
        assert select(marks.linear, doc.tree) == found
