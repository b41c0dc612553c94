"""A crawl killed at any moment and run again stores every page exactly once, fetches no stored
page again and loses no discovered page.

The real command runs as a child process against the demo site served by this process (whose
request log shows what each run fetched).  Two kinds of death:

- SIGKILL at seeded random moments, six times in one crawl;
- ``os._exit`` at chosen points of the crawl loop (between storing a record and marking its
  request done, between queueing a canonical URL and deferring its copy), which a random kill
  rarely hits.  For these the child is this module run as a script (see ``die_at``).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from archive import Archive, load_schema
from scraper.archive_access import archive_access
from scraper.cli.main import main
from scraper.config import load_config
from scraper.crawl.frontier.sqlite import CrawlRequest, FrontierCounts, SqliteFrontier
from scraper.crawl.loop import FRONTIER_FILE, Crawler
from scraper.demo import DemoServer, RequestRecord, expected_articles
from scraper.demo.site import default_catalog
from scraper.net.downloader import Downloader
from scraper.urls import canonical_url

ROOT = Path(__file__).resolve().parent.parent
CONFIG = """\
politeness:
  delay: 0
  per_host_concurrency: 4
  concurrency: 4
fetch:
  retries: 1
  backoff_base: 0.05
"""
KILL_SEED = 20240513
DIED = 86  # exit status of a child that died on purpose at its kill point
PROGRESS_TIMEOUT = 60.0  # generous: only a crawl that makes no progress at all hits it


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    with DemoServer() as running:
        yield running


@pytest.fixture()
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


@pytest.fixture(params=["embedded", "postgres"])
def any_backend_config(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """The config on either backend: embedded, or a shared crawl in a real PostgreSQL (one
    worker at a time here; a killed worker's leases come back after ``lease_seconds``)."""
    path = tmp_path / "config.yaml"
    backend = ""
    if request.param == "postgres":
        dsn = request.getfixturevalue("postgres_dsn")
        backend = f"backend:\n  kind: postgres\n  dsn: {dsn}\n  lease_seconds: 1\n"
    path.write_text(CONFIG + backend, encoding="utf-8")
    return path


def open_archive(root: Path, config: Path) -> Archive:
    """The archive the crawl wrote, on the config's backend."""
    settings = load_config(config).replace("archive", directory=str(root))
    return archive_access(settings).open_archive()


def crawl_command(server: DemoServer, archive: Path, config: Path,
                  seed: str = "/") -> list[str]:
    return [sys.executable, "-m", "scraper", "crawl", server.base_url + seed, "--archive",
            str(archive), "--config", str(config), "--quiet", "--json"]


def amp_copy() -> str:
    """The path of an article's AMP copy: a crawl started there defers it behind its article."""
    return next(article.amp_path for article in default_catalog().articles if article.amp_path)


def article_keys(server: DemoServer) -> set[str]:
    return {key for item in expected_articles(server.base_url)
            if (key := canonical_url(item.path)) is not None}


def stored_keys(root: Path, keys: Iterable[str], config: Path) -> set[str]:
    """The article URL keys the archive's index holds (a record counts once it is indexed)."""
    with open_archive(root, config) as archive:
        return {key for key in keys if archive.owner(key) is not None}


def fetched_keys(server: DemoServer, requests: list[RequestRecord]) -> list[str]:
    """URL keys of the GETs in ``requests``, whatever the answer (a 304 is a fetch too)."""
    return [key for request in requests if request.method == "GET"
            and (key := canonical_url(server.base_url + request.path)) is not None]


def wait_for_requests(server: DemoServer, process: subprocess.Popen[Any], count: int) -> None:
    deadline = time.monotonic() + PROGRESS_TIMEOUT
    while len(server.requests) < count and process.poll() is None:
        assert time.monotonic() < deadline, f"the crawl made no progress in {PROGRESS_TIMEOUT} s"
        time.sleep(0.002)


def finish_crawl(server: DemoServer, root: Path, config: Path) -> dict[str, Any]:
    done = subprocess.run(crawl_command(server, root, config), cwd=ROOT, capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    summary: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return summary


def frontier_state(root: Path, url_key: str) -> str:
    with sqlite3.connect(root / FRONTIER_FILE) as db:
        row = db.execute("SELECT state FROM frontier WHERE url_key = ?", (url_key,)).fetchone()
    return str(row[0]) if row else "unknown"


def check_archive(root: Path, server: DemoServer, config: Path) -> None:
    """One valid record per demo article, and nothing else a reindex would count."""
    paths = [path for path in (root / "articles").rglob("*.json") if not path.name.startswith(".")]
    records = [json.loads(path.read_text(encoding="utf-8")) for path in paths]
    urls = [record["url"] for record in records]
    assert len(urls) == len(set(urls)), sorted(urls)
    assert set(urls) == {item.path for item in expected_articles(server.base_url)}
    validator = Draft202012Validator(load_schema())
    for record in records:
        assert list(validator.iter_errors(record)) == [], record["url"]
    # A write killed half-way leaves a hidden temp file, which the next writer deletes.
    assert list(root.rglob("*.tmp")) == []
    with open_archive(root, config) as archive:
        assert archive.rebuild_index() == len(records)
        assert sorted(record["url"] for record in archive.iter_records()) == sorted(urls)


def test_sigkill_at_random_moments_loses_nothing_and_fetches_nothing_twice(
        server: DemoServer, any_backend_config: Path, tmp_path: Path) -> None:
    config_file = any_backend_config
    root = tmp_path / "archive"
    rng = random.Random(KILL_SEED)
    # Requests each run may make before its kill: most kills while articles are being stored
    # (the sitemaps list them first), a few among the copies and listings after them.
    gaps = [rng.randint(4, 12) for _ in range(4)] + [rng.randint(15, 30) for _ in range(2)]
    articles = article_keys(server)
    kills: list[tuple[int, set[str]]] = []  # (request log length at the kill, stored then)
    for gap in gaps:
        process = subprocess.Popen(crawl_command(server, root, config_file), cwd=ROOT,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_requests(server, process, len(server.requests) + gap)
        time.sleep(rng.uniform(0, 0.05))  # and a moment later, wherever the crawl is then
        process.send_signal(signal.SIGKILL)
        assert process.wait() == -signal.SIGKILL, "the crawl ended before it could be killed"
        kills.append((len(server.requests), stored_keys(root, articles, config_file)))

    summary = finish_crawl(server, root, config_file)
    assert summary["resumed"] > 0
    check_archive(root, server, config_file)
    log = server.requests
    for killed_at, stored in kills:
        again = [key for key in fetched_keys(server, log[killed_at:]) if key in stored]
        assert again == [], f"stored before a kill, fetched again: {again}"
    assert any(0 < len(stored) < len(articles) for _, stored in kills)  # some mid-storing


def test_ctrl_c_stops_cleanly_and_says_how_to_resume(server: DemoServer,
                                                     any_backend_config: Path,
                                                     tmp_path: Path) -> None:
    config_file = any_backend_config
    root = tmp_path / "archive"
    articles = article_keys(server)
    # A shell starts background jobs with SIGINT ignored, and children inherit that; a user's
    # terminal does not, so the child takes Python's default Ctrl-C handling back first.
    command = [sys.executable, "-c", "import runpy, signal; signal.signal(signal.SIGINT, "
               "signal.default_int_handler); runpy.run_module('scraper', run_name='__main__')",
               *crawl_command(server, root, config_file)[3:]]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    wait_for_requests(server, process, len(server.requests) + 20)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "run the same command again to resume" in err
    assert "Traceback" not in err
    assert json.loads(out.strip().splitlines()[-1])["interrupted"] is True
    stopped_at, stored = len(server.requests), stored_keys(root, articles, config_file)

    assert finish_crawl(server, root, config_file)["resumed"] > 0
    check_archive(root, server, config_file)
    again = [key for key in fetched_keys(server, server.requests[stopped_at:]) if key in stored]
    assert again == [], f"stored before Ctrl-C, fetched again: {again}"


class DyingFrontier:
    """A ``SqliteFrontier`` whose process dies (``os._exit``) when the crawl loop calls
    ``point`` (``finish`` with outcome ``outcome``, or ``defer``): what that call would have
    written is lost, as with a kill at that moment.  The URL key is written to ``victim`` first."""

    def __init__(self, frontier: SqliteFrontier, point: str, outcome: str, victim: Path) -> None:
        self.frontier = frontier
        self.point, self.outcome, self.victim = point, outcome, victim

    def _die(self, url_key: str) -> None:
        self.victim.write_text(url_key, encoding="utf-8")
        os._exit(DIED)

    def add(self, requests: Iterable[CrawlRequest]) -> int:
        return self.frontier.add(requests)

    def claim(self) -> CrawlRequest | None:
        return self.frontier.claim()

    def finish(self, request: CrawlRequest, outcome: str, *, counted: bool = True) -> None:
        if self.point == "finish" and outcome == self.outcome:
            self._die(request.url_key)
        self.frontier.finish(request, outcome, counted=counted)

    def defer(self, request: CrawlRequest) -> None:
        if self.point == "defer":
            self._die(request.url_key)
        self.frontier.defer(request)

    def resume(self) -> int:
        return self.frontier.resume()

    def reset(self, started_at: str) -> None:
        self.frontier.reset(started_at)

    def started_at(self) -> str | None:
        return self.frontier.started_at()

    def counts(self) -> FrontierCounts:
        return self.frontier.counts()

    def close(self) -> None:
        self.frontier.close()


async def crawl_until_death(seed: str, root: Path, config_path: Path, point: str,
                            outcome: str, victim: Path) -> None:
    config = load_config(config_path).replace("archive", directory=str(root))
    with Archive(root) as archive:
        frontier = DyingFrontier(SqliteFrontier(root / FRONTIER_FILE), point, outcome, victim)
        async with Downloader(config.fetch, config.politeness) as downloader:
            await Crawler(config, archive, frontier, downloader).run([seed])


def die_at(argv: list[str]) -> int:
    """Child: ``python -m tests.test_crawl_kill SEED ARCHIVE CONFIG POINT OUTCOME VICTIM``."""
    seed, root, config, point, outcome, victim = argv
    asyncio.run(crawl_until_death(seed, Path(root), Path(config), point, outcome, Path(victim)))
    print(f"the crawl ended without reaching {point} {outcome}", file=sys.stderr)
    return 1


@pytest.mark.parametrize(("point", "outcome", "seed"), [
    ("finish", "stored", "/"),        # the record is indexed, its request still active
    ("finish", "duplicate", "/"),     # a copy became an alias of its article, still active
    ("defer", "-", amp_copy()),       # a copy's article is queued, the copy not yet deferred
], ids=["stored", "aliased", "deferring"])
def test_death_at_a_chosen_point_resumes_without_refetching(
        server: DemoServer, config_file: Path, tmp_path: Path, point: str, outcome: str,
        seed: str, capsys: pytest.CaptureFixture[str]) -> None:
    root, victim = tmp_path / "archive", tmp_path / "victim"
    child = subprocess.run(
        [sys.executable, "-m", "tests.test_crawl_kill", server.base_url + seed, str(root),
         str(config_file), point, outcome, str(victim)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert child.returncode == DIED, child.stderr
    died_at = len(server.requests)
    killed_key = victim.read_text(encoding="utf-8")
    assert frontier_state(root, killed_key) == "active"
    if point == "finish":  # the archive has the page: the kill fell between store and finish
        assert stored_keys(root, [killed_key], config_file) == {killed_key}

    capsys.readouterr()
    code = main(crawl_command(server, root, config_file, seed)[3:])
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert code == 0, summary
    assert summary["resumed"] > 0
    check_archive(root, server, config_file)
    assert frontier_state(root, killed_key) == "done"
    if point == "finish":
        again = fetched_keys(server, server.requests[died_at:])
        assert killed_key not in again, f"{killed_key} was stored, then fetched again"


if __name__ == "__main__":
    raise SystemExit(die_at(sys.argv[1:]))
