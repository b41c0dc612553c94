"""Authors: declared sources (JSON-LD, microdata, meta tags), visible bylines, name cleaning."""

from __future__ import annotations

import json

import pytest

from scraper import extract
from scraper.extract.names import split_names

TEXT = "".join(
    f"<p>Paragraph {n} of the post explains, in some detail, how the garden was planned, what "
    f"grew well in the first year, and what the owners would change next spring.</p>"
    for n in range(5))


def _page(head: str = "", before: str = "", after: str = "") -> str:
    return (f"<html lang='en'><head><title>Spring planting</title>{head}</head><body>"
            f"<header><a href='/'>Home</a></header><article><h1>Spring planting</h1>{before}"
            f"{TEXT}{after}</article></body></html>")


def _json_ld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


SITE = '<meta property="og:site_name" content="Lena Park">'


def test_the_site_name_as_author_when_nobody_else_is_named() -> None:
    """A one-person blog: the site is named after its author."""
    assert extract(_page(SITE + '<meta name="author" content="Lena Park">')).authors == \
        ("Lena Park",)


def test_a_person_named_elsewhere_beats_the_site_name() -> None:
    head = ('<meta property="og:site_name" content="Garden Weekly">'
            + _json_ld({"@type": "Article", "author": {"@type": "Person",
                                                        "name": "Garden Weekly"}}))
    byline = '<p class="byline">By Tom Ortiz</p>'
    assert extract(_page(head, byline)).authors == ("Tom Ortiz",)


def test_json_ld_author_given_by_id_is_the_person_node_in_the_graph() -> None:
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "BlogPosting", "headline": "Spring planting",
         "author": {"@id": "https://example.org/#/schema/person/1"}},
        {"@type": "Person", "@id": "https://example.org/#/schema/person/1", "name": "Ann Lee"}]}
    assert extract(_page(_json_ld(graph))).authors == ("Ann Lee",)


def test_json_ld_id_reference_to_an_organisation_is_no_person() -> None:
    graph = {"@graph": [
        {"@type": "Article", "author": {"@id": "#org"}},
        {"@type": "Organization", "@id": "#org", "name": "Garden Weekly Ltd"}]}
    byline = '<p class="byline">By Tom Ortiz</p>'
    assert extract(_page(_json_ld(graph), byline)).authors == ("Tom Ortiz",)
    assert extract(_page(_json_ld(graph))).authors == ("Garden Weekly Ltd",)


def test_a_declared_user_name_counts_only_when_no_byline_names_someone() -> None:
    head = '<meta name="author" content="lpark_84">'
    assert extract(_page(head)).authors == ("lpark_84",)
    assert extract(_page(head, '<p class="byline">By Lena Park</p>')).authors == ("Lena Park",)
    assert extract(_page('<meta name="author" content="lena park">')).authors == ("lena park",)


def test_an_empty_template_field_is_no_author() -> None:
    data = {"@type": "BlogPosting", "author": {"@type": "Person", "name": "undefined"}}
    assert extract(_page(_json_ld(data))).authors == ()


def test_scholarly_author_tags_name_every_author_first_name_first() -> None:
    head = ('<meta name="citation_title" content="Soil and roots">'
            '<meta name="citation_author" content="Roy, Aniruddha">'
            '<meta name="citation_author" content="Patel, Jyoti K.">'
            '<meta name="citation_author" content="Maria Gomez">')
    assert extract(_page(head)).authors == ("Aniruddha Roy", "Jyoti K. Patel", "Maria Gomez")


def test_microdata_authors_of_related_story_teasers_are_not_the_byline() -> None:
    teasers = "".join(
        f'<div class="card"><h3><a href="/s/{n}">Story {n}</a></h3><div itemprop="author" '
        f'itemscope itemtype="https://schema.org/Person"><span itemprop="name">By {name}'
        f'</span></div></div>' for n, name in enumerate(("Ann Lee", "Bo Chan", "Cy Diaz")))
    byline = '<p class="byline">By Tom Ortiz</p>'
    assert extract(_page(before=byline, after=teasers)).authors == ("Tom Ortiz",)


def test_microdata_co_authors_in_one_byline() -> None:
    byline = ('<p>By <span itemprop="author" itemscope><span itemprop="name">Ann Lee</span>'
              '</span> and <span itemprop="author" itemscope><span itemprop="name">Bo Chan'
              '</span></span></p>')
    assert extract(_page(before=byline)).authors == ("Ann Lee", "Bo Chan")


