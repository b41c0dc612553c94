"""Template A: a WordPress news theme (the kind Vietnamese agencies sell), and its print view.

No JSON-LD here: title, author, date and views are only in the visible markup (plus og: tags),
so the extractor has to read the page the way the seed page has to be read.
"""

from __future__ import annotations

import hashlib
from urllib.parse import quote

from scraper.demo.catalog import DemoArticle
from scraper.demo.comments import wordpress_comments
from scraper.demo.formats import grouped, short_date, wordpress_date
from scraper.demo.layout import (
    PageHead,
    RenderContext,
    author_link,
    body_html,
    cookie_notice,
    document,
    esc,
    most_viewed,
    nav_html,
    newsletter_box,
    recent_posts,
    search_box,
    site_footer,
    tag_links,
)
from scraper.demo.links import related_url, share_url


def post_id(article: DemoArticle) -> int:
    return 1000 + int(hashlib.sha256(article.slug.encode()).hexdigest()[:6], 16) % 9000


def wordpress_header(ctx: RenderContext) -> str:
    return ('<div class="top-bar"><div class="container"><span class="top-contact">'
            'Hotline: 024 3999 0000 · newsroom@example.org</span></div></div>'
            '<header id="masthead" class="site-header"><div class="container">'
            '<div class="site-branding"><p class="site-title"><a href="/" rel="home">'
            f'{esc(ctx.catalog.name)}</a></p><p class="site-description">'
            f'{esc(ctx.catalog.tagline)}</p></div>'
            + nav_html(ctx, "main-navigation", "menu") + search_box("search-form")
            + "</div></header>")


def wordpress_sidebar(ctx: RenderContext, current: DemoArticle | None) -> str:
    viewed = "".join(
        f'<li><a href="{other.path}">{esc(other.title)}</a>'
        f' <span class="views"><i class="fa fa-eye"></i> {grouped(other.views or 0, ",")}</span>'
        "</li>" for other in most_viewed(ctx, current))
    return ('<aside id="secondary" class="widget-area">'
            '<section class="widget widget_recent_entries"><h3 class="widget-title">'
            f'Recent Posts</h3>{recent_posts(ctx, current, short_date)}</section>'
            '<section class="widget widget_most_viewed"><h3 class="widget-title">Most viewed'
            f'</h3><ol>{viewed}</ol></section>'
            + newsletter_box("widget widget_newsletter")
            + "</aside>")


def _post_meta(article: DemoArticle) -> str:
    items = []
    if article.authors:
        names = ", ".join(author_link(name) for name in article.authors)
        items.append(f'<li class="post-author"><i class="fa fa-user"></i> '
                     f'<span class="author vcard">{names}</span></li>')
    items.append(f'<li class="post-date"><i class="fa fa-clock-o"></i> '
                 f'<span class="posted-on">{esc(wordpress_date(article.published))}</span></li>')
    if article.modified:
        items.append(f'<li class="post-updated">Updated: '
                     f'<span class="updated">{esc(wordpress_date(article.modified))}</span></li>')
    if article.views is not None:
        items.append(f'<li class="post-views"><i class="fa fa-eye"></i> '
                     f'{grouped(article.views, ",")}</li>')
    return '<ul class="post-meta">' + "".join(items) + "</ul>"


def _tags(article: DemoArticle) -> str:
    if not article.tags:
        return ""
    return f'<div class="post-tags"><span>Tags:</span> {tag_links(article.tags)}</div>'


def _share_bar(ctx: RenderContext, article: DemoArticle) -> str:
    target = quote(ctx.absolute(article.path), safe="")
    title = quote(article.title, safe="")
    return ('<div class="share-post"><span class="share-title">Share this Post:</span>'
            f'<a class="share-facebook" href="https://www.facebook.com/sharer/sharer.php?u='
            f'{target}" rel="nofollow noopener" target="_blank"><i class="fa fa-facebook"></i></a>'
            f'<a class="share-twitter" href="https://twitter.com/intent/tweet?url={target}'
            f'&amp;text={title}" rel="nofollow noopener" target="_blank">'
            '<i class="fa fa-twitter"></i></a>'
            f'<a class="share-email" href="mailto:?subject={title}&amp;body={target}">'
            '<i class="fa fa-envelope"></i></a>'
            f'<a class="share-copy" href="{esc(share_url(article))}">Copy link</a>'
            f'<a class="share-print" href="{article.print_path}" rel="nofollow">Print</a></div>')


