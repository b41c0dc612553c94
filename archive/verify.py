"""Check an archive against its promises, read-only, and say what would repair it.

Checked: every article file (``Layout.iter_article_files``) parses, validates against
``schema.json`` (a ``schema_version`` 1 file as upgraded on read) and is named by its id, once;
every previous version it lists exists under ``versions/``, validates and is of this article;
every raw page a record or version references exists, is readable gzip and hashes to its name;
every WARC pointer names a capture in ``warc/`` (``archive.verify_warc``);
the index (``index.sqlite``, or a given one) agrees with the files (each file indexed at its
path with its content hash, each of its URL keys mapped to it, no index row or URL key without
a file); no stray ``.tmp`` files.

Stray temporary files are found by ``Layout.stray_temp_files``.  Nothing outside the archive's
own directories and the index is looked at (an archive may share its directory with other
things).  The comparison with the index is done in a private scratch
SQLite database (a temporary file), so memory stays flat for millions of records.  Run it while
no crawl writes to the archive, or it may report the crawl's half-done work.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import sqlite3
import zlib
from collections import Counter
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archive.dedup import dedup_hash
from archive.errors import ArchiveError
from archive.index.base import ArchiveIndex
from archive.layout import ARTICLES_DIR, Layout, article_keys
from archive.record import find_problem, parse_record
from archive.storage.base import BlobNotFound, BlobStore
from archive.storage.local import LocalStore
from archive.verify_index import check_index
from archive.verify_warc import warc_problem
from archive.warc.naming import WARC_DIR
from archive.warc.sources import WarcSource, as_source

MAX_LISTED = 100
"""Problems listed per kind (all are counted)."""

REINDEX = "run broadsheet reindex (the index is rebuilt from the JSON files)"
DELETE_TEMPS = ("delete the stray .tmp files listed, while no crawl is running (interrupted "
                "writes leave them; nothing reads them; the next crawl, reextract or reindex "
                "deletes those a killed broadsheet process left)")
_CHUNK = 1 << 20
_SCRATCH = (
    "CREATE TABLE files (id TEXT PRIMARY KEY, path TEXT NOT NULL, dedup_hash TEXT, "
    "valid INTEGER NOT NULL) WITHOUT ROWID",
    "CREATE TABLE file_keys (url_key TEXT NOT NULL, article_id TEXT NOT NULL, "
    "PRIMARY KEY (url_key, article_id)) WITHOUT ROWID",
    "CREATE TABLE raw_seen (path TEXT PRIMARY KEY) WITHOUT ROWID",
)


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong: ``kind`` (a stable token), where (a path relative to the archive root,
    or a URL key), what is wrong, and what would repair it."""

    kind: str
    where: str
    detail: str
    repair: str

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "where": self.where, "detail": self.detail,
                "repair": self.repair}


@dataclass(slots=True)
class VerifyReport:
    """What ``verify_archive`` found.  ``problems`` lists up to ``MAX_LISTED`` per kind;
    ``counts`` counts them all."""

    record_files: int = 0
    raw_pages_checked: int = 0
    version_files_checked: int = 0
    index_articles: int | None = None
    counts: Counter[str] = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.counts

    def add(self, kind: str, where: str, detail: str, repair: str) -> None:
        self.counts[kind] += 1
        if self.counts[kind] <= MAX_LISTED:
            self.problems.append(Problem(kind, where, detail, repair))

    def repairs(self) -> list[str]:
        """The distinct repairs, file fixes first and the reindex (which must follow them) last."""
        unique = list(dict.fromkeys(problem.repair for problem in self.problems))
        return sorted(unique, key=lambda repair: repair == REINDEX)

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "record_files": self.record_files,
                "raw_pages_checked": self.raw_pages_checked,
                "version_files_checked": self.version_files_checked,
                "index_articles": self.index_articles, "problems_by_kind": dict(self.counts),
                "problems": [problem.to_dict() for problem in self.problems],
                "repairs": self.repairs()}


