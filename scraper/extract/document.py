"""Bytes to a parsed document: charset decoding, lxml parsing, JSON-LD and meta tags.

Everything the field extractors share is computed here once per page.
"""

from __future__ import annotations

import codecs
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import charset_normalizer
import lxml.etree
import lxml.html
from lxml.html import HtmlElement

from scraper.errors import ExtractionError
from scraper.extract import bounded_json
from scraper.extract.attribute_cap import cap_attributes
from scraper.extract.charsets import decode_declared, text_codec

__all__ = ["Document", "HtmlElement", "decode", "parse", "read_json_ld", "read_meta", "select",
           "select_strings"]

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-:.]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_BODY_END = re.compile(r"</(?:body|html)\s*>", re.I)
_SNIFF_BYTES = 4096
_DETECT_BYTES = 65536
_LATIN_SINGLE_BYTE = re.compile(r"(windows-|cp)125[0-47-8]$|iso-?8859-(1|2|3|4|9|10|13|14|15|16)$|latin"
                                r"|cp(437|775|85[0278]|86[0-5])$")  # DOS Latin pages: not on the web
_MAX_CHARS = 25_000_000
# lxml.html's own parser looks up every element's class in Python; a C-level default lookup
# gives the same HtmlElement class (minus the form-field subclasses) at a fraction of the cost.
_LOOKUP = lxml.etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment,
    pi=lxml.html.HtmlProcessingInstruction, entity=lxml.html.HtmlEntity)
_PARSERS = threading.local()


def _parser(encoding: str | None = None) -> lxml.etree.HTMLParser:
    """This thread's parser for decoded text (``encoding=None``) or for bytes in ``encoding``."""
    key = f"parser_{encoding}"
    parser: lxml.etree.HTMLParser | None = getattr(_PARSERS, key, None)
    if parser is None:
        parser = lxml.etree.HTMLParser(encoding=encoding)
        parser.set_element_class_lookup(_LOOKUP)
        setattr(_PARSERS, key, parser)
    return parser


@dataclass(slots=True)
class Document:
    """One parsed page.  ``tree`` is the ``<html>`` element; nothing has been removed from it."""

    tree: HtmlElement
    url: str | None
    json_ld: tuple[dict[str, Any], ...] = ()
    meta: dict[str, str] = field(default_factory=dict)
    lang: str | None = None
    source: str = ""  # the decoded page text: a cheap pre-check before searching the tree
    _itemprops: dict[str, list[tuple[int, HtmlElement]]] | None = field(
        default=None, init=False, repr=False, compare=False)
    _tagged: dict[str, list[HtmlElement]] | None = field(
        default=None, init=False, repr=False, compare=False)
    # What several finders compute from the intact tree, computed once (``Regions.of``).
    shared: dict[str, object] = field(default_factory=dict, init=False, repr=False,
                                      compare=False)

    def mentions(self, needle: str) -> bool:
        """Whether the page source contains ``needle`` (case-sensitive): gates tree searches."""
        return needle in self.source

    def with_itemprop(self, *values: str, root: HtmlElement | None = None) -> list[HtmlElement]:
        """The elements whose ``itemprop`` is one of ``values``, in page order, that are still
        under ``root`` (default: the page).  Several extractors ask, so one search of the tree
        indexes every ``itemprop`` once; elements removed since are left out."""
        found = [owner for value in values for owner in self._itemprop_index().get(value, ())]
        if len(values) > 1:
            found.sort(key=lambda item: item[0])
        top = self.tree if root is None else root
        return [element for _, element in found if _is_under(element, top)]

    def itemprop_mentions(self, fragment: str) -> bool:
        """Whether some ``itemprop`` value on the page contains ``fragment`` (case-sensitive):
        gates tree searches, from the shared index."""
        return any(fragment in value for value in self._itemprop_index())

    def with_itemprop_containing(self, fragment: str) -> list[HtmlElement]:
        """The elements whose ``itemprop``, lower-cased, contains ``fragment`` (lower-case), in
        page order, as parsed (from the shared index)."""
        index = self._itemprop_index()
        found = [owner for value, owners in index.items() if fragment in value.lower()
                 for owner in owners]
        found.sort(key=lambda item: item[0])
        return [element for _, element in found]

    def landmarks(self) -> list[HtmlElement]:
        """The page's ``h1`` and ``article`` elements in page order, as parsed: the comment and
        view finders both place the article by them."""
        return self.elements("h1", "article")

    def elements(self, *tags: str) -> list[HtmlElement]:
        """The page's elements of ``tags`` (some of ``INDEXED_TAGS``: rare elements that several
        finders look for), page order, as parsed.  Each walk of the tree costs about a tenth of
        the parse, so one walk indexes them all for every finder."""
        if self._tagged is None:
            self._tagged = _tag_index(self.tree)
        if len(tags) == 1 and tags[0] in self._tagged:
            return list(self._tagged[tags[0]])
        key = " ".join(tags) + " "  # never a tag: the filtered list, kept for the next ask
        found = self._tagged.get(key)
        if found is None:
            if any(tag not in INDEXED_TAGS for tag in tags):
                raise ValueError(f"not indexed: {tags}")
            found = self._tagged[key] = [element for element in self._tagged[_ALL]
                                         if element.tag in tags]
        return list(found)

    def headings(self) -> list[HtmlElement]:
        """The page's ``h2``-``h6`` elements in page order, as parsed."""
        return self.elements("h2", "h3", "h4", "h5", "h6")

    def _itemprop_index(self) -> dict[str, list[tuple[int, HtmlElement]]]:
        if self._itemprops is None:
            self._itemprops = _itemprop_index(self.tree)
        return self._itemprops


