"""Dates the page shows in its visible text: the dateline near the headline, and elements
classed as datelines (``date``, ``byline``, ``post-meta``, ``fecha``, ``datum`` ...).

Each shown date carries whether it is labelled as the modification date ("Updated:",
"Cập nhật", "Mis à jour", "Aktualisiert", or an element classed ``updated``/``modified``) and
whether it sits inside a sentence ("As of May 3, the agency..."), which makes it no dateline.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from scraper.extract.date_parsing import parse_date
from scraper.extract.document import HtmlElement
from scraper.extract.patterns import (
    DATE_RANGE,
    DATELINE_CLASS,
    MODIFIED_LABEL,
    MODIFIED_TOKEN,
)
from scraper.extract.surroundings import Surroundings
from scraper.extract.text_order import OwnedText, texts_after, texts_before

__all__ = ["NearDates", "ShownDate", "dateline_dates", "is_modified_mark", "listed_dateline",
           "tokens"]

_FOLLOWING_TEXTS = 80  # texts after the headline that may hold its dateline
_PRECEDING_TEXTS = 10  # non-blank texts before the headline looked at
_XML_SPACE = " \t\r\n"  # what XPath's normalize-space() strips
_PRECEDING_DATES = 6  # of the texts before the headline, only the nearest 6 may hold its date
_MAX_DATELINE_NODE = 100
_MAX_DATELINE = 160
_LABEL_WINDOW = 40
_LABEL_AT_END = re.compile(f"(?:{MODIFIED_LABEL.pattern})$", re.I)
_DATELINE_NODES = 12  # text nodes after the first shown date that still belong to the dateline
_DATELINE_WORDS = 10  # a longer text holding a date is a sentence, not a dateline
_DATE_WORDS = 4  # "Sonntag, 31. Oktober 2023." is a date, however it ends
_LIST_DATES = 2  # this many different unlabelled dates before the headline make a list
_MARK_LEVELS = 3  # how many enclosing elements may class a shown date as the modification date
_DATELINE_TAGS = ("span", "div", "p", "li", "time", "ul", "small", "em", "header", "abbr", "h2",
                  "h3", "h4", "h5", "h6", "td", "dd", "strong", "b")
_INLINE_TAGS = frozenset({"time", "a", "span", "strong", "em", "b", "i", "abbr", "small"})
_MAX_SENTENCE = 320  # characters of the text enclosing an inline date read as one sentence
_LISTED = 4  # the first dateline dates looked at to tell a list of other articles


@dataclass(frozen=True, slots=True)
class ShownDate:
    date: str
    labelled: bool  # labelled or classed as the modification date
    in_sentence: bool


class NearDates:
    """The dates shown near the headline, read lazily and once."""

    def __init__(self, headline: HtmlElement | None, day_first: bool | None) -> None:
        self._source = _dates_near(headline, day_first) if headline is not None else iter(())
        self._read: list[ShownDate] = []

    def get(self, index: int) -> ShownDate | None:
        while len(self._read) <= index:
            item = next(self._source, None)
            if item is None:
                return None
            self._read.append(item)
        return self._read[index]

    def first(self, count: int) -> list[ShownDate]:
        """Up to ``count`` shown dates, nearest first."""
        return [found for index in range(count) if (found := self.get(index)) is not None]


def _dates_near(headline: HtmlElement, day_first: bool | None) -> Iterator[ShownDate]:
    """The dateline near the headline: the first date in a short text shortly after (else just
    before) the headline, then the dates in the few texts after it.  Before the headline, two
    different dates not labelled "Updated" are a list of other articles, not a dateline."""
    following = itertools.islice(texts_after(headline), _FOLLOWING_TEXTS)
    around = Surroundings(headline)
    shown = False
    for found in _dateline_in(following, 0, day_first, around):
        shown = True
        yield found
    if shown:
        return
    nearest = (owned for owned in texts_before(headline) if owned[0].strip(_XML_SPACE))
    texts = list(itertools.islice(nearest, _PRECEDING_TEXTS))[::-1]
    dates = list(_dateline_in(texts, len(texts) - _PRECEDING_DATES, day_first, around))
    if len({found.date[:10] for found in dates if not found.labelled}) < _LIST_DATES:
        yield from dates


def _dateline_in(texts: Iterable[OwnedText], earliest: int, day_first: bool | None,
                 around: Surroundings) -> Iterator[ShownDate]:
    """The first date in a short text of ``texts`` (from index ``earliest`` on), then the dates
    in the few texts after it; dates in embedded posts, asides and teasers left out."""
    before = ""
    first: int | None = None
    for position, (node, owner) in enumerate(texts):
        if first is not None and position > first + _DATELINE_NODES:
            return
        text = node.strip()
        if position >= earliest and 6 <= len(text) <= _MAX_DATELINE_NODE and not (
                DATE_RANGE.search(text)) and (date := parse_date(text, day_first)) and not (
                around.elsewhere(owner)):
            labelled = _is_labelled(before, text) or _classed_modified(owner)
            yield ShownDate(date, labelled, _in_sentence(text) or _in_inline_sentence(owner))
            first = position if first is None else first
            label = MODIFIED_LABEL.search(text, 1)  # "Published May 3 · Updated May 4"
            if label and (later := parse_date(text[label.end():], day_first)):
                yield ShownDate(later, True, False)
        if text:
            before = (before + " " + text)[-_LABEL_WINDOW:]


def _in_sentence(text: str) -> bool:
    """Running text rather than a dateline: many words, or a sentence's end after more than
    a date ("31. Oktober 2023." opening a column is a dateline)."""
    words = len(text.split())
    return words > _DATELINE_WORDS or (words > _DATE_WORDS and text.endswith((".", ":", ";")))


def _in_inline_sentence(owner: HtmlElement | None) -> bool:
    """The date is an inline element inside a short sentence ("..., first published <time>4 Apr
    2019</time>."): the enclosing text reads as running text that ends with a full stop and
    does not open with the date ("<span>31. Oktober 2023.</span> Dragqueens sind ..." is a
    dateline opening the text)."""
    parent = owner.getparent() if owner is not None and owner.tag in _INLINE_TAGS else None
    if parent is None:
        return False
    parts: list[str] = []
    size = 0
    for part in parent.itertext():
        parts.append(part)
        size += len(part)
        if size > _MAX_SENTENCE:
            return False  # a block of several sentences or paragraphs, not one sentence
    text = " ".join("".join(parts).split())
    opening = " ".join(owner.text_content().split()) if owner is not None else ""
    return (len(text.split()) > _DATELINE_WORDS and text.endswith(".")
            and not text.startswith(opening))


def _is_labelled(before: str, text: str) -> bool:
    """"Updated: May 3", or "May 3" right after an "Last updated" text."""
    return MODIFIED_LABEL.match(text) is not None or _LABEL_AT_END.search(before) is not None


def _classed_modified(owner: HtmlElement | None) -> bool:
    """The text sits in an element classed as the modification date (hAtom ``updated``)."""
    element = owner
    for _ in range(_MARK_LEVELS):
        if not isinstance(element, HtmlElement):
            return False
        if is_modified_mark(tokens(element)):
            return True
        element = element.getparent()
    return False


def tokens(element: HtmlElement) -> list[str]:
    return ((element.get("class") or "") + " " + (element.get("id") or "")).split()


def is_modified_mark(marks: list[str]) -> bool:
    """Class/id tokens of a modification date; WordPress's "published updated" is not one."""
    return "published" not in marks and any(MODIFIED_TOKEN.match(token) for token in marks)


def dateline_dates(tree: HtmlElement, day_first: bool | None) -> Iterator[str]:
    """Dates in elements classed as datelines, in page order; "Updated" ones and those in
    embedded posts, asides, teasers and comments left out."""
    around = Surroundings(None)
    for element in tree.iter(*_DATELINE_TAGS):
        marks = (element.get("class") or "") + " " + (element.get("id") or "")
        if len(marks) > 1 and DATELINE_CLASS.search(marks) and not is_modified_mark(marks.split()):
            text = element.text_content()
            if len(text) <= _MAX_DATELINE * 2 and not MODIFIED_LABEL.match(text.strip()) and (
                    date := parse_date(text, day_first)) and not around.elsewhere(element):
                yield date


def listed_dateline(dates: Iterator[str]) -> str | None:
    """The first of the dates in dateline elements, unless they list other articles: the first
    date shown once (not repeated by a nested element) and followed by several other days."""
    first = [date for _, date in zip(range(_LISTED), dates, strict=False)]
    if not first:
        return None
    days = [date[:10] for date in first]
    if days.count(days[0]) == 1 and len(set(days)) >= _LISTED - 1:
        return None
    return first[0]
