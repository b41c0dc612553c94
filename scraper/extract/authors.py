"""Author names: people only, from JSON-LD, microdata, meta tags, byline elements, author
links, "By"/"Written by" labels in the text, and the meta line under the headline.

The first source that yields a plausible person wins; an organisation is kept only when no
person is named anywhere.  Nothing inside the comment area is a byline.
"""

from __future__ import annotations

import functools
import html
import itertools
import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

import lxml.etree

from scraper.extract.dates import parse_date
from scraper.extract.document import Document, HtmlElement
from scraper.extract.metadata import article_objects, types_of
from scraper.extract.patterns import (
    AUTHOR_META,
    AUTHOR_PLACEHOLDERS,
    BYLINE_CLASS,
    BYLINE_PREFIX,
    CREDIT_LABEL,
    META_LINE_TOKEN,
    META_SEPARATOR,
    MONTHS,
    NAME_SPLIT,
    ORGANISATION_WORDS,
)

_MICRODATA = lxml.etree.XPath("//*[@itemprop='author' or @itemprop='creator']")
_MICRODATA_MENTION = re.compile(r"itemprop\s*=\s*[\"']?(?:author|creator)")
_AUTHOR_HREF = re.compile(r"/(?:author|authors|autor|autores|auteur|tac-gia)/", re.I)
_BYLINE_TAGS = ("span", "div", "p", "a", "address", "li", "strong", "em", "small", "cite", "b")
_CUT = re.compile(r"\s+(?:[-–—|•·/]|(?:on|updated|published|posted|vom|says)\b|\d).*$|[|•·].*$",
                  re.I)
_DASH = re.compile(r"\s+[-–]\s+")
_JOINER = re.compile(r"\s*(?:,|;|&|/|[-–]|and|,\s*and|y|e|et|und|và|with|con|avec|mit)?\s*",
                     re.I)
_JOINER_START = re.compile(r"\s*(?:,|&|and\b|y\b|et\b|und\b|và\b)", re.I)
_JOINER_END = re.compile(r"(?:,|&|\band|\by|\bet|\bund|\bvà)\s*$", re.I)
_LABEL = re.compile(r"(?:[\w-]+\s+){0,2}(?:by|from|por|par|von|bởi)\s*:?|(?:author|autor|auteur|"
                    r"tác giả|writer)s?\s*:", re.I)
# "Written by", "By:", "Author:" at the start of a text node.
_LABEL_START = re.compile(r"(?:(?:written|posted|article|story|words|text)\s+)?(?:by|por|par|von|bởi)"
                          r"(?:\s*:|\s|$)|(?:author|autor|auteur|tác giả)\s*:", re.I)
# The labels as the page source shows them right after a tag: a cheap first look.
_LABEL_IN_SOURCE = re.compile(r">\s*((?:(?:Written|WRITTEN|written|Posted|Article|Story|Words|Text)\s+)?"
                              r"(?:[Bb]y|BY|Por|Von|Par|Author|AUTHOR|Autor|Auteur|Tác giả))(?!\w)")
_LABEL_PIECES = 4
_NAME_SHARE = 0.7
_MANY_BYLINES = 3
# Inside these, "By X" is a control or a listing ("By Type", a list of books), not a byline.
_NOT_BYLINE_TAGS = frozenset({"a", "button", "nav", "option", "select", "label", "h1", "h2", "li"})
_NOT_IN_NAMES = frozenset("0123456789*@#/=_{}<>")
_FORM_WORDS = re.compile(r"\b(?:login|log in|sign in|register|required|name|email|website)\b", re.I)
_MAX_NAME_WORDS = 5
_MAX_NAME_CHARS = 60
_MAX_BYLINE = 120
_MAX_AUTHORS = 8
_META_LINE_SIBLINGS = 3
_ORGANISATIONS = frozenset({"organization", "newsmediaorganization", "corporation"})


def find_authors(doc: Document, site_name: str | None = None, exclude: Iterable[HtmlElement] = (),
                 headline: HtmlElement | None = None) -> tuple[str, ...]:
    """The article's authors; nothing under ``exclude`` (the comment area) is a byline.
    ``headline``, the element showing the title, locates an unlabelled byline next to it."""
    people, organisation = _from_json_ld(doc)
    if people:
        return _finish(people, site_name)
    skip = _Excluded(exclude)
    for source in (_from_microdata, _from_meta, _from_bylines, _from_links, _from_labels):
        cleaned = _finish(source(doc, skip), site_name)
        if cleaned:
            return cleaned
    if headline is not None and (cleaned := _finish(_from_meta_line(headline), site_name)):
        return cleaned
    return organisation


class _Excluded:
    """Membership in the excluded subtrees (built lazily: most pages never ask)."""

    def __init__(self, roots: Iterable[HtmlElement]) -> None:
        self._roots = tuple(roots)
        self._members: set[HtmlElement] | None = None

    def __contains__(self, element: HtmlElement) -> bool:
        if not self._roots:
            return False
        if self._members is None:
            self._members = {node for root in self._roots for node in root.iter()}
        return element in self._members


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


