"""Issue 13, part A: one hostile URL, header or page fails that page only, never the crawl.

Every test crawls a real server on 127.0.0.1 (``tests.misbehaving_server``, the "hostile"
routes) through the command line, in process, and reads the JSON summary and the archive.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from archive.fence import Fence
from scraper.cli.main import main
from scraper.crawl.frontier.sqlite import CrawlRequest, SqliteFrontier
from scraper.crawl.visit import Visitor
from scraper.extract.charsets import decode_declared, text_codec
from scraper.net.retry import RETRY_AFTER_CEILING, parse_retry_after
from scraper.urls import canonical_url
from tests import misbehaving_server
from tests.misbehaving_server import MisbehavingServer

site = misbehaving_server.site

CONFIG = ("politeness:\n  delay: 0\nfetch:\n  retries: 0\n  backoff_base: 0.01\n"
          "crawl:\n  use_sitemaps: false\n  use_feeds: false\n  extract_workers: 0\n")


def crawl(tmp_path: Path, capsys: pytest.CaptureFixture[str], *urls: str) -> tuple[int, dict[str, Any]]:
    config = tmp_path / "config.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    code = main(["crawl", *urls, "--archive", str(tmp_path / "archive"), "--config", str(config),
                 "--quiet", "--json"])
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    return code, summary


def stored_records(tmp_path: Path) -> list[dict[str, Any]]:
    return [json.loads(path.read_text(encoding="utf-8"))
            for path in sorted((tmp_path / "archive" / "articles").rglob("*.json"))]


# -- 1, 12: IPv6 literals and bad ports ------------------------------------------------------------

def test_ipv6_and_bad_port_links_are_dropped_and_the_crawl_goes_on(
        site: MisbehavingServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, summary = crawl(tmp_path, capsys, site.url("/hostile/ipv6-links"))
    assert code == 0, summary
    assert summary["stored"] == 1 and summary["failed"] == 0
    assert len(site.requests("/page/after-ipv6")) == 1  # the good link after the bad ones


def test_an_ipv6_literal_canonical_does_not_end_the_crawl(
        site: MisbehavingServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, summary = crawl(tmp_path, capsys, site.url("/hostile/ipv6-canonical"))
    assert code == 0, summary
    assert summary["stored"] == 1


@pytest.mark.parametrize("which", range(len(misbehaving_server.BROKEN_URLS)))
def test_broken_urls_in_a_headline_canonical_feed_and_comments_are_ignored(
        which: int, site: MisbehavingServer, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    code, summary = crawl(tmp_path, capsys, site.url(f"/hostile/broken-urls/{which}"))
    assert code == 0, summary
    [record] = stored_records(tmp_path)
    assert record["title"] == "Broken URLs"


class _IPv6Server(ThreadingHTTPServer):
    address_family = socket.AF_INET6
    daemon_threads = True
    owner: MisbehavingServer


@pytest.fixture
def ipv6_site() -> Iterator[tuple[MisbehavingServer, str]]:
    """The misbehaving server's routes on ``[::1]``: (the recording owner, the base URL)."""
    if not socket.has_ipv6:
        pytest.skip("no IPv6")
    owner = MisbehavingServer()
    try:
        server = _IPv6Server(("::1", 0), misbehaving_server._Handler)
    except OSError:
        pytest.skip("no IPv6 loopback")
    server.owner = owner
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    yield owner, f"http://[::1]:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_an_ipv6_literal_seed_is_crawled(ipv6_site: tuple[MisbehavingServer, str],
                                         tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    owner, base = ipv6_site
    _, summary = crawl(tmp_path, capsys, base + "/hostile/ipv6-links")
    assert summary["stored"] == 1 and "internal" not in summary["failed_by_reason"]
    assert [r.path for r in owner.requests("/page/")] == ["/page/after-ipv6"]
    [record] = stored_records(tmp_path)
    assert record["url"] == base + "/hostile/ipv6-links"


