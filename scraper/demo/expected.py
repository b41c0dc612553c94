"""Ground truth for tests: the distinct articles the demo site serves, what the extractor should
read from each, and every other URL that serves the same article.

Bodies are block texts joined by blank lines (each list item a block); compare them with
whitespace normalised, since an extractor may join list items with single newlines.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scraper.demo.catalog import Catalog, DemoArticle
from scraper.demo.links import article_variants
from scraper.demo.seed import load_seed
from scraper.demo.site import default_catalog


@dataclass(frozen=True, slots=True)
class ExpectedArticle:
    """One distinct article: its canonical path, its other paths, and the expected record."""

    path: str
    variants: tuple[str, ...]
    template: str
    record: dict[str, Any]


def expected_record(article: DemoArticle, base_url: str = "",
                    site_name: str | None = None) -> dict[str, Any]:
    """The record fields the extractor should output for ``article``'s canonical page."""
    return {
        "url": base_url + article.path,
        "title": article.title,
        "authors": list(article.authors),
        "published": article.published,
        "modified": article.modified,
        "views": article.views,
        "comment_count": article.comment_count,
        "comments": [comment.to_dict() for comment in article.comments],
        "body": article.body_text(),
        "language": article.language,
        "site_name": site_name,
        "description": article.description,
        "tags": list(article.tags),
        "image": base_url + article.image,
    }


def expected_articles(base_url: str = "", catalog: Catalog | None = None) -> list[
        ExpectedArticle]:
    """Every distinct article, newest first; paths are prefixed with ``base_url``."""
    catalog = catalog if catalog is not None else default_catalog()
    return [ExpectedArticle(path=base_url + a.path,
                            variants=tuple(base_url + v for v in article_variants(a)),
                            template=a.template,
                            record=expected_record(a, base_url, catalog.name))
            for a in catalog.articles]


def url_variants(base_url: str = "", catalog: Catalog | None = None) -> dict[str, str]:
    """Each non-canonical URL the site serves an article under, mapped to its canonical URL."""
    return {variant: item.path
            for item in expected_articles(base_url, catalog) for variant in item.variants}


def seed_expected_record(base_url: str = "") -> dict[str, Any] | None:
    """What the extractor should output for the seed page, or ``None`` without a seed file.

    Title, author, ``published`` (2024-05-13T04:00), views 337, zero comments, and the body
    paragraphs without the headline-as-caption lines.
    """
    seed = load_seed()
    if seed is None:
        return None
    return expected_record(seed, base_url, default_catalog().name)