@pytest.mark.parametrize(("byline", "expected"), [
    ('<div class="author-info"><span>Senior Autos Reporter</span></div>', ()),
    ('<div class="author-name"><a href="/team/mn">Meghan Neville Content Marketing '
     'Coordinator</a></div>', ("Meghan Neville",)),
    ('<div class="author">Head of Marketing</div>', ()),
    ('<div class="author-box"><a href="/about">Read the bio</a></div>', ()),
    ('<p class="byline">Reviewed by Justin Meserole</p>', ()),
    ('<p class="byline">By Tom Ortiz, Senior Reporter</p>', ("Tom Ortiz",)),
])
def test_job_titles_reviewers_and_link_texts_are_not_names(
        byline: str, expected: tuple[str, ...]) -> None:
    assert extract(_page(before=byline)).authors == expected


def test_a_declared_name_is_not_cut_at_a_job_word() -> None:
    head = '<meta name="author" content="Luxury Travel Expert">'
    assert extract(_page(head)).authors == ("Luxury Travel Expert",)


@pytest.mark.parametrize(("text", "expected"), [
    ("By Ann Lee and Bo Chan | May 3", ["Ann Lee", "Bo Chan"]),
    ("Ann Lee Senior Reporter", ["Ann Lee"]),
    ("Medically reviewed by Bo Chan", []),
    ("View all posts", []),
    ("jdoe", []),
])
def test_split_names(text: str, expected: list[str]) -> None:
    assert split_names(text) == expected


def test_split_names_of_a_declared_author_keeps_a_user_name() -> None:
    assert split_names("jdoe", declared=True) == ["jdoe"]
    assert split_names("admin", declared=True) == []


def test_the_name_heading_an_author_box_when_no_byline_names_anyone() -> None:
    bio = ("Lena writes about kitchen gardens, soil health and the small joys of growing "
           "your own food on a city balcony.")
    box = f'<div class="post-author-box"><div class="name">Lena Park</div><p>{bio}</p></div>'
    assert extract(_page(after=box)).authors == ("Lena Park",)
    heading = box.replace("Lena Park", "About The Author")
    assert extract(_page(after=heading)).authors == ()


def test_drupal_rdfa_author_with_a_lowercase_user_name() -> None:
    """Drupal 8+: the author is an RDFa ``schema:Person`` under ``rel="schema:author"``."""
    meta = ('<div class="node__meta"><article typeof="schema:Person" about="/user/18" '
            'class="profile"></article><span>Submitted by <span rel="schema:author" '
            'class="field field--name-uid field--type-entity-reference field--label-hidden">'
            '<a title="View user profile." href="/user/18" lang="" about="/user/18" '
            'typeof="schema:Person" property="schema:name" datatype="" class="username">jose</a>'
            '</span> on <span property="schema:dateCreated" content="2019-03-01T10:06:11+00:00" '
            'class="field field--name-created">Fri, 03/01/2019 - 10:06</span></span></div>')
    article = extract(_page(before=meta))
    assert article.authors == ("jose",)
    assert article.published == "2019-03-01T10:06:11+00:00"


def test_drupal_7_foaf_name_of_a_user_account() -> None:
    meta = ('<p class="submitted"><span property="dc:date dc:created" '
            'content="2019-07-07T18:44:31+02:00" datatype="xsd:dateTime" rel="sioc:has_creator">'
            'Gespeichert von <span class="username" xml:lang="" about="/users/human" '
            'typeof="sioc:UserAccount" property="foaf:name" datatype="">human</span> am '
            '<time datetime="2019-07-07T18:44:31+0200">7. Juli 2019 - 18:44</time></span></p>')
    article = extract(_page(before=meta))
    assert article.authors == ("human",)
    assert article.published == "2019-07-07T18:44:31+02:00"


def test_rdfa_people_in_comments_are_not_authors() -> None:
    comment = ('<section id="comments"><article class="comment js-comment"><footer '
               'class="comment__meta"><span rel="schema:author"><span typeof="schema:Person" '
               'property="schema:name" datatype="">carla</span></span></footer>'
               '<p>Danke!</p></article></section>')
    assert extract(_page(after=comment)).authors == ()