@pytest.mark.parametrize(("url", "expected"), [
    ("http://[2001:db8::1]/a", "http://[2001:db8::1]/a"),
    ("HTTP://[2001:DB8:0::1]:80/x?utm_source=y", "http://[2001:db8::1]/x"),
    ("http://[::1]:8080/", "http://[::1]:8080/"),
    ("http://[::1/", None), ("http://[zz::1]/", None), ("http://example.com:99999/", None),
    ("http://example.com:-1/", None), ("http://example.com:0/", None),
])
def test_canonical_url_keeps_ipv6_brackets_and_drops_bad_ports(url: str,
                                                              expected: str | None) -> None:
    assert canonical_url(url) == expected


@pytest.mark.parametrize("seed", ["http://127.0.0.1:99999/", "http://127.0.0.1:-1/",
                                  "http://[::1/", "http://[zz::1]/a"])
def test_a_bad_seed_is_a_usage_error_of_one_line(seed: str, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["crawl", seed, "--archive", str(tmp_path / "archive"), "--quiet"])
    error = capsys.readouterr().err
    assert code == 2
    assert error.count("\n") == 1 and error.startswith("broadsheet: error: bad start URL")
    assert "Traceback" not in error


# -- 4: a redirect to a bad port -------------------------------------------------------------------

