"""broadsheet: a polite news crawler, article extractor and deduplicating JSON archive.

Public API::

    from scraper import extract
    article = extract(html_bytes, url="https://example.org/news/1")
    article.to_dict()
"""

from __future__ import annotations

from scraper.errors import (
    BroadsheetError,
    ConfigError,
    ExtractionError,
    FetchError,
)
from scraper.extract import Article, Comment, PageAnalysis, analyse, extract

__all__ = [
    "Article",
    "BroadsheetError",
    "Comment",
    "ConfigError",
    "ExtractionError",
    "FetchError",
    "PageAnalysis",
    "analyse",
    "extract",
]
__version__ = "0.1.0"