def _from_microdata(doc: Document, skip: _Excluded) -> list[str]:
    names: list[str] = []
    if not _MICRODATA_MENTION.search(doc.source):
        return names
    found = _MICRODATA(doc.tree)
    for element in found if isinstance(found, list) else []:
        if not isinstance(element, HtmlElement) or element in skip:
            continue
        name_element = next((e for e in element.iter() if e.get("itemprop") == "name"), None)
        target = name_element if name_element is not None else element
        text = target.get("content") or target.text_content()
        if text and len(text) <= _MAX_BYLINE:
            names.extend(split_names(text))
    return names


def _from_meta(doc: Document, skip: _Excluded) -> list[str]:
    for key in AUTHOR_META:
        value = doc.meta.get(key)
        if value and not _is_url(value):
            return split_names(value)
    return []


def _from_bylines(doc: Document, skip: _Excluded) -> list[str]:
    for element in doc.tree.iter(*_BYLINE_TAGS):
        marks = (element.get("class") or "") + " " + (element.get("id") or "")
        if len(marks) < 3 or not _is_byline_class(marks) or element in skip:
            continue
        first = next((link for link in element.iter("a") if _is_author_link(link, loose=True)),
                     None)
        if first is not None:
            if names := _co_authors(element, first, loose=True):
                return names
            continue
        text = " ".join(element.itertext())
        if len(text) <= _MAX_BYLINE and (names := _names_by_piece(element)):
            return names
    return []


def _names_by_piece(element: HtmlElement) -> list[str]:
    return _names_in_pieces(" ".join(text.split()) for text in element.itertext())


def _names_in_pieces(pieces: Iterable[str]) -> list[str]:
    """A byline's names read one text node at a time, so that a job title or a date in its own
    element ends them ("Ann Lee" "Senior Reporter"); more names only after a joiner."""
    names: list[str] = []
    joined = True
    for piece in pieces:
        if not piece:
            continue
        if _JOINER.fullmatch(piece) or _LABEL.fullmatch(piece):
            joined = True  # "and", ",", "By", "Authored by:"
            continue
        if names and not joined and not _JOINER_START.match(piece):
            break
        found = split_names(piece)
        if found:
            names.extend(found)
            joined = _JOINER_END.search(piece) is not None
        elif names:
            break
    return names


@functools.lru_cache(maxsize=4096)
def _is_byline_class(marks: str) -> bool:
    return BYLINE_CLASS.search(marks) is not None


def _is_author_link(link: HtmlElement, loose: bool = False) -> bool:
    """``rel=author`` or an author-page path; ``loose``: "author" anywhere in the address
    (``?author=3``), which inside a byline is enough."""
    href = link.get("href")
    if not href:
        return False
    if "author" in (link.get("rel") or ""):
        return True
    if loose:
        return "author" in href or "autor" in href or "auteur" in href
    return _AUTHOR_HREF.search(href) is not None


def _from_links(doc: Document, skip: _Excluded) -> list[str]:
    """The first author link on the page, with its co-authors."""
    for link in doc.tree.iter("a"):
        if not _is_author_link(link) or link in skip or not split_names(link.text_content()):
            continue
        container = link.getparent()
        if container is None:
            return split_names(link.text_content())
        holder = container.getparent()  # "<span><a>A</a></span> and <span><a>B</a></span>"
        if holder is not None and len(" ".join(container.itertext()).split()) == len(
                " ".join(link.itertext()).split()) and _text_size(holder) <= _MAX_BYLINE:
            container = holder
        return _co_authors(container, link, loose=False)
    return []


def _text_size(element: HtmlElement) -> int:
    return sum(len(text) for text in element.itertext())


def _co_authors(container: HtmlElement, first: HtmlElement, loose: bool) -> list[str]:
    """The names of ``first`` and of the author links after it that only a joiner separates
    ("A, B and C", "A & B"); "A. Reviewed by B" stops at A."""
    links: list[HtmlElement] = []
    gap: list[str] = []
    inside: HtmlElement | None = None
    for event, element in lxml.etree.iterwalk(container, events=("start", "end")):
        if event == "start":
            if inside is not None:
                continue
            if element is first or (links and element.tag == "a"
                                    and _is_author_link(element, loose)):
                if links and not _JOINER.fullmatch("".join(gap)):
                    break
                links.append(element)
                inside, gap = element, []
            elif links and element.text:
                gap.append(element.text)
        elif inside is not None and element is inside:
            inside = None
            gap.append(element.tail or "")
        elif inside is None and links and element is not container:
            gap.append(element.tail or "")
    hrefs = {link.get("href"): link for link in reversed(links)}  # the first of each address
    return [name for link in links if hrefs[link.get("href")] is link
            for name in split_names(link.text_content())]