_ITEMPROPS = lxml.etree.XPath("//*/@itemprop")  # elements only: "//@" visits every node
INDEXED_TAGS = ("meta", "script", "link", "base", "title", "h1", "h2", "h3", "h4", "h5", "h6",
                "article", "time")
_ALL = ""  # the index's key for all its elements, page order


def _tag_index(tree: HtmlElement) -> dict[str, list[HtmlElement]]:
    index: dict[str, list[HtmlElement]] = {tag: [] for tag in INDEXED_TAGS}
    found = list(tree.iter(*INDEXED_TAGS))
    for element in found:
        index[element.tag].append(element)
    index[_ALL] = found
    return index


def _itemprop_index(tree: HtmlElement) -> dict[str, list[tuple[int, HtmlElement]]]:
    """``itemprop`` value to its elements, each with its position in page order."""
    index: dict[str, list[tuple[int, HtmlElement]]] = {}
    found = _ITEMPROPS(tree)
    for position, value in enumerate(found if isinstance(found, list) else ()):
        owner = value.getparent() if isinstance(value, lxml.etree._ElementUnicodeResult) else None
        if isinstance(owner, HtmlElement):
            index.setdefault(str(value), []).append((position, owner))
    return index


def _is_under(element: HtmlElement, root: HtmlElement) -> bool:
    return element is root or any(ancestor is root for ancestor in element.iterancestors())


def select(xpath: lxml.etree.XPath, root: HtmlElement) -> list[HtmlElement]:
    """The elements an XPath selects, or that own the attributes or texts it selects (often
    cheaper in libxml2 than an element predicate): page order, each once."""
    found = xpath(root)
    owners: dict[HtmlElement, None] = {}
    for item in found if isinstance(found, list) else ():
        if isinstance(item, HtmlElement):
            owner = item
        else:  # an attribute value or text: "smart" strings know their element
            getparent = getattr(item, "getparent", None)
            owner = getparent() if getparent is not None else None
        if isinstance(owner, HtmlElement):
            owners[owner] = None
    return list(owners)


def select_strings(xpath: lxml.etree.XPath, root: HtmlElement) -> list[str]:
    """The strings (attribute values, texts) an XPath finds under ``root``, page order."""
    found = xpath(root)
    return [item for item in found if isinstance(item, str)] if isinstance(found, list) else []


