"""The network seam's capture (``scraper.net.fetch`` with a recorder) against a real server on
127.0.0.1 that answers chunked, gzipped, redirected and error responses."""

from __future__ import annotations

import asyncio
import gzip
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from archive.warc.captures import CaptureIndex
from archive.warc.reader import read_capture
from archive.warc.recorder import WarcRecorder
from archive.warc.writer import RollingWarcWriter
from scraper.config import FetchConfig
from scraper.net.fetch import HttpClient

WARCIO = str(Path(sys.executable).parent / "warcio")
PAGE = b"<html><body><p>chunked and gzipped</p></body></html>"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        if self.path == "/chunked":
            body = gzip.compress(PAGE)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for start in range(0, len(body), 10):
                piece = body[start:start + 10]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            self.wfile.write(b"0\r\n\r\n")
        elif self.path == "/moved":
            self._plain(302, b"<a href='/chunked'>moved</a>", ("Location", "/chunked"))
        else:
            self._plain(404, b"no such page")

    def _plain(self, status: int, body: bytes, *extra: tuple[str, str]) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def fetch_all(directory: Path, urls: list[str]) -> list[Any]:
    writer = RollingWarcWriter(directory, worker="1", max_file_size=10**9, info={"software": "t"})
    recorder = WarcRecorder(writer, CaptureIndex(directory))

    async def run() -> list[Any]:
        async with HttpClient(FetchConfig(retries=0), recorder=recorder) as client:
            return [await client.get(url) for url in urls]

    try:
        return asyncio.run(run())
    finally:
        recorder.close()


def test_redirects_chunks_and_errors_are_captured_as_received(base_url: str,
                                                             tmp_path: Path) -> None:
    moved, missing = fetch_all(tmp_path, [base_url + "/moved", base_url + "/missing"])
    assert moved.status == 200 and moved.body == PAGE and missing.status == 404
    (path,) = tmp_path.glob("*.warc.gz")
    checked = subprocess.run([WARCIO, "check", str(path)], capture_output=True, text=True,
                             check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    final = read_capture(tmp_path, moved.capture)
    assert final.url == base_url + "/chunked" and final.body == PAGE
    headers = {name.lower(): value for name, value in final.headers}
    assert "transfer-encoding" not in headers
    assert headers["content-encoding"] == "gzip"
    assert int(headers["content-length"]) == len(gzip.compress(PAGE))
    error = read_capture(tmp_path, missing.capture)
    assert (error.status, error.body) == (404, b"no such page")
    index = subprocess.run([WARCIO, "index", "-f", "warc-type,warc-target-uri,http:status",
                            str(path)], capture_output=True, text=True, check=True).stdout
    assert f'"warc-target-uri": "{base_url}/moved", "http:status": "302"' in index
    assert index.count('"warc-type": "request"') == 3
