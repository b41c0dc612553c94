"""The site's non-article pages: home, section (paginated), author, tag and search listings,
about, contact and the 404 page.  They share the WordPress theme's chrome."""

from __future__ import annotations

from collections.abc import Sequence

from scraper.demo.catalog import DemoArticle
from scraper.demo.formats import short_date
from scraper.demo.layout import (
    PageHead,
    RenderContext,
    cookie_notice,
    document,
    esc,
    most_viewed,
    plain_lead,
    site_footer,
)
from scraper.demo.links import trending_url
from scraper.demo.theme_wordpress import wordpress_header, wordpress_sidebar

PAGE_SIZE = 5


def page_count(total: int) -> int:
    return max(1, -(-total // PAGE_SIZE))


def _card(article: DemoArticle, href: str | None = None) -> str:
    href = href or article.path
    byline = f"By {esc(' and '.join(article.authors))} · " if article.authors else ""
    return (f'<article class="post-card"><a class="post-card__image" href="{esc(href)}">'
            f'<img src="{article.image}" alt="" width="400" height="225"></a>'
            f'<h2 class="post-card__title"><a href="{esc(href)}">{esc(article.title)}</a></h2>'
            f'<div class="post-card__meta">{byline}<time datetime="{esc(article.published)}">'
            f"{esc(short_date(article.published))}</time></div>"
            f'<p class="post-card__excerpt">{esc(plain_lead(article))}</p></article>')


def _page(ctx: RenderContext, head: PageHead, body_class: str, main: str) -> str:
    body = (f'<div id="page" class="site">{wordpress_header(ctx)}<div id="content" '
            f'class="site-content"><div class="container"><div id="primary" class="content-area">'
            f'<main id="main" class="site-main">{main}</main></div>'
            f"{wordpress_sidebar(ctx, None)}</div></div>"
            f'{site_footer(ctx, "site-footer")}{cookie_notice()}</div>')
    return document(ctx, head, body_class, body)


def _listing(title: str, articles: Sequence[DemoArticle], pagination: str = "") -> str:
    cards = "".join(_card(a) for a in articles) or '<p class="no-results">Nothing found.</p>'
    return (f'<header class="page-header"><h1 class="page-title">{esc(title)}</h1></header>'
            f'<div class="post-list">{cards}</div>{pagination}')


def render_home(ctx: RenderContext) -> str:
    catalog = ctx.catalog
    trending = "".join(f'<li><a href="{esc(trending_url(a))}">{esc(a.title)}</a></li>'
                       for a in most_viewed(ctx, None, limit=4))
    blocks = []
    for section in catalog.sections:
        picks = catalog.in_section(section.slug)[:3]
        blocks.append(f'<section class="home-section home-section--{section.slug}"><h2>'
                      f'<a href="/section/{section.slug}/">{esc(section.title)}</a></h2>'
                      + "".join(_card(a) for a in picks) + "</section>")
    main = (f'<section class="trending"><h2>Trending now</h2><ul>{trending}</ul></section>'
            + _listing("Latest news", catalog.articles[:10]) + "".join(blocks))
    head = PageHead(title=f"{catalog.name} - {catalog.tagline}", description=catalog.tagline,
                    canonical=ctx.absolute("/"))
    return _page(ctx, head, "home blog", main)


def render_section(ctx: RenderContext, slug: str, page: int) -> str | None:
    """A section listing page, or ``None`` when the section or page does not exist."""
    section = ctx.catalog.section(slug)
    articles = ctx.catalog.in_section(slug)
    pages = page_count(len(articles))
    if section is None or not 1 <= page <= pages:
        return None
    path = f"/section/{slug}/" + (f"page/{page}/" if page > 1 else "")
    links = []
    if page > 1:
        previous = f"/section/{slug}/" + (f"page/{page - 1}/" if page > 2 else "")
        links.append(f'<a class="prev page-numbers" href="{previous}">« Newer posts</a>')
    for number in range(1, pages + 1):
        href = f"/section/{slug}/" + (f"page/{number}/" if number > 1 else "")
        links.append(f'<span aria-current="page" class="page-numbers current">{number}</span>'
                     if number == page else f'<a class="page-numbers" href="{href}">{number}</a>')
    if page < pages:
        links.append(f'<a class="next page-numbers" href="/section/{slug}/page/{page + 1}/">'
                     "Older posts »</a>")
    pagination = '<nav class="navigation pagination">' + " ".join(links) + "</nav>"
    shown = articles[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    title = section.title + (f" – Page {page}" if page > 1 else "")
    head = PageHead(title=f"{title} - {ctx.catalog.name}", description=f"{section.title} news "
                    f"from {ctx.catalog.name}.", canonical=ctx.absolute(path))
    return _page(ctx, head, "archive category", _listing(title, shown, pagination))


def render_collection(ctx: RenderContext, kind: str, slug: str,
                      articles: Sequence[DemoArticle], label: str) -> str:
    """An author or tag archive page listing ``articles``."""
    head = PageHead(title=f"{label} - {ctx.catalog.name}", description=f"{label} on "
                    f"{ctx.catalog.name}.", canonical=ctx.absolute(f"/{kind}/{slug}/"))
    return _page(ctx, head, f"archive {kind}", _listing(label, articles))


def render_search(ctx: RenderContext, query: str) -> str:
    words = query.lower().split()
    found = [a for a in ctx.catalog.articles
             if words and all(w in (a.title + " " + a.description).lower() for w in words)]
    head = PageHead(title=f"Search results for “{query}” - {ctx.catalog.name}",
                    description="Search results.",
                    extra='<meta name="robots" content="noindex, follow">')
    return _page(ctx, head, "search search-results",
                 _listing(f"Search results for “{query}”", found))


def render_static(ctx: RenderContext, slug: str) -> str | None:
    text = STATIC_PAGES.get(slug)
    if text is None:
        return None
    title, paragraphs = text
    main = (f'<article class="page type-page"><h1 class="entry-title">{esc(title)}</h1>'
            '<div class="entry-content">' + "".join(f"<p>{esc(p)}</p>" for p in paragraphs)
            + "</div></article>")
    head = PageHead(title=f"{title} - {ctx.catalog.name}", description=paragraphs[0],
                    canonical=ctx.absolute(f"/{slug}/"))
    return _page(ctx, head, "page", main)


def render_not_found(ctx: RenderContext) -> str:
    main = ('<section class="error-404 not-found"><h1 class="page-title">Page not found</h1>'
            "<p>It looks like nothing was found at this location. Try the sections above or "
            'the <a href="/">front page</a>.</p></section>')
    head = PageHead(title=f"Page not found - {ctx.catalog.name}", description="Page not found.",
                    extra='<meta name="robots" content="noindex">')
    return _page(ctx, head, "error404", main)


STATIC_PAGES: dict[str, tuple[str, list[str]]] = {
    "about": ("About us", [
        "The Meridian Ledger is an independent digital newsroom covering world affairs, "
        "politics, business, technology and culture, with correspondents in six countries.",
        "We are funded by readers and by advertising that is kept separate from our newsroom. "
        "Corrections are published at the foot of the article they concern.",
        "Privacy: we keep server logs for thirty days and use cookies only to remember your "
        "consent and to count visits.",
        "Terms of use: articles may be quoted with a link back; photographs may not be reused "
        "without permission."]),
    "contact": ("Contact", [
        "News tips: newsroom@example.org. Letters to the editor: letters@example.org.",
        "Advertising and partnerships: ads@example.org. Our postal address is 12 Harbour "
        "Street, Suite 400.",
        "We read every message, but cannot answer them all. For corrections, include the "
        "article's address and the sentence in question."]),
}
