"""Author names: people only, from JSON-LD, microdata, meta tags, then what the page shows
(``bylines``: byline elements, author links, "By" labels, the meta line under the headline).

The first source that yields a plausible person wins; an organisation is kept only when no
person is named anywhere.  Nothing inside the comment area is a byline.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

import lxml.etree

from scraper.extract.bylines import (
    Excluded,
    names_from_bylines,
    names_from_labels,
    names_from_links,
    names_from_meta_line,
)
from scraper.extract.document import Document, HtmlElement, select
from scraper.extract.metadata import article_objects, types_of
from scraper.extract.names import is_url, split_names, unique_names
from scraper.extract.patterns import AUTHOR_META, BIBLIOGRAPHIC_META, RDFA_NAME_NEEDLES
from scraper.extract.surroundings import Surroundings

__all__ = ["find_authors", "split_names"]

_MAX_BYLINE = 120
_MICRODATA_BYLINES = 2
# "Last, First M." as scholarly tags write one person's name.
_INVERTED_NAME = re.compile(r"([^\W\d][\w'-]*(?: [^\W\d][\w'-]*)?), ((?:[^\W\d][\w.'-]*\s?){1,3})")
_ORGANISATIONS = frozenset({"organization", "newsmediaorganization", "corporation"})
# RDFa names of people: typed as a person or user account, or inside an author relation.
# (The attribute axis is cheap in libxml2; the person test is done on the few owners.)
_RDFA_NAMES = lxml.etree.XPath(
    "//@property[. = 'schema:name' or . = 'foaf:name' or . = 'name']")


def find_authors(doc: Document, site_name: str | None = None, exclude: Iterable[HtmlElement] = (),
                 headline: HtmlElement | None = None) -> tuple[str, ...]:
    """The article's authors; nothing under ``exclude`` (the comment area) is a byline.
    ``headline``, the element showing the title, locates an unlabelled byline next to it.

    The site's own name (a house byline, or the owner of a one-person blog) and a user name
    ("jdoe", a CMS login) are weak evidence: the answer only when no source names anyone else."""
    people, organisation = _from_json_ld(doc)
    site = (site_name or "").casefold()
    fallback: tuple[str, ...] = ()
    for names in _candidates(doc, people, Excluded(exclude), headline):
        found = unique_names(names)
        others = tuple(name for name in found if name.casefold() != site and name != name.lower())
        if others:
            return others
        fallback = fallback or found
    return fallback or organisation


def _candidates(doc: Document, people: list[str], skip: Excluded,
                headline: HtmlElement | None) -> Iterator[list[str]]:
    """Each source's names, most trusted first (computed only as far as needed)."""
    yield people
    for source in (_from_microdata, _from_meta, _from_rdfa, names_from_bylines,
                   names_from_links, names_from_labels):
        yield source(doc, skip)
    if headline is not None:
        yield names_from_meta_line(headline)


def _from_json_ld(doc: Document) -> tuple[list[str], tuple[str, ...]]:
    """The people an article object names, and failing them its first organisation; an
    author given as ``{"@id": ...}`` is the node with that id elsewhere on the page."""
    people: list[str] = []
    organisations: list[str] = []
    nodes: dict[str, dict[str, Any]] | None = None
    for item in article_objects(doc):
        for entry in _as_list(item.get("author")) + _as_list(item.get("creator")):
            if isinstance(entry, dict) and "name" not in entry and isinstance(entry.get("@id"), str):
                nodes = _nodes_by_id(doc) if nodes is None else nodes
                entry = nodes.get(entry["@id"], entry)
            name = _json_ld_name(entry)
            if not name:
                continue
            if isinstance(entry, dict) and types_of(entry) & _ORGANISATIONS:
                organisations.append(name)
            else:
                people.extend(split_names(name, declared=True))
        if people:
            break
    return people, tuple(organisations[:1])


