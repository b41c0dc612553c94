"""robots.txt, the XML sitemap and the RSS 2.0 feed: what a crawler discovers articles from."""

from __future__ import annotations

from xml.sax.saxutils import escape

from scraper.demo.formats import rss_date, sitemap_lastmod
from scraper.demo.layout import RenderContext, plain_lead
from scraper.demo.links import feed_url


def render_robots(ctx: RenderContext) -> str:
    return ("# robots.txt for the demo site\n"
            "User-agent: *\n"
            "Disallow: /search/\n"
            "Disallow: /wp-admin/\n"
            "Allow: /wp-admin/admin-ajax.php\n"
            "\n"
            f"Sitemap: {ctx.absolute('/sitemap.xml')}\n")


def render_sitemap(ctx: RenderContext) -> str:
    entries = "".join(
        f"<url><loc>{escape(ctx.absolute(a.path))}</loc>"
        f"<lastmod>{sitemap_lastmod(a.last_change)}</lastmod></url>\n"
        for a in ctx.catalog.articles)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{entries}</urlset>\n")


def render_feed(ctx: RenderContext) -> str:
    catalog = ctx.catalog
    items = []
    for article in catalog.articles:
        creators = "".join(f"<dc:creator>{escape(name)}</dc:creator>" for name in article.authors)
        categories = "".join(f"<category>{escape(tag)}</category>" for tag in article.tags)
        items.append(
            f"<item><title>{escape(article.title)}</title>"
            f"<link>{escape(ctx.absolute(feed_url(article)))}</link>"
            f'<guid isPermaLink="true">{escape(ctx.absolute(article.path))}</guid>'
            f"<pubDate>{rss_date(article.published)}</pubDate>{creators}{categories}"
            f"<description>{escape(plain_lead(article, 300))}</description></item>\n")
    newest = catalog.articles[0].published if catalog.articles else "2025-01-01"
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:atom="http://www.w3.org/2005/Atom">\n<channel>\n'
            f"<title>{escape(catalog.name)}</title>\n<link>{escape(ctx.absolute('/'))}</link>\n"
            f'<atom:link href="{escape(ctx.absolute("/feed.xml"))}" rel="self" '
            'type="application/rss+xml"/>\n'
            f"<description>{escape(catalog.tagline)}</description>\n<language>en</language>\n"
            f"<lastBuildDate>{rss_date(newest)}</lastBuildDate>\n"
            + "".join(items) + "</channel>\n</rss>\n")