def verify_archive(root: Path, *, hash_raw: bool = True,
                   storage: BlobStore | None = None,
                   index: ArchiveIndex | None = None,
                   warc_dir: WarcSource | Path | None = None) -> VerifyReport:
    """Check the archive at ``root`` (see the module docstring); never changes anything.

    ``hash_raw=False`` only checks that raw pages exist (no decompressing and hashing).
    ``storage``: where the files are when not in ``root``; stray temporary files exist only on
    local storage.  ``index``: compare with this index (the caller's, left open) instead of
    ``index.sqlite`` in ``root``.  ``warc_dir``: where the WARC files are, a source or a folder
    (default ``root/warc`` on local storage; none are checked on other storage unless given).
    Raises ArchiveError only when ``root`` is not an archive or cannot be listed.
    """
    local = storage is None
    store = LocalStore(root) if storage is None else storage
    if local and not (root / ARTICLES_DIR).is_dir():
        raise ArchiveError(f"{root} is not an archive directory (no {ARTICLES_DIR}/ folder); "
                           "pass the archive with --archive")
    report = VerifyReport()
    try:
        with closing(sqlite3.connect("")) as scratch:  # "": a private temporary database file
            for statement in _SCRATCH:
                scratch.execute(statement)
            warcs = (None if warc_dir is None and not local
                     else as_source(root / WARC_DIR if warc_dir is None else warc_dir))
            checker = _FileChecker(store, scratch, report, hash_raw, warcs)
            for relpath in article_keys(store):
                checker.check(relpath)
            if local:
                _report_temps(Layout(root), report)
            report.index_articles = check_index(root, scratch, report.add, REINDEX, index)
    except sqlite3.Error as error:
        raise ArchiveError(f"verify's scratch database (in the temporary directory) failed: "
                           f"{error}; free space there, or set TMPDIR to another disk") from error
    return report


def _report_temps(layout: Layout, report: VerifyReport) -> None:
    for path in layout.stray_temp_files():
        report.add("stray_temp", _relative(layout.root, path),
                   "temporary file of an interrupted write", DELETE_TEMPS)