def _nodes_by_id(doc: Document) -> dict[str, dict[str, Any]]:
    return {item["@id"]: item for item in doc.json_ld
            if isinstance(item.get("@id"), str) and "name" in item}


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _json_ld_name(entry: Any) -> str | None:
    if isinstance(entry, dict):
        entry = entry.get("name")
        if isinstance(entry, list):
            entry = entry[0] if entry else None
    if isinstance(entry, str) and entry.strip() and not is_url(entry):
        return entry.strip()
    return None


def _from_microdata(doc: Document, skip: Excluded) -> list[str]:
    """``itemprop=author`` names sharing one byline (the first); authors in many separate
    places are the teasers of a list of other stories, not this article's byline."""
    groups: dict[HtmlElement | None, list[HtmlElement]] = {}
    for element in doc.with_itemprop("author", "creator"):
        if element not in skip:
            groups.setdefault(element.getparent(), []).append(element)
    if len(groups) > _MICRODATA_BYLINES:
        return []
    names: list[str] = []
    for element in next(iter(groups.values()), []):
        name_element = next((e for e in element.iter() if e.get("itemprop") == "name"), None)
        target = name_element if name_element is not None else element
        text = target.get("content") or " ".join(target.itertext())
        if text and len(text) <= _MAX_BYLINE:
            names.extend(split_names(text))
    return names


def _from_rdfa(doc: Document, skip: Excluded) -> list[str]:
    """RDFa people (Drupal: ``<span typeof="schema:Person" property="schema:name">jdoe</span>``
    under ``rel="schema:author"``; Drupal 7: ``foaf:name`` of a ``sioc:UserAccount``): a
    declared author, whose user name is a name; not in comments, teasers or embedded posts,
    and none when they sit in many places (a list of posts)."""
    if not any(doc.mentions(needle) for needle in RDFA_NAME_NEEDLES):
        return []
    around = Surroundings(None)
    groups: dict[HtmlElement | None, list[str]] = {}
    for element in select(_RDFA_NAMES, doc.tree):
        if not _is_rdfa_person(element):
            continue
        text = " ".join(" ".join(element.itertext()).split()) or element.get("content") or ""
        if text and len(text) <= _MAX_BYLINE and element not in skip and not around.elsewhere(
                element):
            groups.setdefault(_byline_of(element), []).extend(split_names(text, declared=True))
    if len(groups) > _MICRODATA_BYLINES:
        return []
    return next(iter(groups.values()), [])


def _is_rdfa_person(element: HtmlElement) -> bool:
    """Typed as a person or user account, or the name inside an author relation."""
    kind = element.get("typeof") or ""
    if "Person" in kind or "UserAccount" in kind:
        return True
    parent = element.getparent()
    rel = (parent.get("rel") or "") if parent is not None else ""
    return "author" in rel or "creator" in rel


def _byline_of(element: HtmlElement) -> HtmlElement | None:
    """The element holding a name's byline: above the ``rel=author`` wrapper, if any."""
    parent = element.getparent()
    if parent is not None and "author" in (parent.get("rel") or ""):
        parent = parent.getparent()
    return parent


def _from_meta(doc: Document, skip: Excluded) -> list[str]:
    for key in AUTHOR_META:
        value = doc.meta.get(key)
        if not value or is_url(value):
            continue
        if key in BIBLIOGRAPHIC_META:
            return _bibliographic_authors(doc)
        return split_names(value, declared=True)
    return []


def _bibliographic_authors(doc: Document) -> list[str]:
    """Every scholarly author tag's name, "Roy, Aniruddha" read as "Aniruddha Roy"."""
    names: list[str] = []
    for element in doc.elements("meta"):
        if (element.get("name") or "").strip().lower() not in BIBLIOGRAPHIC_META:
            continue
        value = " ".join((element.get("content") or "").split())
        inverted = _INVERTED_NAME.fullmatch(value)
        if inverted:
            value = f"{inverted.group(2)} {inverted.group(1)}"
        names.extend(split_names(value))
    return names
