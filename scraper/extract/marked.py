"""Elements whose attributes mention a word, found in time linear in the page.

The finders look for elements by a fragment of their class, id or the like with XPaths of the
form ``//*/@class[contains(., 'ment')]/.. | //*/@id[...]/..``: on an ordinary page that is the
cheapest search in libxml2, but libxml2 merges node sets (the ``/..`` step and the ``|`` union)
with a duplicate check against every node already in the set, so the cost grows with the square
of the matches: 8,000 comments marked by class, id and link took seconds, 50,000 minutes.  A
page whose source mentions the fragments more than ``MANY_MARKS`` times is searched instead with
one ``descendant::*[predicate]`` step (slower on ordinary pages, linear on all; not ``//*[...]``,
which libxml2 evaluates as one child step per node, merged in the same quadratic way).
"""

from __future__ import annotations

from collections.abc import Iterable

import lxml.etree

from scraper.extract.document import HtmlElement, select

MANY_MARKS = 1000
"""Mentions of the fragments in the page source above which the linear search is used."""


class MarkSearch:
    """One search in two equivalent forms: ``fast`` (``/..`` steps and unions) and ``linear``."""

    def __init__(self, fast: str, linear: str, fragments: Iterable[str]) -> None:
        self.fast = lxml.etree.XPath(fast)
        self.linear = lxml.etree.XPath(linear)
        self.fragments = tuple(fragments)

    def __call__(self, source: str, root: HtmlElement) -> list[HtmlElement]:
        """The elements under ``root`` (page order, each once); ``source`` is the page text."""
        return select(self.linear if self.is_crowded(source) else self.fast, root)

    def is_crowded(self, source: str) -> bool:
        mentions = 0
        for fragment in self.fragments:
            mentions += source.count(fragment)
            if mentions > MANY_MARKS:
                return True
        return False
