"""Template C: a Drupal site / regional news portal, used for the non-English pages and others.

Dates and views are visible text in the page's language ("Thứ hai, 13/5/2024, 04:00 (GMT+7)",
"12.345 lượt xem", "Post Views: 1,204"); some pages add microdata (``articleBody``,
``datePublished``).  Vietnamese pages put the byline after the body, as VnExpress-style sites do.
"""

from __future__ import annotations

import hashlib

from scraper.demo.catalog import DemoArticle, slugify
from scraper.demo.comments import comment_count_label, drupal_comments
from scraper.demo.formats import drupal_date, views_label
from scraper.demo.layout import (
    PageHead,
    RenderContext,
    body_html,
    cookie_notice,
    document,
    esc,
    nav_html,
    newsletter_box,
    recent_posts,
    search_box,
    site_footer,
)
from scraper.demo.links import share_url

_BYLINE = {"en": ("Submitted by ", " on "), "de": ("Von ", " · "), "fr": ("Par ", ", le "),
           "es": ("Por ", " · ")}
_LATEST = {"vi": "Tin mới nhất", "de": "Neueste Artikel", "fr": "Derniers articles",
           "es": "Últimas noticias"}
_TAGS = {"vi": "Từ khóa", "de": "Schlagwörter", "fr": "Mots-clés", "es": "Etiquetas"}
_SHARE = {"vi": "Chia sẻ", "de": "Teilen", "fr": "Partager", "es": "Compartir"}


def uses_microdata(article: DemoArticle) -> bool:
    """Half the C pages (chosen by slug, so it is stable) carry schema.org microdata."""
    return int(hashlib.sha256(article.slug.encode()).hexdigest()[:2], 16) % 2 == 0


def _user_link(name: str) -> str:
    return (f'<a href="/author/{slugify(name)}/" class="username" lang="" '
            f'typeof="schema:Person" property="schema:name">{esc(name)}</a>')


def _date_span(article: DemoArticle, microdata: bool) -> str:
    text = esc(drupal_date(article.published, article.language))
    if microdata:
        text = f'<time itemprop="datePublished" datetime="{esc(article.published)}">{text}</time>'
    return f'<span class="field field--name-created field--type-created">{text}</span>'


def _meta(article: DemoArticle, microdata: bool) -> str:
    """The node meta line: byline and date (Vietnamese: date only), views, comment count."""
    date = _date_span(article, microdata)
    if article.language == "vi" or not article.authors:
        line = f'<span class="date">{date}</span>'
    else:
        by, on = _BYLINE.get(article.language, _BYLINE["en"])
        names = " &amp; ".join(_user_link(n) for n in article.authors)
        line = (f'<span class="field field--name-uid field--type-entity-reference">{by}{names}'
                f"</span>{on}{date}")
    parts = [line]
    if article.views is not None:
        parts.append(f'<span class="statistics-counter">'
                     f"{esc(views_label(article.views, article.language))}</span>")
    if article.comment_count is not None:
        parts.append(f'<a class="comment-count" href="#comments">'
                     f"{esc(comment_count_label(article))}</a>")
    return '<div class="node__meta">' + " | ".join(parts) + "</div>"


def _byline_after_body(article: DemoArticle) -> str:
    if article.language != "vi" or not article.authors:
        return ""
    return f'<p class="author_mail"><strong>{esc(" - ".join(article.authors))}</strong></p>'


def _tags(article: DemoArticle) -> str:
    label = _TAGS.get(article.language, "Tags")
    items = "".join(f'<div class="field__item"><a href="/tag/{slugify(t)}/" '
                    f'hreflang="{article.language}">{esc(t)}</a></div>' for t in article.tags)
    return (f'<div class="field field--name-field-tags field--type-entity-reference">'
            f'<div class="field__label">{esc(label)}</div><div class="field__items">{items}'
            "</div></div>")


def _sidebar(ctx: RenderContext, article: DemoArticle) -> str:
    language = article.language

    def stamp(value: str) -> str:
        return drupal_date(value, language)

    return ('<aside class="layout-sidebar-second" role="complementary">'
            '<div class="block block-views block-views-blocklatest-block"><h2 class="block__title">'
            f'{esc(_LATEST.get(language, "Latest news"))}</h2>'
            f"{recent_posts(ctx, article, stamp, limit=5)}</div>"
            f'{newsletter_box("block block-newsletter", language)}</aside>')


def _header(ctx: RenderContext) -> str:
    return ('<header role="banner" class="site-header"><div class="region region-header">'
            f'<a href="/" rel="home" class="site-logo">{esc(ctx.catalog.name)}</a>'
            f'<div class="site-slogan">{esc(ctx.catalog.tagline)}</div></div>'
            '<div class="region region-primary-menu">'
            + nav_html(ctx, "menu--main block block-menu", "menu")
            + "</div>" + search_box("search-block-form") + "</header>")


def render_drupal(ctx: RenderContext, article: DemoArticle) -> str:
    microdata = uses_microdata(article)
    section = ctx.catalog.section(article.section)
    section_title = section.title if section else article.section
    head = PageHead(title=f"{article.title} | {ctx.catalog.name}", headline=article.title,
                    description=article.description, canonical=ctx.absolute(article.path),
                    og_type="article", image=ctx.absolute(article.image),
                    language=article.language)
    scope = ' itemscope itemtype="https://schema.org/Article"' if microdata else ""
    body_prop = ' itemprop="articleBody"' if microdata else ""
    node = (f'<article role="article" about="{article.path}" class="node node--type-article '
            f'node--promoted node--view-mode-full"{scope}>'
            + (f'<meta itemprop="headline" content="{esc(article.title)}">' if microdata else "")
            + _meta(article, microdata)
            + '<div class="node__content"><div class="field field--name-field-image">'
            f'<img src="{article.image}" alt="{esc(article.title)}" width="960" height="540">'
            '</div><div class="clearfix text-formatted field field--name-body field--type-text-'
            f'with-summary field--label-hidden field__item"{body_prop}>\n'
            f"{body_html(article, 'align-center')}\n</div>{_byline_after_body(article)}"
            f"{_tags(article)}<ul class=\"links inline\"><li><a href=\"{esc(share_url(article))}"
            f'">{esc(_SHARE.get(article.language, "Share"))}</a></li></ul>'
            f'<div id="comments">{drupal_comments(article)}</div></div></article>')
    content = ('<div class="region region-breadcrumb"><nav class="breadcrumb" role="navigation">'
               f'<ol><li><a href="/">Home</a></li><li><a href="/section/{article.section}/">'
               f"{esc(section_title)}</a></li></ol></nav></div>"
               '<main role="main"><div class="layout-content"><div class="region region-content">'
               '<div id="block-page-title" class="block block-page-title-block"><h1 class="page-'
               'title"><span class="field field--name-title field--type-string field--label-'
               f'hidden">{esc(article.title)}</span></h1></div>{node}</div></div>'
               f"{_sidebar(ctx, article)}</main>")
    body = ('<div class="dialog-off-canvas-main-canvas"><div class="layout-container">'
            f'{_header(ctx)}{content}{site_footer(ctx, "site-footer")}'
            f"{cookie_notice(article.language)}</div></div>")
    return document(ctx, head, "path-node page-node-type-article", body)
