"""How many comments the page says the article has.

What the page displays wins: the comment area's heading ("23 Comments", "5 thoughts on “X”",
"No comments yet"), else a comments link or counter beside the article ("2 comentários", a
speech-bubble icon and its number).  Then what its structured data declares (JSON-LD
``commentCount`` or a CommentAction ``interactionStatistic``, microdata ``commentCount``).
Never the number of comments found: a page that shows no number has no count.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from scraper.extract.comment_words import has_part, names_comments
from scraper.extract.counts import declared_count, icon_label
from scraper.extract.document import Document, HtmlElement
from scraper.extract.meta_area import short_text
from scraper.extract.numbers import count_beside, parse_count
from scraper.extract.patterns import (
    COMMENT_AFTER_COUNT,
    COMMENT_BEFORE_COUNT,
    COMMENT_COUNT_META,
    COMMENT_COUNT_TOKEN,
    COMMENT_ICON_TOKEN,
    COMMENT_INTERACTIONS,
    COMMENT_ONE_PHRASE,
    COMMENT_ZERO_PHRASE,
    TITLE_PARTS,
)
from scraper.extract.regions import Regions, is_elsewhere, tokens

_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_MAX_HEADINGS = 6
_MAX_HEADING_TEXT = 240
_MAX_LINK_TEXT = 60
_MAX_TITLE_SCAN = 200  # elements at the start of an area where its title may be
_MAX_BESIDE = 12  # "(4)", "4", "[12]"
_NOTICE_TAGS = ("p", "div", "span", "li", "em", "strong")
_MAX_NOTICES = 40


def comment_count(doc: Document, regions: Regions, marked: Sequence[HtmlElement],
                  areas: Sequence[HtmlElement], headings: Sequence[HtmlElement] = ()
                  ) -> int | None:
    """The displayed count, else the declared one, else None.  ``headings``: comment headings
    found outside the named areas ("3 Kommentare", "Comments" with "(4)" beside it)."""
    shown = _from_areas(areas, marked)
    if shown is None:
        shown = heading_count(headings)
    if shown is None:
        shown = _from_counters(regions, marked, areas)
    if shown is None:
        shown = declared_count(doc, COMMENT_INTERACTIONS, "commentCount", COMMENT_COUNT_META)
    if shown is None:
        shown = _from_microdata(marked)
    return shown


def count_in_text(text: str, bare: bool = False) -> int | None:
    """The comment count a short text states ("23 Comments", "One thought on", "No comments
    yet", "Comments (5)"); with ``bare``, a lone number ("16") counts too."""
    value = count_beside(text, COMMENT_AFTER_COUNT, COMMENT_BEFORE_COUNT)
    if value is not None:
        return value
    if COMMENT_ONE_PHRASE.match(text):
        return 1
    if COMMENT_ZERO_PHRASE.search(text):
        return 0
    return parse_count(text) if bare else None


def _from_areas(areas: Sequence[HtmlElement], marked: Sequence[HtmlElement]) -> int | None:
    """The comment area's heading, its count attribute, or its "no comments yet" notice."""
    for area in areas:
        for label, bare in _labels(area, marked):
            text = short_text(label, _MAX_HEADING_TEXT)
            if text and (value := count_in_text(text, bare)) is not None:
                return value
            if text and not bare and (value := count_in_text(f"{text} {_beside(label)}")) \
                    is not None:
                return value
        attribute = parse_count(area.get("data-num-comments") or "")
        if attribute is not None:
            return attribute
    for area in areas:
        for index, element in enumerate(area.iter(*_NOTICE_TAGS)):
            if index >= _MAX_NOTICES:
                break
            text = short_text(element, _MAX_LINK_TEXT)
            if text and COMMENT_ZERO_PHRASE.search(text):
                return 0
    return None


def heading_count(headings: Sequence[HtmlElement]) -> int | None:
    """The count a comment heading shows, in its text or right beside it: "3 Kommentare",
    "Comments (4)", ``<h2>Comments</h2><span>(4)</span>``."""
    for heading in headings:
        text = short_text(heading, _MAX_HEADING_TEXT)
        if not text:
            continue
        value = count_in_text(text)
        if value is None:
            value = count_in_text(f"{text} {_beside(heading)}")
        if value is not None:
            return value
    return None


def _beside(heading: HtmlElement) -> str:
    """The short text right after a heading: its tail, else its next element's text."""
    tail = " ".join((heading.tail or "").split())
    if tail:
        return tail if len(tail) <= _MAX_BESIDE else ""
    following = heading.getnext()
    while following is not None and not isinstance(following.tag, str):
        following = following.getnext()  # an HTML comment or processing instruction
    return (short_text(following, _MAX_BESIDE) or "") if following is not None else ""


def _labels(area: HtmlElement, marked: Sequence[HtmlElement]
            ) -> Iterator[tuple[HtmlElement, bool]]:
    """The area's first headings, its title-like elements near its start ("thread-info",
    "caption-subject"), then its comment counters ("comments__count" spans, whose bare number
    is the count): (element, bare number allowed)."""
    if area.tag in _HEADINGS:
        yield area, False
    for index, heading in enumerate(area.iter(*_HEADINGS)):
        if index >= _MAX_HEADINGS:
            break
        if heading is not area:
            yield heading, False
    for index, element in enumerate(area.iter()):
        if index >= _MAX_TITLE_SCAN:
            break
        if isinstance(element.tag, str) and element.tag not in _HEADINGS \
                and has_part(element, TITLE_PARTS):
            yield element, False  # "<div class=wpd-thread-info>4 Kommentare</div>"
    for element in marked:
        if any(COMMENT_COUNT_TOKEN.search(token) for token in tokens(element)) and (
                area in element.iterancestors()):
            yield element, True


def _from_counters(regions: Regions, marked: Sequence[HtmlElement],
                   areas: Sequence[HtmlElement]) -> int | None:
    """Comment links and counters outside the comment area, e.g. beside the byline."""
    found: list[tuple[HtmlElement, int]] = []
    area_set = set(areas)
    for element in marked:
        if element in area_set or any(node in area_set for node in element.iterancestors()):
            continue
        value = _counter_value(element)
        if value is not None and not is_elsewhere(element, regions):
            found.append((element, value))
    if not found:
        return None
    if len({value for _, value in found}) == 1:
        return found[0][1]
    near = [value for element, value in found if regions.is_near(element)]
    return near[0] if near else None


def _counter_value(element: HtmlElement) -> int | None:
    marks = tokens(element)
    if any(COMMENT_COUNT_TOKEN.search(token) for token in marks):
        text = short_text(element, _MAX_LINK_TEXT)
        return count_in_text(text, bare=True) if text else None
    if any(COMMENT_ICON_TOKEN.match(token) for token in marks):
        label = icon_label(element)
        return count_in_text(label, bare=True) if label else None
    href = element.get("href") or ""
    if element.tag == "a" and ("#comment" in href or _to_comments(href)):
        text = short_text(element, _MAX_LINK_TEXT)
        return count_in_text(text) if text else None
    return None


def _to_comments(href: str) -> bool:
    """A link to this page's comment area by another name ("#cec-comments", "#kommentare")."""
    fragment = href.partition("#")[2]
    return bool(fragment) and names_comments(fragment)


def _from_microdata(marked: Sequence[HtmlElement]) -> int | None:
    for element in marked:
        if "commentcount" in (element.get("itemprop") or "").lower().split():
            value = parse_count(element.get("content") or element.text_content())
            if value is not None:
                return value
    return None
