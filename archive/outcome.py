"""What ``Archive.store`` and its siblings did with a page: the outcome of ``StoreResult``.

The crawl writes these words to its frontier (``scraper.crawl.outcomes.Outcome`` has the same
values), so a member's value never changes."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["StoreOutcome"]


class StoreOutcome(StrEnum):
    STORED = "stored"
    """A new article file."""
    UPDATED = "updated"
    """A new version of a known article."""
    UNCHANGED = "unchanged"
    """A known article, fetched again with the same content (or a new alias of it)."""
    DUPLICATE = "duplicate"
    """The same content as another article: the page's URLs became its aliases."""
