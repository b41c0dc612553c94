"""Page chrome shared by the three themes: document head, navigation, widgets, footer, body.

Themes wrap these pieces in their own markup; everything here returns HTML strings built from
escaped text.  Links are root-relative; the head carries absolute URLs built from the server's
real base URL, so pages are rendered per request.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from scraper.demo.catalog import Catalog, DemoArticle, links_in, plain_text, slugify

LOCALES = {"en": "en_US", "vi": "vi_VN", "fr": "fr_FR", "de": "de_DE", "es": "es_ES"}
TRENDING_SEARCHES = ("election", "interest rates", "climate", "Mekong")


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def inline_html(text: str) -> str:
    """A paragraph's HTML: escaped text with its ``[words](href)`` links as anchors."""
    out = esc(text)
    for words, href in links_in(text):
        source = esc(f"[{words}]({href})")
        out = out.replace(source, f'<a href="{esc(href)}">{esc(words)}</a>', 1)
    return out


@dataclass(frozen=True, slots=True)
class RenderContext:
    """What every renderer needs: the server's base URL and the content."""

    base_url: str
    catalog: Catalog

    def absolute(self, path: str) -> str:
        return self.base_url + path


@dataclass(frozen=True, slots=True)
class PageHead:
    """The ``<head>`` of one page."""

    title: str
    description: str
    headline: str = ""
    canonical: str | None = None
    og_type: str = "website"
    image: str | None = None
    language: str = "en"
    extra: str = ""


def head_html(ctx: RenderContext, head: PageHead) -> str:
    site = ctx.catalog.name
    og = {"og:site_name": site, "og:title": head.headline or head.title,
          "og:description": head.description, "og:type": head.og_type,
          "og:locale": LOCALES.get(head.language, "en_US")}
    if head.canonical:
        og["og:url"] = head.canonical
    if head.image:
        og["og:image"] = head.image
    parts = ['<meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{esc(head.title)}</title>",
             f'<meta name="description" content="{esc(head.description)}">']
    if head.canonical:
        parts.append(f'<link rel="canonical" href="{esc(head.canonical)}">')
    parts += [f'<meta property="{key}" content="{esc(value)}">' for key, value in og.items()]
    parts += ['<meta name="twitter:card" content="summary_large_image">',
              f'<link rel="alternate" type="application/rss+xml" title="{esc(site)} &raquo; Feed"'
              f' href="{ctx.absolute("/feed.xml")}">',
              '<link rel="stylesheet" href="/static/site.css">',
              '<link rel="icon" href="/static/favicon.png">']
    if head.extra:
        parts.append(head.extra)
    return "<head>\n" + "\n".join(parts) + "\n</head>"


def document(ctx: RenderContext, head: PageHead, body_class: str, body: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="{esc(head.language)}">\n{head_html(ctx, head)}\n'
            f'<body class="{esc(body_class)}">\n{body}\n</body>\n</html>\n')


def nav_html(ctx: RenderContext, nav_class: str, list_class: str) -> str:
    items = ['<li class="menu-item"><a href="/">Home</a></li>']
    items += [f'<li class="menu-item"><a href="/section/{s.slug}/">{esc(s.title)}</a></li>'
              for s in ctx.catalog.sections]
    items.append('<li class="menu-item"><a href="/about/">About</a></li>')
    return (f'<nav class="{nav_class}" aria-label="Main menu"><ul class="{list_class}">'
            + "".join(items) + "</ul></nav>")


def search_box(form_class: str) -> str:
    trending = " ".join(f'<a href="/search/?q={esc(term.replace(" ", "+"))}">{esc(term)}</a>'
                        for term in TRENDING_SEARCHES)
    return (f'<form class="{form_class}" role="search" method="get" action="/search/">'
            '<label>Search <input type="search" name="q" placeholder="Search …"></label>'
            '<button type="submit">Search</button></form>'
            f'<p class="trending-searches">Trending: {trending}</p>')


def recent_posts(ctx: RenderContext, exclude: DemoArticle | None,
                 date_text: Callable[[str], str], limit: int = 6) -> str:
    """A list of other headlines with their dates (dates the extractor must not take)."""
    rows = []
    for other in list(ctx.catalog.others(exclude))[:limit]:
        rows.append(f'<li><a href="{other.path}">{esc(other.title)}</a> '
                    f'<span class="post-date">{esc(date_text(other.published))}</span></li>')
    return "<ul>" + "".join(rows) + "</ul>"


def most_viewed(ctx: RenderContext, exclude: DemoArticle | None, limit: int = 5) -> list[
        DemoArticle]:
    counted = [a for a in ctx.catalog.others(exclude) if a.views is not None]
    return sorted(counted, key=lambda a: a.views or 0, reverse=True)[:limit]


