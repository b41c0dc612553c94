"""WARC files for tests, written the way other crawlers write them: pages fetched from a running
site (the demo site) with httpx, each as a ``request`` and a ``response`` record (the response's
bytes as they came over the wire, content encoding kept) with warcio's ``WARCWriter``, after a
``warcinfo`` record.  Not broadsheet's own capture: what ``import-warc`` reads from the world."""

from __future__ import annotations

import socket
import urllib.request
from collections.abc import Sequence
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from warcio.capture_http import capture_http
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from scraper.demo import expected_articles

HOP_BY_HOP = ("transfer-encoding", "connection", "keep-alive")


def write_warc(path: Path, urls: Sequence[str], *, gzip: bool = True) -> Path:
    """Fetch ``urls`` (following no redirects) and write them to the WARC file ``path``."""
    with open(path, "wb") as stream, httpx.Client(timeout=10) as client:
        writer = WARCWriter(stream, gzip=gzip, warc_version="WARC/1.1")
        writer.write_record(writer.create_warcinfo_record(
            path.name, {"software": "tests/warc_fixture.py (httpx + warcio)",
                        "format": "WARC File Format 1.1"}))
        for url in urls:
            _capture(writer, client, url)
    return path


def _capture(writer: WARCWriter, client: httpx.Client, url: str) -> None:
    request = client.build_request("GET", url)
    response = client.send(request, stream=True)
    try:
        body = b"".join(response.iter_raw())
    finally:
        response.close()
    target = request.url.raw_path.decode("ascii")
    request_headers = StatusAndHeaders(f"GET {target} HTTP/1.1", list(request.headers.items()),
                                       is_http_request=True)
    response_headers = StatusAndHeaders(
        f"{response.status_code} {response.reason_phrase}",
        [(name, value) for name, value in response.headers.multi_items()
         if name.lower() not in HOP_BY_HOP],
        protocol="HTTP/1.1")
    captured = writer.create_warc_record(url, "response", payload=BytesIO(body),
                                         http_headers=response_headers)
    asked = writer.create_warc_record(url, "request", payload=BytesIO(b""),
                                      http_headers=request_headers)
    writer.write_request_response_pair(asked, captured)


def demo_site_urls(base_url: str) -> tuple[list[str], list[str]]:
    """The URLs of two WARC files of the demo site: (every article's canonical page, with the
    home page and robots.txt), (the first three articles' AMP and print copies, and the first
    article's page again)."""
    articles = expected_articles(base_url)
    first = [base_url + "/", base_url + "/robots.txt", *(item.path for item in articles)]
    copies = [variant for item in articles[:3] for variant in item.variants
              if "/amp/" in variant or "print" in variant]
    return first, [*copies, articles[0].path]


def write_demo_warcs(directory: Path, base_url: str) -> list[Path]:
    """Two gzip WARC files of the demo site in ``directory`` (see ``demo_site_urls``)."""
    first, second = demo_site_urls(base_url)
    directory.mkdir(parents=True, exist_ok=True)
    return [write_warc(directory / "demo-articles.warc.gz", first),
            write_warc(directory / "demo-copies.warc.gz", second)]


def write_warcio_capture(path: Path, urls: Sequence[str]) -> Path:
    """``urls`` fetched with urllib (gzip asked for) inside warcio's ``capture_http``: the
    records warcio itself writes from the bytes on the wire."""
    with capture_http(str(path)):
        for url in urls:
            request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
            with urllib.request.urlopen(request, timeout=10) as response:
                response.read()
    return path


def write_wget_style_warc(path: Path, urls: Sequence[str]) -> Path:
    """The layout ``wget --warc-file`` writes: a warcinfo, then per URL a ``request`` and a
    ``response`` record holding the raw HTTP messages (read from a socket, headers as sent) and
    a ``metadata`` record, and at the end a ``resource`` record with the tool's log."""
    with open(path, "wb") as stream:
        writer = WARCWriter(stream, gzip=True, warc_version="WARC/1.0")
        writer.write_record(writer.create_warcinfo_record(
            path.name, {"software": "Wget/1.21.3 (linux-gnu)", "format": "WARC File Format 1.0"}))
        for url in urls:
            request, response = _raw_exchange(url)
            for kind, block in (("request", request), ("response", response)):
                writer.write_record(writer.create_warc_record(
                    url, kind, payload=BytesIO(block), length=len(block)))
            note = f"outlinks: {url}\n".encode()
            writer.write_record(writer.create_warc_record(
                "metadata://gnu.org/software/wget/warc/" + url, "metadata",
                payload=BytesIO(note), length=len(note), warc_content_type="text/plain"))
        log = b"FINISHED --wget-style fixture--\n"
        writer.write_record(writer.create_warc_record(
            "metadata://gnu.org/software/wget/warc/wget.log", "resource",
            payload=BytesIO(log), length=len(log), warc_content_type="text/plain"))
    return path


def _raw_exchange(url: str) -> tuple[bytes, bytes]:
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    request = (f"GET {target} HTTP/1.1\r\nUser-Agent: Wget/1.21.3\r\nAccept: */*\r\n"
               f"Accept-Encoding: identity\r\nHost: {parts.netloc}\r\n"
               "Connection: close\r\n\r\n").encode("ascii")
    with socket.create_connection((parts.hostname, parts.port or 80), timeout=10) as connection:
        connection.sendall(request)
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    return request, b"".join(chunks)
