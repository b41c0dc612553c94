"""Where a shown date or name sits: in the article's own dateline or byline, or in something
else the page holds (an embedded post, a quote, an aside, a teaser of another article, a
comment).

The test walks up from the date to the nearest element that also holds the headline: only what
lies between belongs to the date alone.
"""

from __future__ import annotations

from scraper.extract.document import HtmlElement
from scraper.extract.patterns import NOT_OWN_TAGS, NOT_OWN_TOKEN

__all__ = ["Surroundings"]


class Surroundings:
    """The headline's ancestors, to tell a date in its dateline from one elsewhere.  Without a
    headline the walk goes up to ``<body>``, and an ``<aside>`` proves nothing (themes put the
    article's own meta column in one)."""

    def __init__(self, headline: HtmlElement | None) -> None:
        if headline is None:
            self._ancestors: set[HtmlElement] = set()
            self._tags = NOT_OWN_TAGS - {"aside"}
        else:
            self._ancestors = {headline, *headline.iterancestors()}
            self._tags = NOT_OWN_TAGS

    def elsewhere(self, element: HtmlElement | None) -> bool:
        """``element`` (a date's or name's holder) lies in an embedded post, aside, teaser or
        comment."""
        while element is not None and element not in self._ancestors and element.tag != "body":
            if element.tag in self._tags:
                return True
            marks = element.get("class") or element.get("id")
            if marks and NOT_OWN_TOKEN.search(marks):
                return True
            element = element.getparent()
        return False
