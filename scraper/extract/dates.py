"""Publication and modification dates, as ISO 8601 strings.

Sources, most trusted first: JSON-LD of the article, ``<meta>`` dates, ``<time>`` and
``itemprop`` elements, a visible dateline near the byline, dateline elements that do not
list other articles, and the URL (day only).  The
dateline under the headline wins over the declared date unless it is labelled "Updated",
sits in a sentence, or is the declared modification date while the dateline also shows the
declared publication date.  The modification date may also be shown: an element classed
``updated`` (hAtom) or a date after an "Updated:" / "Cập nhật" / "Mis à jour" label.
"""

from __future__ import annotations

import datetime
import re

import lxml.etree

from scraper.extract.date_labels import labelled_published, originally_published
from scraper.extract.date_parsing import day_first, parse_date, valid_day
from scraper.extract.datelines import (
    NearDates,
    ShownDate,
    dateline_dates,
    is_modified_mark,
    listed_dateline,
    tokens,
)
from scraper.extract.document import Document, HtmlElement, select
from scraper.extract.marked import MarkSearch
from scraper.extract.metadata import article_objects, types_of
from scraper.extract.patterns import (
    MODIFIED_LABEL,
    MODIFIED_META,
    PUBLISHED_KEY,
    PUBLISHED_META,
    RDFA_DATE_NEEDLES,
    RDFA_PUBLISHED,
    URL_DATE,
)
from scraper.extract.surroundings import Surroundings

__all__ = ["find_dates", "find_modified", "find_published", "parse_date"]

_MAX_DATELINE = 160
_DAY = len("2024-05-13")
_LABEL_WINDOW = 40
_LABEL_AT_END = re.compile(f"(?:{MODIFIED_LABEL.pattern})$", re.I)
_NEAR_DATES = 3  # dates of the dateline searched for an "Updated" or the declared one
_HEADER_LEVELS = 3  # how far above the headline a classed modification date is looked for
# The attribute axis is cheap in libxml2; the exact property test is done on the few owners.
_RDFA_DATES = lxml.etree.XPath("//@property[" + " or ".join(
    f"contains(., '{name}')" for name in RDFA_PUBLISHED) + "]")
# A cheap first pass for MODIFIED_TOKEN: class or id mentioning an update or a modification
# (attribute steps: no string built per element).
_MODIFIED_FRAGMENTS = ("pdate", "odified", "hange", "ktualisiert", "cap-nhat", "cap_nhat")
_MODIFIED_STEMS = " or ".join(f"contains(., '{stem}')" for stem in _MODIFIED_FRAGMENTS)
_MODIFIED_CANDIDATES = MarkSearch(
    f".//*/@class[{_MODIFIED_STEMS}]/.. | .//*/@id[{_MODIFIED_STEMS}]/..",
    f"descendant::*[@class[{_MODIFIED_STEMS}] or @id[{_MODIFIED_STEMS}]]", _MODIFIED_FRAGMENTS)


def find_dates(doc: Document, headline: HtmlElement | None = None) -> tuple[str | None, str | None]:
    """``(published, modified)``; ``headline`` is the element showing the title, if any."""
    near = NearDates(headline, day_first(doc.lang))
    modified = _modified(doc, headline, near)
    return _published(doc, near, modified), modified


def find_published(doc: Document, headline: HtmlElement | None = None) -> str | None:
    return find_dates(doc, headline)[0]


def find_modified(doc: Document, headline: HtmlElement | None = None) -> str | None:
    return _modified(doc, headline, NearDates(headline, day_first(doc.lang)))


