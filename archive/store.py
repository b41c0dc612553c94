"""The archive: store article records with deduplication, look them up, rebuild the index.

``Archive.store`` decides, inside one index write transaction, between:

1. a URL hit (any of the page's URL keys, or its canonical URL, is known): a re-visit, which
   appends a snapshot to the article's history (see ``archive.snapshots``): "unchanged" when the
   article's content fields equal the stored file's (the JSON file is rewritten with the new
   snapshot, counters and aliases; no raw page is kept), else "updated" (a new version: the old
   one moves to ``versions/``, the raw page is kept).  A page whose own canonical URL is one of
   the article's aliases (a print or AMP copy found earlier) never touches the article:
   "unchanged", no snapshot, new URL keys become aliases;
2. a content hit (the normalised body, if long enough, hashes to a stored article's): "duplicate",
   the page's URL keys become aliases of that article, unless that article is a copy which
   named this page as its ``canonical_claimed`` (on another site): a copy never absorbs it;
3. otherwise "stored": a new file.

Files are written before the index transaction commits: a crash leaves at worst a file the index does
not know yet, which the next store of that article rewrites and reindex picks up (``archive.layout``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from archive.dedup import dedup_hash, id_for_url, page_keys
from archive.errors import ArchiveError
from archive.fence import Fence
from archive.index.base import ArchiveIndex
from archive.index.opening import open_indexes
from archive.layout import Layout, article_keys
from archive.lookup import RecordLookup
from archive.near_dup import Signature, nearest, signature
from archive.outcome import StoreOutcome
from archive.raw_pages import RawPage
from archive.raw_pages import discard as discard_raw
from archive.raw_pages import keep as keep_raw
from archive.raw_pages import prepare as prepare_raw
from archive.raw_pages import read as read_raw
from archive.record import (
    Visit,
    build_record,
    check_fetched_at,
    validate,
)
from archive.record_files import RecordFiles
from archive.revisits import revisit_row
from archive.snapshots import not_modified, previous_version, reextracted, revise
from archive.storage.base import BlobStore

_log = logging.getLogger(__name__)

_PAGE_ROWS = 500
_Row = TypeVar("_Row", bound=tuple[str, ...])


@dataclass(frozen=True)
class StoreResult:
    """What ``store`` did: the outcome, the article's id, its JSON file's key in the storage
    (``articles/...``) and, on local storage, the file itself (elsewhere ``path`` is the key
    as a relative path: there is no local file)."""

    outcome: StoreOutcome
    id: str
    path: Path
    relpath: str = field(default="", compare=False)


class Archive(RecordLookup):
    """A directory of article records with an index.  Not for use after ``close``.

    By default the index is ``index.sqlite`` in the directory.  ``index`` (writes) and
    ``reader`` (lookups; default: ``index``, then under the write lock) give it another
    ``ArchiveIndex``, such as ``PostgresIndex``; the archive closes them on ``close``.

    ``storage`` is where the files (``articles/``, ``raw/``, ``versions/``) live: by default
    the directory ``root`` itself, else any ``BlobStore`` (``archive.storage.open_store``: a
    shared mount, ``s3://bucket/prefix``), with the same keys.  The index stays in ``root``.

    ``reset_index=True`` moves an existing (for instance corrupt) ``index.sqlite`` aside to
    ``index.sqlite.old`` and starts an empty one; call ``rebuild_index()`` next.  That is what a
    reindex does when the index cannot be opened.  It loses the HTTP validators.  With a given
    ``index`` it only skips the check that the index is not empty while articles exist.
    """

    def __init__(self, root: str | Path, *, reset_index: bool = False,
                 storage: BlobStore | None = None, index: ArchiveIndex | None = None,
                 reader: ArchiveIndex | None = None) -> None:
        self.root = Path(root)
        self._layout = Layout(self.root)
        self._files = RecordFiles(self._layout, storage)
        self.storage = self._files.storage
        self._read, self._write = self._files.read, self._files.write
        self._layout.prepare(data_dirs=self._files.local)
        self._index, self._reader = open_indexes(self._layout, self._files.has_articles,
                                                 reset_index=reset_index, index=index,
                                                 reader=reader)
        self._lock = threading.RLock()
        self._read_lock = self._lock if self._reader is self._index else threading.RLock()

    @property
    def index(self) -> ArchiveIndex:
        """The index writes go through (a shared crawl runs its fence on its connection)."""
        return self._index

    def close(self) -> None:
        with self._lock, self._read_lock:
            self._reader.close()
            self._index.close()
            self._layout.release()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    def validators(self, url_key: str) -> tuple[str | None, str | None] | None:
        """(etag, last_modified) from the last full fetch under ``url_key``, for a conditional
        GET; None when the key is unknown or that response carried neither."""
        with self._read_lock:
            return self._reader.validators(url_key)

    def last_fetched(self, url_key: str) -> str | None:
        """When ``url_key`` was last fetched (200 or 304), or None."""
        with self._read_lock:
            return self._reader.last_fetched(url_key)

    def owner(self, url_key: str) -> str | None:
        """The id of the article whose canonical URL or alias is ``url_key`` (last commit)."""
        with self._read_lock:
            return self._reader.owners([url_key]).get(url_key)

    def store(self, record: Mapping[str, Any], *, url_keys: Sequence[str], fetched_url: str,
              fetched_at: str, http_status: int = 200, etag: str | None = None,
              last_modified: str | None = None, raw: bytes | None = None,
              fence: Fence | None = None, warc: Mapping[str, Any] | None = None) -> StoreResult:
        """Store one extracted record (see the module docstring for the outcomes).

        ``url_keys``: canonical URL keys of this page, the article's canonical URL first, then
        the fetched URL's and any redirect hops'.  Validators and the fetch time are recorded
        under every one of them that belongs to the article.  ``raw`` (the page bytes) is kept
        only when new content is written ("stored", "updated").  The id of a new article comes
        from ``record["url"]``.  ``fence`` (see ``archive.fence``) ties the write to a crawl
        worker's claim.  ``warc``: the fetch's WARC pointer, for its snapshot and a new version.
        Raises ArchiveError (ValueError for malformed ``url_keys``).
        """
        keys = page_keys(record, url_keys)
        visit = Visit(fetched_url, fetched_at, http_status, raw=None,
                      warc=None if warc is None else dict(warc))
        candidate = build_record(record, article_id=id_for_url(keys[0]), aliases=(), visit=visit)
        # Before the lock, for a page under unknown URLs (most likely a new article): stage its
        # raw page and compute its near-duplicate signature, side by side with other stores.
        new = not any(self.owner(key) for key in keys)
        page = prepare_raw(self.storage, self._layout, raw, stage=new)
        near = signature(candidate["body"]) if new and candidate["body"] else None
        try:
            with self._lock, self._index.transaction():
                if fence is not None:
                    fence.hold()
                owners = self._index.owners(keys)
                result = self._place(candidate, keys, owners, page, near)
                if result.outcome is not StoreOutcome.DUPLICATE:  # a copy's fetch is not the article's
                    self._index.note_visit(result.id, revisit_row(candidate, fetched_at))
                fetched = [key for key in dict.fromkeys(url_keys)
                           if owners.get(key, result.id) == result.id]
                self._index.record_fetch(fetched, etag=etag, last_modified=last_modified,
                                         fetched_at=fetched_at)
                if fence is not None:
                    fence.commit(result.outcome)
        finally:
            discard_raw(page)
        return result

    def record_not_modified(self, url_key: str, fetched_at: str, fence: Fence | None = None,
                            warc: Mapping[str, Any] | None = None) -> StoreResult:
        """A 304 re-visit of ``url_key``: a snapshot (status 304, no counters, ``warc``) is
        appended and its last fetch time moves; no raw page.  Outcome "unchanged"."""
        check_fetched_at(fetched_at)
        with self._lock, self._index.transaction():
            if fence is not None:
                fence.hold()
            owner = self._index.owners([url_key]).get(url_key)
            if owner is None:
                raise ArchiveError(f"no article is stored under {url_key!r}, so a 304 answer "
                                   "cannot be recorded; fetch it again without validators")
            relpath = self._relpath(owner)
            stored = self._read(relpath)
            self._write(relpath, not_modified(stored, fetched_at, warc))
            self._index.record_revisit(url_key, fetched_at)
            self._index.note_visit(owner, revisit_row(stored, fetched_at))
            if fence is not None:
                fence.commit(StoreOutcome.UNCHANGED)
        return self._result(StoreOutcome.UNCHANGED, owner, relpath)

    def raw_page(self, article_id: str) -> bytes | None:
        """The raw page the article's current version was extracted from, or None if not kept."""
        record = self.load(article_id)
        return None if record["raw"] is None else read_raw(self.storage, record["raw"])

    def reextract(self, article_id: str, extracted: Mapping[str, Any]) -> StoreResult:
        """Replace an article's extracted fields with a new extraction of its own raw page (see
        ``snapshots.reextracted``): "updated" with a new version, else "unchanged"."""
        with self._lock, self._index.transaction():
            relpath = self._relpath(article_id)
            revision = reextracted(self._read(relpath), extracted, relpath)
            if revision is None:
                return self._result(StoreOutcome.UNCHANGED, article_id, relpath)
            validate(revision.record)  # the new extraction's values, checked once
            if revision.replaced is not None:
                self._write(*revision.replaced)
                self._index.put_article(article_id, relpath, dedup_hash(revision.record["body"]))
            self._write(relpath, revision.record)
        outcome = (StoreOutcome.UPDATED if revision.replaced is not None
                   else StoreOutcome.UNCHANGED)
        return self._result(outcome, article_id, relpath)

    def add_aliases(self, article_id: str, url_keys: Sequence[str],
                    fence: Fence | None = None) -> StoreResult:
        """Record URL keys of another copy (AMP, print) as aliases of a stored article, leaving
        its content alone.  Keys already owned by another article stay with it.  Outcome
        "duplicate"."""
        with self._lock, self._index.transaction():
            if fence is not None:
                fence.hold()
            relpath = self._relpath(article_id)
            owners = self._index.owners(list(url_keys))
            mine = [key for key in url_keys if owners.get(key, article_id) == article_id]
            result = self._learn_aliases(article_id, relpath, self._read(relpath), mine,
                                         StoreOutcome.DUPLICATE)
            if fence is not None:
                fence.commit(result.outcome)
            return result

    def load(self, article_id: str) -> dict[str, Any]:
        """The stored record of an article.  Raises ArchiveError for an unknown id."""
        with self._lock:
            relpath = self._relpath(article_id)
        return self._read(relpath)

    def versions(self, article_id: str) -> list[dict[str, Any]]:
        """The article's previous versions, oldest first: ``{version, fetched_at,
        content_hash, changed, path}`` (empty while it has only one)."""
        versions: list[dict[str, Any]] = self.load(article_id)["versions"]
        return versions

    def load_version(self, article_id: str, number: int) -> dict[str, Any]:
        """Version ``number`` (1 = first) of an article as it was when current; the current
        version for its own number.  Raises ArchiveError for an unknown id or version."""
        current = self.load(article_id)
        if number == current["version"]:
            return current
        entry = previous_version(current, number)
        record = self._read(entry["path"], missing="is listed as a version of article "
                            f"{article_id} but missing on disk; restore it from a backup")
        if record["id"] != article_id or record["version"] != number:
            raise ArchiveError(f"{entry['path']} holds version {record['version']} of article "
                               f"{record['id']}, not version {number} of {article_id}; "
                               "restore it from a backup")
        return record

    def iter_records(self) -> Iterator[dict[str, Any]]:
        """Every stored record, in id order (the index is read a page at a time)."""
        for _, relpath in self._paged(self._index.page):
            yield self._read(relpath)

    def revisit_times(self) -> Iterator[tuple[str, str, str, str]]:
        """(url, site, first_seen, last_fetched) of every article, from the index (see
        ``archive.revisits``), a page of rows at a time."""
        for row in self._paged(self._index.revisits):
            yield row[1:]

    def _paged(self, read: Callable[[str, int], list[_Row]]) -> Iterator[_Row]:
        """Rows of an index table in id order, read a page at a time (keyset paging)."""
        after = ""
        while True:
            with self._lock:
                rows = read(after, _PAGE_ROWS)
            if not rows:
                return
            yield from rows
            after = rows[-1][0]

    def count(self) -> int:
        with self._lock:  # the number of articles in the index
            return self._index.count()

    def rebuild_index(self) -> int:
        """Rebuild URL keys, content hashes and paths from the JSON files; returns the count.

        One transaction: on any error (reported as ArchiveError naming the file) the old index
        stays.  HTTP validators are kept.  A URL key claimed by two files goes to the smaller id.
        """
        total = 0
        with self._lock, self._index.transaction():
            self._index.clear_rebuildable()
            for relpath in article_keys(self.storage):
                self._index_file(relpath)
                total += 1
        return total

    def _place(self, candidate: dict[str, Any], keys: list[str], owners: dict[str, str],
               raw: RawPage | None, near: Signature | None) -> StoreResult:
        """URL hit, else content hit, else new (inside the store transaction)."""
        known = next((owners[key] for key in keys if key in owners), None)
        if known is not None:
            return self._revisit(known, candidate, keys, owners, raw)
        body_hash = dedup_hash(candidate["body"])
        similar = None if body_hash is None else self._index.article_with_hash(body_hash)
        copy = None if similar is None else self._read(relpath := self._relpath(similar))
        if similar is not None and copy is not None and copy.get("canonical_claimed") not in keys:
            return self._learn_aliases(similar, relpath, copy, keys, StoreOutcome.DUPLICATE)
        original = None if copy is not None else self._near_original(candidate["body"], near)
        return self._store_new({**candidate, "duplicate_of": original}, keys, raw, near)

    def _revisit(self, known: str, candidate: dict[str, Any], keys: list[str],
                 owners: dict[str, str], raw: RawPage | None) -> StoreResult:
        relpath = self._relpath(known)
        existing = self._read(relpath)
        mine = [key for key in keys if owners.get(key, known) == known]
        if candidate["url"] != existing["url"] and owners.get(candidate["url"]) == known:
            # A copy (print, AMP) whose own canonical URL is one of the article's aliases:
            # the article is only ever updated from pages that claim to be it.
            return self._learn_aliases(known, relpath, existing, mine, StoreOutcome.UNCHANGED)
        aliases = sorted(({existing["url"], *existing["aliases"], *mine}) - {candidate["url"]})
        revision = revise(existing, {**candidate, "id": known, "aliases": aliases,
                                     "duplicate_of": existing["duplicate_of"]}, relpath)
        outcome: StoreOutcome = StoreOutcome.UNCHANGED
        if revision.replaced is not None:
            outcome = StoreOutcome.UPDATED
            # The old version's file first: a crash before the article is rewritten leaves at
            # worst a version file the article does not list yet; the next new version replaces it.
            version_relpath, replaced = revision.replaced
            self._write(version_relpath, replaced)
            revision.record["raw"] = keep_raw(self.storage, raw)
        self._write(relpath, revision.record)
        if outcome is StoreOutcome.UPDATED:
            self._index.put_article(known, relpath, dedup_hash(revision.record["body"]))
        self._index.add_keys(known, mine)
        return self._result(outcome, known, relpath)

    def _learn_aliases(self, article: str, relpath: str, existing: dict[str, Any],
                       keys: list[str], outcome: StoreOutcome) -> StoreResult:
        """Record ``keys`` as aliases of an article without touching its content."""
        aliases = sorted({*existing["aliases"], *keys} - {existing["url"]})
        if aliases != existing["aliases"]:
            self._write(relpath, {**existing, "aliases": aliases})
        self._index.add_keys(article, keys)
        return self._result(outcome, article, relpath)

    def _near_original(self, body: str, near: Signature | None) -> str | None:
        """The article a new body nearly duplicates (a syndicated or lightly edited copy): the
        original of the closest candidate sharing a band key, confirmed on the exact shingle
        similarity; None when there is none."""
        if near is None:
            return None
        found = {found_id: self._read(self._relpath(found_id))
                 for found_id in self._index.near_candidates(near)}
        closest = nearest(body, ((found_id, found[found_id]["body"]) for found_id in found))
        if closest is None:
            return None
        original: str = found[closest[0]]["duplicate_of"] or closest[0]
        return original

    def _store_new(self, candidate: dict[str, Any], keys: list[str],
                   raw: RawPage | None, near: Signature | None) -> StoreResult:
        new_id = candidate["id"]
        taken = self._index.path_of(new_id)
        if taken is not None:
            raise ArchiveError(f"article id {new_id} of {candidate['url']!r} is already used by "
                               f"{taken} under other URLs; the index may be stale: run reindex")
        relpath = self._layout.article_relpath(candidate["url"], new_id)
        aliases = sorted(set(keys) - {candidate["url"]})
        self._write(relpath, {**candidate, "aliases": aliases, "raw": keep_raw(self.storage, raw)})
        self._index.put_article(new_id, relpath, dedup_hash(candidate["body"]))
        self._index.add_keys(new_id, keys)
        if near is not None:
            self._index.add_near_keys(new_id, near)
        return self._result(StoreOutcome.STORED, new_id, relpath)

    def _result(self, outcome: StoreOutcome, article_id: str, relpath: str) -> StoreResult:
        return StoreResult(outcome, article_id, self._files.path(relpath), relpath)

    def _relpath(self, article_id: str) -> str:
        relpath = self._index.path_of(article_id)
        if relpath is None:
            raise ArchiveError(f"no article {article_id!r} in archive {self.root}")
        return relpath

    def _index_file(self, relpath: str) -> None:
        path = self._files.path(relpath)
        for key in self._index.index_record(self._read(relpath), relpath, path):
            _log.warning("URL key %s is claimed by more than one article file; kept the one "
                         "with the smallest id", key)