@pytest.mark.parametrize("target", ["http://127.0.0.1:99999/x", "http://127.0.0.1:-1/x"])
def test_a_redirect_to_a_bad_port_fails_that_page(
        target: str, site: MisbehavingServer, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    seed = site.url(f"/redirect?to={target}")
    code, summary = crawl(tmp_path, capsys, seed, site.url("/page/ok"))
    assert code == 1
    assert summary["failed_by_reason"] == {"bad_redirect": [seed]}
    assert summary["fetched"] == 1  # /page/ok


# -- 2, 18: declared charsets ----------------------------------------------------------------------

@pytest.mark.parametrize(("where", "charset"), [
    ("header", "undefined"), ("header", "punycode"), ("meta", "undefined"), ("meta", "punycode"),
    ("meta", "utf-16"), ("header", "utf-16"), ("meta", "utf-32"), ("header", "base64"),
    ("header", "no-such-charset"), ("meta-latin1", "utf-16"), ("meta-latin1", "undefined"),
    ("meta-latin1", "cp037"),
])
def test_a_declared_charset_that_cannot_decode_the_page_gives_way_to_detection(
        where: str, charset: str, site: MisbehavingServer, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    code, summary = crawl(tmp_path, capsys, site.url(f"/hostile/charset/{where}/{charset}"))
    assert code == 0, summary
    [record] = stored_records(tmp_path)
    assert record["title"] == f"Declared {charset} in the {where}"
    assert "The council met on Tuesday evening" in record["body"]
    if where.endswith("latin1"):
        assert "Caf\u00e9 cr\u00e8me br\u00fbl\u00e9e." in record["body"]


# -- 3: Retry-After ------------------------------------------------------------------------------

@pytest.mark.parametrize(("kind", "reason"), [
    ("digits400", "retry_after_too_long"), ("digits5000", "retry_after_too_long"),
    ("superscript", "http_503"),
])
def test_a_hostile_retry_after_fails_that_page(
        kind: str, reason: str, site: MisbehavingServer, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    url = site.url(f"/hostile/retry-after/{kind}")
    code, summary = crawl(tmp_path, capsys, url)
    assert code == 1
    assert summary["failed_by_reason"] == {reason: [url]}


@pytest.mark.parametrize(("kind", "reason"), [
    ("digits5000", "retry_after_too_long"), ("superscript", "http_503"),
])
def test_a_hostile_retry_after_fails_that_page_in_a_snapshot_too(
        kind: str, reason: str, site: MisbehavingServer, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    url = site.url(f"/hostile/retry-after-later/{kind}")
    code, summary = crawl(tmp_path, capsys, url)
    assert (code, summary["stored"]) == (0, 1)
    in_a_week = (datetime.now(UTC) + timedelta(days=8)).strftime("%Y-%m-%dT%H:%M:%S")
    code = main(["snapshot", "--archive", str(tmp_path / "archive"), "--config",
                 str(tmp_path / "config.yaml"), "--quiet", "--json", "--now", in_a_week])
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert code == 1
    assert summary["failed_by_reason"] == {reason: [url]}


# -- 5: JSON-LD nested deep ------------------------------------------------------------------------

@pytest.mark.parametrize("depth", [900, 1_000, 50_000])
def test_json_ld_nested_deep_does_not_end_the_page(
        depth: int, site: MisbehavingServer, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    code, summary = crawl(tmp_path, capsys, site.url(f"/hostile/deep-json-ld/{depth}"))
    assert code == 0, summary
    [record] = stored_records(tmp_path)
    assert record["title"] == "Deep JSON-LD"


# -- 17: TLS ---------------------------------------------------------------------------------------

def test_a_certificate_that_does_not_verify_is_reported_as_tls(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        caplog: pytest.LogCaptureFixture) -> None:
    with MisbehavingServer(tls_dir=tmp_path) as server, caplog.at_level(logging.INFO):
        url = server.url("/page/secure")
        code, summary = crawl(tmp_path, capsys, url)
        assert code == 1
        assert summary["failed_by_reason"] == {"tls": [url]}
        assert "certificate verify failed" in summary["failure_details"]["tls"]
        code = main(["crawl", url, "--archive", str(tmp_path / "archive"), "--config",
                     str(tmp_path / "config.yaml"), "--quiet"])
    shown = capsys.readouterr().out
    assert code == 1 and f"failed (tls): 1: {url}\n" in shown
    assert "certificate verify failed" in shown
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("fetch failed")]
    assert "certificate verify failed" in lines[0] and "robots_unavailable" not in lines[0]


# -- no exception from one page ends a crawl -------------------------------------------------------

def explode_on(monkeypatch: pytest.MonkeyPatch, marker: str) -> None:
    """Pages whose URL holds ``marker`` raise what no handler expects (a stand-in for a bug)."""
    page = Visitor.page

    async def exploding(self: Visitor, request: CrawlRequest, fence: Fence | None = None) -> str:
        if marker in request.url:
            raise RuntimeError("something no check foresaw")
        return await page(self, request, fence)

    monkeypatch.setattr(Visitor, "page", exploding)


@pytest.fixture
def boom(monkeypatch: pytest.MonkeyPatch) -> None:
    explode_on(monkeypatch, "boom")


@pytest.mark.usefixtures("boom")
def test_an_unexpected_exception_is_that_pages_failure(
        site: MisbehavingServer, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        caplog: pytest.LogCaptureFixture) -> None:
    bad, good = site.url("/page/boom"), site.url("/page/ok")
    with caplog.at_level(logging.DEBUG, logger="scraper.crawl.loop"):
        code, summary = crawl(tmp_path, capsys, bad, good)
    assert code == 1
    assert summary["failed_by_reason"] == {"internal": [bad]}
    assert summary["internal_errors"] == {"RuntimeError": 1}
    assert summary["fetched"] == 1  # the good page: the bad one raised before its fetch
    warning = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert "RuntimeError: something no check foresaw" in warning[0].getMessage()
    assert any(r.exc_info for r in caplog.records if r.levelno == logging.DEBUG)
    outcomes = dict(sqlite3.connect(tmp_path / "archive" / "frontier.sqlite").execute(
        "SELECT url, outcome FROM frontier WHERE state = 'done'").fetchall())
    assert outcomes[bad] == "failed:internal:RuntimeError"


@pytest.mark.usefixtures("boom")
def test_a_resumed_crawl_visits_a_url_that_raised_once_and_finishes(
        site: MisbehavingServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A run killed while working on the page leaves it active; the resumed run re-queues it,
    it fails ``internal`` once, and the crawl ends instead of dying on it again and again."""
    bad, good = site.url("/page/boom"), site.url("/page/ok")
    (tmp_path / "archive").mkdir()
    frontier = SqliteFrontier(tmp_path / "archive" / "frontier.sqlite")
    frontier.reset("2020-01-01T00:00:00Z")
    frontier.add([CrawlRequest(bad, canonical_url(bad) or bad),
                  CrawlRequest(good, canonical_url(good) or good)])
    assert frontier.claim() is not None  # the killed run was working on it
    frontier.close()
    code, summary = crawl(tmp_path, capsys, good)
    assert (code, summary["resumed"]) == (1, 2)
    assert summary["failed_by_reason"] == {"internal": [bad]}
    code, summary = crawl(tmp_path, capsys, good)  # nothing left: a new crawl from the seed
    assert (code, summary["resumed"], summary["failed"]) == (0, 0, 0)
    frontier = SqliteFrontier(tmp_path / "archive" / "frontier.sqlite")
    counts = frontier.counts()
    frontier.close()
    assert (counts.queued, counts.active) == (0, 0)


def test_an_unexpected_exception_in_a_snapshot_is_that_pages_failure(
        site: MisbehavingServer, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    url = site.url("/hostile/deep-json-ld/2")
    code, summary = crawl(tmp_path, capsys, url)
    assert (code, summary["stored"]) == (0, 1)
    explode_on(monkeypatch, "deep-json-ld")
    in_a_week = (datetime.now(UTC) + timedelta(days=8)).strftime("%Y-%m-%dT%H:%M:%S")
    code = main(["snapshot", "--archive", str(tmp_path / "archive"), "--config",
                 str(tmp_path / "config.yaml"), "--quiet", "--json", "--now", in_a_week])
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert code == 1
    assert summary["failed_by_reason"] == {"internal": [canonical_url(url)]}
    assert summary["internal_errors"] == {"RuntimeError": 1}


DYING_CRAWL = """
import os, sys
from scraper.cli.main import main
from scraper.extract.charsets import decode_declared, text_codec
from scraper.crawl.visit import Visitor

page = Visitor.page

async def dying(self, request, fence=None):
    if "boom" in request.url:
        os._exit(137)  # what a crash in a C library or the out-of-memory killer looks like
    return await page(self, request, fence)

Visitor.page = dying
sys.exit(main(sys.argv[1:]))
"""


def test_a_page_that_kills_the_process_is_given_up_after_three_resumes(
        site: MisbehavingServer, tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    bad, good = site.url("/page/boom"), site.url("/page/ok")
    command = [sys.executable, "-c", DYING_CRAWL, "crawl", bad, good, "--archive",
               str(tmp_path / "archive"), "--config", str(config), "--quiet", "--json"]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    codes = []
    for _ in range(5):
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60,
                              check=False)
        codes.append(done.returncode)
        if done.returncode != 137:
            break
    assert codes == [137, 137, 137, 1], done.stderr
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert summary["failed_by_reason"] == {"interrupted_repeatedly": [bad]}
    assert "giving up on " + bad in done.stderr


# -- the readers themselves ------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "seconds"), [
    ("120", 120.0), (" 0007 ", 7.0), ("9" * 400, RETRY_AFTER_CEILING),
    ("9" * 5000, RETRY_AFTER_CEILING), ("\u00b2", None), ("\u0661\u0662", None), ("-5", None),
    ("1e9", None), ("Fri, 31 Dec 9999 23:59:59 GMT", RETRY_AFTER_CEILING),
    ("Wed, 21 Oct 99999 07:28:00 GMT", None), ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),
])
def test_parse_retry_after_is_bounded(value: str, seconds: float | None) -> None:
    assert parse_retry_after(value) == seconds


@pytest.mark.parametrize(("name", "codec"), [
    ("UTF-8", "utf-8"), ("'latin1'", "iso8859-1"), ("windows-1251", "cp1251"),
    ("undefined", None), ("punycode", None), ("idna", None), ("base64", None), ("rot13", None),
    ("unicode_escape", None), ("raw-unicode-escape", None), ("no-such", None),
    ("utf\x00-8", None), ("", None), (None, None),
])
def test_text_codec_names_only_codecs_for_web_text(name: str | None, codec: str | None) -> None:
    assert text_codec(name) == codec


def test_decode_declared_refuses_what_the_bytes_cannot_be() -> None:
    ascii_page = b"<!doctype html><html><body>hello</body></html>"
    assert decode_declared(ascii_page, "utf-16", in_page=False) is None  # CJK noise
    assert decode_declared(ascii_page, "utf-16", in_page=True) is None
    assert decode_declared("<html>\u00e9</html>".encode("utf-16"), "utf-16",
                           in_page=False) == "<html>\u00e9</html>"
    assert decode_declared(b"<p>caf\xe9</p>", "utf-8", in_page=True) is None
    assert decode_declared(b"<p>caf\xe9</p>", "cp1252", in_page=True) == "<p>caf\u00e9</p>"
