"""The extractor's shortcuts give the answers the slow paths gave: the shared ``itemprop``
index, the year pre-check of dates, the "By" label pre-scan, and the text measures."""

from __future__ import annotations

import json

import lxml.etree
import lxml.html
import pytest

from scraper import extract
from scraper.extract import bounded_json
from scraper.extract.body import _article_body_hint, _is_affiliate_note
from scraper.extract.boilerplate import detach, prune_page
from scraper.extract.date_parsing import parse_date
from scraper.extract.document import parse
from scraper.extract.measure import text_length, text_length_of, visible_text
from scraper.extract.patterns import AFFILIATE_NOTE

TEXT = "".join(
    f"<p>Paragraph {n} of the report explains, in some detail, how the council planned the "
    f"new bridge, what it will cost, and when the first cars should cross the river.</p>"
    for n in range(5))


def _page(before: str = "", body: str = TEXT) -> str:
    return (f"<html lang='en'><head><title>A new bridge</title></head><body><article>"
            f"<h1>A new bridge</h1>{before}{body}</article></body></html>")


def test_itemprop_index_in_page_order_across_values() -> None:
    doc = parse("<html><body><p itemprop='creator' id='a'>A</p><div><span itemprop='author' "
                "id='b'>B</span></div><p itemprop='creator' id='c'>C</p></body></html>")
    assert [e.get("id") for e in doc.with_itemprop("author", "creator")] == ["a", "b", "c"]
    assert [e.get("id") for e in doc.with_itemprop("creator")] == ["a", "c"]
    assert doc.with_itemprop("name") == []


def test_itemprop_index_leaves_out_removed_elements_and_those_outside_root() -> None:
    doc = parse("<html><body><nav><div itemprop='articleBody' id='a'>menu</div></nav>"
                "<main><div itemprop='articleBody' id='b'>text</div></main><footer>f</footer>"
                "</body></html>")
    assert [e.get("id") for e in doc.with_itemprop("articleBody")] == ["a", "b"]
    nav = doc.tree.find(".//nav")
    assert nav is not None
    detach(nav)
    assert [e.get("id") for e in doc.with_itemprop("articleBody")] == ["b"]
    main = doc.tree.find(".//main")
    assert main is not None
    assert [e.get("id") for e in doc.with_itemprop("articleBody", root=main)] == ["b"]
    footer = doc.tree.find(".//footer")
    assert footer is not None
    assert doc.with_itemprop("articleBody", root=footer) == []


def test_microdata_author_written_in_camel_case_as_react_renders_it() -> None:
    # HTML attribute names are case-insensitive: itemProp is itemprop.
    byline = ('<span itemProp="author" itemscope="" itemType="https://schema.org/Person">'
              '<span itemProp="name">Ann Lee</span></span>')
    assert extract(_page(before=byline)).authors == ("Ann Lee",)


def test_article_body_hint_is_the_first_marked_element_left_after_pruning() -> None:
    doc = parse("<html><body><nav><div itemprop='articleBody' id='a'>menu</div></nav>"
                "<div itemprop='articlebody' id='b'>text</div>"
                "<div itemprop='articleBody' id='c'>more</div></body></html>")
    body = doc.tree.find("body")
    assert body is not None
    prune_page(body)
    hint = _article_body_hint(doc, body)
    assert hint is not None and hint.get("id") == "b"


