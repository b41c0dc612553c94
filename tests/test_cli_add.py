"""``broadsheet add URL...`` and ``crawl --only``: exactly the pages given, nothing discovered;
robots.txt still applies; its own queue (never the crawl's)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from archive import Archive
from scraper.cli.main import main
from scraper.demo import DemoServer
from tests.tuned_demo import article_paths, tuned_server

ROOT = Path(__file__).resolve().parent.parent
CONFIG = "politeness:\n  delay: 0\n  concurrency: 4\n"
DISALLOWED = 2  # index in article_paths() of the article robots.txt disallows


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    with tuned_server(disallow=(article_paths()[DISALLOWED],)) as running:
        yield running


@pytest.fixture()
def config(tmp_path: Path) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any], str]:
    code = main([*argv, "-q", "--json"])
    captured = capsys.readouterr()
    return code, json.loads(captured.out.splitlines()[-1]), captured.err


def records(root: Path) -> list[str]:
    with Archive(root) as archive:
        return sorted(record["url"] for record in archive.iter_records())


def test_add_stores_exactly_the_page_given_and_discovers_nothing(
        server: DemoServer, config: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "new" / "archive"  # add creates the archive
    article = server.base_url + article_paths()[0]
    server.clear_requests()
    code, summary, _ = run(capsys, "add", article, "--archive", str(root), "--config", str(config))
    assert code == 0
    assert (summary["fetched"], summary["stored"], summary["stop_reason"]) == (1, 1, "finished")
    assert records(root) == [article]
    assert {request.path for request in server.requests} == {"/robots.txt", article_paths()[0]}
    assert not (root / "frontier.sqlite").exists()  # the crawl's queue is not touched


def test_crawl_only_stores_exactly_those_pages(server: DemoServer, config: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "archive"
    pages = [server.base_url + path for path in article_paths()[3:5]]
    code, summary, _ = run(capsys, "crawl", "--only", *pages, "--archive", str(root),
                           "--config", str(config))
    assert code == 0
    assert summary["stored"] == 2 and summary["fetched"] == 2
    assert records(root) == sorted(pages)


def test_add_honours_robots_txt(server: DemoServer, config: Path, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "archive"
    disallowed = article_paths()[DISALLOWED]
    server.clear_requests()
    code = main(["add", server.base_url + disallowed, "--archive", str(root),
                 "--config", str(config), "-q"])
    out = capsys.readouterr().out
    assert code == 0
    assert "skipped 1 URLs disallowed by robots.txt" in out
    assert "stored 0 new" in out
    assert disallowed not in {request.path for request in server.requests}
    assert records(root) == []


def test_add_reads_urls_from_stdin(server: DemoServer, config: Path, tmp_path: Path) -> None:
    root = tmp_path / "archive"
    pages = [server.base_url + path for path in article_paths()[5:7]]
    done = subprocess.run([sys.executable, "-m", "scraper", "add", "-", "--archive", str(root),
                           "--config", str(config), "-q", "--json"], cwd=ROOT,
                          input="# two articles\n" + "\n".join(pages) + "\n", text=True,
                          capture_output=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["stored"] == 2
    assert records(root) == sorted(pages)


def test_add_never_resumes_the_crawls_queue(server: DemoServer, config: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "archive"
    code, crawled, _ = run(capsys, "crawl", server.base_url + "/", "--max-pages", "3",
                           "--archive", str(root), "--config", str(config))
    assert code == 0 and crawled["stop_reason"] == "max_pages" and crawled["queued"] > 0
    article = server.base_url + article_paths()[8]
    code, added, _ = run(capsys, "add", article, "--archive", str(root), "--config", str(config))
    assert code == 0
    assert (added["fetched"], added["resumed"], added["stored"]) == (1, 0, 1)
    code, resumed, _ = run(capsys, "crawl", server.base_url + "/", "--max-pages", "2",
                           "--archive", str(root), "--config", str(config))
    assert resumed["resumed"] == crawled["queued"]  # the crawl's queue is as it was left


@pytest.mark.parametrize(("argv", "message"), [
    (["add", "--max-pages", "3", "http://127.0.0.1:9/a"],
     "broadsheet: error: --max-pages does not apply to add, which fetches exactly the pages "
     "given and follows nothing"),
    (["add", "--depth", "1", "http://127.0.0.1:9/a"],
     "broadsheet: error: --depth does not apply to add"),
    (["crawl", "--only", "--depth", "1", "http://127.0.0.1:9/a"],
     "broadsheet: error: --depth does not apply to --only, which fetches exactly the pages "
     "given and follows nothing"),
    (["crawl", "--only", "--max-pages", "5", "http://127.0.0.1:9/a"],
     "broadsheet: error: --max-pages does not apply to --only"),
    (["add"], "broadsheet: error: add needs one or more URLs (or - to read them from standard "
              "input)"),
])
def test_add_rejects_discovery_options_and_no_urls(
        argv: list[str], message: str, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    assert exit_code([*argv, "--archive", str(tmp_path / "archive"), "-q"]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "archive").exists()


def exit_code(argv: list[str]) -> int | str | None:
    """``main``'s exit code, also when argparse exits (SystemExit) on a bad option."""
    try:
        return main(argv)
    except SystemExit as exc:
        return exc.code
