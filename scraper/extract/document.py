"""Bytes to a parsed document: charset decoding, lxml parsing, JSON-LD and meta tags.

Everything the field extractors share is computed here once per page.
"""

from __future__ import annotations

import codecs
import json
import re
import threading
from dataclasses import dataclass, field
from typing import Any

import lxml.etree
import lxml.html
from bs4 import UnicodeDammit
from lxml.html import HtmlElement

from scraper.errors import ExtractionError

__all__ = ["Document", "HtmlElement", "decode", "parse", "read_json_ld", "read_meta"]

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-:.]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_BODY_END = re.compile(r"</(?:body|html)\s*>", re.I)
_SNIFF_BYTES = 4096
_DETECT_BYTES = 65536
_LATIN_SINGLE_BYTE = re.compile(r"(windows-|cp)125[0-47-8]$|iso-?8859-(1|2|3|4|9|10|13|14|15|16)$|latin")
_MAX_CHARS = 25_000_000
# lxml.html's own parser looks up every element's class in Python; a C-level default lookup
# gives the same HtmlElement class (minus the form-field subclasses) at a fraction of the cost.
_LOOKUP = lxml.etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment,
    pi=lxml.html.HtmlProcessingInstruction, entity=lxml.html.HtmlEntity)
_PARSERS = threading.local()


def _parser() -> lxml.etree.HTMLParser:
    parser: lxml.etree.HTMLParser | None = getattr(_PARSERS, "parser", None)
    if parser is None:
        parser = lxml.etree.HTMLParser()
        parser.set_element_class_lookup(_LOOKUP)
        _PARSERS.parser = parser
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

    def mentions(self, needle: str) -> bool:
        """Whether the page source contains ``needle`` (case-sensitive): gates tree searches."""
        return needle in self.source


def decode(html: bytes | str) -> str:
    """Decode page bytes: BOM, then the declared ``<meta charset>``, then UTF-8, then detection."""
    if isinstance(html, str):
        return html
    for bom, encoding in _BOMS:
        if html.startswith(bom):
            return html[len(bom):].decode(encoding, errors="replace")
    declared = _declared_charset(html[:_SNIFF_BYTES])
    if declared and declared not in ("utf-8", "utf8"):
        try:
            return html.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass  # a mis-declared charset: fall through to detection below
    try:
        return html.decode("utf-8")
    except UnicodeDecodeError:
        if declared in ("utf-8", "utf8") and _mostly_utf8(html):
            return html.decode("utf-8", errors="replace")
        return _detected(html)


def _detected(html: bytes) -> str:
    """Undeclared, not UTF-8: Beautiful Soup's UnicodeDammit guesses with charset-normalizer
    (off the hot path: only such pages get here); cp1252, the web's commonest legacy charset,
    is the last resort."""
    dammit = UnicodeDammit(html[:_DETECT_BYTES], is_html=True)
    encoding = dammit.original_encoding or "cp1252"
    if _LATIN_SINGLE_BYTE.match(encoding.lower()):
        encoding = "cp1252"  # short samples make the detector pick any Latin code page
    try:
        return html.decode(encoding, errors="replace")
    except LookupError:
        return html.decode("cp1252", errors="replace")


def _declared_charset(head: bytes) -> str | None:
    match = _META_CHARSET.search(head)
    if not match:
        return None
    name = match.group(1).decode("ascii", errors="ignore").lower()
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


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
    text = decode(html)
    if len(text) > _MAX_CHARS:
        text = text[:_MAX_CHARS]
    if "\x00" in text[:2048]:
        raise ExtractionError("not an HTML page: the content is binary")
    text = _XML_DECL.sub("", text, count=1)
    if text.count("</body>") > 1:
        text = _BODY_END.sub("", text)  # libxml2 drops what follows an early </html>
    if not text.strip():
        raise ExtractionError("empty page: nothing to extract")
    try:
        tree = lxml.html.document_fromstring(text, parser=_parser())
    except (lxml.etree.ParserError, ValueError) as exc:
        raise ExtractionError(f"unparsable HTML: {exc}") from None
    if tree is None or not isinstance(tree, HtmlElement):
        raise ExtractionError("unparsable HTML: no document element")
    return Document(tree=tree, url=url, json_ld=tuple(read_json_ld(tree)),
                    meta=read_meta(tree), lang=_language(tree), source=text)


def read_meta(tree: HtmlElement) -> dict[str, str]:
    """``<meta>`` name/property/itemprop (lower-cased) to the first non-empty content."""
    meta: dict[str, str] = {}
    for element in tree.iter("meta"):
        key = element.get("property") or element.get("name") or element.get("itemprop")
        content = element.get("content")
        if key and content and content.strip():
            meta.setdefault(key.strip().lower(), content.strip())
    return meta


def read_json_ld(tree: HtmlElement) -> list[dict[str, Any]]:
    """Every JSON-LD object on the page, ``@graph`` members and top-level lists flattened."""
    objects: list[dict[str, Any]] = []
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        data = _loads_lenient(script.text or "")
        _flatten(data, objects)
    return objects


def _loads_lenient(text: str) -> Any:
    text = text.strip().removeprefix("<!--").removesuffix("-->").strip()
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        pass
    try:  # the commonest breakage: raw control characters inside strings
        return json.loads(re.sub(r"[\x00-\x1f]+", " ", text))
    except ValueError:
        return None


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
