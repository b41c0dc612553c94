"""Publication and modification dates, as ISO 8601 strings.

Sources, most trusted first: JSON-LD of the article, ``<meta>`` dates, ``<time>`` and
``itemprop`` elements, a visible dateline near the byline, and the URL (day only).  A date
that cannot be read unambiguously, or with a year outside 1990-2100, is no date.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import lxml.etree

from scraper.extract.document import Document, HtmlElement
from scraper.extract.metadata import article_objects
from scraper.extract.patterns import (
    DATELINE_CLASS,
    DAY_MONTH_YEAR,
    ISO_DATE,
    MODIFIED_LABEL,
    MODIFIED_META,
    MODIFIED_TOKEN,
    MONTH_DAY_YEAR,
    MONTHS,
    NUMERIC_DATE,
    PUBLISHED_META,
    URL_DATE,
)

_ITEMPROP = lxml.etree.XPath("//*[@itemprop=$prop]")
_FOLLOWING_TEXT = lxml.etree.XPath("following::text()[position() <= 80]", smart_strings=False)
_PRECEDING_TEXT = lxml.etree.XPath("preceding::text()[position() <= 8]", smart_strings=False)
_MAX_DATELINE_NODE = 100
_MIN_YEAR, _MAX_YEAR = 1990, 2100
_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_MAX_DATELINE = 160
_LABEL_WINDOW = 40
_LABEL_AT_END = re.compile(f"(?:{MODIFIED_LABEL.pattern})$", re.I)
_MODIFIED_TAGS = ("span", "div", "p", "li", "time", "small", "em", "dd", "strong", "b")


def find_published(doc: Document, headline: HtmlElement | None = None) -> str | None:
    """The date the page shows under its headline, else the declared publication date.

    A shown date that matches a declared one (published or modified) takes the declared,
    more precise value.  A shown date labelled "Updated" gives way to a declared one; pages
    that show only "Updated May 3" are dated May 3.
    """
    declared = (_from_json_ld(doc, "datePublished", "dateCreated")
                or _from_meta(doc, PUBLISHED_META)
                or _from_elements(doc, "datePublished"))
    shown, labelled = _shown_near(headline, doc.lang) if headline is not None else (None, False)
    if shown is None:
        return declared or _from_datelines(doc) or _from_url(doc.url)
    if declared and (labelled or declared[:10] == shown[:10]):
        return declared if labelled or len(declared) >= len(shown) else shown
    modified = find_modified(doc)
    if modified and modified[:10] == shown[:10] and len(modified) > len(shown):
        return modified
    return shown


def _shown_near(headline: HtmlElement, lang: str | None) -> tuple[str | None, bool]:
    """A date in a short text shortly after (or just before) the headline element, and whether
    an "Updated" label comes right before it."""
    day_first = _day_first(lang)
    for nodes in (_FOLLOWING_TEXT(headline), _PRECEDING_TEXT(headline)):
        before = ""
        for node in nodes if isinstance(nodes, list) else []:
            text = str(node).strip()
            if 6 <= len(text) <= _MAX_DATELINE_NODE and (date := parse_date(text, day_first)):
                return date, _is_labelled(before, text)
            if text:
                before = (before + " " + text)[-_LABEL_WINDOW:]
    return None, False


def _is_labelled(before: str, text: str) -> bool:
    """"Updated: May 3", or "May 3" right after an "Last updated" text."""
    return MODIFIED_LABEL.match(text) is not None or _LABEL_AT_END.search(before) is not None


def find_modified(doc: Document) -> str | None:
    return (_from_json_ld(doc, "dateModified")
            or _from_meta(doc, MODIFIED_META)
            or _from_elements(doc, "dateModified")
            or _shown_modified(doc))


def _shown_modified(doc: Document) -> str | None:
    """A visible modification date: an element classed ``updated`` (hAtom) or ``modified``,
    else a date right after an "Updated:" label."""
    day_first = _day_first(doc.lang)
    labelled: str | None = None
    for element in doc.tree.iter(*_MODIFIED_TAGS):
        tokens = ((element.get("class") or "") + " " + (element.get("id") or "")).split()
        if _is_modified_mark(tokens) and not _in_sidebar(element) and (
                date := _element_date(element, day_first)):
            return date
        if labelled is None and (text := _labelled_text(element)) and not _in_sidebar(element):
            labelled = parse_date(text, day_first)
    return labelled


def _is_modified_mark(tokens: list[str]) -> bool:
    """Class/id tokens of a modification date; WordPress's "published updated" is not one."""
    return "published" not in tokens and any(MODIFIED_TOKEN.match(token) for token in tokens)


def _labelled_text(element: HtmlElement) -> str | None:
    """The text after an "Updated:" label in ``element``'s own text or its children's tails."""
    for own in (element.text, *(child.tail for child in element)):
        if own and len(own) < _MAX_DATELINE and (match := MODIFIED_LABEL.search(own)):
            text = element.text_content()
            start = text.find(own) + match.end()
            return text[start:start + _MAX_DATELINE_NODE] if len(text) < _MAX_DATELINE * 2 else None
    return None


def _in_sidebar(element: HtmlElement) -> bool:
    return any(ancestor.tag in ("aside", "nav") for ancestor in element.iterancestors())


def _from_json_ld(doc: Document, *keys: str) -> str | None:
    for item in article_objects(doc):
        for key in keys:
            value = item.get(key)
            if isinstance(value, list) and value:
                value = value[0]
            if isinstance(value, str) and (date := parse_date(value)):
                return date
    return None


