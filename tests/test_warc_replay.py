"""Replay in pywb (installed from PyPI with the ``test`` extra): the archive's WARC files, served
by pywb's ``wayback`` on 127.0.0.1, give back each stored article's page with its title and
body; once indexed by pywb itself (``wb-manager add``), once by broadsheet's own CDXJ index taken
from a WACZ export.

``replay_archive`` is the archive under test: a crawl of the demo site with WARC capture, and one
made by ``import-warc`` from WARCs of the demo site written by httpx + warcio
(``tests/warc_fixture.py``).  The demo site is stopped before pywb starts: what is replayed
comes from the WARCs alone."""

from __future__ import annotations

import html
import json
import re
import socket
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from archive.warc.cdxj import timestamp14
from archive.warc.records import read_record_at
from scraper.cli.main import main
from scraper.demo import DemoServer
from tests.warc_fixture import write_demo_warcs

BIN = Path(sys.executable).parent
STARTUP_SECONDS = 60
ARTICLES_CHECKED = 5
FAST_CONFIG = "politeness:\n  delay: 0.01\n  per_host_concurrency: 4\n  concurrency: 4\n"


@pytest.fixture(scope="module", params=["crawled", "imported"])
def replay_archive(request: pytest.FixtureRequest,
                   tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A crawl of the demo site with WARC capture on (the default), or an archive made by
    ``import-warc`` from WARCs another tool wrote of it."""
    root = tmp_path_factory.mktemp("archive")
    with DemoServer() as server:
        if request.param == "crawled":
            config = tmp_path_factory.mktemp("config") / "config.yaml"
            config.write_text(FAST_CONFIG, encoding="utf-8")
            assert main(["crawl", server.base_url + "/", "--archive", str(root), "--config",
                         str(config), "--quiet"]) == 0
        else:
            warcs = write_demo_warcs(tmp_path_factory.mktemp("warcs"), server.base_url)
            assert main(["import-warc", *map(str, warcs), "--archive", str(root),
                         "--quiet"]) == 0
    yield root


@pytest.fixture(scope="module")
def wayback(replay_archive: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """pywb serving two collections of the archive's WARCs: ``indexed`` (indexed by
    ``wb-manager add``) and ``cdxj`` (the WACZ export's files and index, copied in)."""
    home = tmp_path_factory.mktemp("pywb")
    warcs = sorted((replay_archive / "warc").glob("*.warc*"))
    for collection in ("indexed", "cdxj"):
        _run(home, "wb-manager", "init", collection)
    _run(home, "wb-manager", "add", "indexed", *map(str, warcs))
    package = home / "export.wacz"
    assert main(["export", "--format", "wacz", "-o", str(package), "--archive",
                 str(replay_archive), "--quiet"]) == 0
    with zipfile.ZipFile(package) as wacz:
        for name in wacz.namelist():
            if name.startswith(("archive/", "indexes/")):
                (home / "collections" / "cdxj" / name).write_bytes(wacz.read(name))
    port = _free_port()
    with open(home / "wayback.log", "wb") as log:
        process = subprocess.Popen([str(BIN / "wayback"), "-p", str(port), "-b", "127.0.0.1"],
                                   cwd=home, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_for_port(port, process, home / "wayback.log")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _run(cwd: Path, program: str, *args: str) -> None:
    done = subprocess.run([str(BIN / program), *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text(errors="replace")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"pywb did not listen on port {port}: {log.read_text(errors='replace')}")


def stored_articles(root: Path) -> list[dict[str, Any]]:
    found = [json.loads(path.read_text(encoding="utf-8"))
             for path in sorted((root / "articles").rglob("*.json"))]
    return found[:ARTICLES_CHECKED]


def capture_of(root: Path, record: dict[str, Any]) -> tuple[str, str]:
    """(URL, 14-digit timestamp) of the capture the record was extracted from: its ``warc``
    pointer's record when it has one, else its fetched URL at its fetch time."""
    pointer = record.get("warc")
    if pointer:
        captured = read_record_at(root / "warc" / pointer["file"], pointer["offset"])
        assert captured.url and captured.date
        return captured.url, timestamp14(captured.date)
    return record["fetched_url"], timestamp14(record["fetched_at"])


def visible_text(page: str) -> str:
    without_tags = re.sub(r"<[^>]+>", " ", page)
    return " ".join(html.unescape(without_tags).split())


def first_sentence(body: str) -> str:
    paragraph = " ".join(body.split("\n\n")[0].split())
    return paragraph.split(". ")[0][:120]


@pytest.mark.parametrize("collection", ["indexed", "cdxj"])
def test_pywb_replays_every_stored_article(wayback: str, replay_archive: Path,
                                           collection: str) -> None:
    articles = stored_articles(replay_archive)
    assert articles
    with httpx.Client(timeout=30) as client:
        for record in articles:
            url, timestamp = capture_of(replay_archive, record)
            replayed = client.get(f"{wayback}/{collection}/{timestamp}id_/{url}")
            assert replayed.status_code == 200, (url, replayed.text[:300])
            text = visible_text(replayed.text)
            assert " ".join(record["title"].split()) in text, url
            assert first_sentence(record["body"]) in text, url
