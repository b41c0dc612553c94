"""Looking inside an archive: ``Archive.lookup`` and the show, list, history and diff commands,
on archives made by real crawls of servers on 127.0.0.1."""

from __future__ import annotations

import contextlib
import io
import json
import re
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from archive import Archive
from archive.lookup import RecordNotFound
from scraper.cli.main import main
from scraper.demo.server import DemoServer
from scraper.urls import canonical_url

CONFIG = "politeness:\n  delay: 0\n  concurrency: 4\ncrawl:\n  extract_workers: 0\n"


def run(*args: str) -> tuple[int, str, str]:
    """The command's exit code, stdout and stderr (``-q``: no ``config: ...`` line)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([*args, "-q"])
    return code, out.getvalue(), err.getvalue()


def in_a_week() -> str:
    return (datetime.now(UTC) + timedelta(days=8)).strftime("%Y-%m-%dT%H:%M:%S")


@pytest.fixture(scope="module")
def config_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("config") / "config.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def demo(config_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The demo site crawled, then re-visited once a week later (304s)."""
    root = tmp_path_factory.mktemp("demo") / "archive"
    common = ("--archive", str(root), "--config", str(config_file), "--quiet")
    with DemoServer() as server:
        code, out, _ = run("crawl", server.base_url + "/", *common)
        assert code == 0, out
        code, out, _ = run("snapshot", *common, "--now", in_a_week())
        assert code == 0, out
    yield root


def with_alias(root: Path) -> dict[str, Any]:
    """A stored record that the crawl also found under an AMP or print URL."""
    for path in sorted((root / "articles").rglob("*.json")):
        record: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        if any("amp" in alias or "print" in alias for alias in record["aliases"]):
            return record
    raise AssertionError("the demo crawl learned no AMP or print alias")


def test_archive_lookup_finds_an_article_by_id_and_by_any_url_variant(demo: Path) -> None:
    record = with_alias(demo)
    alias = next(alias for alias in record["aliases"] if "amp" in alias or "print" in alias)
    variants = [record["url"], record["id"], f"{alias}?utm_source=feed&utm_medium=rss#top",
                record["url"].rstrip("/") + "?fbclid=abc", record["url"].upper()[:4]
                + record["url"][4:] + "#comments"]
    with Archive(demo) as archive:
        for variant in variants:
            assert archive.lookup(variant, canonical_url)["id"] == record["id"], variant
        with pytest.raises(RecordNotFound, match=re.escape("no article 'https://nowhere.example/x'")):
            archive.lookup("https://nowhere.example/x", canonical_url)
    code, out, err = run("show", f"{alias}?utm_campaign=x", "--archive", str(demo))
    assert (code, err) == (0, "")
    assert out.startswith(f"title:     {record['title']}\n")


def test_show_prints_the_record_readable_or_as_stored_json(demo: Path) -> None:
    record = with_alias(demo)
    code, out, err = run("show", record["id"], "--archive", str(demo))
    assert (code, err) == (0, "")
    assert f"url:       {record['url']}\n" in out
    assert f"versions:  1, {len(record['snapshots'])} snapshots\n" in out
    assert all(len(line) <= 78 for line in out.split("\n\n", 1)[1].splitlines()
               if not line.startswith("  "))
    code, out, _ = run("show", record["url"], "--json", "--archive", str(demo))
    assert code == 0 and json.loads(out) == record


def test_show_indents_comments_by_reply_depth(demo: Path) -> None:
    stored = [json.loads(path.read_text("utf-8"))
              for path in sorted((demo / "articles").rglob("*.json"))]
    record = next(record for record in stored
                  if any(comment["replies"] for comment in record["comments"]))
    reply = next(c for c in record["comments"] if c["replies"])["replies"][0]
    code, out, _ = run("show", record["id"], "--archive", str(demo))
    assert code == 0
    assert f"\n    - {reply['author'] or 'anonymous'}" in out  # depth 2: four spaces


def test_show_of_an_unknown_article_or_archive_is_one_line(demo: Path, tmp_path: Path) -> None:
    before = sorted((path, path.stat().st_mtime_ns) for path in demo.rglob("*"))
    code, out, err = run("show", "https://nowhere.example/x", "--archive", str(demo))
    assert sorted((path, path.stat().st_mtime_ns) for path in demo.rglob("*")) == before
    assert (code, out) == (1, "")
    assert err == (f"broadsheet: error: no article 'https://nowhere.example/x' in archive {demo}; "
                   "list the articles with broadsheet list\n")
    missing = tmp_path / "typo"
    for command in (["show", "x"], ["list"], ["history", "x"], ["diff", "x"]):
        code, out, err = run(*command, "--archive", str(missing))
        assert (code, out) == (2, "")
        assert err.startswith(f"broadsheet: error: no archive at {missing}; give the archive with")
        assert err.count("\n") == 1
    assert not missing.exists()


