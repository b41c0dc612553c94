"""Identity of an article: its id (from the canonical URL) and its content hash (from the body).

Exact duplicates are found by the content hash of the normalised body.  Bodies too short to say
anything (empty pages, one-line teasers) are never used for deduplication: two different articles
whose extraction failed would otherwise collapse into one.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

MIN_DEDUP_CHARS = 50
"""Normalised bodies shorter than this are stored but never matched by content hash."""

ID_HEX_DIGITS = 16


def normalise_body(body: str) -> str:
    """NFC, every run of whitespace (Unicode-aware, incl. NBSP) collapsed to one space, trimmed."""
    return " ".join(unicodedata.normalize("NFC", body).split())


def content_hash(body: str) -> str:
    """``sha256:<hex>`` of the normalised body (UTF-8)."""
    return _hash_text(normalise_body(body))


def dedup_hash(body: str) -> str | None:
    """The content hash when the body is long enough to deduplicate on, else None."""
    normalised = normalise_body(body)
    if len(normalised) < MIN_DEDUP_CHARS:
        return None
    return _hash_text(normalised)


def id_for_url(canonical_url: str) -> str:
    """First 16 hex digits of sha256 of the canonical URL: stable, file-name safe."""
    return hashlib.sha256(canonical_url.encode("utf-8", "surrogatepass")).hexdigest()[:ID_HEX_DIGITS]


def _hash_text(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def raw_digest(raw: bytes) -> str:
    """sha256 hex of raw page bytes: the content address of a stored raw page."""
    return hashlib.sha256(raw).hexdigest()


def page_keys(record: Mapping[str, Any], url_keys: Sequence[str]) -> list[str]:
    """The record's canonical URL, then the caller's URL keys, without repeats."""
    if isinstance(url_keys, str | bytes) or not url_keys:
        raise ValueError("url_keys must be a non-empty sequence of URL key strings")
    if not all(isinstance(key, str) and key for key in url_keys):
        raise ValueError(f"url_keys must hold non-empty strings, got {list(url_keys)!r}")
    url = record.get("url")
    head = [url] if isinstance(url, str) and url else []
    return list(dict.fromkeys([*head, *url_keys]))
