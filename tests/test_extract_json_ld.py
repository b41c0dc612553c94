"""JSON-LD read from pages whose templates break the JSON."""

from __future__ import annotations

import pytest

from scraper import extract
from scraper.extract.document import parse

_ARTICLE = ('{"@context": "https://schema.org", "@type": "NewsArticle", '
            '"headline": "Director tests positive", "datePublished": "2020-10-26T18:10:00+01:00"}')


def _types(script: str) -> list[object]:
    html = (f'<html><head><script type="application/ld+json">{script}</script></head>'
            f"<body><p>Text</p></body></html>")
    return [item.get("@type") for item in parse(html, "https://example.com/a").json_ld]


@pytest.mark.parametrize("script", [
    _ARTICLE,
    _ARTICLE + "\n    }",  # a stray closing brace after the object
    _ARTICLE + "];",  # a template's closing characters
    '{"@type": "NewsArticle", "headline": "Line\none", "keywords": "a,\tb"}',  # raw controls
    '{"@type": "NewsArticle",\n  // "mainEntityOfPage": {"@id": "x"},\n  "headline": "H"}',
    '{"@type": "NewsArticle", "sameAs": ["https://a.example", ], }',  # trailing commas
])
def test_a_broken_script_still_gives_its_object(script: str) -> None:
    assert _types(script) == ["NewsArticle"]


def test_objects_following_one_another_without_a_list_are_all_read() -> None:
    script = '{"@type": "Organization", "name": "X"},\n{"@type": "NewsArticle", "headline": "H"}'
    assert _types(script) == ["Organization", "NewsArticle"]


def test_a_url_in_a_string_is_not_taken_for_a_comment() -> None:
    script = ('{"@type": "NewsArticle", "url": "https://example.com/a", "headline": "Bad\x01",\n'
              '"image": "https://example.com/i.jpg"}')
    html = (f'<html><head><script type="application/ld+json">{script}</script></head>'
            f"<body><p>Text</p></body></html>")
    item = parse(html, "https://example.com/a").json_ld[0]
    assert item["url"] == "https://example.com/a"
    assert item["image"] == "https://example.com/i.jpg"


@pytest.mark.parametrize("script", ["", "not json at all", "{", "<!-- -->"])
def test_no_json_gives_no_object(script: str) -> None:
    assert _types(script) == []


def test_the_publication_date_of_a_script_with_a_stray_brace() -> None:
    html = (f'<html><head><script type="application/ld+json">{_ARTICLE}\n}}</script></head>'
            "<body><article><h1>Director tests positive</h1>"
            "<p>The director of the power company tested positive on Monday, the company "
            "said in a statement, and will work from home.</p></article></body></html>")
    assert extract(html, "https://example.com/a").published == "2020-10-26T18:10:00+01:00"


def test_json_ld_rendered_by_mistake_as_a_meta_tag() -> None:
    """Next.js renders ``metadata.other["script:ld+json"]`` as a meta tag, HTML-escaped."""
    content = _ARTICLE.replace('"', "&quot;")
    html = (f'<html><head><meta name="script:ld+json" content="{content}"></head>'
            "<body><article><h1>Director tests positive</h1>"
            "<p>The director of the power company tested positive on Monday, the company "
            "said in a statement, and will work from home.</p></article></body></html>")
    assert extract(html, "https://example.com/a").published == "2020-10-26T18:10:00+01:00"