def test_list_is_newest_first_and_filters_by_site_and_since(demo: Path) -> None:
    code, out, err = run("list", "--archive", str(demo), "--json")
    rows = [json.loads(line) for line in out.splitlines()]
    assert (code, err) == (0, "")
    assert len(rows) == len(list((demo / "articles").rglob("*.json")))
    assert set(rows[0]) == {"id", "published", "site", "title"}
    dated = [row["published"][:10] for row in rows if row["published"]]
    assert dated == sorted(dated, reverse=True)
    code, text, _ = run("list", "--archive", str(demo))
    first = text.splitlines()[0]
    assert code == 0 and first == "  ".join([rows[0]["id"], rows[0]["published"], "127.0.0.1",
                                             rows[0]["title"]])
    since = dated[2]
    code, out, _ = run("list", "--archive", str(demo), "--since", since, "--json")
    assert code == 0 and len(out.splitlines()) == sum(day >= since for day in dated)
    code, out, _ = run("list", "--archive", str(demo), "--since", f"{since}T00:00:00+00:00")
    assert code == 0 and len(out.splitlines()) >= 3
    assert run("list", "--archive", str(demo), "--site", "elsewhere.example")[:2] == (0, "")
    with pytest.raises(SystemExit) as stop, contextlib.redirect_stderr(io.StringIO()) as caught:
        main(["list", "--archive", str(demo), "--since", "last tuesday"])
    assert stop.value.code == 2
    assert "--since: 'last tuesday' is not a date (YYYY-MM-DD) or ISO date-time" in \
        caught.getvalue()


def test_history_lists_each_snapshot_with_status_and_counters(demo: Path) -> None:
    record = with_alias(demo)
    code, out, err = run("history", record["url"], "--archive", str(demo))
    lines = out.splitlines()
    assert (code, err) == (0, "")
    assert lines[0] == (f"{record['url']} ({record['id']}): 2 snapshots, version 1 current")
    assert lines[1].split() == ["fetched_at", "status", "views", "comments", "version"]
    first, second = (line.split() for line in lines[2:])
    assert first[1:] == ["200", str(record["views"]), str(record["comment_count"]), "1"]
    assert second[1:] == ["304", "-", "-", "1"]
    code, out, _ = run("history", record["id"], "--json", "--archive", str(demo))
    assert code == 0
    assert [json.loads(line) for line in out.splitlines()] == record["snapshots"]


class _Story(BaseHTTPRequestHandler):
    body = "The harbour reopened on Monday after three days of storms."

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        if self.path != "/news/ferry":
            self.send_error(404)
            return
        paragraphs = "".join(f"<p>{self.body} Paragraph {n} of the report on the ferries.</p>"
                             for n in range(5))
        page = ("<!doctype html><html lang='en'><head><title>Ferry service resumes</title></head>"
                "<body><article><h1>Ferry service resumes</h1><p class='byline'>By Ana Ruiz</p>"
                f"{paragraphs}</article></body></html>").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        self.wfile.write(page)


def test_diff_shows_the_changed_fields_between_versions(config_file: Path, tmp_path: Path) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Story)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/news/ferry"
    common = ("--archive", str(tmp_path / "archive"), "--config", str(config_file), "--quiet")
    try:
        assert run("crawl", url, *common)[0] == 0
        code, out, err = run("diff", url, *common[:2])
        assert (code, err) == (0, "")
        assert out.endswith("has only one version; nothing to compare\n")
        _Story.body = "The harbour reopened on Tuesday after four days of storms."
        assert run("snapshot", *common, "--now", in_a_week())[0] == 0
    finally:
        server.shutdown()
        server.server_close()
    code, out, err = run("diff", url + "?utm_source=x", *common[:2])
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[:2] == ["--- version 1: body", "+++ version 2: body"]
    assert "-The harbour reopened on Monday after three days of storms. Paragraph 0 of the " \
           "report on the ferries." in lines
    assert "+The harbour reopened on Tuesday after four days of storms. Paragraph 0 of the " \
           "report on the ferries." in lines
    assert run("diff", url, "--from", "2", "--to", "1", *common[:2])[1].startswith(
        "--- version 2: body\n")
    code, out, err = run("diff", url, "--from", "3", *common[:2])
    assert (code, out) == (2, "")
    assert err.endswith("has versions 1 to 2, not 3\n")
