"""Pages streamed by React server rendering: the text arrives in hidden chunks at the end.

React's streaming renderer first sends a placeholder (``<template id="B:0">`` followed by a
fallback such as "Loading paragraph..."), then, further down, the real content in
``<div hidden id="S:0">`` and a script call ``$RC("B:0","S:0")`` that moves it into place.  A
reader sees the content where the placeholder was; so does this module, before the body is
scored: each chunk replaces its placeholder and fallback.
"""

from __future__ import annotations

import re

import lxml.etree

from scraper.extract.document import Document, HtmlElement

_SWAPS = re.compile(r"""\$R[CS]\(\s*["']([BP]:[^"']+)["']\s*,\s*["'](S:[^"']+)["']""")
_FALLBACK = 100  # characters: "Loading…", a spinner's label; more is not a fallback


def place_streamed_chunks(doc: Document, root: HtmlElement) -> None:
    """Move each hidden ``S:`` chunk to its placeholder, dropping the fallback.  React appends
    the chunks to the body: only ``root``'s (the body's) children are looked at, no tree walk."""
    chunks = {element.get("id"): element for element in root.iterchildren("div")
              if (element.get("id") or "").startswith("S:") and element.get("hidden") is not None}
    if not chunks:
        return
    placeholders = {element.get("id"): element for element in root.iter("template")
                    if (element.get("id") or "")[:2] in ("B:", "P:")}
    pairs = _SWAPS.findall(doc.source) or [  # no script left: React numbers both alike
        (place, f"S:{place[2:]}") for place in placeholders]
    for place, chunk_id in pairs:
        placeholder, chunk = placeholders.get(place), chunks.get(chunk_id)
        if placeholder is not None and chunk is not None:
            _move(chunk, placeholder)


def _move(chunk: HtmlElement, placeholder: HtmlElement) -> None:
    if placeholder.get("id", "").startswith("B:"):
        _drop_fallback(placeholder)
    for child in list(chunk):
        placeholder.addprevious(child)
    parent = placeholder.getparent()
    if parent is not None:
        parent.remove(placeholder)
    chunk_parent = chunk.getparent()
    if chunk_parent is not None:
        chunk_parent.remove(chunk)


def _drop_fallback(placeholder: HtmlElement) -> None:
    """Remove what a boundary shows until its content arrives: up to the closing ``<!--/$-->``
    comment when the page kept its comments, else the one short element after it."""
    following = list(placeholder.itersiblings())
    end = _boundary_end(following)
    if end is not None:
        doomed = following[:end]
    else:
        first = following[0] if following else None
        text = lxml.etree.tostring(first, method="text", encoding="unicode", with_tail=False) \
            if first is not None and isinstance(first.tag, str) else ""
        doomed = [first] if first is not None and len(text.strip()) <= _FALLBACK \
            and first.tag != "template" else []
    for node in doomed:
        parent = node.getparent()
        if parent is not None:
            parent.remove(node)


def _boundary_end(nodes: list[HtmlElement]) -> int | None:
    """Where the ``<!--/$-->`` comment closing the boundary is among ``nodes`` (nested
    boundaries, opened by ``<!--$-->``, ``<!--$?-->`` or ``<!--$!-->``, skipped)."""
    depth = 0
    for index, node in enumerate(nodes):
        if not isinstance(node, lxml.etree._Comment):
            continue
        text = node.text or ""
        if text.startswith("/$"):
            if depth == 0:
                return index
            depth -= 1
        elif text.startswith("$"):
            depth += 1
    return None
