"""A crawl over a site with broken pages: each bad page is one clear failure, the rest is stored."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from scraper.cli.main import main

PARAGRAPH = ("The council met on Tuesday evening to debate the new budget, and after four hours "
             "of discussion the members agreed on a compromise that funds the libraries. ")


def article(title: str) -> bytes:
    body = "".join(f"<p>{title}: {PARAGRAPH * 2} Point {n}.</p>" for n in range(6))
    return (f"<!doctype html><html lang='en'><head><title>{title}</title>"
            f"<meta property='og:type' content='article'></head><body><article><h1>{title}</h1>"
            f"{body}</article></body></html>").encode()


PAGES: dict[str, tuple[int, str, bytes]] = {
    "/robots.txt": (200, "text/plain", b"User-agent: *\nAllow: /\n"),
    "/": (200, "text/html; charset=utf-8", b"<html><body><h1>News</h1><ul>" + b"".join(
        f"<li><a href='{path}'>{path}</a></li>".encode()
        for path in ("/good-1/", "/good-2/", "/empty/", "/binary/", "/garbage/", "/missing/",
                     "/truncated/")) + b"</ul></body></html>"),
    "/good-1/": (200, "text/html; charset=utf-8", article("Council agrees budget")),
    "/good-2/": (200, "text/html; charset=utf-8", article("Libraries keep their hours")),
    "/empty/": (200, "text/html", b""),
    "/binary/": (200, "image/png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8),
    "/garbage/": (200, "text/html", b"\x00\x01\x02\xff\xfe" * 400),
    "/truncated/": (200, "text/html", article("Bridge reopens after repairs")[:1500]),
}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        status, content_type, body = PAGES.get(self.path, (404, "text/html", b"not found"))
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        return None


@pytest.fixture
def broken_site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_bad_pages_fail_one_by_one_and_the_crawl_goes_on(
        broken_site: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("politeness:\n  delay: 0\nfetch:\n  retries: 0\n", encoding="utf-8")
    code = main(["crawl", broken_site, "--archive", str(tmp_path / "a"), "--config", str(config),
                 "--quiet", "--json"])
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert code == 1
    reasons = summary["failed_by_reason"]
    assert reasons["not_html"] == [broken_site + "binary/"]
    assert "http_404" not in reasons  # a 404 is an answer about the page: gone, not failed
    assert summary["gone"] == 1 and summary["failed"] == 3
    assert sorted(reasons["extraction"]) == [broken_site + "empty/", broken_site + "garbage/"]
    stored = sorted(json.loads(path.read_text(encoding="utf-8"))["title"]
                    for path in (tmp_path / "a" / "articles").rglob("*.json"))
    assert stored == ["Bridge reopens after repairs", "Council agrees budget",
                      "Libraries keep their hours"]


def test_failures_are_listed_in_the_human_summary(
        broken_site: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("politeness:\n  delay: 0\nfetch:\n  retries: 0\n", encoding="utf-8")
    code = main(["crawl", broken_site, "--archive", str(tmp_path / "a"), "--config", str(config),
                 "--quiet"])
    out = capsys.readouterr().out
    assert code == 1
    assert "1 gone, 3 failed" in out
    assert "failed (http_404)" not in out


def test_bad_config_is_one_line_and_exit_2(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("fetch:\n  timout: 3\n", encoding="utf-8")
    code = main(["crawl", "http://127.0.0.1:9/", "--config", str(config)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1
    assert f"{config}:2: unknown key 'fetch.timout'" in err