def decode(html: bytes | str) -> str:
    """Decode page bytes: BOM, then the declared ``<meta charset>``, then UTF-8, then detection."""
    return _decoded(html)[0]


def _decoded(html: bytes | str) -> tuple[str, bool]:
    """The text, and whether it is exactly ``html`` read as UTF-8 (so that libxml2 can parse
    the bytes themselves, which is faster than parsing the text)."""
    if isinstance(html, str):
        return html, False
    for bom, encoding in _BOMS:
        if html.startswith(bom):
            return html[len(bom):].decode(encoding, errors="replace"), False
    declared = _declared_charset(html[:_SNIFF_BYTES])
    if declared and declared != "utf-8":
        text = decode_declared(html, declared, in_page=True)
        if text is not None:
            return text, False  # else a mis-declared charset: UTF-8, then detection below
    try:
        return html.decode("utf-8"), True
    except UnicodeDecodeError:
        if declared == "utf-8" and _mostly_utf8(html):
            return html.decode("utf-8", errors="replace"), False
        return _detected(html), False


def _detected(html: bytes) -> str:
    """Undeclared, not UTF-8: charset-normalizer guesses (off the hot path: only such pages get
    here); cp1252, the web's commonest legacy charset, is the last resort.  charset-normalizer
    is called directly, not through Beautiful Soup's UnicodeDammit, which prefers chardet or
    cchardet when either happens to be installed: the record must not depend on that."""
    best = charset_normalizer.from_bytes(html[:_DETECT_BYTES]).best()  # the declaration failed
    encoding = (text_codec(best.encoding) if best is not None else None) or "cp1252"
    if _LATIN_SINGLE_BYTE.match(encoding):
        encoding = "cp1252"  # short samples make the detector pick any Latin code page
    try:
        return html.decode(encoding, errors="replace")
    except (LookupError, ValueError):
        return html.decode("cp1252", errors="replace")


def _declared_charset(head: bytes) -> str | None:
    match = _META_CHARSET.search(head)
    if not match:
        return None
    return text_codec(match.group(1).decode("ascii", errors="ignore"))


def _mostly_utf8(data: bytes) -> bool:
    """Declared UTF-8 with a few broken sequences (keep UTF-8), or really another charset."""
    sample = data[:200_000]
    bad = len(sample.decode("utf-8", errors="replace")) - len(sample.decode("utf-8", errors="ignore"))
    non_ascii = len(sample) - len(sample.decode("ascii", errors="ignore"))
    return bad < 20 and bad * 10 < non_ascii


def _looks_binary(data: bytes) -> bool:
    """NUL bytes near the start (and no UTF-16 byte-order mark): an image, archive or the like."""
    head = data[:2048]
    return b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))


def parse(html: bytes | str, url: str | None = None) -> Document:
    """Parse a page; raise ``ExtractionError`` when there is no HTML to work with."""
    if isinstance(html, bytes) and _looks_binary(html):
        raise ExtractionError("not an HTML page: the content is binary")
    text, utf8 = _decoded(html)
    if "\x00" in text[:2048]:
        raise ExtractionError("not an HTML page: the content is binary")
    cleaned = _cleaned(text)
    if not cleaned or cleaned.isspace():
        raise ExtractionError("empty page: nothing to extract")
    markup: bytes | str = html if utf8 and cleaned is text else cleaned
    try:
        tree = lxml.html.document_fromstring(
            markup, parser=_parser("utf-8" if isinstance(markup, bytes) else None))
    except (lxml.etree.ParserError, ValueError) as exc:
        raise ExtractionError(f"unparsable HTML: {exc}") from None
    if tree is None or not isinstance(tree, HtmlElement):
        raise ExtractionError("unparsable HTML: no document element")
    doc = Document(tree=tree, url=url, lang=_language(tree), source=cleaned)
    doc.meta = read_meta(doc.elements("meta"))
    doc.json_ld = tuple(read_json_ld(doc.elements("script"), doc.meta))
    return doc