def tag_links(tags: Iterable[str], link_class: str = "tag") -> str:
    return " ".join(f'<a class="{link_class}" rel="tag" href="/tag/{slugify(t)}/">{esc(t)}</a>'
                    for t in tags)


def author_link(name: str, css_class: str = "url fn n") -> str:
    return f'<a class="{css_class}" href="/author/{slugify(name)}/" rel="author">{esc(name)}</a>'


def newsletter_box(css_class: str, language: str = "en") -> str:
    if language == "vi":
        heading, text, button = ("Đăng ký bản tin", "Nhận tin nổi bật mỗi sáng qua email.",
                                 "Đăng ký")
    else:
        heading, text, button = ("The Morning Brief", "Get the day's top stories in your "
                                 "inbox every morning. Free, and you can unsubscribe anytime.",
                                 "Sign up")
    return (f'<aside class="{css_class}"><h3>{esc(heading)}</h3><p>{esc(text)}</p>'
            '<form action="/newsletter/subscribe" method="post">'
            f'<input type="email" name="email" placeholder="you@example.com">'
            f'<button type="submit">{esc(button)}</button></form></aside>')


def cookie_notice(language: str = "en") -> str:
    if language == "vi":
        text, accept = ("Chúng tôi sử dụng cookie để cải thiện trải nghiệm của bạn.", "Đồng ý")
    else:
        text, accept = ("We use cookies to personalise content and to analyse our traffic. "
                        "By continuing to browse you agree to our use of cookies.", "Accept")
    return (f'<div id="cookie-notice" class="cookie-notice" role="dialog"><p>{esc(text)} '
            f'<a href="/about/#privacy">Privacy policy</a></p>'
            f'<button type="button" class="cookie-accept">{esc(accept)}</button></div>')


def site_footer(ctx: RenderContext, css_class: str) -> str:
    sections = "".join(f'<li><a href="/section/{s.slug}/">{esc(s.title)}</a></li>'
                       for s in ctx.catalog.sections)
    name = esc(ctx.catalog.name)
    return (f'<footer class="{css_class}"><div class="footer-widgets">'
            f'<section class="footer-about"><h4>About {name}</h4><p>{esc(ctx.catalog.tagline)}'
            '</p><p><a href="/about/">About us</a> · <a href="/contact/">Contact</a> · '
            '<a href="/about/#privacy">Privacy</a> · <a href="/about/#terms">Terms of use</a>'
            '</p></section>'
            f'<section class="footer-sections"><h4>Sections</h4><ul>{sections}</ul></section>'
            '<section class="footer-follow"><h4>Follow us</h4><ul>'
            '<li><a href="/feed.xml">RSS feed</a></li>'
            '<li><a href="https://www.facebook.com/example">Facebook</a></li>'
            '<li><a href="https://twitter.com/example">X / Twitter</a></li></ul></section>'
            f'</div><p class="copyright">&copy; 2025 {name}. All rights reserved.</p></footer>')


def figure_src(article: DemoArticle, number: int) -> str:
    return article.image.removesuffix(".png") + f"-{number}.png"


def body_html(article: DemoArticle, figure_class: str = "wp-block-image",
              inserts: Mapping[int, str] | None = None) -> str:
    """The article body; ``inserts`` puts extra HTML (boilerplate) after a block index."""
    parts: list[str] = []
    figures = 0
    for index, block in enumerate(article.blocks):
        if block.kind == "figure":
            figures += 1
            parts.append(f'<figure class="{figure_class}"><img src="{figure_src(article, figures)}"'
                         f' alt="{esc(block.text)}" width="800" height="450" loading="lazy">'
                         f"<figcaption>{esc(block.text)}</figcaption></figure>")
        elif block.kind in ("ul", "ol"):
            items = "".join(f"<li>{inline_html(item)}</li>" for item in block.items)
            parts.append(f"<{block.kind}>{items}</{block.kind}>")
        elif block.kind == "blockquote":
            parts.append(f"<blockquote><p>{inline_html(block.text)}</p></blockquote>")
        elif block.kind == "h2":
            parts.append(f"<h2>{esc(block.text)}</h2>")
        else:
            parts.append(f"<p>{inline_html(block.text)}</p>")
        if inserts and index in inserts:
            parts.append(inserts[index])
    return "\n".join(parts)


def plain_lead(article: DemoArticle, limit: int = 180) -> str:
    lead = plain_text(article.lead())
    return lead if len(lead) <= limit else lead[: limit - 1].rsplit(" ", 1)[0] + "…"
