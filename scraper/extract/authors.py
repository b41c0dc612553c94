"""Author names: people only, from JSON-LD, microdata, meta tags, bylines and author links.

The first source that yields a plausible person wins; an organisation is kept only when no
person is named anywhere.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterable
from typing import Any

import lxml.etree

from scraper.extract.document import Document, HtmlElement
from scraper.extract.metadata import article_objects, types_of
from scraper.extract.patterns import (
    AUTHOR_META,
    AUTHOR_PLACEHOLDERS,
    BYLINE_CLASS,
    BYLINE_PREFIX,
    MONTHS,
    NAME_SPLIT,
)

_MICRODATA = lxml.etree.XPath("//*[@itemprop='author' or @itemprop='creator']")
_MICRODATA_MENTION = re.compile(r"itemprop\s*=\s*[\"']?(?:author|creator)")
_AUTHOR_HREF = re.compile(r"/(?:author|authors|autor|autores|auteur|tac-gia)/", re.I)
_BYLINE_TAGS = ("span", "div", "p", "a", "address", "li", "strong", "em", "small", "cite", "b")
_CUT = re.compile(r"\s+(?:[-–—|•·/]|(?:on|updated|published|posted|vom|says)\b|\d).*$|[|•·].*$",
                  re.I)
_NOT_IN_NAMES = frozenset("0123456789*@#/=_{}<>")
_FORM_WORDS = re.compile(r"\b(?:login|log in|sign in|register|required|name|email|website)\b", re.I)
_MAX_NAME_WORDS = 5
_MAX_NAME_CHARS = 60
_MAX_BYLINE = 120
_MAX_AUTHORS = 8
_ORGANISATIONS = frozenset({"organization", "newsmediaorganization", "corporation"})


def find_authors(doc: Document, site_name: str | None = None) -> tuple[str, ...]:
    organisation: tuple[str, ...] = ()
    people, organisation = _from_json_ld(doc)
    if people:
        return _finish(people, site_name)
    for names in (_from_microdata(doc), _from_meta(doc), _from_bylines(doc), _from_links(doc)):
        cleaned = _finish(names, site_name)
        if cleaned:
            return cleaned
    return organisation


def _from_json_ld(doc: Document) -> tuple[list[str], tuple[str, ...]]:
    people: list[str] = []
    organisations: list[str] = []
    for item in article_objects(doc):
        for entry in _as_list(item.get("author")) + _as_list(item.get("creator")):
            name = _json_ld_name(entry)
            if not name:
                continue
            if isinstance(entry, dict) and types_of(entry) & _ORGANISATIONS:
                organisations.append(name)
            else:
                people.extend(split_names(name))
        if people:
            break
    return people, tuple(organisations[:1])


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _json_ld_name(entry: Any) -> str | None:
    if isinstance(entry, dict):
        entry = entry.get("name")
        if isinstance(entry, list):
            entry = entry[0] if entry else None
    if isinstance(entry, str) and entry.strip() and not _is_url(entry):
        return entry.strip()
    return None


def _from_microdata(doc: Document) -> list[str]:
    names: list[str] = []
    if not _MICRODATA_MENTION.search(doc.source):
        return names
    found = _MICRODATA(doc.tree)
    for element in found if isinstance(found, list) else []:
        if not isinstance(element, HtmlElement):
            continue
        name_element = next((e for e in element.iter() if e.get("itemprop") == "name"), None)
        target = name_element if name_element is not None else element
        text = target.get("content") or target.text_content()
        if text and len(text) <= _MAX_BYLINE:
            names.extend(split_names(text))
    return names


def _from_meta(doc: Document) -> list[str]:
    for key in AUTHOR_META:
        value = doc.meta.get(key)
        if value and not _is_url(value):
            return split_names(value)
    return []


def _from_bylines(doc: Document) -> list[str]:
    for element in doc.tree.iter(*_BYLINE_TAGS):
        marks = (element.get("class") or "") + " " + (element.get("id") or "")
        if len(marks) < 3 or not _is_byline_class(marks):
            continue
        link = _first_author_link(element)
        text = " ".join((link if link is not None else element).itertext())
        if len(text) <= _MAX_BYLINE and (names := split_names(text)):
            return names
    return []


@functools.lru_cache(maxsize=4096)
def _is_byline_class(marks: str) -> bool:
    return BYLINE_CLASS.search(marks) is not None


def _first_author_link(element: HtmlElement) -> HtmlElement | None:
    for link in element.iter("a"):
        href = link.get("href") or ""
        if "author" in href or "autor" in href or "auteur" in href or "author" in (
                link.get("rel") or ""):
            return link
    return None


def _from_links(doc: Document) -> list[str]:
    for link in doc.tree.iter("a"):
        href = link.get("href")
        if not href:
            continue
        is_author_link = "author" in (link.get("rel") or "") or _AUTHOR_HREF.search(href)
        if is_author_link and (names := split_names(link.text_content())):
            return names
    return []


def split_names(text: str) -> list[str]:
    """``"By Ann Lee and Bo Chan | May 3"`` → ``["Ann Lee", "Bo Chan"]``."""
    if "&" in text:
        text = html.unescape(text)
    text = " ".join(text.split())
    text = BYLINE_PREFIX.sub("", text)
    text = _CUT.sub("", text)
    return [name for part in NAME_SPLIT.split(text) if (name := _clean_name(part))]


def _clean_name(part: str) -> str | None:
    name = BYLINE_PREFIX.sub("", part.strip(" .,:;-–—()[]\"'")).strip()
    words = name.split()
    while words and words[-1].casefold().rstrip(".") in MONTHS:
        words.pop()  # "Ann Lee December" from "Ann Lee December 3, 2024"
    name = " ".join(words)
    if not name or len(name) > _MAX_NAME_CHARS or len(name.split()) > _MAX_NAME_WORDS:
        return None
    if name.casefold() in AUTHOR_PLACEHOLDERS or _is_url(name) or "@" in name:
        return None
    if not any(ch.isalpha() for ch in name) or any(ch in _NOT_IN_NAMES for ch in name):
        return None
    if name == name.lower() or name.casefold() in MONTHS or _FORM_WORDS.search(name):
        return None  # a handle ("jdoe"), a month ("Feb"), a form label ("Name *")
    return name


def _is_url(text: str) -> bool:
    text = text.strip().lower()
    return text.startswith(("http://", "https://", "www.", "/"))


def _finish(names: Iterable[str], site_name: str | None) -> tuple[str, ...]:
    site = (site_name or "").casefold()
    unique: dict[str, str] = {}
    for name in names:
        key = name.casefold()
        if key == site or key in unique:
            continue
        unique[key] = name
    return tuple(unique.values())[:_MAX_AUTHORS]
