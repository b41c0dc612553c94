"""Template B: a modern newsroom CMS (Arc / Brightspot style), and its AMP copy.

Structured data first: a JSON-LD ``@graph`` with a ``NewsArticle`` (authors, offset dates,
``interactionStatistic``, ``commentCount``).  The visible page rounds views ("1.2K views") and
puts boilerplate inside the body container (a "Read more" teaser, a newsletter box).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from scraper.demo.catalog import DemoArticle, slugify
from scraper.demo.comments import newsroom_comments
from scraper.demo.formats import compact_count, newsroom_date, newsroom_relative_label
from scraper.demo.layout import (
    PageHead,
    RenderContext,
    body_html,
    cookie_notice,
    document,
    esc,
    most_viewed,
    nav_html,
    newsletter_box,
    search_box,
    site_footer,
    tag_links,
)
from scraper.demo.links import newsletter_url, share_url

_VIEW_ACTIONS: tuple[Any, ...] = ("https://schema.org/ReadAction", "https://schema.org/ViewAction",
                                  {"@type": "ReadAction"})


def _variant(article: DemoArticle, choices: int) -> int:
    return int(hashlib.sha256(article.slug.encode()).hexdigest()[:4], 16) % choices


def _interactions(article: DemoArticle) -> list[dict[str, Any]]:
    counters = []
    if article.views is not None and article.views_in_schema:
        counters.append({"@type": "InteractionCounter",
                         "interactionType": _VIEW_ACTIONS[_variant(article, 3)],
                         "userInteractionCount": article.views})
    if article.comment_count is not None:
        counters.append({"@type": "InteractionCounter",
                         "interactionType": "https://schema.org/CommentAction",
                         "userInteractionCount": article.comment_count})
    return counters


def news_article_graph(ctx: RenderContext, article: DemoArticle) -> str:
    url = ctx.absolute(article.path)
    section = ctx.catalog.section(article.section)
    news: dict[str, Any] = {
        "@type": "NewsArticle", "@id": f"{url}#article", "headline": article.title,
        "description": article.description, "image": [ctx.absolute(article.image)],
        "datePublished": article.published,
        "author": [{"@type": "Person", "name": name,
                    "url": ctx.absolute(f"/author/{slugify(name)}/")} for name in article.authors],
        "publisher": {"@id": ctx.absolute("/#organization")}, "mainEntityOfPage": url,
        "articleSection": section.title if section else article.section,
        "keywords": list(article.tags), "inLanguage": article.language}
    if article.modified:
        news["dateModified"] = article.modified
    if article.comment_count is not None:
        news["commentCount"] = article.comment_count
    if counters := _interactions(article):
        news["interactionStatistic"] = counters
    graph = [news,
             {"@type": "Organization", "@id": ctx.absolute("/#organization"),
              "name": ctx.catalog.name, "url": ctx.absolute("/"),
              "logo": {"@type": "ImageObject", "url": ctx.absolute("/static/logo.png")}},
             {"@type": "WebSite", "@id": ctx.absolute("/#website"), "url": ctx.absolute("/"),
              "name": ctx.catalog.name,
              "potentialAction": {"@type": "SearchAction", "query-input": "required name=q",
                                  "target": ctx.absolute("/search/?q={q}")}},
             {"@type": "BreadcrumbList", "itemListElement": [
                 {"@type": "ListItem", "position": 1, "name": "Home", "item": ctx.absolute("/")},
                 {"@type": "ListItem", "position": 2, "name": news["articleSection"],
                  "item": ctx.absolute(f"/section/{article.section}/")}]}]
    data = json.dumps({"@context": "https://schema.org", "@graph": graph}, ensure_ascii=False,
                      indent=1).replace("</", "<\\/")
    return f'<script type="application/ld+json">\n{data}\n</script>'


def byline_text(article: DemoArticle) -> str:
    links = [f'<a class="byline__author" href="/author/{slugify(n)}/">{esc(n)}</a>'
             for n in article.authors]
    if len(links) > 1:
        return "By " + ", ".join(links[:-1]) + " and " + links[-1]
    return f"By {links[0]}" if links else ""


def _dates(article: DemoArticle) -> str:
    out = (f'<time class="article__published" datetime="{esc(article.published)}">'
           f"{esc(newsroom_date(article.published))}</time>")
    if article.modified:
        out += (f' <span class="article__updated">Updated <time datetime="'
                f'{esc(article.modified)}">{esc(newsroom_date(article.modified))}</time></span>')
    return f'<div class="article__dates">{out}</div>'


def _inserts(ctx: RenderContext, article: DemoArticle) -> dict[int, str]:
    teaser = next((a for a in ctx.catalog.in_section(article.section) if a is not article), None)
    inserts = {}
    if teaser is not None:
        inserts[1] = (f'<p class="read-more"><strong>Read more:</strong> <a href="'
                      f'{esc(newsletter_url(teaser))}">{esc(teaser.title)}</a></p>')
    inserts[3] = newsletter_box("inline-newsletter", article.language)
    return inserts


def _most_read(ctx: RenderContext, article: DemoArticle) -> str:
    rows = "".join(f'<li><a href="{other.path}">{esc(other.title)}</a> <span class="most-read'
                   f'__date">{esc(newsroom_relative_label(other.published))}</span></li>'
                   for other in most_viewed(ctx, article))
    return f'<section class="most-read"><h2>Most read</h2><ol>{rows}</ol></section>'


def _article_meta(article: DemoArticle) -> str:
    """The Open Graph article tags newsroom CMSs add (same values as the JSON-LD)."""
    tags = [("article:published_time", article.published)]
    if article.modified:
        tags.append(("article:modified_time", article.modified))
    tags += [("article:section", article.section)] + [("article:tag", t) for t in article.tags]
    lines = [f'<meta property="{name}" content="{esc(value)}">' for name, value in tags]
    if article.authors:
        lines.append(f'<meta name="author" content="{esc(", ".join(article.authors))}">')
    return "\n".join(lines) + "\n"


def _header(ctx: RenderContext) -> str:
    return ('<header class="site-header" data-component="masthead"><div class="site-header__'
            f'inner"><a class="site-header__logo" href="/">{esc(ctx.catalog.name)}</a>'
            + nav_html(ctx, "site-nav", "site-nav__list") + search_box("site-search")
            + '<a class="site-header__subscribe" href="/about/#subscribe">Subscribe</a>'
            "</div></header>")


def render_newsroom(ctx: RenderContext, article: DemoArticle) -> str:
    head = PageHead(title=f"{article.title} | {ctx.catalog.name}", headline=article.title,
                    description=article.description, canonical=ctx.absolute(article.path),
                    og_type="article", image=ctx.absolute(article.image),
                    language=article.language,
                    extra=(f'<link rel="amphtml" href="{ctx.absolute(article.amp_path or "")}">\n'
                           + _article_meta(article) + news_article_graph(ctx, article)))
    views = (f'<span class="article__views">{compact_count(article.views)} views</span>'
             if article.views is not None else "")
    scope = (' itemscope itemtype="https://schema.org/NewsArticle"'
             if article.comment_markup == "microdata" else "")
    section = ctx.catalog.section(article.section)
    kicker = section.title if section else article.section
    story = (f'<article class="article" data-article-id="{slugify(article.slug)}"{scope}>'
             f'<header class="article__header"><a class="article__kicker" href="/section/'
             f'{article.section}/">{esc(kicker)}</a><h1 class="article__headline">'
             f'{esc(article.title)}</h1><p class="article__dek">{esc(article.description)}</p>'
             f'<div class="article__meta"><div class="byline">{byline_text(article)}</div>'
             f"{_dates(article)}{views}</div></header>"
             f'<figure class="article__lead-art"><img src="{article.image}" alt="" width="1200"'
             ' height="675"><figcaption class="credit">Photo: Meridian Wire</figcaption></figure>'
             '<div class="article-body" data-component="article-body">\n'
             f"{body_html(article, 'inline-image', _inserts(ctx, article))}\n</div>"
             f'<footer class="article__footer"><div class="article__tags">{tag_links(article.tags)}'
             f'</div><p class="article__share">Share: <a href="{esc(share_url(article))}">Copy '
             f'link</a> · <a class="article__amp-link" href="{article.amp_path}">Lightweight '
             f"(AMP) version</a></p></footer>{newsroom_comments(article)}</article>")
    body = (f'{_header(ctx)}<main class="page page--article"><div class="page__main">{story}'
            f'</div><aside class="page__rail">{_most_read(ctx, article)}'
            f'{newsletter_box("rail-newsletter")}</aside></main>'
            f'{site_footer(ctx, "site-footer site-footer--newsroom")}{cookie_notice()}')
    return document(ctx, head, "template-article", body)


_AMP_BOILERPLATE = (
    "<style amp-boilerplate>body{-webkit-animation:-amp-start 8s steps(1,end) 0s 1 normal both;"
    "animation:-amp-start 8s steps(1,end) 0s 1 normal both}@keyframes -amp-start{from"
    "{visibility:hidden}to{visibility:visible}}</style><noscript><style amp-boilerplate>"
    "body{-webkit-animation:none;animation:none}</style></noscript>")


def render_amp(ctx: RenderContext, article: DemoArticle) -> str:
    """The AMP copy: the same story, pointing back with rel=canonical."""
    canonical = ctx.absolute(article.path)
    return (f'<!doctype html>\n<html ⚡ lang="{article.language}">\n<head>\n<meta charset="utf-8">\n'
            '<script async src="https://cdn.ampproject.org/v0.js"></script>\n'
            f"<title>{esc(article.title)} | {esc(ctx.catalog.name)}</title>\n"
            f'<link rel="canonical" href="{esc(canonical)}">\n'
            '<meta name="viewport" content="width=device-width">\n'
            f"{_AMP_BOILERPLATE}\n<style amp-custom>body{{font-family:Georgia,serif}}</style>\n"
            f"{news_article_graph(ctx, article)}\n</head>\n<body>\n"
            f'<header class="amp-header"><a href="/">{esc(ctx.catalog.name)}</a></header>\n'
            f'<article class="amp-article"><h1>{esc(article.title)}</h1>'
            f'<p class="byline">{byline_text(article)}</p>{_dates(article)}'
            f'<amp-img src="{article.image}" width="1200" height="675" layout="responsive">'
            f"</amp-img>\n{body_html(article, 'amp-figure')}\n"
            f'<p class="amp-full"><a href="{article.path}">View the full article and comments'
            "</a></p></article>\n"
            f'<footer class="amp-footer">&copy; 2025 {esc(ctx.catalog.name)} · '
            '<a href="/about/">About</a> · <a href="/contact/">Contact</a></footer>\n'
            "</body>\n</html>\n")
