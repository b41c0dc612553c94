"""The demo site as a function: a request path to a ``Response`` (status, bytes, type, dates).

No sockets here; ``server.py`` puts this behind HTTP.  Pages are rendered per request from the
catalog with the server's real base URL.
"""

from __future__ import annotations

import hashlib
import re
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from urllib.parse import parse_qs, urlsplit

from scraper.demo.catalog import Catalog, DemoArticle, load_catalog, slugify
from scraper.demo.feeds import render_feed, render_robots, render_sitemap
from scraper.demo.formats import to_utc
from scraper.demo.layout import RenderContext
from scraper.demo.listings import (
    render_collection,
    render_home,
    render_not_found,
    render_search,
    render_section,
    render_static,
)
from scraper.demo.seed import load_seed
from scraper.demo.theme_drupal import render_drupal
from scraper.demo.theme_newsroom import render_amp, render_newsroom
from scraper.demo.theme_wordpress import render_print, render_wordpress

HTML = "text/html; charset=utf-8"
SITE_EPOCH = datetime(2024, 1, 2, 9, 0, tzinfo=UTC)
_SECTION_PAGE = re.compile(r"^/section/([a-z0-9-]+)/(?:page/(\d+)/)?$")
_ARCHIVE = re.compile(r"^/(author|tag)/([a-z0-9-]+)/$")
_PRINT = re.compile(r"^/print/([a-z0-9-]+)/$")
_STYLES = {
    "/static/site.css": "body{font-family:Georgia,serif;margin:0;color:#222}"
    ".container{display:flex;gap:2rem;max-width:1200px;margin:auto}"
    ".content-area,.page__main,.layout-content{flex:3}.widget-area,.page__rail,"
    ".layout-sidebar-second{flex:1}.cookie-notice{position:fixed;bottom:0;background:#eee}\n",
    "/static/print.css": "body{font-family:serif;max-width:40em;margin:2em auto}"
    "a{color:inherit}\n",
}


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    body: bytes
    content_type: str
    last_modified: datetime | None = None
    location: str | None = None


@cache
def default_catalog() -> Catalog:
    """The bundled articles plus the seed page when it can be found (read once)."""
    return load_catalog(load_seed())


def placeholder_png(key: str) -> bytes:
    """A small solid-colour PNG, its colour derived from ``key`` (stands in for photos)."""
    red, green, blue = hashlib.sha256(key.encode()).digest()[:3]
    width, height = 16, 9
    rows = b"".join(b"\x00" + bytes((red, green, blue)) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


class DemoSite:
    """Routes request targets to rendered pages."""

    def __init__(self, catalog: Catalog | None = None) -> None:
        self.catalog = catalog if catalog is not None else default_catalog()
        changes = [to_utc(a.last_change) for a in self.catalog.articles]
        self.newest_change = max(changes, default=SITE_EPOCH)

    def respond(self, target: str, base_url: str) -> Response:
        """The response for a request target such as ``/world/?utm_source=x``."""
        parts = urlsplit(target)
        path = parts.path or "/"
        ctx = RenderContext(base_url=base_url.rstrip("/"), catalog=self.catalog)
        response = self._route(ctx, path, parts.query)
        if response is None and self._needs_slash(ctx, path):
            location = path + "/" + (f"?{parts.query}" if parts.query else "")
            return Response(301, b"", HTML, location=location)
        if response is None:
            return Response(404, render_not_found(ctx).encode(), HTML)
        return response

    def _needs_slash(self, ctx: RenderContext, path: str) -> bool:
        """'/world/2024/05/slug' redirects to the slashed canonical form, as WordPress does."""
        if path.endswith("/") or "." in path.rsplit("/", 1)[-1]:
            return False
        return self._route(ctx, path + "/", "") is not None

    def _route(self, ctx: RenderContext, path: str, query: str) -> Response | None:
        fixed = self._fixed_route(ctx, path, query)
        if fixed is not None:
            return fixed
        if path.startswith(("/media/", "/static/")) and path.endswith(".png"):
            return Response(200, placeholder_png(path), "image/png", SITE_EPOCH)
        if match := _SECTION_PAGE.match(path):
            page = render_section(ctx, match.group(1), int(match.group(2) or 1))
            return self._listing(page)
        if match := _ARCHIVE.match(path):
            return self._archive(ctx, match.group(1), match.group(2))
        if match := _PRINT.match(path):
            printable = self.catalog.by_slug(match.group(1))
            if printable is None or printable.template != "A":
                return None
            return self._article(printable, render_print(ctx, printable))
        if path.startswith("/amp/"):
            amp = self.catalog.article_at(path.removeprefix("/amp"))
            if amp is None or amp.template != "B":
                return None
            return self._article(amp, render_amp(ctx, amp))
        article = self.catalog.article_at(path)
        if article is None:
            return None
        return self._article(article, _RENDERERS[article.template](ctx, article))

    def _fixed_route(self, ctx: RenderContext, path: str, query: str) -> Response | None:
        newest = self.newest_change
        if path == "/":
            return Response(200, render_home(ctx).encode(), HTML, newest)
        if path == "/robots.txt":
            return Response(200, render_robots(ctx).encode(), "text/plain; charset=utf-8",
                            SITE_EPOCH)
        if path == "/sitemap.xml":
            return Response(200, render_sitemap(ctx).encode(), "application/xml; charset=utf-8",
                            newest)
        if path == "/feed.xml":
            return Response(200, render_feed(ctx).encode(),
                            "application/rss+xml; charset=utf-8", newest)
        if path in _STYLES:
            return Response(200, _STYLES[path].encode(), "text/css; charset=utf-8", SITE_EPOCH)
        if path == "/search/":
            terms = parse_qs(query).get("q", [""])[0]
            return Response(200, render_search(ctx, terms).encode(), HTML)
        if path in ("/about/", "/contact/"):
            page = render_static(ctx, path.strip("/"))
            return Response(200, page.encode(), HTML, SITE_EPOCH) if page else None
        return None

    def _listing(self, page: str | None) -> Response | None:
        return Response(200, page.encode(), HTML, self.newest_change) if page else None

    def _archive(self, ctx: RenderContext, kind: str, slug: str) -> Response | None:
        if kind == "author":
            articles = self.catalog.by_author(slug)
            names = {n for a in articles for n in a.authors if slugify(n) == slug}
            label = f"Author: {next(iter(names))}" if names else ""
        else:
            articles = self.catalog.by_tag(slug)
            tags = {t for a in articles for t in a.tags if slugify(t) == slug}
            label = f"Tag: {next(iter(tags))}" if tags else ""
        if not articles:
            return None
        return self._listing(render_collection(ctx, kind, slug, articles, label))

    @staticmethod
    def _article(article: DemoArticle, page: str) -> Response:
        return Response(200, page.encode(), HTML, to_utc(article.last_change))


_RENDERERS: dict[str, Callable[[RenderContext, DemoArticle], str]] = {
    "A": render_wordpress, "B": render_newsroom, "C": render_drupal}
