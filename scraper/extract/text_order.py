"""The text nodes after or before an element in document order, read lazily.

XPath's ``following::text()[position() <= n]`` collects every text node to the end of the page
before keeping the first ``n`` (libxml2 stops early only for a constant ``[n]``), and
``preceding::text()`` every one from the start: on a long page that is a walk of the whole tree
per question.  These walks stop as soon as their reader does.  Each text comes with its owner,
the element whose content it is (a tail belongs to the enclosing element), as
``date_labels.text_owner`` tells for XPath's text results.  Comments' and processing
instructions' contents are no text nodes; their tails are.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypeAlias

from scraper.extract.document import HtmlElement

__all__ = ["OwnedText", "texts_after", "texts_before"]

OwnedText: TypeAlias = tuple[str, HtmlElement | None]
_Pending: TypeAlias = HtmlElement | OwnedText


def texts_after(element: HtmlElement) -> Iterator[OwnedText]:
    """The text nodes following ``element`` (not inside it), in document order."""
    node: HtmlElement | None = element
    while node is not None:
        parent = node.getparent()
        if node.tail is not None:
            yield node.tail, _owner(parent)
        sibling = node.getnext()
        while sibling is not None:
            yield from _subtree(sibling, parent)
            sibling = sibling.getnext()
        node = parent


def texts_before(element: HtmlElement) -> Iterator[OwnedText]:
    """The text nodes before ``element`` (not inside it), nearest first."""
    node: HtmlElement | None = element
    while node is not None:
        parent = node.getparent()
        sibling = node.getprevious()
        while sibling is not None:
            yield from _subtree_reversed(sibling, parent)
            sibling = sibling.getprevious()
        if parent is not None and parent.text is not None:
            yield parent.text, _owner(parent)
        node = parent


def _subtree(root: HtmlElement, parent: HtmlElement | None) -> Iterator[OwnedText]:
    """The texts of ``root`` (its own, its descendants' and its tail) in document order."""
    pending: list[_Pending] = [root]
    while pending:
        item = pending.pop()
        if isinstance(item, tuple):
            yield item
            continue
        if item.tail is not None:
            pending.append((item.tail, _owner(parent if item is root else item.getparent())))
        if isinstance(item.tag, str) and item.text is not None:
            yield item.text, _owner(item)
        pending.extend(reversed(item))


def _subtree_reversed(root: HtmlElement, parent: HtmlElement | None) -> Iterator[OwnedText]:
    """The texts of ``root`` (its tail, its descendants' and its own) in reverse order."""
    pending: list[_Pending] = [root]
    while pending:
        item = pending.pop()
        if isinstance(item, tuple):
            yield item
            continue
        if item.tail is not None:
            yield item.tail, _owner(parent if item is root else item.getparent())
        if isinstance(item.tag, str) and item.text is not None:
            pending.append((item.text, _owner(item)))
        pending.extend(item)


def _owner(element: HtmlElement | None) -> HtmlElement | None:
    return element if isinstance(element, HtmlElement) else None
