"""Title, authors, site metadata, links and the article/listing decision."""

from __future__ import annotations

import json

import pytest

from scraper import analyse, extract

TEXT = "".join(
    f"<p>Paragraph {n} of the story explains, in some detail, what happened at the plant, why "
    f"it matters to the town, and what the company plans to do about it next.</p>"
    for n in range(5))


def _page(head: str = "", before: str = "", lang: str = "en-GB") -> str:
    return (f"<html lang='{lang}'><head>{head}</head><body><header><a href='/'>Logo</a></header>"
            f"<article>{before}{TEXT}</article></body></html>")


def _json_ld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def test_title_is_the_h1_agreeing_with_the_declared_title() -> None:
    head = "<title>Plant to close in June | The Courier</title>"
    assert extract(_page(head, "<h1>Plant to close in June</h1>")).title == \
        "Plant to close in June"


def test_title_without_h1_drops_the_site_name() -> None:
    head = ("<title>Plant to close in June - The Courier</title>"
            '<meta property="og:site_name" content="The Courier">')
    article = extract(_page(head))
    assert article.title == "Plant to close in June"
    assert article.site_name == "The Courier"


def test_authors_from_json_ld_graph_people_before_organisations() -> None:
    data = {"@context": "https://schema.org", "@graph": [
        {"@type": "Organization", "name": "The Courier"},
        {"@type": ["NewsArticle"], "headline": "Plant to close",
         "author": [{"@type": "Person", "name": "Ann Lee"}, {"@type": "Person", "name": "Bo Chan"},
                    {"@type": "Organization", "name": "The Courier"}],
         "publisher": {"@type": "Organization", "name": "The Courier"}}]}
    article = extract(_page(_json_ld(data)))
    assert article.authors == ("Ann Lee", "Bo Chan")
    assert article.site_name == "The Courier"


def test_organisation_only_when_no_person_is_named() -> None:
    data = {"@type": "NewsArticle", "author": {"@type": "Organization", "name": "Wire Desk Ltd"}}
    assert extract(_page(_json_ld(data))).authors == ("Wire Desk Ltd",)


@pytest.mark.parametrize(("byline", "expected"), [
    ('<p class="byline">By Ann Lee and Bo Chan | May 3, 2024</p>', ("Ann Lee", "Bo Chan")),
    ('<div class="author-name">Por María Pérez</div>', ("María Pérez",)),
    ('<span class="byline">By <a href="/author/ann-lee">Ann Lee</a>, Staff</span>', ("Ann Lee",)),
    ('<span class="author">admin</span>', ()),
    ('<a rel="author" href="/team/x">Ann Lee</a>', ("Ann Lee",)),
])
def test_bylines(byline: str, expected: tuple[str, ...]) -> None:
    assert extract(_page(before=byline)).authors == expected


def test_meta_author_but_not_a_url() -> None:
    head = '<meta name="author" content="Ann Lee">'
    assert extract(_page(head)).authors == ("Ann Lee",)
    head = '<meta property="article:author" content="https://facebook.com/annlee">'
    assert extract(_page(head)).authors == ()


def test_microdata_author() -> None:
    before = ('<span itemprop="author" itemscope itemtype="https://schema.org/Person">'
              '<span itemprop="name">Ann Lee</span></span>')
    assert extract(_page(before=before)).authors == ("Ann Lee",)


def test_site_fields() -> None:
    head = ('<meta name="description" content="The plant   will close.">'
            '<meta property="og:image" content="/img/plant.jpg">'
            '<meta property="article:tag" content="Industry">'
            '<meta property="article:tag" content="Jobs">'
            '<link rel="canonical" href="/news/plant-to-close">')
    article = extract(_page(head), url="https://courier.example/news/plant-to-close?utm=x")
    assert article.description == "The plant will close."
    assert article.image == "https://courier.example/img/plant.jpg"
    assert article.tags == ("Industry", "Jobs")
    assert article.url == "https://courier.example/news/plant-to-close"
    assert article.language == "en-GB"


def test_language_from_og_locale_when_html_has_none() -> None:
    head = '<meta property="og:locale" content="vi_VN">'
    page = _page(head).replace(" lang='en-GB'", "")
    assert extract(page).language == "vi-VN"


def test_analyse_links_feeds_canonical_amp() -> None:
    head = ('<link rel="alternate" type="application/rss+xml" href="/feed.xml">'
            '<link rel="amphtml" href="https://courier.example/amp/plant">'
            '<meta property="og:url" content="https://courier.example/news/plant">')
    before = ('<a href="/news/other#top">x</a><a href="https://other.example/a">y</a>'
              '<a href="/news/other">again</a><a href="mailto:a@b.c">m</a>'
              '<a href="javascript:void(0)">j</a>')
    result = analyse(_page(head, before), url="https://courier.example/news/plant?ref=1")
    assert result.links == ("https://courier.example/", "https://courier.example/news/other",
                            "https://other.example/a")
    assert result.feeds == ("https://courier.example/feed.xml",)
    assert result.canonical == "https://courier.example/news/plant"
    assert result.amphtml == "https://courier.example/amp/plant"
    assert result.article.url == result.canonical


def test_article_pages_and_listing_pages() -> None:
    article = analyse(_page('<meta property="og:type" content="article">', "<h1>Plant</h1>"),
                      url="https://courier.example/2024/05/13/plant-to-close-in-june")
    assert article.is_article
    teasers = "".join(f'<li><a href="/news/{n}">Headline number {n} for the front page</a></li>'
                      for n in range(40))
    home = f"<html><head><title>The Courier</title></head><body><ul>{teasers}</ul></body></html>"
    listing = analyse(home, url="https://courier.example/")
    assert not listing.is_article
    assert len(listing.links) == 40
