"""A hostile news site on 127.0.0.1: normal articles among every hostile trick of issue 13.

Kept beside ``misbehaving_server`` (whose routes each test one misbehaviour) because this one is a
whole site: a home page linking everything, robots.txt, sitemaps and feeds.  ``HostileSites``
starts four servers (four ports, so four hosts):

- ``a``, the hostile site, seeded at ``/``: three normal articles (``GOOD``) and the routes of
  ``HOSTILE``: IPv6-literal links and canonical, charset ``undefined``/``punycode`` in the header
  or ``<meta>``, ``<meta charset=utf-16>`` on an ASCII page, JSON-LD nested 1,000 deep, a
  canonical and a redirect to site ``b``, redirects to port 99999 and -1, a page announcing
  ``FEEDS`` feeds, a 30-digit view and comment counter, an element with ``ATTRIBUTES``
  attributes, ``COMMENTS`` flat comments, a page that takes libxml2 seconds to parse;
  robots.txt names a sitemap index that lists itself again with a new query each time
  (``/sitemap-index.xml?n=1``, ``?n=2``, ...) beside a normal news sitemap;
- ``b``, another news site on another host (127.0.0.2: servers on 127.0.0.1 differ only by port,
  which is one site), never seeded: the target of the cross-site canonical and redirect;
- ``c`` and ``d``, seeded at one URL each: 503 with a Retry-After of 5,000 digits, and 429 with
  ``Retry-After: ²`` (one host each, so a host pause holds up nothing else).

Every request is recorded per server (``requests``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

from tests.hostile_pages import quoted_gt_attributes

DAY = "/news/2024/05/13/"
GOOD = {f"{DAY}council-agrees-budget": "Council agrees budget",
        f"{DAY}libraries-keep-their-hours": "Libraries keep their hours",
        f"{DAY}bridge-reopens-after-repairs": "Bridge reopens after repairs"}
FEEDS = 5000
ATTRIBUTES = 100_000  # 15 s of extraction before part C made it linear or bounded
COMMENTS = 20_000  # 50,000 took over 120 s before part C; 20,000 now about 2 s
PARAGRAPH = ("The council met on Tuesday evening to debate the new budget, and after four hours "
             "of discussion the members agreed on a compromise that funds the libraries. ")

Reply = tuple[int, dict[str, str], bytes]


def article(title: str, *, head: str = "", before: str = "", after: str = "",
            charset: str = "utf-8") -> bytes:
    """An article page: ``head`` goes into <head>, ``before`` right after the headline,
    ``after`` after the article."""
    body = "".join(f"<p>{title}: {PARAGRAPH * 2} Point {n}.</p>" for n in range(6))
    meta = f"<meta charset='{charset}'>" if charset else ""
    return (f"<!doctype html><html lang='en'><head>{meta}<title>{title}</title>"
            f"<meta property='og:type' content='article'>{head}</head><body><article>"
            f"<h1>{title}</h1>{before}{body}</article>{after}</body></html>").encode("ascii")


def html(body: bytes, content_type: str = "text/html; charset=utf-8") -> Reply:
    return 200, {"Content-Type": content_type}, body


def redirect(location: str) -> Reply:
    return 302, {"Location": location, "Content-Type": "text/plain"}, b""


class Server:
    """One threaded HTTP/1.0 server answering ``routes[path]`` (a function of the query)."""

    def __init__(self, address: str = "127.0.0.1") -> None:
        self.routes: dict[str, Callable[[str], Reply]] = {}
        self.requests: list[str] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer((address, 0), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.owner = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def base(self) -> str:
        address, port = self._httpd.server_address[:2]
        return f"http://{address!s}:{port}"

    def requested(self, prefix: str) -> list[str]:
        with self._lock:
            return [path for path in self.requests if path.startswith(prefix)]

    def answer(self, target: str) -> Reply:
        with self._lock:
            self.requests.append(target)
        parts = urlsplit(target)
        route = self.routes.get(parts.path)
        return route(parts.query) if route else (404, {"Content-Type": "text/plain"}, b"no")

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        status, headers, body = self.server.owner.answer(self.path)  # type: ignore[attr-defined]
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        return None


class HostileSites:
    """The four servers of the module docstring, as a context manager."""

    def __init__(self) -> None:
        self.a, self.b, self.c, self.d = Server(), Server("127.0.0.2"), Server(), Server()
        self.hostile: dict[str, str] = {}  # path on a -> what it does
        self._routes()

    @property
    def seeds(self) -> list[str]:
        return [self.a.base + "/", self.c.base + f"{DAY}retry-after-digits",
                self.d.base + f"{DAY}retry-after-superscript"]

    def __enter__(self) -> HostileSites:
        for server in (self.a, self.b, self.c, self.d):
            server.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        for server in (self.a, self.b, self.c, self.d):
            server.stop()

    def _hostile(self, name: str, what: str, reply: Reply) -> None:
        path = f"{DAY}{name}"
        self.hostile[path] = what
        self.a.routes[path] = lambda query: reply

    def _routes(self) -> None:
        a, b = self.a, self.b
        for path, title in GOOD.items():
            a.routes[path] = lambda query, title=title: html(article(title))
        b.routes[f"{DAY}b-story"] = lambda query: html(article("The real story on site B"))
        b.routes[f"{DAY}b-redirected"] = lambda query: html(article("Redirected story on site B"))
        self._hostile("charset-undefined", "charset=undefined in the header",
                      html(article("Charset undefined story", charset=""),
                           "text/html; charset=undefined"))
        self._hostile("meta-punycode", "<meta charset=punycode>",
                      html(article("Punycode charset story", charset="punycode"), "text/html"))
        self._hostile("meta-utf16", "<meta charset=utf-16> on an ASCII page",
                      html(article("Sixteen bit story", charset="utf-16"), "text/html"))
        deep = "[" * 1000 + "1" + "]" * 1000
        self._hostile("deep-json-ld", "JSON-LD nested 1,000 deep", html(article(
            "Deep structured data story", head="<script type='application/ld+json'>"
            f'{{"@type": "NewsArticle", "headline": "Deep", "about": {deep}}}</script>')))
        self._hostile("cross-canonical", "rel=canonical to site b", html(article(
            "Forged story on site A",
            head=f"<link rel='canonical' href='{b.base}{DAY}b-story'>")))
        self._hostile("ipv6-canonical", "rel=canonical to an IPv6 literal", html(article(
            "IPv6 canonical story",
            head=f"<link rel='canonical' href='http://[2001:db8::1]{DAY}v6-story'>")))
        self._hostile("cross-redirect", "302 to site b", redirect(f"{b.base}{DAY}b-redirected"))
        self._hostile("port-99999", "302 to port 99999", redirect("http://127.0.0.1:99999/x"))
        self._hostile("port-minus-1", "302 to port -1", redirect("http://127.0.0.1:-1/x"))
        feeds = "".join(f"<link rel='alternate' type='application/rss+xml' href='/feeds/{n}.xml'>"
                        for n in range(FEEDS))
        self._hostile("many-feeds", f"announces {FEEDS} feeds",
                      html(article("Story with many feeds", head=feeds)))
        huge = "123456789012345678901234567890"
        self._hostile("big-counter", "a 30-digit view and comment count", html(article(
            "Story with a huge counter",
            head="<script type='application/ld+json'>{\"@type\": \"NewsArticle\", "
                 f"\"commentCount\": {huge}, \"interactionStatistic\": {{\"@type\": "
                 "\"InteractionCounter\", \"interactionType\": \"https://schema.org/ReadAction\","
                 f" \"userInteractionCount\": {huge}}}}}</script>",
            before=f"<div class='post-meta'><span class='post-views'>{huge} views</span> "
                   f"<a href='#comments'>{huge} Comments</a></div>")))
        attributes = " ".join(f"data-a{n}='{n}'" for n in range(ATTRIBUTES))
        self._hostile("many-attributes", f"an element with {ATTRIBUTES} attributes", html(article(
            "Story with a crowded element", before=f"<div {attributes}>x</div>")))
        self._hostile("slow-extract", "attributes libxml2 reads in quadratic time", html(article(
            "Story that is slow to read", before=f"<div {quoted_gt_attributes(150_000)}>x</div>")))
        flood = "".join(f"<div class='comment' id='comment-{n}'><b>Reader {n}</b><p>Comment {n}."
                        f"</p></div>" for n in range(COMMENTS))
        self._hostile("comment-flood", f"{COMMENTS} flat comments", html(article(
            "Story with a comment flood", after=f"<section id='comments'>{flood}</section>")))
        home = "".join(f"<li><a href='{path}'>{path}</a></li>" for path in [*GOOD, *self.hostile])
        home += (f"<li><a href='http://[2001:db8::1]{DAY}v6-story'>v6</a></li>"
                 f"<li><a href='http://[::1]:8080{DAY}v6-local'>v6 local</a></li>"
                 f"<li><a href='http://[::1{DAY}broken-v6'>broken v6</a></li>")
        a.routes["/"] = lambda query: html(
            f"<html><head><title>Hostile News</title></head><body><ul>{home}</ul></body></html>"
            .encode())
        a.routes["/robots.txt"] = lambda query: (200, {"Content-Type": "text/plain"},
                                                 f"User-agent: *\nAllow: /\nSitemap: {a.base}"
                                                 "/sitemap-index.xml\n".encode())
        a.routes["/sitemap-index.xml"] = self._sitemap_index
        a.routes["/sitemap-news.xml"] = lambda query: (200, {"Content-Type": "application/xml"}, (
            "<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
            + "".join(f"<url><loc>{a.base}{path}</loc></url>" for path in GOOD)
            + "</urlset>").encode())
        a.routes.update({f"/feeds/{n}.xml": self._feed for n in range(FEEDS)})
        self.c.routes[f"{DAY}retry-after-digits"] = lambda query: (
            503, {"Content-Type": "text/plain", "Retry-After": "9" * 5000}, b"busy")
        self.d.routes[f"{DAY}retry-after-superscript"] = lambda query: (
            429, {"Content-Type": "text/plain", "Retry-After": "\u00b2"}, b"slow down")

    def _sitemap_index(self, query: str) -> Reply:
        """An index listing the news sitemap and itself again under a new query, for ever."""
        number = int(query.removeprefix("n=") or 0) + 1
        body = ("<?xml version='1.0'?><sitemapindex "
                "xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
                f"<sitemap><loc>{self.a.base}/sitemap-news.xml</loc></sitemap>"
                f"<sitemap><loc>{self.a.base}/sitemap-index.xml?n={number}</loc></sitemap>"
                "</sitemapindex>")
        return 200, {"Content-Type": "application/xml"}, body.encode()

    def _feed(self, query: str) -> Reply:
        first = next(iter(GOOD))
        body = ("<?xml version='1.0'?><rss version='2.0'><channel><title>Feed</title>"
                f"<item><title>Item</title><link>{self.a.base}{first}</link></item>"
                "</channel></rss>")
        return 200, {"Content-Type": "application/rss+xml"}, body.encode()

