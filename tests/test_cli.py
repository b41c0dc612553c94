"""The broadsheet command's extract and demo subcommands, through ``main``."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from scraper.cli.main import main
from scraper.demo import expected_articles

PAGE = ("<!doctype html><html lang='en'><head><title>Ferry service resumes | Harbour News</title>"
        "<meta property='og:site_name' content='Harbour News'></head><body><nav><a href='/'>Home"
        "</a></nav><article><h1>Ferry service resumes</h1><p class='byline'>By Ana Ruiz</p>"
        + "".join(f"<p>Paragraph {n}: the harbour reopened on Monday after three days of storms, "
                  "and the first ferries left on time with cars and passengers.</p>"
                  for n in range(5))
        + "</article><footer>Contact us</footer></body></html>")


def test_extract_prints_one_json_line_per_page(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    plain = tmp_path / "page.html"
    plain.write_text(PAGE, encoding="utf-8")
    packed = tmp_path / "page.html.gz"
    packed.write_bytes(gzip.compress(PAGE.encode()))
    code = main(["extract", str(plain), str(packed), "--url", "https://harbour.example/ferry"])
    lines = capsys.readouterr().out.splitlines()
    assert code == 0
    assert len(lines) == 2
    for line in lines:
        record = json.loads(line)
        assert record["title"] == "Ferry service resumes"
        assert record["authors"] == ["Ana Ruiz"]
        assert record["url"] == "https://harbour.example/ferry"
        assert record["body"].startswith("Paragraph 0: the harbour reopened")
        assert "Contact us" not in record["body"]


def test_extract_reports_a_bad_file_and_goes_on(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "good.html"
    good.write_text(PAGE, encoding="utf-8")
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    code = main(["extract", "-q", str(empty), str(tmp_path / "missing.html"), str(good)])
    captured = capsys.readouterr()
    assert code == 1
    assert len(captured.out.splitlines()) == 1
    errors = captured.err.splitlines()
    assert len(errors) == 2
    assert "empty.html: empty page" in errors[0]
    assert "missing.html" in errors[1] and "cannot read" in errors[1]


def test_demo_command_crawls_the_bundled_site(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("politeness:\n  delay: 0\n  concurrency: 4\n", encoding="utf-8")
    archive = tmp_path / "archive"
    code = main(["demo", "--port", "0", "--archive", str(archive), "--config", str(config),
                 "--quiet", "--json"])
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert code == 0
    files = list((archive / "articles").rglob("*.json"))
    assert len(files) == len(expected_articles()) == summary["stored"]

    assert main(["stats", "--archive", str(archive), "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["articles"] == len(files)
    assert stats["aliases"] >= summary["duplicates"] > 0  # print, AMP and tracking variants
    assert stats["failures"] == {}
    assert main(["verify", "--archive", str(archive)]) == 0  # a real crawl's archive is sound
    assert capsys.readouterr().out.endswith(": no problems\n")
    assert main(["reindex", "--archive", str(archive)]) == 0
    assert capsys.readouterr().out == f"reindexed {len(files)} articles in {archive}\n"