def _related(ctx: RenderContext, article: DemoArticle) -> str:
    same = [a for a in ctx.catalog.in_section(article.section) if a is not article]
    cards = "".join(
        f'<article class="related-item"><a href="{esc(related_url(other))}">'
        f'<img src="{other.image}" alt="" width="300" height="169"></a>'
        f'<h4 class="related-item__title"><a href="{esc(related_url(other))}">'
        f'{esc(other.title)}</a></h4><span class="related-item__date">'
        f"{esc(short_date(other.published))}</span></article>" for other in same[:3])
    return ('<section class="related-posts"><h3 class="related-title">Related articles</h3>'
            f'<div class="related-grid">{cards}</div></section>')


def render_wordpress(ctx: RenderContext, article: DemoArticle) -> str:
    section = ctx.catalog.section(article.section)
    section_title = section.title if section else article.section
    pid = post_id(article)
    head = PageHead(title=f"{article.title} - {ctx.catalog.name}", headline=article.title,
                    description=article.description, canonical=ctx.absolute(article.path),
                    og_type="article", image=ctx.absolute(article.image),
                    language=article.language)
    entry = (f'<article id="post-{pid}" class="post-{pid} post type-post status-publish '
             f'format-standard has-post-thumbnail hentry category-{article.section}">'
             '<header class="entry-header"><div class="entry-category">'
             f'<a href="/section/{article.section}/" rel="category tag">{esc(section_title)}'
             f'</a></div><h1 class="entry-title">{esc(article.title)}</h1>'
             f"{_post_meta(article)}</header>"
             f'<div class="post-thumbnail"><img src="{article.image}" alt="" width="1200" '
             'height="675"></div>'
             f'<div class="entry-content">\n{body_html(article)}\n</div>'
             f"{_tags(article)}"
             f"{_share_bar(ctx, article)}</article>")
    main = (f'<nav class="breadcrumbs"><a href="/">Home</a> » <a href="/section/'
            f'{article.section}/">{esc(section_title)}</a> » <span>{esc(article.title)}'
            '</span></nav><div id="primary" class="content-area"><main id="main" '
            f'class="site-main">{entry}{wordpress_comments(article)}{_related(ctx, article)}'
            "</main></div>")
    body = ('<div id="page" class="site"><a class="skip-link screen-reader-text" '
            f'href="#content">Skip to content</a>{wordpress_header(ctx)}'
            f'<div id="content" class="site-content"><div class="container">{main}'
            f"{wordpress_sidebar(ctx, article)}</div></div>"
            f'{site_footer(ctx, "site-footer")}{cookie_notice(article.language)}</div>')
    return document(ctx, head, f"post-template-default single single-post postid-{pid}", body)


def render_print(ctx: RenderContext, article: DemoArticle) -> str:
    """The printer-friendly copy: same text, noindex, and deliberately no canonical link."""
    byline = ", ".join(esc(name) for name in article.authors)
    meta = " | ".join(part for part in (byline, esc(wordpress_date(article.published))) if part)
    return (f'<!DOCTYPE html>\n<html lang="{article.language}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{esc(article.title)} - {esc(ctx.catalog.name)} (Print)</title>\n"
            '<meta name="robots" content="noindex, follow">\n'
            '<link rel="stylesheet" href="/static/print.css" media="all">\n</head>\n'
            '<body class="print-view">\n<div class="print-header">'
            f"{esc(ctx.catalog.name)}</div>\n"
            f'<article class="print-article"><h1>{esc(article.title)}</h1>'
            f'<p class="print-meta">{meta}</p>\n<div class="print-content">\n'
            f"{body_html(article)}\n</div></article>\n"
            f'<p class="print-footer">Printed from {esc(ctx.catalog.name)}. '
            f"Article address: {esc(ctx.absolute(article.path))}</p>\n"
            '<p class="print-back"><a href="/">Back to the site</a></p>\n</body>\n</html>\n')
