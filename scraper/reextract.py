"""Re-extraction: the current extractor over the archive's stored raw pages, without the network.

An improved extractor upgrades old crawls: each article whose WARC capture (the body of the
response it was extracted from, ``archive.warc``) or raw page was kept is extracted again from
those bytes (at the URL it was fetched from) and handed to ``Archive.reextract``,
which makes a new version when the content changed (the old one stays readable, with the fields
that changed) and adds no snapshot, since nothing was fetched.  The raw bytes are decoded as the
extractor sniffs them; the HTTP charset of the original response is not kept, so a page whose
only charset declaration was its Content-Type header may decode differently.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from archive import Archive, StoreOutcome
from archive.reading import RecordFilter
from archive.warc.pointer import WarcError
from archive.warc.sources import WarcSource
from scraper.archive_access import ArchiveAccess
from scraper.crawl.warc_capture import record_capture, warc_source
from scraper.errors import ArchiveError, ExtractionError
from scraper.extract import extract

log = logging.getLogger(__name__)


@dataclass(slots=True)
class ReextractSummary:
    articles: int = 0
    updated: int = 0
    unchanged: int = 0
    without_raw: int = 0
    failed: dict[str, str] = field(default_factory=dict)  # article id -> reason

    def to_dict(self) -> dict[str, Any]:
        return {"articles": self.articles, "updated": self.updated, "unchanged": self.unchanged,
                "without_raw": self.without_raw, "failed": len(self.failed),
                "failed_by_id": dict(sorted(self.failed.items()))}

    def render(self) -> str:
        lines = [f"re-extracted {self.articles - self.without_raw} of {self.articles} articles: "
                 f"{self.updated} updated (new version), {self.unchanged} unchanged, "
                 f"{self.without_raw} without a raw page, {len(self.failed)} failed"]
        lines += [f"  failed {article}: {reason}" for article, reason in
                  sorted(self.failed.items())[:10]]
        return "\n".join(lines)


def reextract_archive(access: ArchiveAccess, selection: RecordFilter | None = None,
                      report: Callable[[ReextractSummary], None] | None = None) -> ReextractSummary:
    """Re-extract every selected article of the archive ``access`` finds (either backend);
    ``report`` is called after each article (for progress).  An article that cannot be
    re-extracted is counted, not fatal."""
    summary = ReextractSummary()
    warcs = warc_source(access)  # one for the run: on S3, one client
    with access.open_archive() as archive:
        for record in archive.iter_records():
            if selection is not None and not selection.matches(record):
                continue
            summary.articles += 1
            _reextract_one(warcs, archive, record, summary)
            if report is not None:
                report(summary)
    return summary


def _reextract_one(warcs: WarcSource, archive: Archive, record: dict[str, Any],
                   summary: ReextractSummary) -> None:
    if record["raw"] is None and record.get("warc") is None:
        summary.without_raw += 1
        return
    try:
        html = _page(warcs, archive, record)
        if html is None:
            summary.without_raw += 1
            return
        extracted = extract(html, record["fetched_url"]).to_dict()
        outcome = archive.reextract(record["id"], extracted).outcome
    except (ExtractionError, ArchiveError) as error:
        summary.failed[record["id"]] = str(error)
        log.warning("could not re-extract %s: %s", record["url"], error)
        return
    if outcome is StoreOutcome.UPDATED:
        summary.updated += 1
    else:
        summary.unchanged += 1


def _page(warcs: WarcSource, archive: Archive, record: dict[str, Any]) -> bytes | None:
    """The page bytes the current version was extracted from: the body of its WARC capture
    when the record points to one, else its raw page (also when the capture cannot be read
    but the raw page was kept, with a warning)."""
    try:
        capture = record_capture(warcs, record)
    except WarcError as error:
        if record["raw"] is None:
            raise
        log.warning("reading the raw page of %s instead: %s", record["id"], error)
        capture = None
    return capture.body if capture is not None else archive.raw_page(record["id"])
