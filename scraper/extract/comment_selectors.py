"""The small selector language of ``patterns.COMMENT_SYSTEMS``, matched in Python.

A selector is one or more space-separated steps (descendant chain); a step is
``tag.class#id[attr op value]`` with op ``=``, ``~=`` (token), ``^=``, ``$=`` or ``*=``, or
``[attr]`` for presence.  Comment subtrees are small, so plain Python matching is cheap there;
the whole page is never walked this way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from scraper.extract.document import HtmlElement

_STEP = re.compile(r"(?P<tag>[a-z][a-z0-9]*)?(?P<rest>(?:[.#][\w-]+|\[[^\]]+\])*)")
_PART = re.compile(r"([.#])([\w-]+)|\[([\w-]+)(?:([~^$*]?=)([^\]]*))?\]")
_MAX_REMEMBERED = 4096  # class attributes a selector set remembers (then it forgets them all)


@dataclass(frozen=True, slots=True)
class Step:
    """One compound selector: every condition must hold for the element."""

    tag: str | None
    classes: frozenset[str]
    ident: str | None
    attrs: tuple[tuple[str, str, str], ...]  # (name, op, value); op "" = presence

    def matches(self, element: HtmlElement, classes: set[str] | None = None) -> bool:
        """``classes``: the element's class tokens, when the caller has them already."""
        if self.tag is not None and element.tag != self.tag:
            return False
        if self.ident is not None and element.get("id") != self.ident:
            return False
        if self.classes:
            if classes is None:
                classes = set((element.get("class") or "").split())
            if not self.classes <= classes:
                return False
        return all(_attr_matches(element.get(name), op, value) for name, op, value in self.attrs)

    def key(self) -> str | None:
        """The attribute an element must have to match (None: the tag alone decides)."""
        if self.classes:
            return "class"
        if self.ident is not None:
            return "id"
        return self.attrs[0][0] if self.attrs else None


def _attr_matches(actual: str | None, op: str, value: str) -> bool:
    if actual is None:
        return False
    if op == "":
        return True
    if op == "=":
        return actual == value
    if op == "~=":
        return value in actual.split()
    if op == "^=":
        return actual.startswith(value)
    if op == "$=":
        return actual.endswith(value)
    return value in actual  # "*="


@dataclass(frozen=True, slots=True)
class Selector:
    """A descendant chain of steps; ``steps[-1]`` is the element itself.  ``needs_class`` and
    ``needs_tag``: a class token and a tag the element must have (None: no such need), so
    that callers can pass over most elements before calling ``matches``."""

    text: str
    steps: tuple[Step, ...]
    needs_class: str | None = None
    needs_tag: str | None = None

    def matches(self, element: HtmlElement, within: HtmlElement | None = None,
                classes: set[str] | None = None) -> bool:
        """Does ``element`` match, its ancestor steps found below ``within`` (exclusive)?"""
        if not self.steps[-1].matches(element, classes):
            return False
        pending = len(self.steps) - 2
        node = element.getparent()
        while pending >= 0 and node is not None and node is not within:
            if self.steps[pending].matches(node):
                pending -= 1
            node = node.getparent()
        return pending < 0


class SelectorSet:
    """Selectors indexed by what their last step needs (a tag, a class token, a class
    substring, another attribute), so that an element is only tested against the few selectors
    that could match it: most elements are rejected by a dictionary lookup or two (the class
    attribute's selectors are remembered, and elements without the attributes that the other
    selectors ask about are not asked)."""

    def __init__(self, selectors: Sequence[Selector]) -> None:
        self.selectors = tuple(selectors)
        self._by_tag: dict[str, list[Selector]] = {}
        self._by_class: dict[str, list[Selector]] = {}
        self._by_class_part: list[tuple[str, str, Selector]] = []  # (op, value, selector)
        self._by_attribute: dict[str, list[Selector]] = {}
        for selector in self.selectors:
            last = selector.steps[-1]
            if last.classes:
                self._by_class.setdefault(min(last.classes), []).append(selector)
            elif last.attrs and last.attrs[0][0] == "class" and last.ident is None:
                self._by_class_part.append((last.attrs[0][1], last.attrs[0][2], selector))
            elif (key := last.key()) is not None:
                self._by_attribute.setdefault(key, []).append(selector)
            else:
                self._by_tag.setdefault(last.tag or "*", []).append(selector)
        self._class_keys = frozenset(self._by_class)
        self._attribute_names = frozenset(self._by_attribute)
        # Class attribute to the selectors indexed by one of its tokens or substrings: pages
        # repeat their class attributes (every comment's "comment-body"), so each is looked
        # at once; most have none.
        self._by_marks: dict[str, tuple[Selector, ...]] = {}

    def matches(self, element: HtmlElement, within: HtmlElement | None = None) -> bool:
        tag = element.tag
        if not isinstance(tag, str):
            return False
        by_tag = self._by_tag.get(tag)
        if by_tag is not None and any(selector.matches(element, within) for selector in by_tag):
            return True
        marks = element.get("class")
        if marks and (indexed := self._indexed_by_class(marks)):
            classes = set(marks.split())
            if any(selector.matches(element, within, classes) for selector in indexed):
                return True
        if self._by_attribute and not self._attribute_names.isdisjoint(element.keys()):
            for name, selectors in self._by_attribute.items():
                if element.get(name) is not None and any(
                        selector.matches(element, within) for selector in selectors):
                    return True
        return False

    def _indexed_by_class(self, marks: str) -> tuple[Selector, ...]:
        """The selectors indexed by a class token that ``marks`` has, or by a class-part
        value it satisfies: the only ones of ``_by_class`` and ``_by_class_part`` that can
        match an element with that class attribute."""
        indexed = self._by_marks.get(marks)
        if indexed is None:
            keys = self._class_keys.intersection(marks.split())
            indexed = (*(selector for token in keys for selector in self._by_class[token]),
                       *(selector for op, value, selector in self._by_class_part
                         if _attr_matches(marks, op, value)))
            if len(self._by_marks) >= _MAX_REMEMBERED:
                self._by_marks.clear()
            self._by_marks[marks] = indexed
        return indexed


def compile_selector(text: str) -> Selector:
    steps = []
    for chunk in text.split():
        match = _STEP.fullmatch(chunk)
        if match is None:
            raise ValueError(f"bad selector step {chunk!r} in {text!r}")
        classes, ident, attrs = set(), None, []
        for dot, name, attr, op, value in _PART.findall(match["rest"]):
            if dot == ".":
                classes.add(name)
            elif dot == "#":
                ident = name
            else:
                attrs.append((attr, op, value))
        steps.append(Step(match["tag"], frozenset(classes), ident, tuple(attrs)))
    if not steps:
        raise ValueError(f"empty selector {text!r}")
    last = steps[-1]
    return Selector(text, tuple(steps), min(last.classes) if last.classes else None, last.tag)


def compile_group(group: str) -> tuple[Selector, ...]:
    """``"li.comment, li[id^=comment-]"``: comma-separated alternatives, in order."""
    return tuple(compile_selector(text) for text in group.split(",") if text.strip())
