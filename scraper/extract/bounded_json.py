"""JSON from pages, read with a depth bound: a page cannot make the extractor recurse without end.

``json`` itself recurses once per nesting level and raises RecursionError (not ValueError) on
~1,000 levels; the extractor's own walkers over JSON-LD (``@graph``, comment threads) recurse
too.  ``loads`` and ``raw_decode`` turn the first into ValueError (unreadable JSON, as the
callers already handle) and cut every value nested deeper than ``MAX_DEPTH`` (replaced by
None), so whatever walks the result later stays within a few dozen frames.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["MAX_DEPTH", "loads", "raw_decode"]

MAX_DEPTH = 48
"""Real JSON-LD nests a dozen levels at most; deeper values are dropped."""
_DECODER = json.JSONDecoder()


def loads(text: str) -> Any:
    """``json.loads`` with nesting bounded; ValueError for unreadable or absurdly deep JSON."""
    try:
        value = json.loads(text)
    except RecursionError:
        raise ValueError("JSON nested too deeply to read") from None
    return value if _shallow(text) else _pruned(value)


def _shallow(text: str) -> bool:
    """Too few brackets for any value to nest deeper than ``MAX_DEPTH`` (each list or object
    opens with one): nothing to prune, and counting them is cheaper than walking the value."""
    return text.count("{") + text.count("[") <= MAX_DEPTH


def raw_decode(text: str, position: int) -> tuple[Any, int]:
    """``JSONDecoder.raw_decode`` with nesting bounded, as ``loads``."""
    try:
        value, end = _DECODER.raw_decode(text, position)
    except RecursionError:
        raise ValueError("JSON nested too deeply to read") from None
    return _pruned(value), end


def _pruned(value: Any) -> Any:
    """``value`` with every list or object deeper than ``MAX_DEPTH`` replaced by None (in
    place, without recursion: ``value`` was just decoded and belongs to no one else)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        container, depth = stack.pop()
        keys = container.keys() if isinstance(container, dict) else range(len(container))
        for key in list(keys) if isinstance(container, (dict, list)) else ():
            child = container[key]
            if isinstance(child, (dict, list)):
                if depth >= MAX_DEPTH:
                    container[key] = None
                else:
                    stack.append((child, depth + 1))
    return value
