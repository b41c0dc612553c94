"""The command's front door (issue 10, part A): start URLs as people type them, which config
file is read, a mistyped --archive, -v/-q anywhere, --version and ``demo --serve``.  Each test
runs the real command against a real archive or a real server on 127.0.0.1."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

from scraper.cli.main import main
from scraper.crawl.seeds import seed_url
from scraper.demo.server import DemoServer
from tests.test_cli import PAGE
from tests.test_export import build_archive

ROOT = Path(__file__).resolve().parent.parent
FAST = "politeness:\n  delay: 0\n  concurrency: 4\n"


def broadsheet(*args: str, cwd: Path, env: dict[str, str] | None = None,
               stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """The command as a child process in ``cwd`` (so ``./config.yaml`` is cwd's)."""
    environ = {name: value for name, value in os.environ.items() if name != "BROADSHEET_CONFIG"}
    environ.update(PYTHONPATH=str(ROOT), **(env or {}))
    return subprocess.run([sys.executable, "-m", "scraper", *args], capture_output=True,
                          text=True, input=stdin, cwd=cwd, env=environ, timeout=120, check=False)


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (connections are refused at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture(scope="module")
def site() -> Iterator[DemoServer]:
    with DemoServer(port=0) as server:
        yield server


# Seeds -------------------------------------------------------------------------------------

def test_a_bare_host_is_read_as_https_and_the_command_says_so(tmp_path: Path) -> None:
    host = f"127.0.0.1:{closed_port()}"
    done = broadsheet("crawl", host, "--archive", str(tmp_path / "a"), "-q", cwd=tmp_path)
    assert done.returncode == 1  # the https site is not there: a failed fetch, not a usage error
    assert done.stderr.splitlines()[0] == f"broadsheet: reading {host} as https://{host}/"
    assert f"https://{host}/" in done.stdout


@pytest.mark.parametrize(("typed", "url"), [
    ("example.com", "https://example.com/"), ("localhost:8000", "https://localhost:8000/"),
    ("news.example.com/world?page=2", "https://news.example.com/world?page=2"),
    ("http://example.com/a", "http://example.com/a")])
def test_what_a_typed_start_url_is_read_as(typed: str, url: str) -> None:
    notes: list[str] = []
    assert seed_url(typed, notes.append) == url
    assert notes == ([] if typed == url else [f"reading {typed} as {url}"])


@pytest.mark.parametrize(("seed", "problem"), [
    ("notaurl", "not a URL or a host name; give a URL like https://example.com/"),
    ("ftp://example.com/file", "only http:// and https:// URLs can be crawled"),
    ("http://", "it names no usable host"),
    ("mailto:editor@example.com", "only http:// and https:// URLs can be crawled"),
])
def test_a_start_url_that_is_not_http_is_a_usage_error(tmp_path: Path, seed: str,
                                                       problem: str) -> None:
    done = broadsheet("crawl", seed, "--archive", str(tmp_path / "a"), cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == f"broadsheet: error: bad start URL {seed!r}: {problem}\n"
    assert not (tmp_path / "a").exists()


def test_crawl_dash_reads_start_urls_from_stdin(tmp_path: Path, site: DemoServer) -> None:
    (tmp_path / "config.yaml").write_text(FAST)
    lines = f"# today's seeds\n\n  {site.base_url}/  \n# end\n"
    done = broadsheet("crawl", "-", "--archive", str(tmp_path / "a"), "--max-pages", "3",
                      "--json", "-q", cwd=tmp_path, stdin=lines)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["fetched"] >= 1
    assert any(request.path == "/" for request in site.requests)


def test_a_bad_line_on_stdin_is_a_usage_error_naming_the_line(tmp_path: Path) -> None:
    done = broadsheet("crawl", "-", "--archive", str(tmp_path / "a"), cwd=tmp_path,
                      stdin="https://example.com/\n\nftp://example.com/\n")
    assert done.returncode == 2
    assert done.stderr == ("broadsheet: error: standard input line 3: bad start URL "
                           "'ftp://example.com/': only http:// and https:// URLs can be crawled\n")
    empty = broadsheet("crawl", "-", cwd=tmp_path, stdin="# nothing today\n")
    assert empty.returncode == 2
    assert empty.stderr == ("broadsheet: error: no start URL on standard input: give one URL "
                            "a line\n")


# Config discovery --------------------------------------------------------------------------

def test_config_yaml_in_the_working_directory_is_read_and_named(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(PAGE)
    (tmp_path / "config.yaml").write_text("fetch:\n  max_bytes: 100\n")
    done = broadsheet("extract", "page.html", cwd=tmp_path)
    assert done.returncode == 1  # the page is over the 100 bytes the file allows
    first, second = done.stderr.splitlines()
    assert first == "config: ./config.yaml"
    assert second == ("broadsheet: page.html: page.html is over fetch.max_bytes=100 bytes; "
                      "raise fetch.max_bytes to read it")


def test_broadsheet_config_names_the_file_when_there_is_no_local_one(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(PAGE)
    named = tmp_path / "elsewhere.yaml"
    named.write_text("fetch:\n  max_bytes: 100\n")
    done = broadsheet("extract", "page.html", cwd=tmp_path, env={"BROADSHEET_CONFIG": str(named)})
    assert done.returncode == 1
    assert done.stderr.splitlines()[0] == f"config: {named}"
    assert "max_bytes=100" in done.stderr

    (tmp_path / "config.yaml").write_text("")  # a local file wins over the variable
    done = broadsheet("extract", "page.html", cwd=tmp_path, env={"BROADSHEET_CONFIG": str(named)})
    assert done.returncode == 0
    assert done.stderr == "config: ./config.yaml\n"


def test_a_missing_broadsheet_config_file_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(PAGE)
    missing = tmp_path / "gone.yaml"
    done = broadsheet("extract", "page.html", cwd=tmp_path,
                      env={"BROADSHEET_CONFIG": str(missing)})
    assert done.returncode == 2
    assert done.stderr == (f"broadsheet: error: BROADSHEET_CONFIG names {missing}, which is not "
                           "a file; fix or unset BROADSHEET_CONFIG, or pass --config FILE\n")
    assert done.stdout == ""


def test_without_a_config_file_the_defaults_are_named_and_q_hides_it(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(PAGE)
    done = broadsheet("extract", "page.html", cwd=tmp_path)
    assert done.returncode == 0
    assert done.stderr == "config: built-in defaults\n"
    assert json.loads(done.stdout)["title"] == "Ferry service resumes"
    quiet = broadsheet("extract", "page.html", "-q", cwd=tmp_path)
    assert quiet.returncode == 0 and quiet.stderr == ""


@pytest.mark.parametrize("command", ["crawl", "demo", "snapshot", "watch", "extract", "export",
                                     "stats", "verify", "reindex", "reextract"])
def test_help_tells_how_the_config_file_is_found(command: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "./config.yaml if it exists, else $BROADSHEET_CONFIG, else built-in defaults" in text
    assert "default: built-in)" not in text


# A mistyped --archive ----------------------------------------------------------------------

@pytest.mark.parametrize("command", [["snapshot"], ["snapshot", "--dry-run"], ["reextract"],
                                     ["stats"], ["verify"], ["export"], ["watch"], ["reindex"]],
                         ids=" ".join)
def test_a_missing_archive_is_a_usage_error_and_nothing_is_created(
        tmp_path: Path, command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "archvie"
    code = main(["-q", *command, "--archive", str(missing)])
    assert code == 2
    assert capsys.readouterr().err == (
        f"broadsheet: error: no archive at {missing}; give the archive with --archive DIR (or "
        "archive.directory in the config), or create one with broadsheet crawl\n")
    assert list(tmp_path.iterdir()) == []


# -v/-q anywhere, --version -----------------------------------------------------------------

def test_v_and_q_work_after_the_command(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{closed_port()}/"
    done = broadsheet("crawl", url, "--archive", str(tmp_path / "a"), "-v", "-q", cwd=tmp_path)
    assert done.returncode == 1  # nothing listens there: one failed page
    assert done.stderr.startswith("INFO scraper.crawl.loop: fetch failed: " + url)
    assert "config:" not in done.stderr
    before = broadsheet("-q", "-v", "crawl", url, "--archive", str(tmp_path / "a"), cwd=tmp_path)
    assert before.returncode == 1 and before.stderr.startswith("INFO scraper.crawl.loop: ")


def test_version_prints_the_package_version(tmp_path: Path) -> None:
    done = broadsheet("--version", cwd=tmp_path)
    assert done.returncode == 0
    assert done.stdout == f"broadsheet {metadata.version('broadsheet')}\n"


# demo --serve ------------------------------------------------------------------------------

@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_demo_serve_serves_the_site_until_stopped_and_crawls_nothing(
        tmp_path: Path, stop: signal.Signals) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("BROADSHEET_CONFIG", None)
    child = subprocess.Popen([sys.executable, "-m", "scraper", "demo", "--serve", "--port", "0"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             cwd=tmp_path, env=env)
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        prefix, _, rest = line.partition("http://127.0.0.1:")
        assert prefix == "demo site serving at " and rest.endswith("/ (Ctrl-C to stop)\n")
        base = "http://127.0.0.1:" + rest.split("/")[0]
        page: Any
        with urllib.request.urlopen(base + "/", timeout=10) as page:
            assert page.status == 200 and b"<html" in page.read().lower()
        child.send_signal(stop)
        out, err = child.communicate(timeout=30)
    finally:
        child.kill()
    assert child.returncode == 0
    assert err == f"config: built-in defaults\nbroadsheet: demo site stopped ({stop.name})\n"
    assert out == ""
    assert list(tmp_path.iterdir()) == []  # no ./archive: nothing was crawled


# export and stats: the format from the file name, corrupt records -------------------------

@pytest.fixture
def archive(tmp_path: Path) -> Path:
    root = tmp_path / "archive"
    build_archive(root)
    return root


def test_export_takes_the_format_from_the_file_extension(
        archive: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name, fmt in [("out.csv", "csv"), ("out.ndjson", "jsonl"), ("out.json", "jsonl"),
                      ("out.parquet", "parquet")]:
        target = tmp_path / name
        assert main(["-q", "export", "--archive", str(archive), "-o", str(target)]) == 0
        assert capsys.readouterr().err == f"exported 7 records as {fmt} to {target}\n"
    assert (tmp_path / "out.csv").read_text().startswith("id,url,title,")
    assert json.loads((tmp_path / "out.ndjson").read_text().splitlines()[0])["id"]
    assert (tmp_path / "out.parquet").read_bytes()[:4] == b"PAR1"

    explicit = tmp_path / "explicit.csv"  # --format wins over the name
    assert main(["-q", "export", "--archive", str(archive), "--format", "jsonl", "-o",
                 str(explicit)]) == 0
    assert json.loads(explicit.read_text().splitlines()[0])["id"]
    capsys.readouterr()


def test_an_unknown_extension_without_format_is_a_usage_error(
        archive: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out.txt"
    assert main(["-q", "export", "--archive", str(archive), "-o", str(target)]) == 2
    assert capsys.readouterr().err == (
        f"broadsheet: error: cannot tell the format of {target} from its extension: name it "
        ".jsonl, .json, .ndjson, .csv, .parquet, .wacz, or give --format "
        "(jsonl, csv, parquet, wacz)\n")
    assert not target.exists()


def break_two_records(archive: Path) -> tuple[Path, Path]:
    """One file cut short (not JSON) and one whose title is a number (not the schema's)."""
    truncated, mistyped = sorted((archive / "articles").rglob("*.json"))[:2]
    truncated.write_bytes(truncated.read_bytes()[:50])
    record = json.loads(mistyped.read_text())
    record["title"] = 5
    mistyped.write_text(json.dumps(record))
    return truncated, mistyped


def test_export_reports_each_corrupt_record_goes_on_and_exits_1(
        archive: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    truncated, mistyped = break_two_records(archive)
    target = tmp_path / "out.jsonl"
    assert main(["-q", "export", "--archive", str(archive), "-o", str(target)]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith(f"broadsheet: {truncated} is corrupt (")
    assert lines[1] == (f"broadsheet: {mistyped} does not match the record schema (field "
                        "'title': 5 is not of type 'string', 'null'); find the problems with "
                        "broadsheet verify")
    assert lines[2:] == [f"exported 5 records as jsonl to {target}",
                         "broadsheet: skipped 2 corrupt records; the others were read"]
    assert len(target.read_text().splitlines()) == 5


def test_stats_reports_each_corrupt_record_goes_on_and_exits_1(
        archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    truncated, mistyped = break_two_records(archive)
    assert main(["-q", "stats", "--archive", str(archive), "--json"]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out)["articles"] == 5
    lines = captured.err.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith(f"broadsheet: {truncated} is corrupt (")
    assert lines[1].startswith(f"broadsheet: {mistyped} does not match the record schema (")
    assert lines[2] == "broadsheet: skipped 2 corrupt records; the others were read"


# The default archive folder ---------------------------------------------------------------

def test_the_default_archive_is_data_and_an_old_archive_folder_is_still_read(
        tmp_path: Path) -> None:
    """The default moved from ./archive (the ``archive`` package's own folder when run from the
    repository) to ./data; an archive left in ./archive is still found, with a note."""
    missing = broadsheet("stats", cwd=tmp_path)
    assert missing.returncode == 2
    assert missing.stderr.strip().endswith("error: no archive at data; give the archive with "
                                           "--archive DIR (or archive.directory in the config), "
                                           "or create one with broadsheet crawl")
    build_archive(tmp_path / "archive")
    old = broadsheet("-q", "stats", "--json", cwd=tmp_path)
    assert old.returncode == 0, old.stderr
    assert "using the archive in ./archive (the default before 0.2)" in old.stderr
    assert json.loads(old.stdout)["articles"] == 7

    build_archive(tmp_path / "data")  # once ./data holds an archive, it is the one used
    new = broadsheet("-q", "stats", "--json", cwd=tmp_path)
    assert new.returncode == 0 and new.stderr == ""
    assert json.loads(new.stdout)["articles"] == 7
