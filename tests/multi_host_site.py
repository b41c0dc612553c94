"""A news site spread over several hosts on 127.0.0.1 (one port each = one politeness host), for
the shared-crawl tests and ``benchmarks/distributed.py``.

Each host serves a home page linking its articles, the articles themselves (distinct text, so
no two are near-duplicates), an allow-all robots.txt and nothing else.  Some hosts answer after
a latency; a ``busy`` host answers 503 with ``Retry-After`` to its first few article requests.
Every request is logged with its wall-clock start, so a test can check across all workers that
no host saw two request starts closer than the politeness delay and that no request started
inside a Retry-After window.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

WORDS = tuple(f"{a}{b}{c}" for a in ("ka", "mo", "ri", "te", "lu", "sa", "ne", "po", "vi", "do")
              for b in ("ran", "lek", "sot", "mid", "vor", "pel", "tun", "gas")
              for c in ("", "a", "en", "is", "ot"))


@dataclass(frozen=True, slots=True)
class HostPlan:
    """One host: ``articles`` pages, answered after ``latency`` seconds; ``busy`` answers the
    first ``busy`` article requests with 503 and ``Retry-After: retry_after``."""

    articles: int = 10
    latency: float = 0.0
    busy: int = 0
    retry_after: int = 1
    missing: int = 0
    """Links on the home page to this many more articles, which answer 404 (gone)."""


@dataclass(frozen=True, slots=True)
class Hit:
    host: str
    path: str
    start: float  # wall clock (time.time()), comparable with PostgreSQL's clock on one machine
    status: int
    answered: float  # when the answer was sent (after the host's latency)


@dataclass(slots=True)
class SiteLog:
    hits: list[Hit] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, hit: Hit) -> None:
        with self.lock:
            self.hits.append(hit)

    def by_host(self) -> dict[str, list[Hit]]:
        with self.lock:
            hosts: dict[str, list[Hit]] = {}
            for hit in sorted(self.hits, key=lambda h: h.start):
                hosts.setdefault(hit.host, []).append(hit)
            return hosts


def paragraph(rng: random.Random, words: int = 60) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def article_html(host: str, number: int) -> str:
    rng = random.Random(f"{host}/{number}")
    title = " ".join(rng.choice(WORDS) for _ in range(6)).title()
    day = 1 + number % 28
    body = "".join(f"<p>{paragraph(rng)}</p>\n" for _ in range(6))
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
            f"<meta property='article:published_time' content='2026-11-{day:02d}T08:00:00Z'>"
            f"<meta name='author' content='Reporter {number}'></head><body>"
            "<header><nav><a href='/'>Home</a></nav></header><main><article>"
            f"<h1>{title}</h1><p class='byline'>By Reporter {number}</p>"
            f"<time datetime='2026-11-{day:02d}T08:00:00Z'>November {day}, 2026</time>\n"
            f"{body}</article></main><footer>Multi-host test site</footer></body></html>")


def article_path(number: int) -> str:
    return f"/news/2026/11/story-{number:04d}.html"


def home_html(plan: HostPlan) -> str:
    links = "".join(f"<li><a href='{article_path(n)}'>Story {n}</a></li>"
                    for n in range(plan.articles + plan.missing))
    return (f"<!doctype html><html><head><title>Home</title></head><body><h1>News</h1>"
            f"<ul>{links}</ul></body></html>")


class _Handler(BaseHTTPRequestHandler):
    server: _HostServer

    def do_GET(self) -> None:
        started = time.time()
        status, headers, body = self.server.answer(self.path)
        if self.server.plan.latency:
            time.sleep(self.server.plan.latency)
        self.server.log.add(Hit(self.server.name, self.path, started, status, time.time()))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            return  # the worker was killed mid-request, as the kill tests intend

    def log_message(self, format: str, *args: object) -> None:
        return


class _HostServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, plan: HostPlan, log: SiteLog) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.plan = plan
        self.log = log
        self.name = f"127.0.0.1:{self.server_address[1]}"
        self._busy_left = plan.busy
        self._lock = threading.Lock()

    def answer(self, path: str) -> tuple[int, dict[str, str], bytes]:
        html = {"Content-Type": "text/html; charset=utf-8"}
        if path == "/robots.txt":
            return 200, {"Content-Type": "text/plain"}, b"User-agent: *\nAllow: /\n"
        if path == "/":
            return 200, html, home_html(self.plan).encode()
        for number in range(self.plan.articles):
            if path == article_path(number):
                if self._take_busy():
                    return 503, {"Retry-After": str(self.plan.retry_after)}, b"busy"
                return 200, html, article_html(self.name, number).encode()
        return 404, html, b"<html><body>not found</body></html>"

    def _take_busy(self) -> bool:
        with self._lock:
            if self._busy_left <= 0:
                return False
            self._busy_left -= 1
            return True


@dataclass(slots=True)
class MultiHostSite:
    """The running hosts: ``seeds`` (one home page per host), ``log`` of every request."""

    servers: list[_HostServer]
    log: SiteLog

    @property
    def seeds(self) -> list[str]:
        return [f"http://{server.name}/" for server in self.servers]

    @property
    def article_count(self) -> int:
        return sum(server.plan.articles for server in self.servers)

    def retry_windows(self) -> dict[str, list[tuple[float, float]]]:
        """Per host, the (start, end) of each Retry-After window its 503 answers opened: from
        when the answer was sent, which is when a client can first know of it."""
        windows: dict[str, list[tuple[float, float]]] = {}
        for server in self.servers:
            for hit in self.log.by_host().get(server.name, []):
                if hit.status == 503:
                    windows.setdefault(server.name, []).append(
                        (hit.answered, hit.answered + server.plan.retry_after))
        return windows


@contextmanager
def multi_host_site(plans: list[HostPlan]) -> Iterator[MultiHostSite]:
    log = SiteLog()
    with ExitStack() as stack:
        servers = []
        for plan in plans:
            server = _HostServer(plan, log)
            stack.callback(server.server_close)
            stack.callback(server.shutdown)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            servers.append(server)
        yield MultiHostSite(servers, log)
