"""A real HTTP/1.1 server on 127.0.0.1 that misbehaves on purpose, for the network tests.

Use it as a context manager (``with MisbehavingServer() as server: ...``) or through the pytest
fixtures ``site`` and ``other_site`` (two servers = two ports = two politeness hosts); a test
module takes them by assignment: ``site = misbehaving_server.site`` (an import of the name
would be flagged by ruff as redefined by the test's parameter).

Every request is recorded with its monotonic and wall-clock start, and the server measures how
many requests it had in flight at once (``max_in_flight``; ``intervals`` for overlaps across
servers).  ``tls_dir`` serves HTTPS with a self-signed certificate no client trusts.

Routes (``PATH`` prefixes; ``<key>`` is free text that makes a separate counter):

    /robots.txt            ``robots_txt`` (Disallow: /private), ``robots_status`` or a redirect
                           to ``robots_location``
    /page/<key>            small HTML page          /private/<key>   HTML, disallowed by robots
    /hold/<key>            HTML after ``hold_seconds`` (to measure concurrency)
    /slow                  HTML after ``slow_seconds`` (longer than the client's timeout)
    /status/<code>         that status, always      /no-type         HTML without Content-Type
    /flaky429/<key>        429 + Retry-After: ``retry_after`` for the first ``fail_first``
    /flaky503/<key>        503 + Retry-After as an HTTP-date ``retry_after`` seconds ahead, same
    /long429               429 + Retry-After: 3600
    /reset                 headers and part of the body, then a TCP reset
    /huge, /huge-unsized   ``huge_bytes`` of body, with / without Content-Length
    /bomb                  gzip: a few KB on the wire, ``bomb_bytes`` decoded
    /gzip-page             a normal gzip-encoded HTML page
    /deflate-page          HTML in raw deflate (no zlib header)
    /image.png, /file.bin  binary bodies
    /loop/a, /loop/b       redirect to each other
    /chain/<n>             301 to /chain/<n-1>; /chain/0 is HTML
    /redirect?to=<url>     302 to that URL
    /etag                  ETag "v1"; 304 when If-None-Match matches

Hostile inputs of issue 13 part A (URLs, charsets, Retry-After, JSON-LD; see the block below):

    /hostile/ipv6-links            an article linking to IPv6 literals and bad ports
    /hostile/ipv6-canonical        an article whose rel=canonical is an IPv6-literal URL
    /hostile/broken-urls/<n>       an article with broken URL <n> of ``BROKEN_URLS`` in its
                                   headline link, canonical, og:url, feed link and comments
    /hostile/charset/<where>/<cs>  an ASCII article declaring charset <cs> in the HTTP header
                                   (<where> = header) or in <meta charset> (<where> = meta;
                                   meta-latin1: with Latin-1 letters, so not UTF-8 either)
    /hostile/retry-after/<kind>    503 with a Retry-After of 400 digits (digits400), 5,000
                                   digits (digits5000) or a superscript two (superscript)
    /hostile/retry-after-later/<kind>  an article the first time, then that 503 (for snapshot)
    /hostile/deep-json-ld/<n>      an article whose JSON-LD nests <n> levels deep

Hostile-web routes of issue 13 part B (articles, canonical claims, endless sitemaps, feed
floods, absurd counters) live in ``tests/hostile_web_routes.py``.
    /costly/<name>        part C of issue 13: ``hostile_pages.PAGES[name]``, e.g. slow to extract
"""

from __future__ import annotations

import email.utils
import functools
import gzip
import socket
import ssl
import struct
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests import hostile_pages
from tests.hostile_web_routes import HOSTILE_WEB_ROUTES

DEFAULT_ROBOTS = "User-agent: *\nDisallow: /private\nSitemap: {base}/sitemap.xml\n"
HTML = b"<!doctype html><html><head><title>%s</title></head><body><p>%s</p></body></html>"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(200)
_CHUNK = 64 * 1024

