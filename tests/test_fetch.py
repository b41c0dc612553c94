"""HttpClient against a real misbehaving server: one attempt, bounded body, visible redirects."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from scraper.config import FetchConfig
from scraper.errors import FetchError
from scraper.net.fetch import HopGuard, HttpClient, Response, parse_content_type, sniffs_as_html
from tests import misbehaving_server
from tests.misbehaving_server import MisbehavingServer

site = misbehaving_server.site

CONFIG = FetchConfig(timeout=2.0, connect_timeout=1.0, max_bytes=1_000_000, max_redirects=5)
run = asyncio.run


async def get(url: str, config: FetchConfig = CONFIG, *, headers: dict[str, str] | None = None,
              hop: HopGuard | None = None) -> Response:
    async with HttpClient(config) as client:
        return await client.get(url, headers=headers, hop=hop)


def failure(url: str, config: FetchConfig = CONFIG) -> FetchError:
    with pytest.raises(FetchError) as caught:
        run(get(url, config))
    return caught.value


def test_html_page(site: MisbehavingServer) -> None:
    response = run(get(site.url("/page/one")))
    assert response.status == 200
    assert response.url == response.final_url == site.url("/page/one")
    assert response.content_type == "text/html" and response.charset == "utf-8"
    assert response.is_html and not response.not_modified
    assert b"<title>/page/one</title>" in response.body
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.redirects == () and response.elapsed > 0
    sent = site.requests("/page/one")[0].headers
    assert sent["user-agent"] == CONFIG.user_agent
    assert "text/html" in sent["accept"] and sent["accept-encoding"] == "gzip, deflate"


def test_page_without_content_type_is_sniffed(site: MisbehavingServer) -> None:
    response = run(get(site.url("/no-type")))
    assert response.content_type == "" and response.charset is None
    assert response.is_html


@pytest.mark.parametrize("path", ["/gzip-page", "/deflate-page"])
def test_compressed_bodies_are_decoded(site: MisbehavingServer, path: str) -> None:
    response = run(get(site.url(path)))
    assert response.body.startswith(b"<!doctype html>")
    assert response.headers["content-encoding"] in ("gzip", "deflate")


@pytest.mark.parametrize(("path", "content_type"),
                         [("/image.png", "image/png"), ("/file.bin", "application/octet-stream")])
def test_binary_comes_back_with_its_type(site: MisbehavingServer, path: str,
                                         content_type: str) -> None:
    response = run(get(site.url(path)))
    assert response.status == 200 and response.content_type == content_type
    assert not response.is_html


@pytest.mark.parametrize("path", ["/huge", "/huge-unsized", "/bomb"])
def test_oversized_bodies_are_refused(site: MisbehavingServer, path: str) -> None:
    error = failure(site.url(path))
    assert error.reason == "too_large"
    assert "max_bytes" in str(error)


def test_content_length_is_refused_before_reading(site: MisbehavingServer) -> None:
    assert "Content-Length 3145728" in failure(site.url("/huge")).detail


def test_bomb_is_refused_although_small_on_the_wire(site: MisbehavingServer) -> None:
    error = failure(site.url("/bomb"))
    assert error.reason == "too_large" and "decoded" in error.detail


def test_redirect_chain_is_followed_hop_by_hop(site: MisbehavingServer) -> None:
    response = run(get(site.url("/chain/3")))
    assert response.status == 200 and response.url == site.url("/chain/3")
    assert response.final_url == site.url("/chain/0")
    assert response.redirects == (site.url("/chain/2"), site.url("/chain/1"), site.url("/chain/0"))
    assert [r.path for r in site.requests("/chain/")] == [f"/chain/{n}" for n in (3, 2, 1, 0)]


def test_too_many_redirects(site: MisbehavingServer) -> None:
    assert failure(site.url("/chain/6")).reason == "too_many_redirects"
    assert len(site.requests("/chain/")) == CONFIG.max_redirects + 1


def test_redirect_loop_is_detected(site: MisbehavingServer) -> None:
    assert failure(site.url("/loop/a")).reason == "redirect_loop"
    assert [r.path for r in site.requests("/loop/")] == ["/loop/a", "/loop/b"]


def test_redirect_to_non_http_is_refused(site: MisbehavingServer) -> None:
    assert failure(site.url("/redirect?to=ftp://files.example/x")).reason == "bad_redirect"


def test_hop_guard_wraps_every_request(site: MisbehavingServer) -> None:
    seen: list[tuple[str, int]] = []

    @contextlib.asynccontextmanager
    async def guard(url: str, index: int) -> AsyncIterator[None]:
        seen.append((url, index))
        yield

    run(get(site.url("/chain/1"), hop=guard))
    assert seen == [(site.url("/chain/1"), 0), (site.url("/chain/0"), 1)]


def test_error_statuses_come_back_as_responses(site: MisbehavingServer) -> None:
    assert run(get(site.url("/status/404"))).status == 404
    assert run(get(site.url("/status/503"))).status == 503


def test_conditional_get_gives_not_modified(site: MisbehavingServer) -> None:
    first = run(get(site.url("/etag")))
    assert first.status == 200 and first.headers["etag"] == '"v1"'
    again = run(get(site.url("/etag"), headers={"If-None-Match": '"v1"'}))
    assert again.not_modified and again.status == 304 and again.body == b""


def test_reset_maps_to_connect(site: MisbehavingServer) -> None:
    error = failure(site.url("/reset"))
    assert error.reason == "connect" and "reset" in error.detail.lower()


def test_slow_server_times_out(site: MisbehavingServer) -> None:
    error = failure(site.url("/slow"), FetchConfig(timeout=0.3, connect_timeout=0.3))
    assert error.reason == "timeout"


def test_refused_connection_maps_to_connect() -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert failure(f"http://127.0.0.1:{port}/").reason == "connect"


def test_untrusted_certificate_is_refused(tmp_path: Path) -> None:
    with MisbehavingServer(tls_dir=tmp_path) as server:
        error = failure(server.url("/page/x"))
        assert error.reason == "tls" and "CERTIFICATE_VERIFY_FAILED" in error.detail
        assert server.requests() == []


def test_parse_content_type() -> None:
    assert parse_content_type('Text/HTML; Charset="ISO-8859-1"') == ("text/html", "iso-8859-1")
    assert parse_content_type("application/json") == ("application/json", None)
    assert parse_content_type("") == ("", None)


def test_sniffs_as_html() -> None:
    assert sniffs_as_html(b"\xef\xbb\xbf  <!DOCTYPE html><p>x")
    assert sniffs_as_html(b"<!-- cms --><html><body>x</body></html>")
    assert not sniffs_as_html(b"\x89PNG\r\n\x1a\n<html>")
    assert not sniffs_as_html(b'{"html": "<body>"}')
