"""Whether an extracted page is one article, and if not, why: a pure function of the record.

The thresholds are ``crawl.article_*`` in the config (``ArticleThresholds`` holds the same
defaults); the reason names the key that decided, so ``broadsheet crawl -v`` can say why a page
was not stored (``body 120 chars < crawl.article_min_chars 500``).
"""

from __future__ import annotations

from dataclasses import dataclass

from scraper.extract.record import Article
from scraper.extract.url_kind import UrlKind, url_kind

_URL_VOTES = {UrlKind.ARTICLE: 1, UrlKind.LISTING: -1, UrlKind.UNKNOWN: 0}
_LISTING_URL = "its URL looks like a listing's (home, section, tag, author, page N)"


@dataclass(frozen=True, slots=True)
class ArticleThresholds:
    """``min_chars`` of body and ``min_paragraphs`` paragraphs of ``paragraph_min_chars`` or
    more make a page long enough to be an article; a page that declares itself an article
    (og:type, JSON-LD) needs only ``declared_min_chars`` unless its URL looks like a listing."""

    min_chars: int = 500
    min_paragraphs: int = 3
    paragraph_min_chars: int = 81
    declared_min_chars: int = 200


@dataclass(frozen=True, slots=True)
class Verdict:
    is_article: bool
    reason: str = ""
    """Why the page is not an article (empty when it is one)."""


ARTICLE = Verdict(True)
DEFAULT_THRESHOLDS = ArticleThresholds()


def article_verdict(article: Article, declared: str | None,
                    limits: ArticleThresholds = DEFAULT_THRESHOLDS) -> Verdict:
    """One article, not a home, section, tag, search or about page.  ``declared`` is what the
    page says it is (``"article"``, ``"listing"`` or None, from og:type and JSON-LD)."""
    body = article.body
    short = _too_short(body, limits)
    url_vote = _URL_VOTES[url_kind(article.url)] if article.url else 0
    if declared == "article":
        if not short or (len(body) >= limits.declared_min_chars and url_vote >= 0):
            return ARTICLE
        if len(body) < limits.declared_min_chars:
            return Verdict(False, f"declared an article, but body {len(body)} chars < "
                                  f"crawl.article_declared_min_chars {limits.declared_min_chars}")
        return Verdict(False, f"declared an article, but {_LISTING_URL} and {short}")
    if declared == "listing":
        if short:
            return Verdict(False, f"declared a listing (og:type or JSON-LD) and {short}")
        if url_vote <= 0:
            return Verdict(False, "declared a listing (og:type or JSON-LD) and its URL does not "
                                  "look like an article's")
        if article.published is None:
            return Verdict(False, "declared a listing (og:type or JSON-LD) and has no date")
        return ARTICLE
    if short:
        return Verdict(False, short)
    if url_vote >= 0 or article.published is not None:
        return ARTICLE
    return Verdict(False, f"{_LISTING_URL} and the page has no publication date")


def _too_short(body: str, limits: ArticleThresholds) -> str:
    """Why ``body`` is too short for an article, or empty when it is long enough."""
    if len(body) < limits.min_chars:
        return f"body {len(body)} chars < crawl.article_min_chars {limits.min_chars}"
    paragraphs = sum(1 for part in body.split("\n\n") if len(part) >= limits.paragraph_min_chars)
    if paragraphs < limits.min_paragraphs:
        return (f"{paragraphs} paragraphs of crawl.article_paragraph_min_chars "
                f"{limits.paragraph_min_chars}+ chars < crawl.article_min_paragraphs "
                f"{limits.min_paragraphs}")
    return ""