# A throwaway self-signed certificate for 127.0.0.1 (valid until 2126), made for these tests only:
# no client trusts it, which is the point of the TLS test.
TEST_CERT = """-----BEGIN CERTIFICATE-----
MIIBkDCCATagAwIBAgIUZakFJAB2/YPSWt25ic7R0HarDZIwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTEyNTA3MTI0OVoYDzIxMjYxMTAx
MDcxMjQ5WjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAAS+qYXiA0FITq8YI+rybbgGKjQPDXyM29p7pZqDrEuYDLco9maknRDg
jfa1AznCHp06gnE3oHfSp6eFo4R065nNo2QwYjAdBgNVHQ4EFgQUkR0dlJZ+/Q5U
C6kNWv6NR7FBFSYwHwYDVR0jBBgwFoAUkR0dlJZ+/Q5UC6kNWv6NR7FBFSYwDwYD
VR0TAQH/BAUwAwEB/zAPBgNVHREECDAGhwR/AAABMAoGCCqGSM49BAMCA0gAMEUC
IAE88OqZ7axuz/Soxm70uI9CVF5FapBPFYYPZ1c93cZHAiEAnfcCzWSd2Udd+xCL
9qg7lytcC+8Ce93IhzrPW9UzhHs=
-----END CERTIFICATE-----
"""
TEST_KEY = """-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgmv3ndTS//HoQBfW0
bC1Zy2v0rlWSYbpLzMFIbxKXq56hRANCAAS+qYXiA0FITq8YI+rybbgGKjQPDXyM
29p7pZqDrEuYDLco9maknRDgjfa1AznCHp06gnE3oHfSp6eFo4R065nN
-----END PRIVATE KEY-----
"""


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    path: str  # path and query, as sent
    started: float  # time.monotonic() when the request line arrived
    wall: float  # time.time() at the same moment
    headers: dict[str, str]  # lower-case names


@functools.cache
def gzip_bomb(size: int) -> bytes:
    return gzip.compress(bytes(size), compresslevel=9, mtime=0)


class MisbehavingServer:
    """One threaded server; every option below can be changed while it runs."""

    def __init__(self, *, robots_txt: str | None = DEFAULT_ROBOTS, robots_status: int = 200,
                 robots_location: str | None = None, hold_seconds: float = 0.3,
                 slow_seconds: float = 10.0, retry_after: int = 1, fail_first: int = 1,
                 huge_bytes: int = 3 * 1024 * 1024, bomb_bytes: int = 20 * 1024 * 1024,
                 tls_dir: Path | None = None) -> None:
        self.robots_txt = robots_txt
        self.robots_status = robots_status
        self.robots_location = robots_location
        self.hold_seconds = hold_seconds
        self.slow_seconds = slow_seconds
        self.retry_after = retry_after
        self.fail_first = fail_first
        self.huge_bytes = huge_bytes
        self.bomb_bytes = bomb_bytes
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._requests: list[RecordedRequest] = []
        self._counts: dict[str, int] = {}
        self._in_flight = 0
        self.max_in_flight = 0
        self.intervals: list[tuple[float, float]] = []  # (arrived, answered), monotonic
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        self.scheme = "http"
        if tls_dir is not None:
            self._httpd.socket = _tls_context(tls_dir).wrap_socket(self._httpd.socket,
                                                                   server_side=True)
            self.scheme = "https"
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    @property
    def host(self) -> str:
        """The politeness key of this server (``scraper.urls.host_key``)."""
        return f"127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def requests(self, prefix: str = "") -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self._requests if r.path.startswith(prefix)]

    def __enter__(self) -> MisbehavingServer:
        gzip_bomb(self.bomb_bytes)  # build it before any client starts its clock
        self._thread.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def _arrived(self, path: str, headers: dict[str, str]) -> int:
        """Record a request; returns how many times this exact path was asked before."""
        with self._lock:
            self._requests.append(RecordedRequest(path, time.monotonic(), time.time(), headers))
            seen = self._counts.get(path, 0)
            self._counts[path] = seen + 1
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
            return seen

    def _answered(self, arrived: float) -> None:
        """Called just BEFORE a response is sent, so a client's next request cannot overlap."""
        with self._lock:
            self._in_flight -= 1
            self.intervals.append((arrived, time.monotonic()))


def _tls_context(directory: Path) -> ssl.SSLContext:
    cert, key = directory / "cert.pem", directory / "key.pem"
    cert.write_text(TEST_CERT, encoding="ascii")
    key.write_text(TEST_KEY, encoding="ascii")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