def _published(doc: Document, near: NearDates, modified: str | None) -> str | None:
    """The date the page shows under its headline, else the declared publication date.

    A shown date that matches a declared one (published or modified) takes the declared,
    more precise value.  A shown date labelled "Updated", or inside a sentence ("As of May 3,
    the agency..."), gives way to a declared one, and so does a first shown date when the
    dateline shows the declared one next to it ("May 21, 2025 · April 24, 2025"); pages that
    show only "Updated May 3" are dated May 3.  A date stated as "originally published on" wins
    unless the shown and declared dates agree (then it is not looked for).
    """
    declared = _declared_published(doc)
    shown = near.get(0)
    if not (declared and shown and declared[:10] == shown.date[:10]) and (
            original := originally_published(doc)):
        return declared if declared and declared[:10] == original[:10] else original
    if shown is None:
        return (declared or labelled_published(doc)
                or listed_dateline(dateline_dates(doc.tree, day_first(doc.lang)))
                or _from_url(doc.url))
    if declared and (shown.labelled or shown.in_sentence or declared[:10] == shown.date[:10]):
        return declared if _declared_wins(shown, declared) else shown.date
    if declared and _swapped(shown.date) == declared[:10]:
        return declared  # "09.10.2024" on a page declaring 10 September
    if declared and _utc_day(declared) == shown.date[:_DAY]:
        return declared  # the declared local moment, shown as the day it is in UTC
    if declared and modified and _days_after(shown.date, max(declared, modified)) > 1:
        return declared  # after the page last changed: an event's date, not the dateline
    if declared and _dateline_shows(near, declared):
        return declared
    if modified and modified[:10] == shown.date[:10] and len(modified) > len(shown.date):
        return modified
    return shown.date


def _declared_published(doc: Document) -> str | None:
    return (_from_article_json_ld(doc)
            or _from_meta(doc, PUBLISHED_META)
            or _from_other_meta(doc)
            or _from_rdfa(doc)
            or _from_elements(doc, "datePublished")
            or _from_video(doc))


def _from_article_json_ld(doc: Document) -> str | None:
    """JSON-LD ``datePublished``, unless it is the ``dateModified`` to the second (filled in as
    the page was rendered) and an element marked as the publication date shows another day."""
    declared = _from_json_ld(doc, "datePublished", "dateCreated")
    if declared and len(declared) > _DAY and declared == _from_json_ld(doc, "dateModified"):
        marked = _marked_published(doc)
        if marked and marked[:10] != declared[:10]:
            return marked
    return declared


def _declared_wins(shown: ShownDate, declared: str) -> bool:
    return shown.labelled or shown.in_sentence or len(declared) >= len(shown.date)


def _days_after(date: str, other: str) -> int:
    day = datetime.date.fromisoformat
    return (day(date[:_DAY]) - day(other[:_DAY])).days


def _utc_day(date: str) -> str | None:
    """The UTC day of a moment given with a UTC offset other than zero, else None."""
    if len(date) <= _DAY or date.endswith("+00:00") or date[-6] not in "+-":
        return None
    try:
        moment = datetime.datetime.fromisoformat(date)
    except ValueError:
        return None
    return moment.astimezone(datetime.UTC).date().isoformat()


def _swapped(date: str) -> str | None:
    """The day with day and month exchanged, when both readings are dates."""
    month, day = int(date[5:7]), int(date[8:10])
    return f"{date[:4]}-{date[8:10]}-{date[5:7]}" if day <= 12 and month != day else None


def _dateline_shows(near: NearDates, declared: str) -> bool:
    """Another unlabelled date of the dateline is the declared publication day."""
    return any(not found.labelled and found.date[:10] == declared[:10]
               for found in near.first(_NEAR_DATES)[1:])


def _modified(doc: Document, headline: HtmlElement | None, near: NearDates) -> str | None:
    """The declared modification date, else one shown: an element classed ``updated`` (hAtom)
    or ``modified``, else a date near the headline right after an "Updated:" label."""
    return (_from_json_ld(doc, "dateModified")
            or _from_meta(doc, MODIFIED_META)
            or _from_elements(doc, "dateModified")
            or (_classed_modified(doc, headline) if headline is not None else None)
            or next((found.date for found in near.first(_NEAR_DATES) if found.labelled), None))


def _classed_modified(doc: Document, headline: HtmlElement) -> str | None:
    """An element classed as the modification date in the headline's neighbourhood."""
    scope = headline
    for _ in range(_HEADER_LEVELS):
        parent = scope.getparent()
        if parent is None or parent.tag == "body":
            break
        scope = parent
    for element in _MODIFIED_CANDIDATES(doc.source, scope):
        if not is_modified_mark(tokens(element)):
            continue
        stamp = next((time for time in element.iter("time") if time.get("datetime")), element)
        if not _in_sidebar(element) and (date := _element_date(stamp, day_first(doc.lang))):
            return date
    return None


