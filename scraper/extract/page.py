"""One parse, everything the crawler needs: the article record, whether the page is an article,
and where it links.

Order matters: the comment and view finders and the metadata read the intact tree; the body
step, which removes nodes, runs last.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from scraper.extract.assets import find_assets
from scraper.extract.authors import find_authors
from scraper.extract.body import extract_body
from scraper.extract.comments import find_comments
from scraper.extract.counts import find_views
from scraper.extract.dates import find_dates
from scraper.extract.document import Document, parse
from scraper.extract.links import PageLinks, find_head_links, find_links, robots_noindex
from scraper.extract.metadata import (
    find_description,
    find_image,
    find_language,
    find_site_name,
    find_tags,
    types_of,
)
from scraper.extract.patterns import ARTICLE_TYPES, LISTING_TYPES
from scraper.extract.record import Article
from scraper.extract.title import find_title
from scraper.extract.verdict import article_verdict


@dataclass(frozen=True, slots=True)
class PageAnalysis:
    """``links``: the followable ``<a href>`` targets; ``nofollow_links``: those the page marks
    rel=nofollow/sponsored/ugc (all of them under a robots nofollow meta tag); ``noindex``: the
    page asks not to be indexed (``<meta name="robots" content="noindex">``), as print views and
    other copies of an article often do; ``declared``: what the page says it is (``"article"``,
    ``"listing"`` or None), for ``scraper.extract.verdict``.  ``is_article`` is the verdict with
    the default thresholds."""

    article: Article
    is_article: bool
    links: tuple[str, ...] = ()
    nofollow_links: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    canonical: str | None = None
    amphtml: str | None = None
    noindex: bool = False
    declared: str | None = None
    assets: tuple[str, ...] = ()  # images and stylesheets (``scraper.extract.assets``)


def analyse(html: bytes | str, url: str | None = None) -> PageAnalysis:
    """Parse once and read everything; raises ``ExtractionError`` for a page with no HTML."""
    return _analyse(parse(html, url), with_links=True)


def extract(html: bytes | str, url: str | None = None) -> Article:
    """The article record of one page (``analyse(...).article`` without the link list)."""
    return _analyse(parse(html, url), with_links=False).article


def _analyse(doc: Document, with_links: bool) -> PageAnalysis:
    comments = find_comments(doc)
    views = find_views(doc)
    head_links = find_head_links(doc)
    canonical = head_links.canonical
    links = find_links(doc) if with_links else PageLinks()
    assets = find_assets(doc) if with_links else ()
    site_name = find_site_name(doc)
    headline = find_title(doc, site_name)
    title = headline.text
    published, modified = find_dates(doc, headline.element)
    article = Article(
        url=canonical or doc.url,
        title=title,
        authors=find_authors(doc, site_name, comments.nodes, headline.element),
        published=published,
        modified=modified,
        views=views,
        comment_count=comments.count,
        comments=comments.comments,
        language=find_language(doc),
        site_name=site_name,
        description=find_description(doc),
        tags=find_tags(doc),
        image=find_image(doc),
    )
    declared = _declared_type(doc)
    body = extract_body(doc, title, comments.nodes, headline.element)
    article = replace(article, body=body)
    verdict = article_verdict(article, declared)
    return PageAnalysis(article=article, is_article=verdict.is_article,
                        links=links.follow, nofollow_links=links.nofollow, feeds=head_links.feeds,
                        canonical=canonical, amphtml=head_links.amphtml,
                        noindex=robots_noindex(doc.meta.get("robots", "")), declared=declared,
                        assets=assets)


def _declared_type(doc: Document) -> str | None:
    """``"article"``, ``"listing"`` or None from og:type and JSON-LD @type."""
    og_type = (doc.meta.get("og:type") or "").strip().lower()
    if og_type == "article" or og_type.startswith("article"):
        return "article"
    for item in doc.json_ld:
        kinds = types_of(item)
        if kinds & ARTICLE_TYPES - {"webpage", "creativework"}:
            return "article"
    if og_type in LISTING_TYPES:
        return "listing"
    for item in doc.json_ld:
        if types_of(item) & LISTING_TYPES - {"website"}:
            return "listing"
    return None