def _cleaned(text: str) -> str:
    """What libxml2 should parse: at most ``_MAX_CHARS``, no XML declaration (lxml refuses
    one in text), no start tag with thousands of attributes (``attribute_cap``) and no early
    ``</body>``; ``text`` itself when nothing needs changing."""
    if len(text) > _MAX_CHARS:
        text = text[:_MAX_CHARS]
    text = _XML_DECL.sub("", text, count=1)  # anchored: the same object when there is none
    text = cap_attributes(text)  # the same object unless a tag has more than libxml2 can bear
    first = text.find("</body>")
    if first != -1 and text.find("</body>", first + 7) != -1:
        text = _BODY_END.sub("", text)  # libxml2 drops what follows an early </html>
    return text


def read_meta(elements: Iterable[HtmlElement]) -> dict[str, str]:
    """``<meta>`` name/property/itemprop (lower-cased) to the first non-empty content."""
    meta: dict[str, str] = {}
    for element in elements:
        key = element.get("property") or element.get("name") or element.get("itemprop")
        content = element.get("content")
        if key and content and content.strip():
            meta.setdefault(key.strip().lower(), content.strip())
    return meta


_COMMENT_LINE = re.compile(r"^[ \t]*//[^\n]*$", re.M)
_TRAILING_COMMA = re.compile(r",\s*([\]}])")
_CONTROL = re.compile(r"[\x00-\x1f]+")
_BETWEEN_VALUES = frozenset(" ,;")
_JSON_LD_META = "script:ld+json"


def read_json_ld(scripts: Iterable[HtmlElement], meta: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Every JSON-LD object in ``scripts``, ``@graph`` members and top-level lists flattened; also
    the JSON-LD a Next.js page renders by mistake as ``<meta name="script:ld+json"
    content="...">`` (structured data passed through ``metadata.other``)."""
    objects: list[dict[str, Any]] = []
    for script in scripts:
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        data = _loads_lenient(script.text or "")
        _flatten(data, objects)
    if meta and (in_meta := meta.get(_JSON_LD_META)):
        _flatten(_loads_lenient(in_meta), objects)
    return objects


def _loads_lenient(text: str) -> Any:
    """The JSON of a JSON-LD script, repaired for the commonest template breakages: raw control
    characters inside strings, ``//`` comment lines, trailing commas, and objects that follow
    one another without a list around them or with stray closing characters after the last."""
    text = text.strip().removeprefix("<!--").removesuffix("-->").strip()
    if not text:
        return None
    try:
        return bounded_json.loads(text)
    except ValueError:
        pass
    repaired = _TRAILING_COMMA.sub(r"\1", _COMMENT_LINE.sub("", text))
    repaired = _CONTROL.sub(" ", repaired)
    try:
        return bounded_json.loads(repaired)
    except ValueError:
        return _leading_values(repaired)


def _leading_values(text: str) -> Any:
    """The JSON values at the start of ``text``, one after another; None when there is none."""
    values: list[Any] = []
    position = 0
    while position < len(text):
        try:
            value, position = bounded_json.raw_decode(text, position)
        except ValueError:
            break
        values.append(value)
        while position < len(text) and text[position] in _BETWEEN_VALUES:
            position += 1
    if not values:
        return None
    return values[0] if len(values) == 1 else values


def _flatten(data: Any, out: list[dict[str, Any]]) -> None:
    if isinstance(data, list):
        for item in data:
            _flatten(item, out)
    elif isinstance(data, dict):
        out.append(data)
        graph = data.get("@graph")
        if isinstance(graph, list):
            for item in graph:
                _flatten(item, out)


def _language(tree: HtmlElement) -> str | None:
    lang = tree.get("lang") or tree.get("xml:lang")
    if not lang:
        return None
    lang = lang.strip().replace("_", "-")
    return lang or None