def _in_sidebar(element: HtmlElement) -> bool:
    return any(ancestor.tag in ("aside", "nav") for ancestor in element.iterancestors())


def _from_json_ld(doc: Document, *keys: str) -> str | None:
    """The first of ``keys`` in the article's JSON-LD, also when a broken template nests the
    dates inside ``mainEntityOfPage``."""
    for item in article_objects(doc):
        page = item.get("mainEntityOfPage")
        for key in keys:
            value = item.get(key)
            if value is None and isinstance(page, dict):
                value = page.get(key)
            if isinstance(value, list) and value:
                value = value[0]
            if isinstance(value, str) and (date := parse_date(value)):
                return date
    return None


def _from_video(doc: Document) -> str | None:
    """A video page's ``uploadDate`` (JSON-LD ``VideoObject``), when no article is described."""
    for item in doc.json_ld:
        if "videoobject" in types_of(item):
            for key in ("uploadDate", "datePublished"):
                value = item.get(key)
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
             if PUBLISHED_KEY.search(key) and (date := parse_date(value))]
    return dates[0] if dates and all(date[:10] == dates[0][:10] for date in dates) else None


def _from_rdfa(doc: Document) -> str | None:
    """An RDFa creation date (Drupal: ``<span property="dc:date dc:created" content="...">``,
    ``property="schema:dateCreated"``), outside comments and teasers."""
    if not any(doc.mentions(needle) for needle in RDFA_DATE_NEEDLES):
        return None
    around = Surroundings(None)
    for element in select(_RDFA_DATES, doc.tree):
        if element.tag == "meta" or not set((element.get("property") or "").split()) & set(
                RDFA_PUBLISHED):
            continue  # <meta property> is read with the other meta tags
        value = element.get("content") or element.get("datetime")
        if value and (date := parse_date(value)) and not around.elsewhere(element):
            return date
    return None


def _from_elements(doc: Document, prop: str) -> str | None:
    """``itemprop=datePublished`` elements, then ``<time pubdate>``, then the first ``<time>``."""
    if prop != "datePublished":
        return _from_itemprop(doc, prop)
    if marked := _marked_published(doc):
        return marked
    articles = doc.elements("article")
    for element in articles[0].iter("time") if articles else doc.elements("time"):
        if not _marked_modified(element) and (date := _element_date(element)):
            return date
    return None


def _marked_published(doc: Document) -> str | None:
    """An ``itemprop=datePublished`` element, else a ``<time pubdate>``."""
    if date := _from_itemprop(doc, "datePublished"):
        return date
    for element in doc.elements("time"):
        if element.get("pubdate") is not None and (date := _element_date(element)):
            return date
    return None


def _from_itemprop(doc: Document, prop: str) -> str | None:
    for element in doc.with_itemprop(prop):
        if date := _element_date(element):
            return date
    return None


def _marked_modified(element: HtmlElement) -> bool:
    """Classed as the modification date, or right after an "Updated" label."""
    for node in (element, element.getparent()):
        if node is None:
            break
        if is_modified_mark(tokens(node)):
            return True
    previous = element.getprevious()
    if previous is not None:
        before = previous.tail or ""
    else:
        parent = element.getparent()
        before = parent.text or "" if parent is not None else ""
    return _LABEL_AT_END.search(before[-_LABEL_WINDOW:].strip()) is not None


def _element_date(element: HtmlElement, first_day: bool | None = None) -> str | None:
    for value in (element.get("datetime"), element.get("content"), element.get("title")):
        if value and (date := parse_date(value)):
            return date
    return parse_date(element.text_content()[:_MAX_DATELINE], first_day)


def _from_url(url: str | None) -> str | None:
    if not url:
        return None
    match = URL_DATE.search(url)
    if not match or not match.group("day"):
        return None
    return valid_day(int(match["year"]), int(match["month"]), int(match["day"]))
