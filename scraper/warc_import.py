"""``broadsheet import-warc``: article records from WARC files, ours or another crawler's.

Each imported file is first placed in the archive's ``warc/`` folder (on S3 storage: this
machine's spool folder, and uploaded to the bucket's ``warc/`` once imported, as a crawl's files
are, see ``scraper.crawl.warc_capture``) under its own name (a hard
link when the file system allows, else an atomic copy; a file already there with the same bytes
is used as it is), so that the archive stays self-contained: the records' ``warc`` pointers
(``{file, offset, length}``, ``file`` being the imported file's name without its directory)
resolve there, and ``export --format wacz`` packs it.  A plain ``NAME.warc`` is placed as
``NAME.warc.gz``, each record its own gzip member (warcio's recompressor), as the archive's
WARC files all are.

Then every ``response`` record with status 200 and an HTML payload is read as the crawl reads a
page: the extractor (``scraper.extract.analyse``) and its article verdict; an article is stored
through ``Archive.store``, the crawl's own path, so deduplication applies (a copy under another
URL becomes an alias, the same content again adds nothing new).  A capture that is not newer than
the archive's last fetch of its URL (a second import of the same file, say) is skipped as
already archived, so importing twice changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from archive import Archive, StoreOutcome
from archive.warc.placing import WarcNameTaken, place_warc
from archive.warc.records import DamagedWarc, WarcRecord, iter_warc
from scraper.archive_access import ArchiveAccess
from scraper.crawl.warc_capture import upload_finished_file, warc_directory
from scraper.errors import ArchiveError, ExtractionError, UsageError
from scraper.extract import analyse
from scraper.extract.charsets import decode_declared
from scraper.extract.verdict import DEFAULT_THRESHOLDS, ArticleThresholds, article_verdict
from scraper.net.fetch import HTML_TYPES, parse_content_type
from scraper.urls import canonical_url, one_site

log = logging.getLogger(__name__)
WARC_SUFFIXES = (".warc.gz", ".warc")


@dataclass(slots=True)
class ImportSummary:
    files: int = 0
    responses: int = 0
    stored: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    already_archived: int = 0
    not_html: int = 0
    not_ok: int = 0
    not_articles: int = 0
    failed: dict[str, str] = field(default_factory=dict)  # URL -> reason

    @property
    def imported(self) -> int:
        return self.stored + self.updated

    def to_dict(self) -> dict[str, Any]:
        return {"files": self.files, "responses": self.responses, "imported": self.imported,
                "stored": self.stored, "updated": self.updated, "unchanged": self.unchanged,
                "duplicates": self.duplicates, "already_archived": self.already_archived,
                "skipped_not_html": self.not_html, "skipped_not_200": self.not_ok,
                "not_articles": self.not_articles, "failed": len(self.failed)}

    def render(self) -> str:
        lines = [f"imported {self.imported} articles ({self.stored} new, {self.updated} updated) "
                 f"from {self.responses} responses in {self.files} WARC "
                 f"file{'s' * (self.files != 1)}; "
                 f"{self.duplicates} duplicates, {self.unchanged} unchanged, "
                 f"{self.already_archived} already archived; skipped {self.not_html} non-HTML, "
                 f"{self.not_ok} not 200, {self.not_articles} not articles; "
                 f"{len(self.failed)} failed"]
        lines += [f"  failed {url}: {reason}" for url, reason in sorted(self.failed.items())[:10]]
        return "\n".join(lines)


def import_warcs(access: ArchiveAccess, paths: Sequence[str | Path],
                 report: Callable[[ImportSummary], None] | None = None,
                 thresholds: ArticleThresholds = DEFAULT_THRESHOLDS) -> ImportSummary:
    """Import every file of ``paths`` into the archive ``access`` finds; ``report`` is called
    after each response record (progress).  A page that cannot be extracted or stored is counted
    in ``failed``; a damaged WARC file raises DamagedWarc before anything is imported."""
    sources = [_checked(Path(path)) for path in paths]
    for source in sources:  # every file read to its end before anything is imported
        _check_readable(source)
    summary = ImportSummary()
    warc_dir = warc_directory(access)
    with access.open_archive() as archive:
        for source in sources:
            try:
                placed = place_warc(source, warc_dir)
            except WarcNameTaken as taken:
                raise UsageError(str(taken)) from taken
            summary.files += 1
            for record in iter_warc(placed):
                if record.rec_type == "response":
                    summary.responses += 1
                    _import_one(archive, record, placed.name, summary, thresholds)
                    if report is not None:
                        report(summary)
            upload_finished_file(access, placed)
    return summary


def _checked(path: Path) -> Path:
    if not path.name.endswith(WARC_SUFFIXES):
        raise UsageError(f"{path} is not named like a WARC file (*.warc.gz or *.warc)")
    if not path.is_file():
        raise UsageError(f"{path} is not a file")
    return path


def _check_readable(source: Path) -> None:
    """DamagedWarc, before anything is placed or imported, when ``source`` cannot be read to
    its end."""
    try:
        for _ in iter_warc(source, bodies=False):
            pass
    except DamagedWarc as error:
        raise DamagedWarc(f"{error}; nothing was imported from {source}") from error


def _import_one(archive: Archive, record: WarcRecord, file_name: str, summary: ImportSummary,
                thresholds: ArticleThresholds) -> None:
    url = record.url or ""
    own_key = canonical_url(url) if url else None
    if record.status != 200 or own_key is None or record.date is None:
        summary.not_ok += 1
        return
    media_type, charset = parse_content_type(record.http_header("content-type") or "")
    if media_type not in HTML_TYPES or record.payload is None:
        summary.not_html += 1
        return
    fetched_at = capture_time(record.date)
    if _already_archived(archive, own_key, fetched_at):
        summary.already_archived += 1
        return
    try:
        outcome = _store(archive, record, file_name, (own_key, charset, fetched_at), thresholds)
    except (ExtractionError, ArchiveError, ValueError) as error:
        summary.failed[url] = str(error)
        log.warning("could not import %s: %s", url, error)
        return
    _count(summary, outcome)


def _store(archive: Archive, record: WarcRecord, file_name: str,
           page: tuple[str, str | None, str], thresholds: ArticleThresholds) -> StoreOutcome | None:
    """Store one page (its URL key, HTTP charset and capture time) as the crawl does, pointing
    at its record in ``file_name``; None when it is not an article."""
    own_key, charset, fetched_at = page
    url = record.url or own_key
    payload = record.payload or b""
    text = decode_declared(payload, charset, in_page=False) if charset else None
    analysis = analyse(text if text is not None else payload, url)
    if not article_verdict(analysis.article, analysis.declared, thresholds).is_article:
        return None
    canonical = canonical_url(analysis.canonical) if analysis.canonical else None
    keys = [own_key]
    if canonical is not None and canonical != own_key and one_site(canonical, own_key):
        existing = archive.owner(canonical)
        if existing is not None:  # a copy (print, AMP) of an archived article
            archive.add_aliases(existing, keys)
            return StoreOutcome.DUPLICATE
        keys = [canonical, own_key]
    extracted = analysis.article.to_dict()
    extracted["url"] = keys[0]
    extracted["canonical_claimed"] = None
    return archive.store(extracted, url_keys=keys, fetched_url=url, fetched_at=fetched_at,
                         http_status=200, etag=record.http_header("etag"),
                         last_modified=record.http_header("last-modified"), raw=payload,
                         warc={"file": file_name, "offset": record.offset,
                               "length": record.length}).outcome


def _count(summary: ImportSummary, outcome: StoreOutcome | None) -> None:
    if outcome is None:
        summary.not_articles += 1
    elif outcome is StoreOutcome.STORED:
        summary.stored += 1
    elif outcome is StoreOutcome.UPDATED:
        summary.updated += 1
    elif outcome is StoreOutcome.DUPLICATE:
        summary.duplicates += 1
    else:
        summary.unchanged += 1


def _already_archived(archive: Archive, url_key: str, fetched_at: str) -> bool:
    last = archive.last_fetched(url_key)
    return last is not None and _moment(last) >= _moment(fetched_at)


def capture_time(warc_date: str) -> str:
    """A WARC-Date (``2024-05-13T04:00:01Z``, maybe with fractions) as a record's fetched_at."""
    return _moment(warc_date).strftime("%Y-%m-%dT%H:%M:%SZ")


def _moment(value: str) -> datetime:
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
