"""Near-duplicate bodies: MinHash signatures, LSH band keys, and their SQLite table.

A body is normalised (``archive.dedup.normalise_body``, then casefolded), cut into word tokens
(``\\w+``: punctuation and quote styles do not matter) and into overlapping 5-word shingles,
each hashed once with 64-bit BLAKE2b (deterministic on every machine, unlike ``hash()``).

The signature is a one-permutation MinHash (Li, Owen and Zhang 2012): the top 6 bits of a
shingle's hash pick one of 64 bins, each bin keeps the smallest hash falling in it, and empty
bins (short bodies) copy a fixed pseudo-random donor bin ("optimal densification", Shrivastava
2017).  One hash per shingle instead of one per permutation keeps a 1,000-word body under a
millisecond in pure Python.  Two bodies agree in a bin with probability about the Jaccard
similarity J of their shingle sets.

Locality-sensitive hashing: bins 0..23 form 12 bands of 2 rows; a band key is a 64-bit hash of
(band number, its rows).  Two bodies share a band key with probability 1 - (1 - J^2)^12:
0.9997 at J = 0.7, 0.995 at 0.6, 0.97 at 0.5, 0.39 at 0.2, 0.005 at 0.02 (articles on one
topic by different writers score 0.00-0.01).  Candidates are confirmed on the exact Jaccard
similarity of the two bodies (``jaccard``, ``nearest``) against ``THRESHOLD``; ``similarity``,
the estimate from two signatures, is too coarse near the threshold to decide on its own.

``near_keys`` has (band_key, article_id) as its primary key, so finding candidates is one index
search per band key, never a scan.  The SQL helpers take a ``sqlite3.Connection``, run inside
the caller's transaction and let ``sqlite3.Error`` propagate (the caller's guard turns it into
ArchiveError).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import sqlite3
import struct
from collections.abc import Iterable
from dataclasses import dataclass

from archive.dedup import normalise_body

SHINGLE_WORDS = 5
"""Words per shingle: long enough that unrelated texts on one topic share almost none."""

MIN_WORDS = 50
"""Bodies with fewer word tokens get no signature: too short to call anything a copy."""

BIN_BITS = 6
BINS = 1 << BIN_BITS
BANDS = 12
ROWS = 2

THRESHOLD = 0.6
"""Exact shingle Jaccard similarity from which two bodies are near-duplicates.  A copy with a
new first sentence, a few words changed, the last paragraph cut and a credit line added scores
about 0.7; a follow-up re-using two background paragraphs of a short story scores up to 0.45."""

MAX_CANDIDATES = 8
"""Most candidates a lookup returns (those sharing the most band keys first)."""

SIGNATURE_VERSION = "m1"

_WORD = re.compile(r"\w+")
_FINGERPRINT_MASK = (1 << 32) - 1
_VALUE_BITS = 64 - BIN_BITS
_EMPTY = -1


@dataclass(frozen=True, slots=True)
class Signature:
    """``values``: one 32-bit fingerprint of the minimum hash per bin (BINS of them);
    ``shingles``: how many distinct shingles the body has."""

    values: tuple[int, ...]
    shingles: int


def tokens(body: str) -> list[str]:
    """The body's word tokens: NFC, casefolded, punctuation dropped."""
    return _WORD.findall(normalise_body(body).casefold())


def shingle_hashes(body: str) -> set[int]:
    """64-bit BLAKE2b hashes of the body's distinct word 5-shingles."""
    return _hash_shingles(tokens(body))


def _hash_shingles(words: list[str]) -> set[int]:
    blake2b = hashlib.blake2b
    return {int.from_bytes(blake2b(" ".join(words[i:i + SHINGLE_WORDS]).encode(),
                                   digest_size=8).digest(), "little")
            for i in range(len(words) - SHINGLE_WORDS + 1)}


def jaccard(body_a: str, body_b: str) -> float:
    """Exact Jaccard similarity of two bodies' shingle sets (0.0 when either has none)."""
    return _jaccard(shingle_hashes(body_a), shingle_hashes(body_b))


