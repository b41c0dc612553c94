"""``scraper.extract.verdict``: the article test with its reasons, its thresholds in the config,
and ``crawl -v`` saying why a page was not stored."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from scraper.config import parse_config
from scraper.demo import DemoServer
from scraper.errors import ConfigError
from scraper.extract.record import Article
from scraper.extract.url_kind import UrlKind, url_kind
from scraper.extract.verdict import ArticleThresholds, article_verdict
from tests.tuned_demo import article_paths, tuned_server

ROOT = Path(__file__).resolve().parent.parent
URLS = ("https://news.example/2024/05/13/ferry-resumes/", "https://news.example/tag/ferries/",
        "https://news.example/about-us", None)


def old_is_article(article: Article, declared: str | None) -> bool:
    """The test as it was before its thresholds moved to the config (the defaults must keep
    its answers)."""
    body = article.body
    paragraphs = [p for p in body.split("\n\n") if len(p) > 80]
    long_enough = len(body) >= 500 and len(paragraphs) >= 3
    votes = {UrlKind.ARTICLE: 1, UrlKind.LISTING: -1, UrlKind.UNKNOWN: 0}
    url_vote = votes[url_kind(article.url)] if article.url else 0
    if declared == "article":
        return long_enough or (len(body) >= 200 and url_vote >= 0)
    if declared == "listing":
        return long_enough and url_vote > 0 and article.published is not None
    if not long_enough:
        return False
    return url_vote >= 0 or article.published is not None


def bodies() -> Iterator[str]:
    for count, size in itertools.product((1, 2, 3, 4, 8), (60, 80, 81, 150, 199, 200)):
        yield "\n\n".join("x" * size for _ in range(count))


def test_the_default_thresholds_keep_the_old_answers() -> None:
    cases = itertools.product(bodies(), ("article", "listing", None), URLS, (None, "2024-05-13"))
    checked = 0
    for body, declared, url, published in cases:
        article = Article(url=url, body=body, published=published)
        verdict = article_verdict(article, declared)
        assert verdict.is_article == old_is_article(article, declared), (body, declared, url)
        assert (verdict.reason == "") == verdict.is_article
        checked += 1
    assert checked > 500


def test_the_reason_names_the_threshold_missed() -> None:
    short = Article(url=URLS[0], body="x" * 120)
    assert article_verdict(short, None).reason == "body 120 chars < crawl.article_min_chars 500"
    two = Article(url=URLS[0], body="\n\n".join(["y" * 300] * 2))
    assert article_verdict(two, None).reason == (
        "2 paragraphs of crawl.article_paragraph_min_chars 81+ chars < "
        "crawl.article_min_paragraphs 3")
    assert article_verdict(two, None, ArticleThresholds(min_paragraphs=2)).is_article
    declared = Article(url=URLS[0], body="z" * 150)
    assert article_verdict(declared, "article").reason == (
        "declared an article, but body 150 chars < crawl.article_declared_min_chars 200")
    assert article_verdict(declared, "article", ArticleThresholds(declared_min_chars=100)).is_article


@pytest.mark.parametrize(("text", "words"), [
    ("crawl:\n  article_min_chars: -1\n", "'crawl.article_min_chars' must be at least 0"),
    ("crawl:\n  article_min_paragraphs: 2.5\n", "'crawl.article_min_paragraphs' must be a whole"),
    ("crawl:\n  article_paragraph_min_chars: many\n",
     "'crawl.article_paragraph_min_chars' must be a number"),
])
def test_the_thresholds_are_validated(text: str, words: str) -> None:
    with pytest.raises(ConfigError, match=words):
        parse_config(text, source="config.yaml")
    assert parse_config("crawl:\n  article_min_chars: 40\n").crawl.article_min_chars == 40


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    with tuned_server() as running:
        yield running


def test_verbose_says_why_a_page_is_not_an_article(server: DemoServer, tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("politeness:\n  delay: 0\ncrawl:\n  article_min_chars: 100000\n"
                      "  article_declared_min_chars: 100000\n")  # the demo declares og:type
    article = server.base_url + article_paths()[0]
    done = subprocess.run([sys.executable, "-m", "scraper", "add", article, "--archive",
                           str(tmp_path / "archive"), "--config", str(config), "-q", "-v",
                           "--json"], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert (summary["stored"], summary["not_articles"]) == (0, 1)
    lines = [line for line in done.stderr.splitlines() if "not an article" in line]
    assert len(lines) == 1
    assert lines[0].startswith(f"INFO scraper.crawl.visit: not an article: {article} (declared an "
                               "article, but body ")
    assert lines[0].endswith(" chars < crawl.article_declared_min_chars 100000)")