def _relative(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


class _FileChecker:
    """Checks one record file at a time and notes its id, path and URL keys in ``scratch``."""

    def __init__(self, store: BlobStore, scratch: sqlite3.Connection, report: VerifyReport,
                 hash_raw: bool, warc_dir: WarcSource | None) -> None:
        self.store = store
        self.warc_dir = warc_dir
        self.scratch = scratch
        self.report = report
        self.hash_raw = hash_raw

    def check(self, relpath: str) -> None:
        self.report.record_files += 1
        stem = relpath.rsplit("/", 1)[-1].removesuffix(".json")
        record = self._parse(relpath, _restore_or_delete(relpath))
        if record is not None and record["id"] != stem:
            self.report.add("misnamed_record", relpath, f"holds article {record['id']}",
                            f"rename {relpath} to {record['id']}.json, or delete it; then run "
                            "broadsheet reindex")
            record = None
        if not self._note_file(stem, relpath, record) or record is None:
            return
        self.scratch.executemany(
            "INSERT OR IGNORE INTO file_keys VALUES (?, ?)",
            [(key, stem) for key in [record["url"], *record["aliases"]]])
        self._check_raw(record["raw"], relpath)
        self._check_warc(record, relpath)
        for entry in record["versions"]:
            self._check_version(entry["path"], entry["version"], record["id"], relpath)

    def _parse(self, relpath: str, repair: str) -> dict[str, Any] | None:
        """The valid record in the file (a schema_version 1 file upgraded, as the archive reads
        it), or None after reporting what is wrong with it."""
        try:
            data = self.store.read(relpath)
        except ArchiveError as error:
            self.report.add("unreadable_record", relpath, f"cannot read: {_reason(error)}",
                            repair)
            return None
        try:
            record = parse_record(data, relpath)
        except ArchiveError:
            self.report.add("corrupt_record", relpath, _json_problem(data), repair)
            return None
        problem = find_problem(record)
        if problem is not None:
            self.report.add("invalid_record", relpath, f"does not match the schema: {problem}",
                            repair)
            return None
        return record

    def _check_version(self, relpath: str, number: int, article_id: str, owner: str) -> None:
        """A previous version's file: present, valid, of this article, and its raw page."""
        self.report.version_files_checked += 1
        repair = (f"restore {relpath} from a backup (version {number} of {owner}; it cannot be "
                  "rebuilt)")
        if not self.store.exists(relpath):
            self.report.add("missing_version", relpath, f"version {number} of {owner} is missing",
                            repair)
            return
        record = self._parse(relpath, repair)
        if record is None:
            return
        if record["id"] != article_id or record["version"] != number:
            self.report.add("misnamed_version", relpath, f"holds version {record['version']} of "
                            f"article {record['id']}, not version {number} of {article_id}", repair)
            return
        self._check_raw(record["raw"], relpath)
        self._check_warc(record, relpath)

    def _check_warc(self, record: dict[str, Any], relpath: str) -> None:
        problem = warc_problem(self.warc_dir, record, read=self.hash_raw)
        if problem is not None:
            kind, detail = problem
            self.report.add(kind, relpath, detail,
                            f"restore the WARC file from a backup (without it {relpath}'s "
                            "capture cannot be replayed or re-extracted from)")

    def _note_file(self, article_id: str, relpath: str, record: dict[str, Any] | None) -> bool:
        """Remember the file; False (and a problem) when another file has the same id."""
        body = None if record is None else dedup_hash(record["body"])
        try:
            self.scratch.execute("INSERT INTO files VALUES (?, ?, ?, ?)",
                                 (article_id, relpath, body, int(record is not None)))
        except sqlite3.IntegrityError:
            (other,) = self.scratch.execute("SELECT path FROM files WHERE id = ?",
                                            (article_id,)).fetchone()
            self.report.add("duplicate_record", relpath, f"article {article_id} is also {other}",
                            f"delete {relpath} or {other}; then run broadsheet reindex")
            return False
        return True

    def _check_raw(self, raw: str | None, relpath: str) -> None:
        if raw is None:
            return
        if self.scratch.execute("INSERT OR IGNORE INTO raw_seen VALUES (?)", (raw,)).rowcount == 0:
            return  # an identical page is shared by several records: checked once
        self.report.raw_pages_checked += 1
        digest = raw.rsplit("/", 1)[-1].removesuffix(".html.gz")  # the schema checked the shape
        problem = _raw_problem(self.store, raw, digest, self.hash_raw)
        if problem is not None:
            kind, detail = problem
            self.report.add(kind, raw, f"{detail} (raw page of {relpath})",
                            f"restore {raw} from a backup (without it {relpath} cannot be "
                            "re-extracted from that page)")


def _restore_or_delete(relpath: str) -> str:
    return f"restore {relpath} from a backup, or delete it; then run broadsheet reindex"


def _json_problem(data: bytes) -> str:
    """What is wrong with a file ``parse_record`` refused (only ever called on failure)."""
    try:
        json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return f"not valid JSON ({error})"
    return "not a JSON object"


def _reason(error: ArchiveError) -> str:
    """Why a file could not be read: the OS's words on local storage, else the store's."""
    if isinstance(error, BlobNotFound):
        return "No such file or directory"
    cause = error.__cause__
    return cause.strerror if isinstance(cause, OSError) and cause.strerror else str(error)


def _raw_problem(store: BlobStore, key: str, digest: str,
                 hash_raw: bool) -> tuple[str, str] | None:
    """(kind, detail) of what is wrong with a raw page file, or None."""
    if not store.exists(key):
        return "missing_raw", "missing"
    if not hash_raw:
        return None
    sha = hashlib.sha256()
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(store.read(key)), mode="rb") as packed:
            while chunk := packed.read(_CHUNK):
                sha.update(chunk)
    except ArchiveError as error:
        return "corrupt_raw", f"not readable ({_reason(error)})"
    except (OSError, EOFError, zlib.error) as error:
        return "corrupt_raw", f"not readable gzip ({error})"
    if sha.hexdigest() != digest:
        return "corrupt_raw", f"content hashes to {sha.hexdigest()[:16]}…, not to its name"
    return None

