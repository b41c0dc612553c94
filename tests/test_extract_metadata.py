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


@pytest.mark.parametrize(("byline", "expected"), [
    # co-authors: every author link joined by a comma, "and", "&"
    ('<span class="author vcard"><a rel="author" href="/author/ann-lee/">Ann Lee</a>, '
     '<a rel="author" href="/author/bo-chan/">Bo Chan</a></span>', ("Ann Lee", "Bo Chan")),
    ('<div>Von <a href="/autor/jonas-weber/">Jonas Weber</a> und '
     '<a href="/autor/petra-kurz/">Petra Kurz</a></div>', ("Jonas Weber", "Petra Kurz")),
    # a reviewer is no co-author
    ('<div class="author-box">By <a href="/author/ann-lee">Ann Lee</a>. Reviewed by '
     '<a href="/author/bo-chan">Bo Chan</a></div>', ("Ann Lee",)),
    ('<p class="byline">Por Lucía Martín y Pedro Gil</p>', ("Lucía Martín", "Pedro Gil")),
    ('<p class="byline">Par Claire Dubois et Marc Roy</p>', ("Claire Dubois", "Marc Roy")),
    ('<p class="author_mail"><strong>Nguyễn Thu Hà - Phạm Ngọc Lan</strong></p>',
     ("Nguyễn Thu Hà", "Phạm Ngọc Lan")),
    ('<p class="byline">Ann Lee - Reuters</p>', ("Ann Lee",)),
    ('<p class="byline">Ann Lee - Editorial Team</p>', ("Ann Lee",)),
    ('<p class="author">Text: Ann Lee</p>', ("Ann Lee",)),
    ('<p class="author">Photo: Ann Lee</p>', ()),
    ('<div class="author">Written By <a href="/blog?author=12"></a></div>', ()),
])
def test_co_authors_and_labels(byline: str, expected: tuple[str, ...]) -> None:
    assert extract(_page(before=byline)).authors == expected


def test_comment_authors_and_commenters_links_are_not_bylines() -> None:
    comments = ('<div id="comments"><article class="comment"><p class="comment__author">'
                '<a href="/author/pilar/" class="username">Pilar García</a></p>'
                '<p>Great news for the valley.</p></article></div>')
    page = ('<html lang="es"><head><title>Escuela</title></head><body><article><h1>Escuela</h1>'
            '<div class="node__meta">Por <a href="/author/lucia-martin/">Lucía Martín</a></div>'
            f'{TEXT}</article>{comments}</body></html>')
    assert extract(page).authors == ("Lucía Martín",)
    without_byline = page.replace("Lucía Martín", "").replace("/author/lucia-martin/", "/")
    assert extract(without_byline).authors == ()


def test_unlabelled_byline_in_the_meta_line_under_the_headline() -> None:
    page = ("<html lang='en'><head><title>Plant</title></head><body><article>"
            "<h1>Plant to close in June</h1><p class='print-meta'>Ann Lee, Bo Chan | June 3, 2025"
            f"</p>{TEXT}</article></body></html>")
    assert extract(page).authors == ("Ann Lee", "Bo Chan")
    section_line = page.replace("Ann Lee, Bo Chan", "World News")
    assert extract(section_line).authors == ()


def _tags_page(markup: str) -> str:
    return (f"<html><head><title>Plant</title></head><body><article><h1>Plant</h1>{TEXT}"
            f"{markup}</article><aside class='sidebar'><div class='tags'>"
            "<a href='/tag/popular/'>Popular</a></div></aside></body></html>")


def test_tags_rel_tag_but_not_category_links() -> None:
    markup = ('<a href="/section/world/" rel="category tag">World</a>'
              '<div class="post-tags"><a rel="tag" href="/tag/fisheries/">Fisheries</a>'
              '<a rel="tag" href="/tag/baltic-sea/">Baltic Sea</a></div>')
    assert extract(_tags_page(markup)).tags == ("Fisheries", "Baltic Sea")


@pytest.mark.parametrize(("container", "href"), [
    ("field field--name-field-tags field--type-entity-reference", "/tag/"),
    ("tag-list", "/tags/"), ("article__keywords", "/topics/"), ("post-tags", "/chu-de/"),
    ("tags", "/etiqueta/"), ("field-tags", "/schlagwort/"),
])
def test_tags_from_links_to_tag_pages_in_the_article_tag_list(container: str, href: str) -> None:
    markup = (f'<div class="{container}"><div class="field__label">Tags</div>'
              f'<div class="field__item"><a href="{href}cafe/">Cà phê</a></div>'
              f'<div class="field__item"><a href="{href}export/">Xuất khẩu</a></div></div>')
    assert extract(_tags_page(markup)).tags == ("Cà phê", "Xuất khẩu")


def test_tag_page_links_outside_a_tag_list_are_not_tags() -> None:
    markup = '<p>See <a href="/tag/energy/">our energy coverage</a>.</p>'
    assert extract(_tags_page(markup)).tags == ()


@pytest.mark.parametrize(("byline", "expected"), [
    ('<p class="text-grey">Written by<span>Edzel Tabing</span></p>', ("Edzel Tabing",)),
    ("<h6>By Rick Steves</h6>", ("Rick Steves",)),
    ('<div><span>Author:</span> <span>Nirmita Panchal</span></div>', ("Nirmita Panchal",)),
    ("<p>By signing up you agree to our <span>Privacy Policy</span></p>", ()),
    ("<p>By mail, send the form to the State Records office.</p>", ()),
    ("<p><button>By Type</button><button>By Wine Region</button></p>", ()),
])
def test_names_after_a_by_label_in_the_text(byline: str, expected: tuple[str, ...]) -> None:
    assert extract(_page(before=byline)).authors == expected


def test_the_most_often_labelled_name_wins_and_a_list_of_books_names_nobody() -> None:
    related = "".join(f"<div>By <span>{name}</span></div>" for name in ("Bo Chan", "Cy Diaz"))
    byline = "<p>By <span>Ann Lee</span></p>"
    assert extract(_page(before=byline + byline + related)).authors == ("Ann Lee",)
    books = "".join(f"<p><b>Title {n}</b> by {name}</p>" for n, name in enumerate(
        ("Ann Lee", "Bo Chan", "Cy Diaz", "Di Ek")))
    assert extract(_page(before=books)).authors == ()


def test_a_job_title_in_its_own_element_is_not_part_of_the_name() -> None:
    byline = ('<div class="author-info"><span>Liza Burke</span><span>Marketing Director</span>'
              "</div>")
    assert extract(_page(before=byline)).authors == ("Liza Burke",)
    byline = '<div class="byline"><span>By</span> <b>Ann Lee</b> and <b>Bo Chan</b></div>'
    assert extract(_page(before=byline)).authors == ("Ann Lee", "Bo Chan")
