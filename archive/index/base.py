"""What the archive needs of its index, whatever engine keeps it (SQLite, PostgreSQL).

The index maps every canonical URL key to its article, every article to its JSON file and
content hash, and keeps the HTTP validators of each URL's last fetch, the near-duplicate band
keys and one re-visit row per article.  ``Archive`` (``archive.store``), ``archive.lookup``,
``archive.reindex`` and ``archive.verify`` use it only through ``ArchiveIndex``.

Contract shared by every backend (``tests/test_index_contract.py`` runs it on each):

- methods raise ``ArchiveError`` (one line: what failed, what to do), never a driver error;
- ``transaction()`` makes read-decide-write atomic: inside it no other writer of the same
  index changes what the block reads (SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: a transaction
  that first takes the archive's advisory lock).  On an exception it rolls back;
- outside ``transaction()`` each write is committed on its own;
- ``claim_keys`` is atomic on its own: when several callers claim one key at once, exactly one
  article owns it afterwards (the smallest id), and every other caller gets it back as contested.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Protocol

from archive import near_dup
from archive.dedup import dedup_hash
from archive.errors import ArchiveError
from archive.revisits import revisit_row

RevisitRow = tuple[str, str, str, str, str]
"""``(article_id, url, site, first_seen, last_fetched)``, see ``archive.revisits``."""


class ArchiveIndex(Protocol):
    """The archive's index (see the module docstring for the contract)."""

    def close(self) -> None:
        """Release the connection (one the index was given stays open); idempotent."""

    def transaction(self) -> AbstractContextManager[None]:
        """A write transaction in which read-decide-write is atomic."""

    def owners(self, keys: Sequence[str]) -> dict[str, str]:
        """``{url_key: article_id}`` for those of ``keys`` that are known."""

    def article_with_hash(self, dedup_hash: str) -> str | None:
        """The smallest id of an article with this content hash, or None."""

    def path_of(self, article_id: str) -> str | None:
        """The article's JSON file, relative to the archive root, or None."""

    def last_fetched(self, url_key: str) -> str | None:
        """When ``url_key`` was last fetched (200 or 304), or None."""

    def validators(self, url_key: str) -> tuple[str | None, str | None] | None:
        """(etag, last_modified) of the last 200 under a key the index still knows, or None."""

    def put_article(self, article_id: str, path: str, dedup_hash: str | None) -> None:
        """Insert or replace an article's path and content hash."""

    def add_keys(self, article_id: str, keys: Iterable[str]) -> None:
        """Give unowned keys to an article (a key already owned keeps its owner)."""

    def record_fetch(self, keys: Iterable[str], *, etag: str | None, last_modified: str | None,
                     fetched_at: str) -> None:
        """A full (200) fetch: its validators replace the old ones for every key."""

    def record_revisit(self, url_key: str, fetched_at: str) -> None:
        """A 304: the validators still hold, only the fetch time moves."""

    def count(self) -> int:
        """How many articles the index holds."""

    def page(self, after: str, limit: int) -> list[tuple[str, str]]:
        """Up to ``limit`` (id, path) rows with id > ``after``, in id order (keyset paging)."""

    def article_rows(self, after: str, limit: int) -> list[tuple[str, str, str | None]]:
        """As ``page`` with the content hash: (id, path, dedup_hash) rows, for verify."""

    def key_rows(self, after: str, limit: int) -> list[tuple[str, str]]:
        """Up to ``limit`` (url_key, article_id) rows with url_key > ``after``, in key order."""

    def clear_rebuildable(self) -> None:
        """Empty everything but the fetch validators, before a rebuild."""

    def index_record(self, record: Mapping[str, Any], relpath: str, path: Path) -> list[str]:
        """Rebuild: index one article file; returns the URL keys another file claimed first."""

    def note_visit(self, article_id: str, row: tuple[str, str, str, str]) -> None:
        """A fetch of an article (``row``: see ``archive.revisits.revisit_row``)."""

    def revisits(self, after: str, limit: int) -> list[RevisitRow]:
        """Up to ``limit`` re-visit rows with id > ``after``, in id order."""

    def near_candidates(self, sig: near_dup.Signature) -> list[str]:
        """Ids of articles sharing near-duplicate band keys with ``sig``, most shared first."""

    def add_near_keys(self, article_id: str, sig: near_dup.Signature) -> None:
        """Index an article's near-duplicate band keys."""

    def claim_keys(self, article_id: str, keys: Iterable[str]) -> list[str]:
        """Give keys to an article; a key two articles claim goes to the smaller id, whatever
        the order of the claims.  Returns the keys that were already owned (contested)."""


def index_record(index: ArchiveIndex, record: Mapping[str, Any], relpath: str,
                 path: Path) -> list[str]:
    """``ArchiveIndex.index_record`` in terms of the other methods (every backend uses it)."""
    if record["id"] != path.stem:
        raise ArchiveError(f"{path} holds article {record['id']}, not {path.stem}; rename "
                           "or delete it and run reindex again")
    if (other := index.path_of(record["id"])) is not None:
        raise ArchiveError(f"article {record['id']} is stored twice ({other} and {relpath}); "
                           "delete one and run reindex again")
    index.put_article(record["id"], relpath, dedup_hash(record["body"]))
    if (near := near_dup.signature(record["body"])) is not None:
        index.add_near_keys(record["id"], near)
    index.note_visit(record["id"], revisit_row(record))
    return index.claim_keys(record["id"], [record["url"], *record["aliases"]])
