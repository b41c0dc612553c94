"""The article's running text: prune, pick the content container, clean it, render paragraphs.

This step mutates ``doc.tree`` (it removes what is not article text), so it runs last.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import lxml.etree

from scraper.extract.article_lists import article_around
from scraper.extract.boilerplate import (
    clean_content,
    is_boilerplate_text,
    is_meta_line,
    prune_page,
    remove_nodes,
)
from scraper.extract.document import Document, HtmlElement
from scraper.extract.patterns import AFFILIATE_NOTE, AFFILIATE_WORDS, BLOCK_TAGS, FOLDS_TO_ASCII
from scraper.extract.scoring import find_content
from scraper.extract.streaming import place_streamed_chunks

_WORD = re.compile(r"\w+")
# A JSON-LD articleBody much longer than what the tree gave means the tree lost the text.
_FALLBACK_RATIO = 2.0
_MIN_FALLBACK = 400
_MIN_REPEAT = 30
_EDGE = 3  # paragraphs at either end where disclosures stand
_MAX_DISCLOSURE = 400  # characters: a disclosure is a line or two


def extract_body(doc: Document, title: str | None, exclude: Iterable[HtmlElement] = (),
                 headline: HtmlElement | None = None) -> str:
    """The body text, paragraphs joined by a blank line ("" when the page has none).
    ``headline``: the element showing the title, when one does."""
    root = doc.tree.find("body")
    if root is None:
        root = doc.tree
    remove_nodes(exclude)
    headed = article_around(headline)  # before pruning takes the headline's header away
    place_streamed_chunks(doc, root)
    prune_page(root)
    content = find_content(root, _article_body_hint(doc, root), headed)
    paragraphs: list[str] = []
    for element in content:
        clean_content(element, title)
        paragraphs.extend(render(element))
    text = "\n\n".join(_without_disclosures(_keep(paragraphs, title)))
    return _prefer_json_ld(text, doc.json_ld)


def _article_body_hint(doc: Document, root: HtmlElement) -> HtmlElement | None:
    found = doc.with_itemprop("articleBody", "articlebody", root=root)
    return found[0] if found else None


def render(root: HtmlElement) -> list[str]:
    """The text of ``root`` as paragraphs: block elements break, inline text runs on."""
    paragraphs: list[str] = []
    parts: list[str] = []

    def flush() -> None:
        if parts:
            line = " ".join("".join(parts).split())
            if line:
                paragraphs.append(line)
            parts.clear()

    for event, element in lxml.etree.iterwalk(root, events=("start", "end")):
        block = element.tag in BLOCK_TAGS
        if event == "start":
            if block:
                flush()
            if element.text:
                parts.append(element.text)
        else:
            if block:
                flush()
            if element.tail and element is not root:
                parts.append(element.tail)
    flush()
    return paragraphs


def _keep(paragraphs: list[str], title: str | None) -> list[str]:
    title_key = _key(title) if title else None
    longest_title = 2 * len(title) + _MIN_REPEAT if title else 0  # longer: not the title
    kept = []
    seen: set[str] = set()
    for paragraph in paragraphs:
        if is_boilerplate_text(paragraph) or is_meta_line(paragraph):
            continue
        if len(paragraph) > _MIN_REPEAT:
            if paragraph in seen:
                continue  # the same text twice (mobile and desktop copies, pull quotes)
            seen.add(paragraph)
        if title_key is not None and len(paragraph) <= longest_title and _key(paragraph) == title_key:
            continue  # the headline repeated as a caption or kicker
        kept.append(paragraph)
    return kept


def _without_disclosures(paragraphs: list[str]) -> list[str]:
    """Drop short affiliate disclosures ("This post contains affiliate links ...") among the
    first and last few paragraphs, where themes and authors put them; in the middle such words
    are the article's ("Streamers earn a commission via affiliate links")."""
    edge = range(_EDGE, len(paragraphs) - _EDGE)
    return [paragraph for index, paragraph in enumerate(paragraphs)
            if index in edge or len(paragraph) > _MAX_DISCLOSURE
            or not _is_affiliate_note(paragraph)]


def _is_affiliate_note(paragraph: str) -> bool:
    """``AFFILIATE_NOTE.search``, asked only when a cheap test of its words lets it match."""
    lowered = paragraph.lower()
    if not any(word in lowered for word in AFFILIATE_WORDS) and (
            paragraph.isascii() or not any(letter in paragraph for letter in FOLDS_TO_ASCII)):
        return False
    return AFFILIATE_NOTE.search(paragraph) is not None


def _key(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


def _prefer_json_ld(text: str, json_ld: tuple[dict[str, Any], ...]) -> str:
    for item in json_ld:
        body = item.get("articleBody")
        if not isinstance(body, str):
            continue
        body = body.strip()
        if len(body) >= _MIN_FALLBACK and len(body) > len(text) * _FALLBACK_RATIO:
            return "\n\n".join(" ".join(line.split()) for line in body.splitlines() if line.strip())
    return text
