"""Declared charsets (the HTTP header's or the page's ``<meta charset>``) to text.

A declaration is only a claim, and a careless or hostile one must cost the page nothing worse
than charset detection: every declared name goes through ``text_codec`` and every decoding
through ``decode_declared``, which say None (decode another way) instead of raising.

- Names Python knows that are no charset for web text (``undefined``, which refuses everything,
  ``punycode``, ``idna``, the escape codecs, and the bytes-to-bytes codecs ``base64``, ``zlib``...)
  and unknown names give None.
- A charset the bytes cannot be in gives None: bytes that do not decode strictly, and a
  charset that does not keep ASCII as ASCII (UTF-16, UTF-32) when the decoded text shows no
  markup at all (``<meta charset=utf-16>`` on an ASCII page reads as CJK noise otherwise).
  A ``<meta>`` declaration of such a charset is never believed: the page could only be read
  to find it because its bytes are ASCII-compatible (the HTML standard reads it as UTF-8).
"""

from __future__ import annotations

import codecs

__all__ = ["ascii_compatible", "decode_declared", "text_codec"]

_NOT_CHARSETS = frozenset({  # codec names as ``codecs.lookup(...).name`` gives them
    "undefined", "punycode", "idna", "unicode-escape", "raw-unicode-escape",
})
_MARKUP_WINDOW = 1024


def text_codec(name: str | None) -> str | None:
    """Python's codec name for a declared charset, or None when it names no codec that decodes
    web text."""
    if not name:
        return None
    label = name.strip().strip("\"'").lower()
    if not label or not label.isascii() or not label.isprintable():
        return None
    try:
        info = codecs.lookup(label)
    except (LookupError, ValueError):
        return None
    if not info._is_text_encoding or info.name in _NOT_CHARSETS:
        return None
    return info.name


def ascii_compatible(codec: str) -> bool:
    """Whether ``codec`` writes ASCII markup as the same bytes (UTF-16 and UTF-32 do not)."""
    try:
        return "<html>".encode(codec) == b"<html>"
    except (LookupError, ValueError):
        return False


def decode_declared(data: bytes, name: str | None, *, in_page: bool) -> str | None:
    """``data`` decoded strictly with the declared charset ``name``; None when the name is no
    usable charset or the bytes cannot be in it.  ``in_page``: declared by the page itself."""
    codec = text_codec(name)
    if codec is None:
        return None
    compatible = ascii_compatible(codec)
    if in_page and not compatible:
        return None
    try:
        text = data.decode(codec)
    except (LookupError, ValueError):  # UnicodeError is a ValueError
        return None
    if not compatible and "<" not in text[:_MARKUP_WINDOW]:
        return None
    return text
