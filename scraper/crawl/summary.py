"""What a crawl did: counters kept while it runs, and the summary printed at its end."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scraper.crawl.outcomes import Outcome

# Why a run stopped (``CrawlSummary.stop_reason``).
FINISHED = "finished"  # nothing left queued
MAX_PAGES = "max_pages"  # crawl.max_pages (--max-pages) reached; the rest stays queued
INTERRUPTED = "interrupted"  # Ctrl-C (SIGINT)
TERMINATED = "terminated"  # SIGTERM (cron, systemd, container stop)


@dataclass(slots=True)
class CrawlSummary:
    """Counters of one crawl run.  ``failed`` maps a reason (``http_404``, ``timeout``...) to URLs."""

    fetched: int = 0
    stored: int = 0
    updated: int = 0
    duplicates: int = 0
    unchanged: int = 0
    not_articles: int = 0
    discovery_errors: int = 0
    skipped_by_robots: int = 0
    resumed: int = 0
    already_stored: int = 0
    redirected_away: int = 0
    gone: int = 0
    leases_lost: int = 0
    """Shared crawl: pages whose lease this worker lost (another worker redoes them)."""
    elapsed: float = 0.0
    interrupted: bool = False
    stop_reason: str = FINISHED
    queued: int = 0
    """URLs still queued when the run stopped: a run of the same command fetches them."""
    failed: dict[str, list[str]] = field(default_factory=dict)
    internal_errors: dict[str, int] = field(default_factory=dict)  # exception class -> pages
    details: dict[str, str] = field(default_factory=dict)  # reason -> its first failure's detail

    def count(self, outcome: Outcome) -> None:
        attribute = _COUNTERS.get(outcome)
        if attribute is not None:
            setattr(self, attribute, getattr(self, attribute) + 1)

    def fail(self, url: str, reason: str, exception: str | None = None, detail: str = "") -> None:
        """Count a failed page; ``exception`` names the class of an ``internal`` failure, and
        the first ``detail`` of each reason is shown with it (e.g. why TLS failed)."""
        self.failed.setdefault(reason, []).append(url)
        if detail and reason not in self.details:
            self.details[reason] = one_line(detail)
        if exception is not None:
            self.internal_errors[exception] = self.internal_errors.get(exception, 0) + 1

    @property
    def failures(self) -> int:
        return sum(len(urls) for urls in self.failed.values())

    @property
    def exit_code(self) -> int:
        """0 when every page worked, 1 when some failed."""
        return 1 if self.failures else 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "fetched": self.fetched, "stored": self.stored, "updated": self.updated,
            "duplicates": self.duplicates, "unchanged": self.unchanged,
            "not_articles": self.not_articles, "failed": self.failures,
            "failed_by_reason": {reason: sorted(urls) for reason, urls in sorted(self.failed.items())},
            "skipped_by_robots": self.skipped_by_robots,
            "discovery_errors": self.discovery_errors, "resumed": self.resumed,
            "already_stored": self.already_stored, "redirected_away": self.redirected_away,
            "internal_errors": dict(sorted(self.internal_errors.items())),
            "failure_details": dict(sorted(self.details.items())),
            "gone": self.gone,
            "elapsed_seconds": round(self.elapsed, 2), "interrupted": self.interrupted,
            "stop_reason": self.stop_reason, "queued": self.queued,
            "leases_lost": self.leases_lost,
        }

    def render(self) -> str:
        """The human summary: one line of totals, then one line per failure reason."""
        lines = [
            f"fetched {self.fetched} pages in {self.elapsed:.1f}s: stored {self.stored} new, "
            f"updated {self.updated}, {self.duplicates} duplicates, {self.unchanged} unchanged, "
            f"{self.not_articles} not articles, {self.gone} gone, {self.failures} failed",
            self._stop_line(),
        ]
        if self.skipped_by_robots:
            lines.append(f"  skipped {self.skipped_by_robots} URLs disallowed by robots.txt")
        if self.redirected_away:
            lines.append(f"  skipped {self.redirected_away} URLs redirected out of the crawl's "
                         "scope (another site, or excluded)")
        if self.discovery_errors:
            lines.append(f"  {self.discovery_errors} sitemaps or feeds could not be read")
        for reason, urls in sorted(self.failed.items(), key=lambda item: -len(item[1])):
            shown = ", ".join(sorted(urls)[:3]) + (" ..." if len(urls) > 3 else "")
            lines.append(f"  failed ({reason}): {len(urls)}: {shown}")
            if reason in self.details:
                lines.append(f"    first: {self.details[reason]}")
        if self.internal_errors:
            names = ", ".join(f"{name} x{count}" for name, count in sorted(self.internal_errors.items()))
            lines.append(f"  internal errors (a bug: please report; -v logs them): {names}")
        if self.resumed:
            lines.append(f"  resumed an interrupted crawl ({self.resumed} pages re-queued)")
        if self.already_stored:
            lines.append(f"  {self.already_stored} pages not fetched again: stored before the "
                         "interruption")
        return "\n".join(lines)

    def _stop_line(self) -> str:
        """Why the run stopped, and what is left for the next run of the same command."""
        why = {FINISHED: "finished", MAX_PAGES: "page limit reached (--max-pages, crawl.max_pages)",
               INTERRUPTED: "interrupted (Ctrl-C)",
               TERMINATED: "terminated (SIGTERM)"}.get(self.stop_reason, self.stop_reason)
        line = f"  stopped: {why}; {self.queued} URLs still queued"
        if self.queued and self.stop_reason != FINISHED:
            line += " (run the same command again to go on)"
        return line


_COUNTERS = {Outcome.STORED: "stored", Outcome.UPDATED: "updated",
             Outcome.DUPLICATE: "duplicates", Outcome.UNCHANGED: "unchanged",
             Outcome.NOT_ARTICLE: "not_articles", Outcome.ALREADY_STORED: "already_stored",
             Outcome.GONE: "gone", Outcome.REDIRECTED_AWAY: "redirected_away"}
"""The outcomes ``CrawlSummary.count`` counts, with their counters."""


def one_line(text: str, limit: int = 300) -> str:
    """``text`` on one line (whitespace runs made one space), cut at ``limit`` characters."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 3] + "..."
