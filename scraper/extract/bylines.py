"""Names read from what the page shows: byline elements, author links, "By"/"Written by"
labels in the text, and the meta line under the headline.  Nothing inside the comment area
(``Excluded``) is a byline.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections import Counter
from collections.abc import Iterable

import lxml.etree

from scraper.extract.dates import parse_date
from scraper.extract.document import Document, HtmlElement
from scraper.extract.names import clean_name, is_full_name, is_handle, split_names
from scraper.extract.patterns import BYLINE_CLASS, META_LINE_TOKEN, META_SEPARATOR, NAME_SPLIT
from scraper.extract.surroundings import Surroundings

__all__ = ["Excluded", "names_from_bylines", "names_from_labels", "names_from_links",
           "names_from_meta_line"]

_AUTHOR_HREF = re.compile(r"/(?:author|authors|autor|autores|auteur|tac-gia)/", re.I)
_BYLINE_TAGS = ("span", "div", "p", "a", "address", "li", "strong", "em", "small", "cite", "b")
_JOINER = re.compile(r"\s*(?:,|;|&|/|[-–]|and|,\s*and|y|e|et|und|và|with|con|avec|mit)?\s*",
                     re.I)
_JOINER_START = re.compile(r"\s*(?:,|&|and\b|y\b|et\b|und\b|và\b)", re.I)
_JOINER_END = re.compile(r"(?:,|&|\band|\by|\bet|\bund|\bvà)\s*$", re.I)
_LABEL = re.compile(r"(?:[\w-]+\s+){0,2}(?:by|from|por|par|von|bởi)\s*:?|(?:author|autor|auteur|"
                    r"tác giả|writer)s?\s*:", re.I)
# "Written by", "By:", "Author:" at the start of a text node.
_LABEL_START = re.compile(r"(?:(?:written|posted|submitted|article|story|words|text|eingestellt|"
                          r"verfasst|geschrieben)\s+)?(?:by|por|par|von|bởi)"
                          r"(?:\s*:|\s|$)|(?:author|autor|auteur|tác giả|contributors?)\s*:", re.I)
# The labels as the page source shows them right after a tag: a cheap first look (the
# lookahead, the labels' first letters, rejects most tag ends before trying each label).
_LABEL_IN_SOURCE = re.compile(r">\s*(?=[ABCEGPSTVWbsw])"
                              r"((?:(?:Written|WRITTEN|written|Posted|Submitted|submitted|Article|"
                              r"Story|Words|Text|Eingestellt|Verfasst|Geschrieben)\s+)?"
                              r"(?:[Bb]y|BY|Por|Von|Par|Author|AUTHOR|Autor|Auteur|Tác giả|"
                              r"Contributors?(?=\s*:)))(?!\w)")
_LABEL_PIECES = 4
_NAME_SHARE = 0.7
_MANY_BYLINES = 3
# Inside these, "By X" is a control or a listing ("By Type", a list of books), not a byline.
_NOT_BYLINE_TAGS = frozenset({"a", "button", "nav", "option", "select", "label", "h1", "h2", "li"})
_MAX_BYLINE = 120
_HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
_MAX_HANDLE_LINE = 80
_ANYWHERE = Surroundings(None)
_HANDLE_BEFORE_DATE = re.compile(r"\s+(?:on|am|le|el|il|op|em)\s+\S.*$|\s*[|·•,]\s*\S.*$", re.I)
_META_LINE_SIBLINGS = 3
_DATED_LINE_TAGS = frozenset({"p", "div", "span", "small", "header"})
_DATED_LINE_WORDS = 5


class Excluded:
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


def names_from_bylines(doc: Document, skip: Excluded) -> list[str]:
    """The first byline element's names; failing any, the name heading an author box (a
    byline element with a biography: "Ann Lee" "Ann writes about gardens ...")."""
    box: list[str] = []
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
        if len(text) <= _MAX_BYLINE:
            if names := _names_by_piece(element):
                return names
        elif not box:
            box = _box_heading(element)
    return box


def _box_heading(element: HtmlElement) -> list[str]:
    heading = next((piece for text in element.itertext() if (piece := " ".join(text.split()))),
                   "")
    return [heading] if is_full_name(heading) and clean_name(heading) == heading else []


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


def names_from_links(doc: Document, skip: Excluded) -> list[str]:
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


def names_from_labels(doc: Document, skip: Excluded) -> list[str]:
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


def _labelled_names(text: lxml.etree._ElementUnicodeResult, skip: Excluded) -> list[str]:
    """The names a label text node introduces, in itself or in the next text nodes."""
    parent, line = text.getparent(), " ".join(text.split())
    label = _LABEL_START.match(line)
    if parent is None or label is None or parent in skip or any(
            node.tag in _NOT_BYLINE_TAGS for node in (
                *((parent,) if text.is_tail or not _heading_label(parent, line, label.end())
                  else ()),
                *parent.iterancestors())
    ) or _ANYWHERE.elsewhere(parent):
        return []  # in a control, a listing, an embedded post, a teaser or a comment
    rest = line[label.end():].strip()
    if rest and sum(map(len, split_names(rest))) < len(rest) * _NAME_SHARE and not is_handle(
            _HANDLE_BEFORE_DATE.sub("", rest)):
        return []  # "By signing up you agree to our <a>Privacy Policy</a>", "By mail, send..."
    holder = parent.getparent() if text.is_tail or (not rest and len(parent) == 0) else parent
    if holder is None or _text_size(holder) > _MAX_BYLINE:  # "<span>By</span> <b>Ann Lee</b>"
        holder = parent
    pieces = [" ".join(str(piece).split()) for piece in holder.itertext()]
    start = pieces.index(line) if line in pieces else 0
    names = _names_in_pieces(pieces[start:start + _LABEL_PIECES])
    if names and all(is_full_name(name) and not name.isupper() for name in names):
        return names
    return _handle_in_dateline(rest, pieces[start + 1:start + 2], holder)


def _heading_label(parent: HtmlElement, line: str, end: int) -> bool:
    """A heading that is nothing but the label: an author box's "<h2>Article by</h2>"."""
    return parent.tag in _HEADINGS and end >= len(line) and len(parent) == 0


