"""The headline as displayed: the ``<h1>`` that agrees with the page's declared titles, else the
declared title without its " | Site name" part.
"""

from __future__ import annotations

import copy
import html
import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import lxml.etree

from scraper.extract.document import Document, HtmlElement
from scraper.extract.metadata import article_objects
from scraper.extract.patterns import TITLE_SEPARATORS

_WORD = re.compile(r"\w+")
_MAX_HEADINGS = 8
_MIN_SHARED = 0.6
_MIN_HEADLINE_WORDS = 3
_MIN_SHOWN_TITLE = 10
_TEXT_EQUALS = lxml.etree.XPath("//body//text()[normalize-space(.) = $title]")


@dataclass(frozen=True, slots=True)
class Headline:
    text: str | None
    element: HtmlElement | None  # the heading showing it, when one does


def find_title(doc: Document, site_name: str | None) -> Headline:
    """The heading showing a declared title (or its part without the site's name) exactly,
    else one that agrees with a declared title (an ``<h1>``, else an ``<h2>``), else the one
    ``<h1>`` shown, else an agreeing ``<h3>`` (a blog theme's post title under an ``<h1>`` of
    the blog's name), else the declared title.  A heading reading the site name is no
    headline."""
    declared = _declared_titles(doc)
    keys = [_key(title) for title in declared]
    site = _key(site_name) if site_name else ""
    exact = {*keys, *(_key(strip_site_name(title, site_name)) for title in declared)}
    levels: dict[str, list[tuple[HtmlElement, str]]] = {}

    def level(tag: str) -> list[tuple[HtmlElement, str]]:  # read once, when first needed
        if tag not in levels:
            levels[tag] = [(element, text) for element, text in _headings(doc, tag)
                           if _key(text) != site]
        return levels[tag]

    for tag in ("h1", "h2", "h3"):
        for element, heading in level(tag):
            if _key(heading) in exact and not _links_away(element, doc):
                return Headline(heading, element)
    for tag in ("h1", "h2"):
        for element, heading in level(tag):
            if _agrees(_key(heading), keys):
                return Headline(heading, element)
    headings = level("h1")
    if len(headings) == 1 and len(headings[0][1].split()) >= _MIN_HEADLINE_WORDS:
        return Headline(headings[0][1], headings[0][0])  # the one headline shown wins
    for element, heading in level("h3"):
        if _agrees(_key(heading), keys):
            return Headline(heading, element)
    if declared:
        text = strip_site_name(declared[0], site_name)
        return Headline(text, _showing(doc, text))
    if headings:
        return Headline(headings[0][1], headings[0][0])
    return Headline(None, None)


def _links_away(heading: HtmlElement, doc: Document) -> bool:
    """The heading links to another page: a teaser's title, however exactly it reads."""
    page = doc.url or doc.meta.get("og:url")
    if not page:
        return False
    here = _path(page)
    for link in heading.iter("a"):
        href = link.get("href")
        if href and not href.startswith("#"):
            there = _path(href, page)
            if there is not None and there != here:
                return True
    return False


def _path(url: str, base: str | None = None) -> str | None:
    """Host and path of ``url`` (joined to ``base``); None for a URL that cannot be read (a
    broken IPv6 literal, say)."""
    try:
        parts = urlsplit(urljoin(base, url) if base else url)
    except ValueError:
        return None
    return (parts.netloc.removeprefix("www.") + parts.path).rstrip("/")


def _showing(doc: Document, title: str) -> HtmlElement | None:
    """The element whose own text is the title, when no heading shows it (an ``<h1><p>`` the
    parser split, a styled ``<div>``): it places the dateline and byline."""
    if len(title) < _MIN_SHOWN_TITLE:
        return None
    found = _TEXT_EQUALS(doc.tree, title=title)
    for text in found if isinstance(found, list) else []:
        if isinstance(text, lxml.etree._ElementUnicodeResult) and (
                parent := text.getparent()) is not None and parent.tag not in ("title", "a"):
            return parent
    return None


def _declared_titles(doc: Document) -> list[str]:
    titles = []
    for item in article_objects(doc):
        headline = item.get("headline")
        if isinstance(headline, str) and headline.strip():
            titles.append(_collapse(headline))
            break
    for key in ("og:title", "twitter:title"):
        if value := doc.meta.get(key):
            titles.append(_collapse(value))
    element = doc.tree.find(".//title")
    if element is not None and (text := _collapse(element.text_content())):
        titles.append(text)
    return titles


def _headings(doc: Document, tag: str) -> list[tuple[HtmlElement, str]]:
    headings = []
    for element in doc.elements(tag):
        text = _collapse(_heading_text(element))
        if text:
            headings.append((element, text))
            if len(headings) >= _MAX_HEADINGS:
                break
    return headings


def _heading_text(heading: HtmlElement) -> str:
    """The heading's text without a ``<time>`` inside it ("<h1><time>Dec 18 2025</time> Title
    </h1>"), unless the time is all it shows, and with a line break read as a space
    ("Top MBA Programs<br>Your Guide")."""
    whole = str(heading.text_content())
    if heading.find(".//time") is None and heading.find(".//br") is None:
        return whole
    shown = copy.deepcopy(heading)
    for stamp in list(shown.iter("time")):
        stamp.drop_tree()
    for br in shown.iter("br"):
        br.tail = " " + (br.tail or "")
    text = str(shown.text_content())
    return text if text.strip() else whole.replace("\n", " ")


def _agrees(heading: str, declared: list[str]) -> bool:
    if len(heading) < 3:
        return False
    for title in declared:
        if heading == title or (title.startswith(heading) and len(heading) >= len(title) / 3):
            return True
        if len(heading) > 20 and heading in title:
            return True
        if len(title) > 20 and title in heading and len(title) >= len(heading) * _MIN_SHARED:
            return True
    return False


def strip_site_name(title: str, site_name: str | None) -> str:
    """``"Headline | Site"`` → ``"Headline"``; unchanged when no part is clearly the site."""
    parts = [part for part in TITLE_SEPARATORS.split(title) if part.strip()]
    if len(parts) < 2:
        return title
    site = _key(site_name) if site_name else ""
    if site:
        kept = [part for part in parts if _key(part) != site and _key(part) not in site]
        if kept and len(kept) < len(parts):
            return _join_like(title, kept)
    first, last = parts[0], parts[-1]
    if len(last) < len(first) and len(last) < 40:
        return _join_like(title, parts[:-1])
    if len(first) < len(last) and len(first) < 30:
        return _join_like(title, parts[1:])
    return title


def _join_like(title: str, parts: list[str]) -> str:
    start = title.find(parts[0])
    end = title.rfind(parts[-1]) + len(parts[-1])
    return title[start:end].strip() if start >= 0 and end > start else parts[0].strip()


def _key(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


def _collapse(text: str) -> str:
    if "&" in text and ";" in text:
        text = html.unescape(text)  # double-escaped entities in meta content
    return " ".join(text.split())
