from __future__ import annotations

import os
import subprocess
import sys
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


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("politeness:\n  delay: .nan\n", 2, "'politeness.delay' must be a finite number"),
        ("politeness:\n  delay: .inf\n", 2, "'politeness.delay' must be a finite number"),
        ("fetch:\n  timeout: .NaN\n", 2, "'fetch.timeout' must be a finite number"),
        ("fetch:\n  connect_timeout: .inf\n", 2, "finite number"),
        ("fetch:\n\n  max_retry_after: .Inf\n", 3, "'fetch.max_retry_after' must be a finite"),
        ("fetch:\n  backoff_max: .nan\n", 2, "finite number"),
        ("snapshot:\n  schedule:\n    - {every: .inf}\n", 3, "not a finite duration"),
        ("snapshot:\n  schedule:\n    - {every: 1h, age: .nan}\n", 3, "not a finite duration"),
        ('fetch:\n  user_agent: "bot/1\\r\\nX-Injected: 1"\n', 2,
         "'fetch.user_agent' is sent as an HTTP header"),
        ('fetch:\n  user_agent: "bot/1\\nmore"\n', 2, "no line breaks"),
        ('fetch:\n  user_agent: "bot/1\\x00"\n', 2, "control characters"),
        ('fetch:\n  user_agent: "bot/1\\x7f"\n', 2, "control characters"),
        ("fetch:\n  user_agent: bücherbot/1\n", 2, "printable ASCII only"),
    ],
)
def test_non_finite_numbers_and_unsafe_header_values_are_rejected(
        tmp_path: Path, text: str, line: int, words: str) -> None:
    """NaN or infinity would make a delay or timeout meaningless (a crawl that never ends); a
    line break in a header value would end the header and smuggle another."""
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:{line}: "), message
    assert words in message
    assert "\n" not in message and "\r" not in message


def test_a_tab_in_the_user_agent_is_a_valid_header_value() -> None:
    assert parse_config('fetch:\n  user_agent: "bot/1\\t(x)"\n').fetch.user_agent == "bot/1\t(x)"


def test_the_command_rejects_a_nan_delay_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("politeness:\n  delay: .nan\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "scraper", "crawl", "--config", str(path),
         "--archive", str(tmp_path / "a"), "http://127.0.0.1:9/"],
        capture_output=True, text=True, timeout=30, cwd=ROOT)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"broadsheet: error: {path}:2: 'politeness.delay' must be a finite number, not nan"]


def test_backend_section_is_validated_at_load() -> None:
    shared = parse_config("backend:\n  kind: postgres\n  dsn: postgresql://u@db.example/crawl\n"
                          "  storage: s3://bucket/news\n  lease_seconds: 30\n"
                          "  storage_options: {endpoint_url: 'http://127.0.0.1:8333', anon: false}\n")
    assert shared.backend.shared and shared.backend.lease_seconds == 30.0
    assert shared.backend.storage_options == (("anon", "false"),
                                              ("endpoint_url", "http://127.0.0.1:8333"))
    assert not Config().backend.shared
    assert Config().backend.worker_name().endswith(f":{os.getpid()}")
    for text, words in [
            ("backend:\n  kind: postgres\n", "backend 'postgres' needs 'dsn'"),
            ("backend:\n  kind: redis\n", "'redis' is not a backend kind"),
            ("backend:\n  kind: postgres\n  dsn: mysql://h/db\n", "must be a postgresql:// URL"),
            ("backend:\n  storage: s3://b/p\n", "s3:// storage needs backend 'postgres'"),
            ("backend:\n  lease_seconds: 0\n", "'backend.lease_seconds' must be at least 1"),
            ("backend:\n  storage_options: {key: [1]}\n", "option 'key' must be a string")]:
        with pytest.raises(ConfigError, match=words) as caught:
            parse_config(text, "c.yaml")
        assert str(caught.value).startswith("c.yaml:2: ")