def max_overlap(intervals: list[tuple[float, float]]) -> int:
    """The most intervals open at one moment (an end and a start at one instant do not overlap)."""
    events = sorted([(start, 1) for start, _ in intervals] + [(end, -1) for _, end in intervals])
    most = current = 0
    for _, step in events:
        current += step
        most = max(most, current)
    return most


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: MisbehavingServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients hanging up on purpose (too_large, timeouts) are part of the tests."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as separate writes
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the tests read ``MisbehavingServer.requests`` instead."""

    def do_GET(self) -> None:
        owner = self.server.owner
        self._arrived_at = time.monotonic()
        self._answered = False
        seen = owner._arrived(self.path, {k.lower(): v for k, v in self.headers.items()})
        try:
            self._route(owner, seen)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        finally:
            self._answer()

    def _answer(self) -> None:
        if not self._answered:
            self._answered = True
            self.server.owner._answered(self._arrived_at)

    def send_response(self, code: int, message: str | None = None) -> None:
        self._answer()
        super().send_response(code, message)

    def _route(self, owner: MisbehavingServer, seen: int) -> None:
        path = urlsplit(self.path).path
        for prefix, route in _ROUTES:
            if path == prefix or (prefix.endswith("/") and path.startswith(prefix)):
                route(self, owner, seen)
                return
        self._send(404, b"not found", "text/plain")

    def _send(self, status: int, body: bytes, content_type: str | None = "text/html; charset=utf-8",
              **headers: str) -> None:
        self.send_response(status)
        if content_type is not None:
            self.send_header("Content-Type", content_type)
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _html(self, title: str = "page") -> None:
        self._send(200, HTML % (title.encode(), b"Some text."))

    # -- routes ---------------------------------------------------------------------------------

    def robots(self, owner: MisbehavingServer, seen: int) -> None:
        if owner.robots_location is not None:
            self._send(301, b"", "text/plain", Location=owner.robots_location)
            return
        if owner.robots_txt is None or owner.robots_status != 200:
            self._send(owner.robots_status if owner.robots_txt is not None else 404, b"no robots")
            return
        self._send(200, owner.robots_txt.format(base=owner.base).encode(), "text/plain")

    def page(self, owner: MisbehavingServer, seen: int) -> None:
        self._html(self.path)

    def hold(self, owner: MisbehavingServer, seen: int) -> None:
        owner.stopping.wait(owner.hold_seconds)
        self._html(self.path)

    def slow(self, owner: MisbehavingServer, seen: int) -> None:
        owner.stopping.wait(owner.slow_seconds)
        self._html(self.path)

    def status(self, owner: MisbehavingServer, seen: int) -> None:
        code = int(self.path.rstrip("/").rsplit("/", 1)[1])
        self._send(code, b"status %d" % code, "text/plain")

    def no_type(self, owner: MisbehavingServer, seen: int) -> None:
        self._send(200, HTML % (b"untyped", b"No Content-Type header."), None)

    def flaky429(self, owner: MisbehavingServer, seen: int) -> None:
        if seen < owner.fail_first:
            self._send(429, b"slow down", "text/plain", Retry_After=str(owner.retry_after))
        else:
            self._html("recovered")

    def flaky503(self, owner: MisbehavingServer, seen: int) -> None:
        if seen < owner.fail_first:
            when = email.utils.formatdate(time.time() + owner.retry_after, usegmt=True)
            self._send(503, b"maintenance", "text/plain", Retry_After=when)
        else:
            self._html("recovered")

    def long429(self, owner: MisbehavingServer, seen: int) -> None:
        self._send(429, b"come back tomorrow", "text/plain", Retry_After="3600")

    def reset(self, owner: MisbehavingServer, seen: int) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", "100000")
        self.end_headers()
        self.wfile.write(b"<html><body>" + b"x" * 1000)
        # SO_LINGER 0: closing sends RST instead of FIN, the way a crashed peer looks.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.rfile.close()
        self.close_connection = True

    def huge(self, owner: MisbehavingServer, seen: int) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        if self.path.startswith("/huge-unsized"):
            self.send_header("Connection", "close")
            self.close_connection = True
        else:
            self.send_header("Content-Length", str(owner.huge_bytes))
        self.end_headers()
        sent = 0
        while sent < owner.huge_bytes and not owner.stopping.is_set():
            chunk = b"<p>filler</p>" * (_CHUNK // 13)
            chunk = chunk[: owner.huge_bytes - sent]
            self.wfile.write(chunk)
            sent += len(chunk)

    def bomb(self, owner: MisbehavingServer, seen: int) -> None:
        self._send(200, gzip_bomb(owner.bomb_bytes), Content_Encoding="gzip")

    def gzip_page(self, owner: MisbehavingServer, seen: int) -> None:
        self._send(200, gzip.compress(HTML % (b"zipped", b"Compressed text.")),
                   Content_Encoding="gzip")

    def deflate_page(self, owner: MisbehavingServer, seen: int) -> None:
        """Raw deflate (no zlib header), as some servers wrongly send for "deflate"."""
        squeezer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
        body = squeezer.compress(HTML % (b"deflated", b"Deflated text.")) + squeezer.flush()
        self._send(200, body, Content_Encoding="deflate")

    def image(self, owner: MisbehavingServer, seen: int) -> None:
        self._send(200, PNG, "image/png")

    def binary(self, owner: MisbehavingServer, seen: int) -> None:
        self._send(200, bytes(range(256)) * 4, "application/octet-stream")

    def loop(self, owner: MisbehavingServer, seen: int) -> None:
        other = "/loop/b" if self.path.startswith("/loop/a") else "/loop/a"
        self._send(302, b"", "text/plain", Location=other)

    def chain(self, owner: MisbehavingServer, seen: int) -> None:
        left = int(self.path.rstrip("/").rsplit("/", 1)[1])
        if left <= 0:
            self._html("end of chain")
        else:
            self._send(301, b"", "text/plain", Location=f"/chain/{left - 1}")

    def redirect(self, owner: MisbehavingServer, seen: int) -> None:
        target = parse_qs(urlsplit(self.path).query)["to"][0]
        self._send(302, b"", "text/plain", Location=target)

    def etag(self, owner: MisbehavingServer, seen: int) -> None:
        if self.headers.get("If-None-Match") == '"v1"':
            self.send_response(304)
            self.send_header("ETag", '"v1"')
            self.end_headers()
            return
        self._send(200, HTML % (b"tagged", b"Versioned."), ETag='"v1"',
                   Last_Modified="Mon, 03 Nov 2025 10:00:00 GMT")


    # -- issue 13, part C: pages costly to extract (tests/hostile_pages.py) ----------------------

    def hostile(self, owner: MisbehavingServer, seen: int) -> None:
        self._send(200, hostile_pages.PAGES[self.path.rsplit("/", 1)[-1]]().encode())


_Route = Callable[[_Handler, MisbehavingServer, int], None]
_ROUTES: tuple[tuple[str, _Route], ...] = (
    ("/robots.txt", _Handler.robots), ("/page/", _Handler.page), ("/private/", _Handler.page),
    ("/hold/", _Handler.hold), ("/slow", _Handler.slow), ("/status/", _Handler.status),
    ("/no-type", _Handler.no_type), ("/flaky429/", _Handler.flaky429),
    ("/flaky503/", _Handler.flaky503), ("/long429", _Handler.long429), ("/reset", _Handler.reset),
    ("/huge", _Handler.huge), ("/huge-unsized", _Handler.huge), ("/bomb", _Handler.bomb),
    ("/gzip-page", _Handler.gzip_page), ("/deflate-page", _Handler.deflate_page),
    ("/image.png", _Handler.image),
    ("/file.bin", _Handler.binary), ("/loop/", _Handler.loop), ("/chain/", _Handler.chain),
    ("/redirect", _Handler.redirect), ("/etag", _Handler.etag),
    *HOSTILE_WEB_ROUTES,
    ("/costly/", _Handler.hostile),  # issue 13, part C
)


# -- hostile inputs (issue 13, part A) -------------------------------------------------------------
# Kept apart from the routes above so that other hostile routes can be added beside it.

ARTICLE_TEXT = ("The council met on Tuesday evening to debate the new budget, and after four "
                "hours of discussion the members agreed on a compromise that funds libraries. ")
RETRY_AFTER_VALUES = {"digits400": "9" * 400, "digits5000": "9" * 5000, "superscript": "\u00b2"}


def article_page(title: str, head: str = "", body: str = "") -> bytes:
    """A page the extractor takes for an article, with extra ``head``/``body`` markup; in
    Latin-1 bytes (ASCII unless the markup has other characters)."""
    paragraphs = "".join(f"<p>{title}: {ARTICLE_TEXT * 2} Point {n}.</p>" for n in range(6))
    return (f"<!doctype html><html lang='en'><head><title>{title}</title>"
            f"<meta property='og:type' content='article'>{head}</head><body><article>"
            f"<h1>{title}</h1>{paragraphs}{body}</article></body></html>").encode("latin-1")


def _hostile_ipv6_links(handler: _Handler, owner: MisbehavingServer, seen: int) -> None:
    links = ["http://[2001:db8::1]/a", "http://[::1]:8080/", "http://[::1/broken",
             f"http://127.0.0.1:{owner.port}:99/x", "http://127.0.0.1:99999/x",
             "http://127.0.0.1:-1/x", "http://[zz::1]/x", "/page/after-ipv6"]
    body = "".join(f"<p><a href='{link}'>link {n}</a></p>" for n, link in enumerate(links))
    handler._send(200, article_page("Links to IPv6 literals", body=body))


def _hostile_ipv6_canonical(handler: _Handler, owner: MisbehavingServer, seen: int) -> None:
    head = "<link rel='canonical' href='http://[2001:db8::1]/story'>"
    handler._send(200, article_page("Canonical on an IPv6 literal", head=head))


BROKEN_URLS = ("http://[::1/x", "http://[zz::1]/x", "http://127.0.0.1:99999/x",
               "http://127.0.0.1:-1/x")


def _hostile_broken_urls(handler: _Handler, owner: MisbehavingServer, seen: int) -> None:
    url = BROKEN_URLS[int(handler.path.rsplit("/", 1)[1])]
    head = (f"<link rel='canonical' href='{url}'><meta property='og:url' content='{url}'>"
            f"<link rel='alternate' type='application/rss+xml' href='{url}'>")
    comments = "".join(f"<li><a href='{url}#c{n}'>Reader {n}</a> wrote a long comment about "
                       "the budget and the libraries.</li>" for n in range(3))
    body = f"<h2><a href='{url}'>More</a></h2><div class='comments'><ol>{comments}</ol></div>"
    page = article_page("Broken URLs", head=head, body=body)
    handler._send(200, page.replace(b"<h1>Broken URLs</h1>",
                                    f"<h1><a href='{url}'>Broken URLs</a></h1>".encode()))


def _hostile_charset(handler: _Handler, owner: MisbehavingServer, seen: int) -> None:
    where, _, charset = handler.path.removeprefix("/hostile/charset/").partition("/")
    title = f"Declared {charset} in the {where}"
    if where == "header":
        page, content_type = article_page(title), f"text/html; charset={charset}"
    else:  # meta, or meta-latin1: the page has Latin-1 letters too, so it is not UTF-8
        extra = "<p>Caf\u00e9 cr\u00e8me br\u00fbl\u00e9e.</p>" if where.endswith("latin1") else ""
        page = article_page(title, head=f"<meta charset={charset}>", body=extra)
        content_type = "text/html"
    # An even length: ASCII bytes then decode as UTF-16 without an error, into CJK noise.
    handler._send(200, page + b"\n" * (len(page) % 2), content_type)


def _hostile_retry_after(handler: _Handler, owner: MisbehavingServer, seen: int) -> None:
    value = RETRY_AFTER_VALUES[handler.path.rsplit("/", 1)[1]]
    handler._send(503, b"maintenance", "text/plain", Retry_After=value)


def _hostile_retry_after_later(handler: _Handler, owner: MisbehavingServer, seen: int) -> None:
    if seen == 0:
        handler._send(200, article_page("Maintenance coming"))
    else:
        _hostile_retry_after(handler, owner, seen)


def _hostile_deep_json_ld(handler: _Handler, owner: MisbehavingServer, seen: int) -> None:
    depth = int(handler.path.rsplit("/", 1)[1])
    nested = '{"a":' * depth + "1" + "}" * depth
    script = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": '
              f'"Deep JSON-LD", "about": {nested}}}</script>'
              f'<script type="application/ld+json">{"[" * depth}{"]" * depth}</script>')
    handler._send(200, article_page("Deep JSON-LD", head=script))


_HOSTILE_ROUTES: tuple[tuple[str, _Route], ...] = (
    ("/hostile/ipv6-links", _hostile_ipv6_links),
    ("/hostile/ipv6-canonical", _hostile_ipv6_canonical),
    ("/hostile/broken-urls/", _hostile_broken_urls),
    ("/hostile/charset/", _hostile_charset),
    ("/hostile/retry-after/", _hostile_retry_after),
    ("/hostile/retry-after-later/", _hostile_retry_after_later),
    ("/hostile/deep-json-ld/", _hostile_deep_json_ld),
)
_ROUTES += _HOSTILE_ROUTES


@pytest.fixture
def site() -> Iterator[MisbehavingServer]:
    with MisbehavingServer() as server:
        yield server


@pytest.fixture
def other_site() -> Iterator[MisbehavingServer]:
    """A second server: another port, so another host for politeness."""
    with MisbehavingServer() as server:
        yield server
