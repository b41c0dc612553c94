"""Publication and modification dates, as ISO 8601 strings.

Sources, most trusted first: JSON-LD of the article, ``<meta>`` dates, ``<time>`` and
``itemprop`` elements, a visible dateline near the byline, and the URL (day only).  The
dateline under the headline wins over the declared date unless it is labelled "Updated" or
sits in a sentence.  The modification date may also be shown: an element classed ``updated``
(hAtom) or a date after an "Updated:" / "Cập nhật" / "Mis à jour" label.  A date that cannot
be read unambiguously, or with a year outside 1990-2100, is no date.
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
_NEAR_DATES = 3  # dates of the dateline searched for an "Updated" one
_DATELINE_NODES = 12  # text nodes after the first shown date that still belong to the dateline
_DATELINE_WORDS = 10  # a longer text holding a date is a sentence, not a dateline
_HEADER_LEVELS = 3  # how far above the headline a classed modification date is looked for
# Other <meta> names of the publication date: "w-published-date", "published", "pub-date".
_PUBLISHED_KEY = re.compile(
    r"(?:^|[-_.:])(?:publish(?:ed)?|pub|publication)(?:[-_.]?(?:date|time|at|on))?$")
# A cheap first pass for MODIFIED_TOKEN: class or id mentioning an update or a modification.
_MODIFIED_CANDIDATES = lxml.etree.XPath(".//*[@class or @id][" + " or ".join(
    f"contains(concat(@class, ' ', @id), '{stem}')"
    for stem in ("pdate", "odified", "hange", "ktualisiert", "cap-nhat", "cap_nhat")) + "]")


def find_dates(doc: Document, headline: HtmlElement | None = None) -> tuple[str | None, str | None]:
    """``(published, modified)``; ``headline`` is the element showing the title, if any."""
    near = _NearDates(headline, doc.lang)
    modified = _modified(doc, headline, near)
    return _published(doc, near, modified), modified


def find_published(doc: Document, headline: HtmlElement | None = None) -> str | None:
    return find_dates(doc, headline)[0]


def find_modified(doc: Document, headline: HtmlElement | None = None) -> str | None:
    return _modified(doc, headline, _NearDates(headline, doc.lang))


def _published(doc: Document, near: _NearDates, modified: str | None) -> str | None:
    """The date the page shows under its headline, else the declared publication date.

    A shown date that matches a declared one (published or modified) takes the declared,
    more precise value.  A shown date labelled "Updated", or inside a sentence ("As of May 3,
    the agency..."), gives way to a declared one; pages that show only "Updated May 3" are
    dated May 3.
    """
    declared = (_from_json_ld(doc, "datePublished", "dateCreated")
                or _from_meta(doc, PUBLISHED_META)
                or _from_other_meta(doc)
                or _from_elements(doc, "datePublished"))
    shown, labelled, in_sentence = near.get(0) or (None, False, False)
    if shown is None:
        return declared or _from_datelines(doc) or _from_url(doc.url)
    if declared and (labelled or in_sentence or declared[:10] == shown[:10]):
        return declared if labelled or in_sentence or len(declared) >= len(shown) else shown
    if modified and modified[:10] == shown[:10] and len(modified) > len(shown):
        return modified
    return shown


class _NearDates:
    """The dates shown near the headline, read lazily and once: ``(date, labelled by "Updated",
    inside a sentence)``."""

    def __init__(self, headline: HtmlElement | None, lang: str | None) -> None:
        self._source = _dates_near(headline, lang) if headline is not None else iter(())
        self._read: list[tuple[str, bool, bool]] = []

    def get(self, index: int) -> tuple[str, bool, bool] | None:
        while len(self._read) <= index:
            item = next(self._source, None)
            if item is None:
                return None
            self._read.append(item)
        return self._read[index]


def _dates_near(headline: HtmlElement, lang: str | None) -> Iterator[tuple[str, bool, bool]]:
    """The dateline near the headline: the first date in a short text shortly after (else just
    before) the headline, then the dates in the few texts after it; each with whether an
    "Updated" label comes right before it."""
    day_first = _day_first(lang)
    for nodes in (_FOLLOWING_TEXT(headline), _PRECEDING_TEXT(headline)):
        before = ""
        first: int | None = None
        for position, node in enumerate(nodes if isinstance(nodes, list) else []):
            if first is not None and position > first + _DATELINE_NODES:
                return
            text = str(node).strip()
            if 6 <= len(text) <= _MAX_DATELINE_NODE and (date := parse_date(text, day_first)):
                yield date, _is_labelled(before, text), _in_sentence(text)
                first = position if first is None else first
                label = MODIFIED_LABEL.search(text, 1)  # "Published May 3 · Updated May 4"
                if label and (later := parse_date(text[label.end():], day_first)):
                    yield later, True, False
            if text:
                before = (before + " " + text)[-_LABEL_WINDOW:]


def _in_sentence(text: str) -> bool:
    """Running text rather than a dateline: many words, or a sentence's end."""
    return len(text.split()) > _DATELINE_WORDS or text.endswith((".", ":", ";"))


def _is_labelled(before: str, text: str) -> bool:
    """"Updated: May 3", or "May 3" right after an "Last updated" text."""
    return MODIFIED_LABEL.match(text) is not None or _LABEL_AT_END.search(before) is not None


def _modified(doc: Document, headline: HtmlElement | None, near: _NearDates) -> str | None:
    """The declared modification date, else one shown: an element classed ``updated`` (hAtom)
    or ``modified``, else a date near the headline right after an "Updated:" label."""
    return (_from_json_ld(doc, "dateModified")
            or _from_meta(doc, MODIFIED_META)
            or _from_elements(doc, "dateModified")
            or (_classed_modified(doc, headline) if headline is not None else None)
            or _labelled_near(near))


def _classed_modified(doc: Document, headline: HtmlElement) -> str | None:
    """An element classed as the modification date in the headline's neighbourhood."""
    scope = headline
    for _ in range(_HEADER_LEVELS):
        parent = scope.getparent()
        if parent is None or parent.tag == "body":
            break
        scope = parent
    found = _MODIFIED_CANDIDATES(scope)
    for element in found if isinstance(found, list) else []:
        if not isinstance(element, HtmlElement) or not _is_modified_mark(_tokens(element)):
            continue
        stamp = next((time for time in element.iter("time") if time.get("datetime")), element)
        if not _in_sidebar(element) and (date := _element_date(stamp, _day_first(doc.lang))):
            return date
    return None


def _labelled_near(near: _NearDates) -> str | None:
    for index in range(_NEAR_DATES):
        found = near.get(index)
        if found is None:
            return None
        if found[1]:
            return found[0]
    return None


def _tokens(element: HtmlElement) -> list[str]:
    return ((element.get("class") or "") + " " + (element.get("id") or "")).split()


def _is_modified_mark(tokens: list[str]) -> bool:
    """Class/id tokens of a modification date; WordPress's "published updated" is not one."""
    return "published" not in tokens and any(MODIFIED_TOKEN.match(token) for token in tokens)


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


def _from_other_meta(doc: Document) -> str | None:
    """A date under another publication-date name; none when such names disagree on the day."""
    dates = [date for key, value in doc.meta.items()
             if _PUBLISHED_KEY.search(key) and (date := parse_date(value))]
    return dates[0] if dates and all(date[:10] == dates[0][:10] for date in dates) else None


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
        if _is_modified_mark(_tokens(node)):
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
