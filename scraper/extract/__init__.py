"""The extractor: ``extract(html, url) -> Article``.  Pure: no network, no files, no clock."""

from __future__ import annotations

from scraper.extract.record import Article, Comment

__all__ = ["Article", "Comment"]
