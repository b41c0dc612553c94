from __future__ import annotations

from pathlib import Path

import pytest

from scraper.config import Config, SiteRules, load_config, parse_config
from scraper.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent


def test_shipped_config_is_the_defaults() -> None:
    assert load_config(ROOT / "config.yaml") == Config()


def test_values_are_typed_and_frozen() -> None:
    config = parse_config("politeness:\n  delay: 2\ncrawl:\n  seeds: [http://a.com/]\n")
    assert config.politeness.delay == 2.0
    assert isinstance(config.politeness.delay, float)
    assert config.crawl.seeds == ("http://a.com/",)
    with pytest.raises(AttributeError):
        config.politeness.delay = 3  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("crawl:\n  max_pagez: 3\n", 2, "unknown key 'crawl.max_pagez'"),
        ("fetch:\n  timeout: soon\n", 2, "'fetch.timeout' must be a number"),
        ("politeness:\n\n  per_host_concurrency: 0\n", 3, "must be at least 1"),
        ("crawl:\n  exclude: ['(']\n", 2, "bad regular expression"),
        ("crawl:\n  same_site: 1\n", 2, "must be true or false"),
        ("crawl:\n  max_pages: 2.5\n", 2, "whole number"),
        ("crawl:\n  max_feeds_per_site: 0\n", 2, "must be at least 1"),
        ("crawl:\n\n  max_sitemaps_per_site: 0\n", 3, "must be at least 1"),
        ("crawl:\n  sitemap_max_depth: -1\n", 2, "must be at least 0"),
        ("crawl:\n  sitemap_max_depth: 1.5\n", 2, "whole number"),
        ("crawl: [1, 2]\n", 1, "must be a mapping"),
        ("crawl:\n  seeds: [1]\n", 2, "list of strings"),
        ("a: [\n", 2, "invalid YAML"),
        ("crawl:\n  sites:\n    example.com:\n      include: ['(']\n", 4,
         "'crawl.sites.example.com.include': bad regular expression"),
        ("crawl:\n  sites:\n    a.com: {}\n    b.com:\n      exclude: ['ok', '[']\n", 5,
         "bad regular expression"),
        ("crawl:\n  sites:\n\n    'https://a.com/':\n", 4, "is not a host name"),
        ("crawl:\n  sites:\n    a.com: {}\n    WWW.A.com: {}\n", 4, "'crawl.sites.a.com' given twice"),
        ("crawl:\n  sites: [a.com]\n", 2, "'crawl.sites' must be a mapping"),
        ("crawl:\n  sites:\n    a.com: [x]\n", 3, "'crawl.sites.a.com' must be a mapping"),
        ("crawl:\n  sites:\n    a.com:\n      site: b.com\n", 4,
         "unknown key 'crawl.sites.a.com.site' (expected one of: exclude, include)"),
        ("crawl:\n  sitemap_max_age_days: -1\n", 2, "must be at least 0"),
        ("crawl:\n  follow_nofollow: sometimes\n", 2, "must be true or false"),
    ],
)
def test_errors_name_the_line(text: str, line: int, words: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(text, "my.yaml")
    message = str(caught.value)
    assert message.startswith(f"my.yaml:{line}: "), message
    assert words in message
    assert "\n" not in message


def test_discovery_keys_and_per_site_rules() -> None:
    config = parse_config(
        "crawl:\n  follow_links: false\n  follow_nofollow: true\n  sitemap_max_age_days: 7\n"
        "  exclude: ['/login']\n  sites:\n    WWW.Example.com:\n      include: ['/news/']\n"
        "    bücher.example:\n    news.example.org:\n      exclude: ['/live/']\n")
    crawl = config.crawl
    assert (crawl.follow_links, crawl.follow_nofollow, crawl.sitemap_max_age_days) == (
        False, True, 7)
    assert crawl.sites == (SiteRules("example.com", include=("/news/",)),
                           SiteRules("xn--bcher-kva.example"),
                           SiteRules("news.example.org", exclude=("/live/",)))
    assert parse_config("crawl:\n  sites:\n").crawl.sites == ()


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.yaml")


def test_empty_file_gives_defaults() -> None:
    assert parse_config("") == Config()


def test_replace_changes_one_section() -> None:
    config = Config().replace("crawl", max_depth=7)
    assert config.crawl.max_depth == 7
    assert config.fetch == Config().fetch
