"""Finding one article by its id or by any URL it was seen under, and reading its versions.

A URL is looked up under the canonical form the crawl files pages under (the caller passes
that function: the archive never imports the crawler, whose ``scraper.urls.canonical_url`` it
is), then in the index's URL keys, which hold the article's canonical URL and every alias the
crawl learned (tracking-parameter, AMP and print copies, redirect hops).  A canonical URL that
is not known is tried once more with its path's trailing slash added or removed.

``RecordLookup`` gives ``Archive`` its ``lookup``; ``ArchiveReader`` does the same on an archive
opened read-only (no directory, index or marker file is created), for the inspecting commands.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from archive.errors import ArchiveError
from archive.index.base import ArchiveIndex
from archive.layout import Layout
from archive.reading import connect_readonly, read_record, read_stored
from archive.snapshots import previous_version
from archive.storage.base import BlobStore

Canonicaliser = Callable[[str], str | None]
"""URL -> its canonical form, or None when it is not a URL the crawl could fetch."""

_ID = re.compile(r"[0-9a-f]{16}")
_OWNER_SQL = "SELECT url_key, article_id FROM url_keys WHERE url_key IN ({marks})"
_PATH_SQL = "SELECT path FROM articles WHERE id = ?"


class RecordNotFound(ArchiveError):
    """No article in the archive has that id or was seen under that URL."""

    def __init__(self, ref: str, root: Path) -> None:
        super().__init__(f"no article {ref!r} in archive {root}; list the articles with "
                         "broadsheet list")
        self.ref = ref


def lookup_keys(ref: str, canonicalise: Canonicaliser | None) -> list[str]:
    """The URL keys to try for ``ref``: as given, canonical, canonical with its trailing slash
    toggled (a path's last ``/`` is the one difference the canonical form keeps)."""
    text = ref.strip()
    canonical = canonicalise(text) if canonicalise is not None else None
    keys = [text]
    if canonical:
        parts = urlsplit(canonical)
        path = parts.path
        toggled = path[:-1] if path.endswith("/") and path != "/" else f"{path}/"
        keys += [canonical, urlunsplit(parts._replace(path=toggled))]
    return list(dict.fromkeys(keys))


def find_id(ref: str, owners: Callable[[Sequence[str]], dict[str, str]],
            known: Callable[[str], bool], canonicalise: Canonicaliser | None) -> str | None:
    """The id of the article ``ref`` names (an id, else a URL; see ``lookup_keys``), or None."""
    text = ref.strip().lower()
    if _ID.fullmatch(text) and known(text):
        return text
    keys = lookup_keys(ref, canonicalise)
    found = owners(keys)
    return next((found[key] for key in keys if key in found), None)


class RecordLookup:
    """``lookup`` for ``Archive`` (which provides the reader connection and ``load``)."""

    root: Path
    _reader: ArchiveIndex
    _read_lock: AbstractContextManager[Any]  # a lock

    def load(self, article_id: str) -> dict[str, Any]:
        raise NotImplementedError

    def lookup(self, ref: str, canonicalise: Canonicaliser | None = None) -> dict[str, Any]:
        """The stored record of the article with id ``ref``, or seen under URL ``ref`` (any
        variant when ``canonicalise`` is the crawl's ``scraper.urls.canonical_url``).
        Raises RecordNotFound, or ArchiveError when the archive cannot be read."""
        with self._read_lock:
            found = find_id(ref, self._reader.owners,
                            lambda key: self._reader.path_of(key) is not None, canonicalise)
        if found is None:
            raise RecordNotFound(ref, self.root)
        return self.load(found)


class ArchiveReader:
    """An existing archive opened read-only: look articles up and read their versions.

    By default it reads ``index.sqlite`` in ``root`` (opened read-only, nothing created) and
    the files under ``root``; ``index`` (such as ``PostgresIndex``, closed with the reader)
    and ``storage`` (such as ``s3://``) read them elsewhere."""

    def __init__(self, root: Path, *, storage: BlobStore | None = None,
                 index: ArchiveIndex | None = None) -> None:
        self.root = root
        self._layout = Layout(root)
        self._storage = storage
        self._index = index
        self._conn: sqlite3.Connection | None = None
        if index is not None:
            return
        if not self._layout.index_path.is_file():
            raise ArchiveError(f"archive {root} has no index; rebuild it with broadsheet "
                               "reindex")
        try:
            self._conn = connect_readonly(self._layout.index_path)
        except sqlite3.Error as error:
            raise ArchiveError(f"cannot open the index of {root} ({error}); rebuild it with "
                               "broadsheet reindex") from error

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
        if self._index is not None:
            self._index.close()

    def __enter__(self) -> ArchiveReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def lookup(self, ref: str, canonicalise: Canonicaliser | None = None) -> dict[str, Any]:
        """As ``Archive.lookup``."""
        found = find_id(ref, self._owners, lambda key: self._path(key) is not None,
                        canonicalise)
        if found is None:
            raise RecordNotFound(ref, self.root)
        return self._read(self._path(found) or "", found)

    def load_version(self, current: dict[str, Any], number: int) -> dict[str, Any]:
        """Version ``number`` of the article whose current record is ``current`` (as
        ``Archive.load_version``); ArchiveError for a version it does not have."""
        if number == current["version"]:
            return current
        entry = previous_version(current, number)
        record = self._read(entry["path"], current["id"])
        if record.get("version") != number:
            raise ArchiveError(f"{entry['path']} does not hold version {number} of article "
                               f"{current['id']}; restore it from a backup")
        return record

    def _read(self, relpath: str, article_id: str) -> dict[str, Any]:
        if self._storage is not None:
            if not self._storage.exists(relpath):
                raise ArchiveError(f"{self._storage.where(relpath)} (article {article_id}) is in "
                                   "the index but missing in the storage; run broadsheet reindex")
            return read_stored(self._storage, relpath)
        path = self._layout.absolute(relpath)
        if not path.is_file():
            raise ArchiveError(f"{path} (article {article_id}) is in the index but missing on "
                               "disk; run broadsheet reindex")
        return read_record(path)

    def _owners(self, keys: Sequence[str]) -> dict[str, str]:
        if self._index is not None:
            return self._index.owners(keys)
        return dict(self._query(_OWNER_SQL.format(marks=", ".join("?" * len(keys))), keys))

    def _path(self, article_id: str) -> str | None:
        if self._index is not None:
            return self._index.path_of(article_id)
        rows = self._query(_PATH_SQL, [article_id])
        return str(rows[0][0]) if rows else None

    def _query(self, sql: str, params: Sequence[str]) -> list[tuple[Any, ...]]:
        assert self._conn is not None  # only without a given index
        try:
            return self._conn.execute(sql, tuple(params)).fetchall()
        except sqlite3.Error as error:
            raise ArchiveError(f"cannot read the index of {self.root} ({error}); rebuild it "
                               "with broadsheet reindex") from error
