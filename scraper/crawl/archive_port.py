"""What the crawl needs from the archive, as one interface.

The crawl loop and the visit of a page use only these calls; ``archive.Archive`` provides them
on every backend (SQLite or PostgreSQL index, local or S3 files), and a test may give anything
else that does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from archive.fence import Fence
from archive.store import StoreResult

if TYPE_CHECKING:
    from archive import Archive


class CrawlArchive(Protocol):
    def validators(self, url_key: str) -> tuple[str | None, str | None] | None:
        """(etag, last_modified) of the last full fetch, for a conditional GET."""

    def last_fetched(self, url_key: str) -> str | None:
        """When the URL key was last fetched (200 or 304)."""

    def owner(self, url_key: str) -> str | None:
        """The id of the article whose URL or alias the key is."""

    def load(self, article_id: str) -> dict[str, Any]:
        """An article's stored record."""

    def store(self, record: Mapping[str, Any], *, url_keys: Sequence[str], fetched_url: str,
              fetched_at: str, http_status: int = 200, etag: str | None = None,
              last_modified: str | None = None, raw: bytes | None = None,
              fence: Fence | None = None, warc: Mapping[str, Any] | None = None) -> StoreResult:
        """File an extracted page (stored, updated, unchanged or duplicate)."""

    def record_not_modified(self, url_key: str, fetched_at: str, fence: Fence | None = None,
                            warc: Mapping[str, Any] | None = None) -> StoreResult:
        """A 304 re-visit: a snapshot without counters (and the revisit's WARC pointer)."""

    def add_aliases(self, article_id: str, url_keys: Sequence[str],
                    fence: Fence | None = None) -> StoreResult:
        """Another copy's URL keys become aliases of a stored article."""


if TYPE_CHECKING:  # mypy checks that the archive provides the interface
    _PROVIDES: type[CrawlArchive] = Archive