def _jaccard(a: set[int], b: set[int]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def signature(body: str) -> Signature | None:
    """The body's MinHash signature, or None for a body of fewer than MIN_WORDS words."""
    words = tokens(body)
    if len(words) < MIN_WORDS:
        return None
    hashes = _hash_shingles(words)
    # Visiting hashes from largest to smallest, the last one written to a bin is its minimum.
    minima = {h >> _VALUE_BITS: h for h in sorted(hashes, reverse=True)}
    bins = [minima.get(b, _EMPTY) for b in range(BINS)]
    if len(minima) < BINS:
        bins = _densify(bins)
    return Signature(tuple(h & _FINGERPRINT_MASK for h in bins), len(hashes))


def similarity(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity: the share of bins whose minima agree."""
    return sum(x == y for x, y in zip(a.values, b.values, strict=True)) / BINS


def band_keys(sig: Signature) -> list[int]:
    """BANDS signed 64-bit keys (SQLite INTEGER): equal keys mean an equal band."""
    keys = []
    for band in range(BANDS):
        rows = sig.values[band * ROWS:(band + 1) * ROWS]
        digest = hashlib.blake2b(struct.pack(f"<B{ROWS}I", band, *rows), digest_size=8).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys


def to_text(sig: Signature) -> str:
    """Compact text form: ``m1:<shingles>:<base64url of the values, little-endian uint32>``."""
    packed = struct.pack(f"<{BINS}I", *sig.values)
    return f"{SIGNATURE_VERSION}:{sig.shingles}:{base64.urlsafe_b64encode(packed).decode()}"


def from_text(text: str) -> Signature:
    """The signature ``to_text`` wrote.  Raises ValueError for anything else."""
    version, _, rest = text.partition(":")
    count, _, encoded = rest.partition(":")
    if version != SIGNATURE_VERSION or not count.isdigit():
        raise ValueError(f"not a near-duplicate signature of format {SIGNATURE_VERSION}: "
                         f"{text[:40]!r}; recompute it from the body")
    try:
        packed = base64.urlsafe_b64decode(encoded.encode("ascii"))
    except (binascii.Error, UnicodeEncodeError) as error:
        raise ValueError(f"near-duplicate signature {text[:40]!r} is not valid base64 "
                         f"({error}); recompute it from the body") from error
    if len(packed) != 4 * BINS:
        raise ValueError(f"near-duplicate signature {text[:40]!r} holds {len(packed)} bytes, "
                         f"not {4 * BINS}; recompute it from the body")
    return Signature(struct.unpack(f"<{BINS}I", packed), int(count))


def _donor_order(target: int) -> tuple[int, ...]:
    """The fixed pseudo-random order in which empty bin ``target`` looks for a donor bin."""
    others = [b for b in range(BINS) if b != target]
    return tuple(sorted(others, key=lambda b: hashlib.blake2b(
        struct.pack("<HH", target, b), digest_size=8).digest()))


_DONORS = tuple(_donor_order(target) for target in range(BINS))


def _densify(bins: list[int]) -> list[int]:
    """Fill each empty bin with the minimum of the first non-empty bin in its donor order."""
    filled = list(bins)
    for target, value in enumerate(bins):
        if value == _EMPTY:
            filled[target] = next(bins[d] for d in _DONORS[target] if bins[d] != _EMPTY)
    return filled


# --- the near_keys table ----------------------------------------------------------------------

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS near_keys (band_key INTEGER NOT NULL, article_id TEXT NOT NULL, "
    "PRIMARY KEY (band_key, article_id)) WITHOUT ROWID",
)
"""Statements to run (idempotent) when the index schema is created."""

INSERT_SQL = "INSERT OR IGNORE INTO near_keys (band_key, article_id) VALUES (?, ?)"
DELETE_SQL = "DELETE FROM near_keys WHERE band_key = ? AND article_id = ?"
MIN_SHARED_BANDS = 2
"""A candidate shares at least this many band keys.  A copy at similarity 0.6 shares about 4.3
of 12 (at least 2 with probability 0.96; 0.996 at 0.7); unrelated bodies that happen to share a
few sentences (J ~ 0.01) share 2 with probability ~1e-6 rather than 1e-3 for one, so the
archive does not read and compare candidates that cannot match, and ingest stays flat."""
CANDIDATES_SQL = ("SELECT article_id FROM near_keys WHERE band_key IN ({marks}) "
                  f"GROUP BY article_id HAVING count(*) >= {MIN_SHARED_BANDS} "
                  "ORDER BY count(*) DESC, article_id LIMIT ?")
CLEAR_SQL = "DELETE FROM near_keys"


def create_tables(conn: sqlite3.Connection) -> None:
    """Create ``near_keys`` if it is missing."""
    for statement in SCHEMA:
        conn.execute(statement)


def clear(conn: sqlite3.Connection) -> None:
    """Empty the table before a rebuild."""
    conn.execute(CLEAR_SQL)


def add_article(conn: sqlite3.Connection, article_id: str, sig: Signature) -> None:
    """Index an article's band keys."""
    conn.executemany(INSERT_SQL, [(key, article_id) for key in band_keys(sig)])


def remove_article(conn: sqlite3.Connection, article_id: str, sig: Signature) -> None:
    """Forget the band keys of an article's previous body (``sig`` is that body's signature)."""
    conn.executemany(DELETE_SQL, [(key, article_id) for key in band_keys(sig)])


def candidates(conn: sqlite3.Connection, sig: Signature, *,
               limit: int = MAX_CANDIDATES) -> list[str]:
    """Ids of articles sharing at least one band key with ``sig``, most shared first."""
    sql, params = candidates_query(sig, limit)
    return [str(row[0]) for row in conn.execute(sql, params).fetchall()]


def candidates_query(sig: Signature, limit: int = MAX_CANDIDATES) -> tuple[str, tuple[object, ...]]:
    """The candidate query and its parameters, for EXPLAIN QUERY PLAN checks."""
    keys = band_keys(sig)
    return CANDIDATES_SQL.format(marks=", ".join("?" * len(keys))), (*keys, limit)


def nearest(body: str, bodies: Iterable[tuple[str, str]]) -> tuple[str, float] | None:
    """Of ``(article_id, body)`` candidates, the most similar at or above THRESHOLD (ties: the
    smallest id) with its exact Jaccard similarity, or None."""
    best: tuple[str, float] | None = None
    mine = shingle_hashes(body)
    for article_id, other_body in bodies:
        score = _jaccard(mine, shingle_hashes(other_body))
        if score >= THRESHOLD and (best is None or (-score, article_id) < (-best[1], best[0])):
            best = (article_id, score)
    return best
