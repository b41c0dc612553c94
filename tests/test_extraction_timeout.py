"""A page the extractor cannot finish in ``crawl.extraction_timeout`` fails with
``extraction_timeout``; its worker is replaced and the crawl goes on (issue 13, item 7)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scraper.cli.main import main
from scraper.config import parse_config
from scraper.errors import ConfigError
from tests import misbehaving_server
from tests.misbehaving_server import MisbehavingServer

site = misbehaving_server.site


def test_a_page_past_the_time_limit_fails_and_the_next_pages_are_stored(
        site: MisbehavingServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("crawl:\n  extraction_timeout: 1\n  extract_workers: 1\n  use_sitemaps: "
                      "false\n  use_feeds: false\n  follow_links: false\n"
                      "politeness:\n  delay: 0\n  concurrency: 1\nfetch:\n  retries: 0\n",
                      encoding="utf-8")
    seeds = [site.url(f"/costly/{name}") for name in ("slow-extract", "article-1", "article-2")]
    code = main(["crawl", *seeds, "--archive", str(tmp_path / "a"), "--config", str(config),
                 "--quiet", "--json"])
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert code == 1
    assert summary["failed_by_reason"] == {"extraction_timeout": [seeds[0]]}
    stored = sorted(json.loads(path.read_text(encoding="utf-8"))["title"]
                    for path in (tmp_path / "a" / "articles").rglob("*.json"))
    assert stored == ["Council agrees budget", "Libraries keep their hours"]


def test_the_time_limit_is_checked_at_config_load() -> None:
    assert parse_config("crawl:\n  extraction_timeout: 5\n").crawl.extraction_timeout == 5.0
    assert parse_config("").crawl.extraction_timeout == 30.0
    with pytest.raises(ConfigError, match=r"<config>:2: 'crawl.extraction_timeout' must be"):
        parse_config("crawl:\n  extraction_timeout: 0\n")
