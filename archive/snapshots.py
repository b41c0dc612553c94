"""Snapshot history and versions: what a re-visit of a stored article does to its record.

Every fetch of an article appends one entry to its ``snapshots`` (fetch time, HTTP status, the
view and comment counters the page showed, the content hash and version it saw).  What happens
besides depends on the fetch:

- a 304 (not modified): nothing else; the snapshot's counters are null (no page was read);
- a 200 whose content fields (``record.CONTENT_FIELDS``: text, metadata and comments) equal the
  stored ones: the record's ``views``/``comment_count`` become the page's, nothing else changes
  and no raw page is kept ("unchanged");
- a 200 with different content: a new version.  The stored record, as it was, moves to its own
  file under ``versions/`` (``version_relpath``) keeping only the snapshots that saw it; the new
  record lists it in ``versions`` with the fields that changed ("updated").

Comments count as content because a thread is only readable later if each state of it is kept:
a comment that is edited or removed would otherwise be lost.  View and comment counters are
kept per snapshot instead, so they never make versions.  Snapshots are never trimmed: at about
250 bytes each, an article re-visited hourly for its first day, daily for a month and weekly
afterwards gains some 25 kB of history a year.

Functions here are pure (no files, no index); ``archive.store`` does the writing.  Every record
they return is valid by construction when their inputs are (see ``Archive._write``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from archive.dedup import content_hash
from archive.errors import ArchiveError
from archive.layout import ARTICLES_DIR
from archive.record import CONTENT_FIELDS, DERIVED_FIELDS, VOLATILE_FIELDS, snapshot_of
from archive.timestamps import utc_fields

VERSIONS_DIR = "versions"
REEXTRACTED_FIELDS = tuple(name for name in (*CONTENT_FIELDS, *VOLATILE_FIELDS) if name != "url")
NOT_MODIFIED = 304
_JSON = ".json"


@dataclass(frozen=True, slots=True)
class Revision:
    """A re-visit's result: the new current record and, for a new version, the relative path
    of the replaced version's file with the record to write there."""

    record: dict[str, Any]
    replaced: tuple[str, dict[str, Any]] | None = None


def revise(stored: Mapping[str, Any], fetched: Mapping[str, Any],
           article_relpath: str) -> Revision:
    """Merge ``fetched`` (a ``build_record`` candidate for this 200 fetch, with the article's
    ``id`` and ``aliases`` already set) into the ``stored`` record at ``article_relpath``."""
    changed = changed_fields(stored, fetched)
    visit = fetched["snapshots"][-1]
    if not changed:
        counters = {name: fetched[name] for name in (*VOLATILE_FIELDS, *DERIVED_FIELDS)}
        snapshot = {**visit, "version": stored["version"]}
        record = {**stored, **counters, "aliases": fetched["aliases"],
                  "snapshots": [*stored["snapshots"], snapshot]}
        return Revision(record)
    number = stored["version"]
    path = version_relpath(article_relpath, number)
    entry = {"version": number, "fetched_at": stored["fetched_at"],
             "content_hash": stored["content_hash"], "changed": changed, "path": path}
    record = {**fetched, "version": number + 1, "versions": [*stored["versions"], entry],
              "snapshots": [*stored["snapshots"], {**visit, "version": number + 1}]}
    return Revision(record, (path, as_replaced(stored)))


def reextracted(stored: Mapping[str, Any], extracted: Mapping[str, Any],
                article_relpath: str) -> Revision | None:
    """``stored`` with the fields of a new extraction of its own raw page (``reextract``): a
    new version when content changed (listing what changed; no snapshot, as nothing was
    fetched), the counters updated in place when only they changed, None when nothing did.
    The URL, aliases and fetch fields stay: they describe the crawl, not the extraction."""
    fresh = {**stored, **{name: extracted[name] for name in REEXTRACTED_FIELDS},
             **utc_fields(extracted), "content_hash": content_hash(extracted["body"])}
    changed = changed_fields(stored, fresh)
    if not changed:  # counters or UTC dates (absent in older files) are updated in place
        same = all(stored.get(name) == fresh[name] for name in (*VOLATILE_FIELDS, *DERIVED_FIELDS))
        return None if same else Revision(fresh)
    number = stored["version"]
    path = version_relpath(article_relpath, number)
    entry = {"version": number, "fetched_at": stored["fetched_at"],
             "content_hash": stored["content_hash"], "changed": changed, "path": path}
    record = {**fresh, "version": number + 1, "versions": [*stored["versions"], entry]}
    return Revision(record, (path, as_replaced(stored)))


def not_modified(stored: Mapping[str, Any], fetched_at: str,
                 warc: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """``stored`` with a 304 snapshot appended (``fetched_at`` already checked), naming the
    revisit record ``warc`` when the 304 was captured."""
    snapshot = snapshot_of({**stored, **dict.fromkeys(VOLATILE_FIELDS)}, fetched_at=fetched_at,
                           http_status=NOT_MODIFIED, warc=warc)
    return {**stored, "snapshots": [*stored["snapshots"], snapshot]}


def changed_fields(stored: Mapping[str, Any], fetched: Mapping[str, Any]) -> list[str]:
    """The content fields whose values differ, in documented order."""
    return [name for name in CONTENT_FIELDS if stored[name] != fetched[name]]


def as_replaced(stored: Mapping[str, Any]) -> dict[str, Any]:
    """The record as its version file keeps it: whole, with the snapshots that saw it.  (A
    hand-edited history where none did keeps them all, so the file stays valid.)"""
    number = stored["version"]
    seen = [snapshot for snapshot in stored["snapshots"] if snapshot["version"] == number]
    return {**stored, "snapshots": seen or list(stored["snapshots"])}


def previous_version(current: Mapping[str, Any], number: int) -> dict[str, Any]:
    """The ``versions`` entry of version ``number``; ArchiveError when there is none."""
    for entry in current["versions"]:
        if entry["version"] == number:
            found: dict[str, Any] = entry
            return found
    raise ArchiveError(f"article {current['id']} has no version {number!r} (versions 1 to "
                       f"{current['version']})")


def version_relpath(article_relpath: str, number: int) -> str:
    """``articles/<rest>.json`` -> ``versions/<rest>/<number>.json``: beside nothing that
    ``Layout.iter_article_files`` reads, so reindex never takes a version for an article."""
    prefix = f"{ARTICLES_DIR}/"
    if not (article_relpath.startswith(prefix) and article_relpath.endswith(_JSON)):
        raise ArchiveError(f"index entry {article_relpath!r} is not an article path; the index "
                           "is corrupt: run reindex")
    return f"{VERSIONS_DIR}/{article_relpath[len(prefix):-len(_JSON)]}/{number}{_JSON}"