def _handle_in_dateline(rest: str, following: list[str], holder: HtmlElement) -> list[str]:
    """A user name alone after the label (or before "on <date>") in a short line that also
    dates the post: Drupal's "Submitted by jdoe on Tue, 03/05/2024", a blog's "by ibby" next
    to its ``<time>``.  A name without capitals is only used when no source names anyone else
    (``find_authors``)."""
    handle = rest if rest else (following[0] if following else "")
    handle = _HANDLE_BEFORE_DATE.sub("", handle)
    if not is_handle(handle) or _text_size(holder) > _MAX_HANDLE_LINE:
        return []
    around = holder.getparent() if holder.getparent() is not None else holder
    text = " ".join(around.itertext())
    dated = next(around.iter("time"), None) is not None or parse_date(text) is not None
    return [handle] if len(text) <= _MAX_BYLINE * 2 and dated else []


def names_from_meta_line(headline: HtmlElement) -> list[str]:
    """Names leading the meta line after the headline: "Ann Lee, Bo Chan | June 3, 2025"; else
    the one name of an unclassed short line right before or after the headline that also
    dates the post: "<p>Ann Lee | Senior Writer | July 2, 2025</p>", "<span>Dec 17, 2025</span>
    <span>Ann Lee</span>"."""
    for sibling in itertools.islice(headline.itersiblings(), _META_LINE_SIBLINGS):
        for element in sibling.iter("p", "div", "span", "li"):
            marks = (element.get("class") or "") + " " + (element.get("id") or "")
            if not any(META_LINE_TOKEN.match(mark) for mark in marks.split()):
                continue
            text = " ".join(" ".join(element.itertext()).split())
            first, *rest = META_SEPARATOR.split(text) if len(text) <= _MAX_BYLINE else [""]
            if rest and any(parse_date(part) for part in rest):
                names = [name for part in NAME_SPLIT.split(first) if (name := clean_name(part))]
                return names if names and all(is_full_name(name) for name in names) else []
    for neighbour in (headline.getnext(), headline.getprevious()):
        if neighbour is not None and (names := _name_in_dated_line(neighbour)):
            return names
    return []


def _name_in_dated_line(line: HtmlElement) -> list[str]:
    """The first name among the pieces of a short line with a date piece and nothing longer
    than a name or a date (a sentence makes it no meta line)."""
    if not isinstance(line.tag, str) or line.tag not in _DATED_LINE_TAGS:
        return []
    texts = list(itertools.islice(line.itertext(), _MAX_BYLINE))
    if sum(map(len, texts)) > 4 * _MAX_BYLINE:
        return []
    pieces = [piece for text in texts for part in META_SEPARATOR.split(text)
              if (piece := " ".join(part.split()).strip(" ,-–—"))]
    if not pieces or sum(map(len, pieces)) > _MAX_BYLINE or any(
            len(piece.split()) > _DATED_LINE_WORDS for piece in pieces):
        return []
    dated = [piece for piece in pieces if parse_date(piece)]
    linked = {" ".join(link.text_content().split()) for link in line.iter("a")
              if link.get("href") and not _AUTHOR_HREF.search(link.get("href") or "")}
    names = [piece for piece in pieces
             if piece not in dated and piece not in linked and is_full_name(piece)
             and not _LABEL_START.match(piece)]
    return names[:1] if dated and names else []
