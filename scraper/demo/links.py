"""The URLs the demo site links to an article by: canonical, tracked copies, print and AMP.

Templates build every article link through these functions, and the expected-results API lists
the same set, so a test can check that a crawler stores one record per distinct article.
"""

from __future__ import annotations

import hashlib

from scraper.demo.catalog import DemoArticle

SHARE_QUERY = "utm_source=share&utm_medium=copy_link"
FEED_QUERY = "utm_source=rss&utm_medium=feed"
RELATED_QUERY = "utm_source=related&utm_medium=internal&utm_campaign=recirculation"
NEWSLETTER_QUERY = "utm_source=newsletter&utm_medium=email&utm_campaign=morning_brief"


def fbclid_query(article: DemoArticle) -> str:
    """A stable Facebook click id, as pages shared on Facebook come back with."""
    digest = hashlib.sha256(article.slug.encode()).hexdigest()[:22]
    return f"fbclid=IwAR{digest}"


def share_url(article: DemoArticle) -> str:
    return f"{article.path}?{SHARE_QUERY}"


def feed_url(article: DemoArticle) -> str:
    return f"{article.path}?{FEED_QUERY}"


def related_url(article: DemoArticle) -> str:
    return f"{article.path}?{RELATED_QUERY}"


def newsletter_url(article: DemoArticle) -> str:
    return f"{article.path}?{NEWSLETTER_QUERY}"


def trending_url(article: DemoArticle) -> str:
    return f"{article.path}?{fbclid_query(article)}"


def article_variants(article: DemoArticle) -> tuple[str, ...]:
    """Every other path (with query) the site serves this article's content under."""
    variants = [share_url(article), feed_url(article), related_url(article),
                newsletter_url(article), trending_url(article)]
    if article.print_path:
        variants.append(article.print_path)
    if article.amp_path:
        variants.append(article.amp_path)
    return tuple(variants)
