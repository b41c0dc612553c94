"""The extractor against the demo site's three templates.

Golden pages (``tests/golden/demo``, written by its ``regenerate.py`` from the demo's
hand-written data) must give exactly the saved record.  Every demo article, its AMP and its
print copy, rendered in-process, must give the demo's record in every field but the comment
and count fields, which ``test_extract_comments`` and ``test_extract_counts`` own.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from scraper.demo import DemoSite, expected_articles
from scraper.demo.catalog import DemoArticle
from scraper.demo.site import default_catalog
from scraper.extract import extract

GOLDEN = Path(__file__).parent / "golden" / "demo"
INDEX: dict[str, str] = json.loads((GOLDEN / "index.json").read_text(encoding="utf-8"))
BASE_URL = "http://127.0.0.1:8642"
COUNT_FIELDS = ("views", "comment_count", "comments")
SITE = DemoSite()
RECORDS = {item.path: item.record for item in expected_articles(BASE_URL)}
ARTICLES = default_catalog().articles


def _extract(path: str) -> dict[str, Any]:
    response = SITE.respond(path, BASE_URL)
    assert response.status == 200, path
    return extract(response.body, BASE_URL + path).to_dict()


def _without_counts(record: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in record.items() if key not in COUNT_FIELDS}


def test_golden_set_covers_the_three_templates_and_the_copies() -> None:
    prefixes = {name.split("-")[0] for name in INDEX}
    assert prefixes == {"a", "b", "c"}
    assert {"a-print", "b-amp"} <= set(INDEX)
    assert all((GOLDEN / f"{name}.html").is_file() and (GOLDEN / f"{name}.json").is_file()
               for name in INDEX)


@pytest.mark.parametrize("name", sorted(INDEX))
def test_golden_page_gives_exactly_its_record(name: str) -> None:
    html = (GOLDEN / f"{name}.html").read_bytes()
    expected = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    assert extract(html, INDEX[name]).to_dict() == expected


@pytest.mark.parametrize("article", ARTICLES, ids=[a.slug[:40] for a in ARTICLES])
def test_every_demo_article_gives_its_record(article: DemoArticle) -> None:
    expected = RECORDS[BASE_URL + article.path]
    assert _without_counts(_extract(article.path)) == _without_counts(expected)


AMP = [a for a in ARTICLES if a.amp_path]
PRINT = [a for a in ARTICLES if a.print_path]


@pytest.mark.parametrize("article", AMP, ids=[a.slug[:40] for a in AMP])
def test_every_amp_copy_gives_the_article_record(article: DemoArticle) -> None:
    assert article.amp_path is not None
    expected = RECORDS[BASE_URL + article.path]
    assert _without_counts(_extract(article.amp_path)) == _without_counts(expected)


@pytest.mark.parametrize("article", PRINT, ids=[a.slug[:40] for a in PRINT])
def test_every_print_copy_gives_headline_byline_date_and_text(article: DemoArticle) -> None:
    assert article.print_path is not None
    expected = RECORDS[BASE_URL + article.path]
    got = _extract(article.print_path)
    shown = ("title", "authors", "published", "body", "language")
    assert {key: got[key] for key in shown} == {key: expected[key] for key in shown}
    assert got["url"] == BASE_URL + article.print_path  # no canonical link on print pages
    assert (got["modified"], got["tags"], got["comments"]) == (None, [], [])
