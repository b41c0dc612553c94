"""The bundled demo news site: 30+ articles in three CMS styles, served on 127.0.0.1.

``broadsheet demo`` and the integration tests crawl it; ``expected_articles`` is its ground truth.

    from scraper.demo import DemoServer, expected_articles
    with DemoServer() as server:
        truth = expected_articles(server.base_url)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scraper.demo.catalog import DemoDataError
from scraper.demo.expected import (
    ExpectedArticle,
    expected_articles,
    expected_record,
    seed_expected_record,
    url_variants,
)
from scraper.demo.site import DemoSite

if TYPE_CHECKING:
    from scraper.demo.server import DemoServer, RequestRecord

__all__ = [
    "DemoDataError",
    "DemoServer",
    "DemoSite",
    "ExpectedArticle",
    "RequestRecord",
    "expected_articles",
    "expected_record",
    "seed_expected_record",
    "url_variants",
]


def __getattr__(name: str) -> Any:
    """Import the server lazily, so ``python -m scraper.demo.server`` runs it only once."""
    if name in ("DemoServer", "RequestRecord"):
        from scraper.demo import server

        return getattr(server, name)
    raise AttributeError(f"module 'scraper.demo' has no attribute {name!r}")
