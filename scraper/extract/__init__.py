"""The extractor: ``extract(html, url) -> Article``.  Pure: no network, no files, no clock.

``analyse(html, url) -> PageAnalysis`` is the crawler's entry point: the same record plus
whether the page is an article, its links, feeds, canonical and AMP URLs, from one parse.
"""

from __future__ import annotations

from scraper.extract.page import PageAnalysis, analyse, extract
from scraper.extract.record import Article, Comment

__all__ = ["Article", "Comment", "PageAnalysis", "analyse", "extract"]