@pytest.mark.parametrize(("meta", "expected"), [
    ('<p><time datetime="2025-12-19T15:55:39-08:00">12/19 — 2025</time></p><p>by   ibby  </p>',
     ("ibby",)),
    ('<div class="submitted">Submitted by <a href="/user/5" class="username">jdoe</a> on '
     'Tue, 03/05/2024 - 10:00</div>', ("jdoe",)),
    ("<p>by default, 3 May 2024</p>", ()),
    ("<p>By signing up you agree to our terms. 3 May 2024</p>", ()),
    ("<p>by jdoe</p>", ()),  # no date beside it: nothing says it is the post's byline
])
def test_a_user_name_after_a_by_label_in_the_dateline(meta: str, expected: tuple[str, ...]) -> None:
    assert extract(_page(before=f'<div class="meta">{meta}</div>')).authors == expected


def test_a_by_label_inside_an_embedded_post_names_nobody_here() -> None:
    embed = ('<blockquote cite="https://graph.facebook.com/x/posts/1"><p>Preise explodieren.</p>'
             '<p>Posted by <a href="https://www.facebook.com/x">Pamela Rendi-Wagner</a> on '
             'Sunday, February 6, 2022</p></blockquote>')
    assert extract(_page(after=embed)).authors == ()


@pytest.mark.parametrize("line", [
    "<p>Ann Lee | Senior Writer | July 2, 2025</p>",  # a name, a role, then the date
    "<div><span>Dec 17, 2025</span><span>Ann Lee</span></div>",  # date and name in spans
    "<div><span>2025-12-17</span> · <a title='Ann Lee'><img alt=''><div>Ann Lee</div></a></div>",
])
def test_an_unlabelled_name_in_the_dated_line_next_to_the_headline(line: str) -> None:
    assert extract(_page(before=line)).authors == ("Ann Lee",)


@pytest.mark.parametrize("line", [
    "<p>Mental Health | July 2, 2025</p><p>Unrelated text.</p>".replace(
        "Mental Health", "<a href='/category/mental-health'>Mental Health</a>"),  # a category
    "<div><span>Written By </span><span>Feb 11, 2019 · 3 min read</span></div>",  # a label
    "<p>Ann Lee wrote to the council on July 2, 2025 about the plans for the garden.</p>",
])
def test_a_category_a_label_or_a_sentence_in_the_dated_line_names_nobody(line: str) -> None:
    assert extract(_page(before=line)).authors == ()


@pytest.mark.parametrize(("line", "expected"), [
    ("<div class='tags'><div><strong>Contributors:</strong> Ann Lee</div></div>", ("Ann Lee",)),
    ("<p>Contributor: Ann Lee</p>", ("Ann Lee",)),
    ("<h3>Contributors</h3><p>Thanks to everyone who sent photos.</p>", ()),
])
def test_a_contributors_label(line: str, expected: tuple[str, ...]) -> None:
    assert extract(_page(after=line)).authors == expected


@pytest.mark.parametrize(("box", "expected"), [
    ("<div class='box'><h2>Article by</h2><div>Ann Lee</div><button>Share</button></div>",
     ("Ann Lee",)),
    ("<div class='box'><h3>Written by</h3><p>Ann Lee</p></div>", ("Ann Lee",)),
    ("<div><h2>Banana bread</h2>Author: <span>Ann Lee</span> and 200 characters of notes on "
     "the recipe, its history, its variations, and how long it keeps in a tin at room "
     "temperature before it goes stale.</div>", ()),  # no recipe title for a name
    ("<div><h2>Sort by</h2><ul><li>Newest First</li></ul></div>", ()),  # a control
])
def test_an_author_box_headed_by_a_label(box: str, expected: tuple[str, ...]) -> None:
    assert extract(_page(after=box)).authors == expected


def test_a_number_declared_as_the_author_is_no_name() -> None:
    """``article:author`` holding a Facebook profile id."""
    assert split_names("262588213843476", declared=True) == []
    assert split_names("jdoe", declared=True) == ["jdoe"]


def test_a_weekday_in_a_byline_element_is_no_name() -> None:
    line = "<div class='byline'>Sat, 20 Dec, 2025 - 06:36</div>"
    assert extract(_page(before=line)).authors == ()