def _from_meta(doc: Document, keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = doc.meta.get(key)
        if value and (date := parse_date(value)):
            return date
    return None


def _from_elements(doc: Document, prop: str) -> str | None:
    """``itemprop=datePublished`` elements, then ``<time pubdate>``, then the first ``<time>``."""
    found = _ITEMPROP(doc.tree, prop=prop) if doc.mentions(prop) else []
    for element in found if isinstance(found, list) else []:
        if isinstance(element, HtmlElement) and (date := _element_date(element)):
            return date
    if prop != "datePublished":
        return None
    for element in doc.tree.iter("time"):
        if element.get("pubdate") is not None and (date := _element_date(element)):
            return date
    article = next(doc.tree.iter("article"), None)
    for element in (article if article is not None else doc.tree).iter("time"):
        if not _marked_modified(element) and (date := _element_date(element)):
            return date
    return None


def _marked_modified(element: HtmlElement) -> bool:
    """Classed as the modification date, or right after an "Updated" label."""
    for node in (element, element.getparent()):
        if node is None:
            break
        if _is_modified_mark(((node.get("class") or "") + " " + (node.get("id") or "")).split()):
            return True
    previous = element.getprevious()
    if previous is not None:
        before = previous.tail or ""
    else:
        parent = element.getparent()
        before = parent.text or "" if parent is not None else ""
    return _LABEL_AT_END.search(before[-_LABEL_WINDOW:].strip()) is not None


def _element_date(element: HtmlElement, day_first: bool | None = None) -> str | None:
    for value in (element.get("datetime"), element.get("content"), element.get("title")):
        if value and (date := parse_date(value)):
            return date
    return parse_date(element.text_content()[:_MAX_DATELINE], day_first)


def _from_datelines(doc: Document) -> str | None:
    for text in _dateline_texts(doc.tree):
        if not MODIFIED_LABEL.match(text.strip()) and (
                date := parse_date(text, day_first=_day_first(doc.lang))):
            return date
    return None


def _dateline_texts(tree: HtmlElement) -> Iterator[str]:
    for element in tree.iter("span", "div", "p", "li", "time", "ul", "small", "em", "header"):
        marks = (element.get("class") or "") + " " + (element.get("id") or "")
        if len(marks) > 1 and DATELINE_CLASS.search(marks):
            text = element.text_content()
            if len(text) <= _MAX_DATELINE * 2:
                yield text


def _day_first(lang: str | None) -> bool | None:
    if not lang:
        return None
    lang = lang.lower()
    if lang.startswith("en-us") or lang == "en":
        return False
    return not lang.startswith("en-ca")


def _from_url(url: str | None) -> str | None:
    if not url:
        return None
    match = URL_DATE.search(url)
    if not match or not match.group("day"):
        return None
    return _format(int(match["year"]), int(match["month"]), int(match["day"]))


def parse_date(text: str, day_first: bool | None = None) -> str | None:
    """The first date in ``text`` as ISO 8601, or None.  ``day_first`` settles 05/06/2024."""
    text = text.strip()
    if not text:
        return None
    match = ISO_DATE.search(text)
    if match:
        return _from_match(match, int(match["month"]))
    match = MONTH_DAY_YEAR.search(text) or DAY_MONTH_YEAR.search(text)
    if match:
        name = match["month_name"]
        month = MONTHS.get(name.lower().rstrip(".")) if name else int(match["month"])
        return _from_match(match, month) if month else None
    match = NUMERIC_DATE.search(text)
    if match:
        return _numeric(match, day_first)
    return None


def _numeric(match: re.Match[str], day_first: bool | None) -> str | None:
    first, second = int(match["first"]), int(match["second_part"])
    if first > 12 >= second:
        day, month = first, second
    elif second > 12 >= first:
        day, month = second, first
    elif first == second:
        day = month = first
    elif day_first is None:
        return None
    else:
        day, month = (first, second) if day_first else (second, first)
    return _from_match(match, month, day)


def _from_match(match: re.Match[str], month: int, day: int | None = None) -> str | None:
    groups = match.groupdict()
    if day is None:
        day = int(groups["day"])
    date = _format(int(groups["year"]), month, day)
    if date is None or not groups.get("hour"):
        return date
    hour, minute = int(groups["hour"]), int(groups["minute"])
    ampm = (groups.get("ampm") or "").lower()
    if ampm.startswith("p") and hour < 12:
        hour += 12
    elif ampm.startswith("a") and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return date
    clock = f"{hour:02d}:{minute:02d}"
    if groups.get("second"):
        clock += f":{int(groups['second']):02d}"
    return f"{date}T{clock}{_offset(groups.get('tz'))}"


def _offset(tz: str | None) -> str:
    if not tz:
        return ""
    if tz == "Z":
        return "+00:00"
    sign, digits = tz[0], tz[1:].replace(":", "")
    if len(digits) <= 2:
        hours, minutes = int(digits), 0
    else:
        hours, minutes = int(digits[:-2]), int(digits[-2:])
    if hours > 14 or minutes > 59:
        return ""
    return f"{sign}{hours:02d}:{minutes:02d}"


def _format(year: int, month: int, day: int) -> str | None:
    if not (_MIN_YEAR <= year <= _MAX_YEAR and 1 <= month <= 12 and 1 <= day <= _DAYS[month - 1]):
        return None
    if month == 2 and day == 29 and not (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"
