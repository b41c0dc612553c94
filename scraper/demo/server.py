"""An HTTP server for the demo site on 127.0.0.1: ETag/Last-Modified with 304s, gzip, HEAD,
and a request log for tests.

    with DemoServer() as server:
        urllib.request.urlopen(server.base_url + "/robots.txt")

Run by hand: ``python -m scraper.demo.server [--port N]``.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import sys
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from scraper.demo.formats import http_date
from scraper.demo.site import DemoSite, Response
from scraper.errors import BroadsheetError

HOST = "127.0.0.1"
_COMPRESSIBLE = ("text/", "application/xml", "application/rss+xml", "application/json")


@dataclass(frozen=True, slots=True)
class RequestRecord:
    """One request the server answered."""

    method: str
    path: str
    headers: dict[str, str]
    time: float
    status: int


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, owner: DemoServer, port: int) -> None:
        self.owner = owner
        super().__init__((HOST, port), _Handler)


def _accepts_gzip(header: str | None) -> bool:
    for part in (header or "").split(","):
        name, _, params = part.strip().partition(";")
        if name.strip().lower() in ("gzip", "*"):
            quality = params.strip().removeprefix("q=").strip() if "q=" in params else "1"
            try:
                return float(quality) > 0
            except ValueError:
                return False
    return False


def _not_modified(headers: Any, etag: str, last_modified: datetime | None) -> bool:
    """RFC 9110 conditional GET: If-None-Match wins over If-Modified-Since."""
    if_none_match = headers.get("If-None-Match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or etag in tags
    since = headers.get("If-Modified-Since")
    if since is None or last_modified is None:
        return False
    try:
        moment = parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False
    if moment.tzinfo is None:
        return False
    return last_modified.replace(microsecond=0) <= moment


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    protocol_version = "HTTP/1.1"
    server_version = "DemoNews/1.0"

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.owner.verbose:
            super().log_message(format, *args)

    def _answer(self, send_body: bool) -> None:
        owner = self.server.owner
        response = owner.site.respond(self.path, owner.base_url)
        body, encoding = response.body, None
        if _accepts_gzip(self.headers.get("Accept-Encoding")) and response.content_type.startswith(
                _COMPRESSIBLE) and body:
            body, encoding = gzip.compress(body, mtime=0), "gzip"
        etag = '"' + hashlib.sha256(response.body).hexdigest()[:32] + (
            "-gzip" if encoding else "") + '"'
        status = response.status
        if status == 200 and _not_modified(self.headers, etag, response.last_modified):
            status, body = 304, b""
        owner.record(self, status)
        self.send_response(status)
        self._send_headers(response, status, etag, encoding, len(body))
        if send_body and status != 304:
            self.wfile.write(body)

    def _send_headers(self, response: Response, status: int, etag: str, encoding: str | None,
                      length: int) -> None:
        if status in (200, 304):
            self.send_header("ETag", etag)
            if response.last_modified is not None:
                self.send_header("Last-Modified", http_date(response.last_modified))
            self.send_header("Cache-Control", "public, max-age=60")
            self.send_header("Vary", "Accept-Encoding")
        if response.location:
            self.send_header("Location", response.location)
        if status != 304:
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(length))
            if encoding:
                self.send_header("Content-Encoding", encoding)
        self.end_headers()


class DemoServer:
    """The demo site on 127.0.0.1 (port 0 picks a free port) in a daemon thread."""

    def __init__(self, site: DemoSite | None = None, *, port: int = 0,
                 verbose: bool = False) -> None:
        self.site = site if site is not None else DemoSite()
        self.verbose = verbose
        self._port = port
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._requests: list[RequestRecord] = []

    @property
    def base_url(self) -> str:
        if self._httpd is None:
            raise BroadsheetError("the demo server is not running; call start() first")
        return f"http://{HOST}:{self._httpd.server_address[1]}"

    @property
    def requests(self) -> list[RequestRecord]:
        """A copy of the request log, oldest first."""
        with self._lock:
            return list(self._requests)

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    def record(self, handler: BaseHTTPRequestHandler, status: int) -> None:
        entry = RequestRecord(method=handler.command, path=handler.path,
                              headers=dict(handler.headers.items()), time=time.time(),
                              status=status)
        with self._lock:
            self._requests.append(entry)

    def start(self) -> DemoServer:
        if self._httpd is not None:
            return self
        try:
            self._httpd = _HTTPServer(self, self._port)
        except OSError as exc:
            raise BroadsheetError(f"cannot start the demo server on {HOST}:{self._port}: {exc}; "
                                  "choose another port") from None
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        name="demo-news-server", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd, self._thread = None, None

    def __enter__(self) -> DemoServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scraper.demo.server",
                                     description="Serve the bundled demo news site.")
    parser.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (0 = any)")
    parser.add_argument("--quiet", action="store_true", help="do not log each request")
    options = parser.parse_args(argv)
    try:
        server = DemoServer(port=options.port, verbose=not options.quiet).start()
    except BroadsheetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    print(f"Serving the demo news site at {server.base_url}/ (Ctrl-C to stop)", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
