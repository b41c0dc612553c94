"""The demo site, tuned for command-line tests: answers slowed down (so a crawl runs long
enough to be signalled or raced) and extra robots.txt ``Disallow`` lines.

``tuned_server(...)`` starts it on 127.0.0.1 (a free port) like ``DemoServer``.
"""

from __future__ import annotations

import dataclasses
import time
from urllib.parse import urlsplit

from scraper.demo import DemoServer
from scraper.demo.site import DemoSite, Response, default_catalog


class TunedSite(DemoSite):
    def __init__(self, delay: float = 0.0, disallow: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.delay = delay
        self.disallow = disallow

    def respond(self, target: str, base_url: str) -> Response:
        response = super().respond(target, base_url)
        if urlsplit(target).path == "/robots.txt":
            extra = "".join(f"Disallow: {path}\n" for path in self.disallow)
            body = response.body.replace(b"User-agent: *\n", f"User-agent: *\n{extra}".encode())
            return dataclasses.replace(response, body=body)
        if self.delay:
            time.sleep(self.delay)
        return response


def tuned_server(delay: float = 0.0, disallow: tuple[str, ...] = ()) -> DemoServer:
    return DemoServer(TunedSite(delay, disallow))


def article_paths() -> list[str]:
    """Canonical paths of the demo's articles, newest first."""
    return [article.path for article in default_catalog().articles]