@pytest.mark.parametrize(("text", "expected"), [
    ("Posted on May 13", None),  # no year: no date, as before
    ("12/05", None),
    ("May 13, 2024", "2024-05-13"),
    ("13 tháng 5 năm 2024", "2024-05-13"),
    ("2023 Jan 7", "2023-01-07"),
    ("Updated 2025-03-19T09:15:00Z", "2025-03-19T09:15:00+00:00"),
])
def test_parse_date_with_the_year_pre_check(text: str, expected: str | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("label", ["By", "Written by", "Tác giả:", "Autor:"])
def test_labelled_bylines_still_found_after_the_source_pre_scan(label: str) -> None:
    byline = f"<p>{label} <b>Ann Lee</b></p>"
    assert extract(_page(before=byline)).authors == ("Ann Lee",)


def test_visible_text_is_text_content_and_text_length_skips_whitespace() -> None:
    element = lxml.html.fromstring(
        "<div> One <b>two</b>\n\t<p>three <a href='/x'>four</a></p> five </div>")
    assert visible_text(element) == element.text_content()
    assert text_length(element) == len("Onetwothreefourfive")


@pytest.mark.parametrize("text", [
    "Ünïcode tëxt – with dashes\n\t and “quotes”", "no\xa0break space", "漢字 と かな\r\n",
    "emoji 🎉 party", "", " \t\n\r "])
def test_text_length_counts_characters_not_bytes_and_no_break_spaces(text: str) -> None:
    expected = len(text) - sum(text.count(space) for space in " \t\n\r")
    assert text_length_of(text) == expected
    element = lxml.html.fromstring("<div></div>")
    element.text = text
    assert text_length(element) == expected


@pytest.mark.parametrize("text", [
    "This post contains Affiliate Links.", "We eaRN a small commission on sales.",
    "As an Amazon ASSOCIATE we earn from qualifying purchases.", "Lien affilié", "liens affiliés",
    "Wir nutzen Werbelinks.", "Contiene enlaces de afiliados.", "A plain paragraph of text.",
    "The commission met on Monday.", "We earn a commiſſion", "AFFİLİATE LİNKS ahead",
    "Streamers earn a Kommission"])
def test_affiliate_pre_check_agrees_with_the_pattern(text: str) -> None:
    assert _is_affiliate_note(text) == (AFFILIATE_NOTE.search(text) is not None)


def test_candidates_left_unmeasured_could_not_rank_among_those_read(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from scraper.extract import scoring
    from scraper.extract.measure import link_length

    blocks = "".join(
        f"<div class='box'><p>{'Words, more words. ' * 3}<a href='/{n}'>{'link ' * n}</a></p>"
        f"</div>" for n in range(12))
    body = lxml.html.fromstring(f"<html><body><main>{blocks}</main></body></html>").find("body")
    assert body is not None
    scores = {element: 100.0 / 2 ** n for n, element in enumerate(body.iter("p", "div"))}
    expected = []
    for element, score in sorted(scores.items(), key=lambda item: item[1],
                                 reverse=True)[:scoring._TOP_CANDIDATES]:
        length = text_length(element)
        expected.append((element, score * (1.0 - min(link_length(element) / length, 1.0))))
    expected.sort(key=lambda item: item[1], reverse=True)
    measured: list[object] = []

    def counted(element: lxml.html.HtmlElement) -> int:
        measured.append(element)
        return text_length(element)

    monkeypatch.setattr(scoring, "text_length", counted)
    ranked = scoring._adjust_for_links(scores)
    assert [(c.element, c.score) for c in ranked[:scoring._READ]] == expected[:scoring._READ]
    assert scoring._READ <= len(measured) < scoring._TOP_CANDIDATES


def test_plainly_kept_elements_are_those_the_full_tests_keep(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from scraper.extract import boilerplate

    root = lxml.html.fromstring(
        "<div><h1>Title</h1><p>Text <b>bold</b> <em><a href='/x'>link</a></em><br></p>"
        "<figure><img src='a.jpg'></figure><figcaption>Caption</figcaption><nav>Menu</nav>"
        "<ul><li><a href='/1'>One story title here</a></li><li><a href='/2'>Two story title"
        "</a></li><li><a href='/3'>Three story title</a></li></ul><span><a>Share</a></span>"
        "<div><h3>Related posts</h3><p><a href='/r'>A related story</a></p></div><p></p>"
        "<strong><a href='/s'>Subscribe now</a></strong><h2>Heading</h2><button>Go</button>"
        "<em style='display:none'>Hidden label</em><b aria-hidden='true'>Icon</b>"
        "<i hidden>x</i><a href='/t' class='share-link'>Tweet</a></div>")
    elements = [element for element in root.iter() if element is not root]
    shortcut = [boilerplate._verdict(element, 500, "Title") for element in elements]
    monkeypatch.setattr(boilerplate, "_plainly_kept", lambda element: False)
    assert shortcut == [boilerplate._verdict(element, 500, "Title") for element in elements]
    assert boilerplate._DROP in shortcut


def test_multi_tag_elements_are_remembered_and_copied() -> None:
    doc = parse("<html><head><title>T</title></head><body><h3 id='a'>A</h3><article><h2 id='b'>"
                "B</h2><h1 id='c'>C</h1></article><h6 id='d'>D</h6></body></html>")
    first = doc.headings()
    assert [e.get("id") for e in first] == ["a", "b", "d"]
    first.clear()  # a caller's list is its own: the remembered one stays whole
    assert [e.get("id") for e in doc.headings()] == ["a", "b", "d"]
    assert [e.tag for e in doc.landmarks()] == ["article", "h1"]
    assert doc.elements() == []
    with pytest.raises(ValueError):
        doc.elements("h2", "p")


@pytest.mark.parametrize("depth", [1, 47, 48, 49, 50, 60])
def test_bracket_count_shortcut_prunes_as_the_walk_does(depth: int) -> None:
    text = "[" * depth + "1" + "]" * depth
    mixed = '{"a": ' * depth + '"[{"' + "}" * depth
    for source in (text, mixed):
        assert bounded_json.loads(source) == bounded_json._pruned(json.loads(source))
    assert bounded_json._shallow(text) == (depth <= bounded_json.MAX_DEPTH)


def test_itemprop_index_matches_a_search_of_every_node() -> None:
    doc = parse("<html itemprop='x'><head><meta itemprop='name' content='N'></head><body>"
                "<!-- itemprop='no' --><div itemprop='author'><span itemprop='name'>A</span>"
                "</div><p itemprop=''>e</p></body></html>")
    every = lxml.etree.XPath("//@itemprop")(doc.tree)
    assert isinstance(every, list)
    expected = [(str(value), value.getparent()) for value in every  # type: ignore[union-attr]
                if isinstance(value, str)]
    index = doc._itemprop_index()
    found = sorted((position, value, owner) for value, owners in index.items()
                   for position, owner in owners)
    assert [(value, owner) for _, value, owner in found] == expected