def _from_labels(doc: Document, skip: _Excluded) -> list[str]:
    """A person's name right after a "By" / "Written by" / "Author:" label in the text, in the
    same text node or the next one: "Written by<span>Ann Lee</span>".  The name labelled most
    often wins (related stories have bylines too); many names, none dominant (a list of
    books), name no author."""
    labels = tuple(sorted({match.group(1) for match in _LABEL_IN_SOURCE.finditer(doc.source)}))
    found = _label_texts(labels)(doc.tree) if labels else []
    votes: Counter[tuple[str, ...]] = Counter()
    for text in found if isinstance(found, list) else []:
        if isinstance(text, lxml.etree._ElementUnicodeResult) and (
                names := _labelled_names(text, skip)):
            votes[tuple(names)] += 1
    if not votes:
        return []
    (best, count), total = votes.most_common(1)[0], sum(votes.values())
    if len(votes) >= _MANY_BYLINES and count * 2 < total:
        return []
    return list(best)


@functools.lru_cache(maxsize=64)
def _label_texts(labels: tuple[str, ...]) -> lxml.etree.XPath:
    """The text nodes starting with one of ``labels`` (one compiled query per set of labels)."""
    return lxml.etree.XPath("//body//text()[" + " or ".join(
        f"starts-with(normalize-space(.), '{label}')" for label in labels) + "]")


def _labelled_names(text: lxml.etree._ElementUnicodeResult, skip: _Excluded) -> list[str]:
    """The names a label text node introduces, in itself or in the next text nodes."""
    parent, line = text.getparent(), " ".join(text.split())
    label = _LABEL_START.match(line)
    if parent is None or label is None or parent in skip or any(
            node.tag in _NOT_BYLINE_TAGS for node in (parent, *parent.iterancestors())):
        return []
    rest = line[label.end():].strip()
    if rest and sum(map(len, split_names(rest))) < len(rest) * _NAME_SHARE:
        return []  # "By signing up you agree to our <a>Privacy Policy</a>", "By mail, send..."
    holder = parent.getparent() if text.is_tail or (not rest and len(parent) == 0) else parent
    if holder is None or _text_size(holder) > _MAX_BYLINE:  # "<span>By</span> <b>Ann Lee</b>"
        holder = parent
    pieces = [" ".join(str(piece).split()) for piece in holder.itertext()]
    start = pieces.index(line) if line in pieces else 0
    names = _names_in_pieces(pieces[start:start + _LABEL_PIECES])
    if names and all(_is_full_name(name) and not name.isupper() for name in names):
        return names
    return []


def _from_meta_line(headline: HtmlElement) -> list[str]:
    """Names leading the meta line after the headline: "Ann Lee, Bo Chan | June 3, 2025"."""
    for sibling in itertools.islice(headline.itersiblings(), _META_LINE_SIBLINGS):
        for element in sibling.iter("p", "div", "span", "li"):
            marks = (element.get("class") or "") + " " + (element.get("id") or "")
            if not any(META_LINE_TOKEN.match(mark) for mark in marks.split()):
                continue
            text = " ".join(" ".join(element.itertext()).split())
            first, *rest = META_SEPARATOR.split(text) if len(text) <= _MAX_BYLINE else [""]
            if rest and any(parse_date(part) for part in rest):
                names = [name for part in NAME_SPLIT.split(first) if (name := _clean_name(part))]
                return names if names and all(_is_full_name(name) for name in names) else []
    return []


def split_names(text: str) -> list[str]:
    """``"By Ann Lee and Bo Chan | May 3"`` → ``["Ann Lee", "Bo Chan"]``."""
    if "&" in text:
        text = html.unescape(text)
    text = " ".join(text.split())
    text = BYLINE_PREFIX.sub("", text)
    dashed = _DASH.split(text)
    if len(dashed) > 1 and all(_is_full_name(part) for part in dashed):
        return [name for part in dashed if (name := _clean_name(part))]  # "Ann Lee - Bo Chan"
    text = _CUT.sub("", text)
    return [name for part in NAME_SPLIT.split(text) if (name := _clean_name(part))]


def _is_full_name(text: str) -> bool:
    """Two to five capitalised words, none naming an organisation: "Nguyễn Thu Hà"."""
    words = text.split()
    return 2 <= len(words) <= _MAX_NAME_WORDS and all(
        word[0].isupper() and word.replace("-", "").replace("'", "").replace(".", "").isalpha()
        and word.casefold() not in ORGANISATION_WORDS for word in words)


def _clean_name(part: str) -> str | None:
    name = BYLINE_PREFIX.sub("", part.strip(" .,:;-–—()[]\"'")).strip()
    label, colon, rest = name.partition(":")
    if colon and rest.strip() and len(label.split()) <= 2:  # "Text: Ann Lee", "Photo: Bo Chan"
        if CREDIT_LABEL.fullmatch(label.strip()):
            return None
        name = rest.strip()
    if not BYLINE_PREFIX.sub("", name + " ").strip():
        return None  # the label alone: "Written By"
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
