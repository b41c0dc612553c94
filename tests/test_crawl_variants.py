"""The same story reached under five URL variants is archived as one file."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

from scraper.cli.main import main
from scraper.demo import DemoServer
from scraper.demo.site import default_catalog

CONFIG = """\
crawl: {follow_links: false, use_sitemaps: false, use_feeds: false}
politeness: {delay: 0.01, concurrency: 4}
fetch: {retries: 1, backoff_base: 0.05}
"""


def test_five_url_variants_of_one_story_make_one_file(tmp_path: Path) -> None:
    article = next(a for a in default_catalog().articles if a.print_path)
    config = tmp_path / "config.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    with DemoServer() as server:
        base = server.base_url
        canonical = base + article.path
        seeds = [base + article.print_path,  # a print copy naming the article as canonical
                 canonical + "?utm_source=share&utm_medium=copy_link",
                 canonical + "?fbclid=IwAR0123456789abcdef",
                 canonical + "?utm_source=newsletter&utm_medium=email#comments",
                 canonical.replace("http://", "HTTP://")]
        with contextlib.redirect_stdout(io.StringIO()) as out:
            code = main(["crawl", *seeds, "--archive", str(tmp_path / "archive"),
                         "--config", str(config), "--quiet", "--json"])
    summary = json.loads(out.getvalue().strip().splitlines()[-1])
    files = list((tmp_path / "archive" / "articles").rglob("*.json"))
    assert code == 0 and summary["stored"] == 1, summary
    assert len(files) == 1
    record = json.loads(files[0].read_text(encoding="utf-8"))
    assert record["url"] == canonical
    assert base + article.print_path in record["aliases"]
