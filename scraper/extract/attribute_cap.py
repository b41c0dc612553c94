"""A cap on the attributes of one element, applied to the markup before libxml2 parses it.

libxml2 checks each attribute of a start tag against every attribute before it (duplicates are
dropped), so one element with 100,000 distinct attributes took 15 seconds to parse, 1,000,000
minutes.  No real page comes near: before parsing, the attributes of a start tag beyond the
first ``MAX_ATTRIBUTES`` are cut out of the text (the tag keeps its closing ``>``).

The tag is read as libxml2 reads it: quotes delimit a value only after ``=``, and the tag ends
at the first ``>`` outside such a value.  Each name, unquoted value or ``/``-separated piece
counts as one attribute.  Only suspect tags are counted, found by one linear regular expression
(a few per cent of an ordinary page's extraction time): those with ``_LONG_TAG`` characters
before the first ``>``, as fewer cannot hold that many attributes.  A tag hiding a ``>`` in
every few attribute values escapes the cap: the extraction time limit
(``crawl.extraction_timeout``) bounds that one.  ``<script>`` and ``<style>`` content is left
alone: libxml2 reads it as text, where a ``<`` in JavaScript opens no tag.
"""

from __future__ import annotations

import bisect
import re

MAX_ATTRIBUTES = 200
"""Attributes (counted as above) kept on one start tag; real pages' tags have a few dozen."""

_LONG_TAG = 2 * MAX_ATTRIBUTES
_SUSPECT = re.compile(rf"<[a-zA-Z][^>]{{{_LONG_TAG}}}+")
_TAG = re.compile(r"""<[a-zA-Z](?:[^=>]++|=\s*+(?:"[^"]*+"|'[^']*+')?+)*+""")
_TOKENS = re.compile(r"""=\s*+(?:"[^"]*+"|'[^']*+')?+|[^\s=/>]++""")
_RAW_TEXT = re.compile(r"<(script|style)\b(?:[^<]++|<(?!/\1))*+", re.I)


def cap_attributes(text: str) -> str:
    """``text`` with every start tag cut to at most ``MAX_ATTRIBUTES`` attributes; ``text``
    itself (the same object) when no tag has more."""
    cuts: list[tuple[int, int]] = []
    raw: list[tuple[int, int]] | None = None
    done = 0  # the end of the last tag read: a '<' inside a tag opens none
    for suspect in _SUSPECT.finditer(text):
        start = suspect.start()
        if start < done:
            continue
        tag = _TAG.match(text, start)
        done = tag.end() if tag is not None else start + 1
        cut = _cut_at(text, start, done)
        if cut is None:
            continue
        raw = raw if raw is not None else [match.span() for match in _RAW_TEXT.finditer(text)]
        if not _inside(raw, start):
            cuts.append((cut, done))
    return _without(text, cuts) if cuts else text


def _cut_at(text: str, start: int, end: int) -> int | None:
    """Where the attribute after the first ``MAX_ATTRIBUTES`` of the start tag at
    ``text[start:end]`` begins; None when the tag has no more."""
    if len(_TOKENS.findall(text, start + 1, end)) <= MAX_ATTRIBUTES + 1:
        return None  # names and values together are few: a quick answer for most long tags
    names = 0
    for token in _TOKENS.finditer(text, start + 1, end):
        if text[token.start()] != "=":
            names += 1  # the first name is the tag's own
            if names > MAX_ATTRIBUTES + 1:
                return token.start()
    return None


def _inside(spans: list[tuple[int, int]], position: int) -> bool:
    """Whether ``position`` is inside (not at the start of) one of the sorted ``spans``."""
    index = bisect.bisect_left(spans, (position, position)) - 1
    return index >= 0 and spans[index][0] < position < spans[index][1]


def _without(text: str, cuts: list[tuple[int, int]]) -> str:
    parts: list[str] = []
    position = 0
    for start, end in cuts:
        parts.append(text[position:start])
        position = end
    parts.append(text[position:])
    return "".join(parts)
