"""Unit tests of the body's parts: hidden elements, lists of other pages, streamed chunks."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from scraper.extract.marks import is_hidden
from scraper.extract.other_pages import CARDS, NOT_A_LIST, other_pages


@pytest.mark.parametrize(("markup", "hidden"), [
    ('<div hidden><p>x</p></div>', True),
    ('<div aria-hidden="true"><p>x</p></div>', True),
    ('<div style="display: none"><p>x</p></div>', True),
    ('<div style="color:red;visibility:hidden"><p>x</p></div>', True),
    ('<div style="display:block"><p>x</p></div>', False),
    ('<div aria-hidden="false"><p>x</p></div>', False),
    ('<div class="hidden-xs"><p>x</p></div>', False),
])
def test_hidden_is_read_from_the_element_own_attributes(markup: str, hidden: bool) -> None:
    assert is_hidden(lxml_html.fromstring(markup)) is hidden


def _teasers(ending: str) -> str:
    return "".join(
        f'<div class="teaser"><h3><a href="/story-{n}">Another headline about the harbour, '
        f"number {n}</a></h3><p>An excerpt of that other story, which talks about the quay and "
        f"the boats moored along it through the winter{ending}</p></div>" for n in range(1, 5))


@pytest.mark.parametrize(("ending", "expected"), [
    (" …", CARDS), ("...", CARDS), (" [...]", CARDS), ("… »", CARDS), (".", NOT_A_LIST),
])
def test_teasers_cut_short_are_other_pages_however_much_text_they_hold(
        ending: str, expected: int) -> None:
    """Cards holding most of the content are a round-up's items, unless their excerpts are
    cut short: then they are teasers of other pages."""
    block = lxml_html.fromstring("<div>" + _teasers(ending) + "</div>")
    total = len("".join(block.text_content().split()))
    assert other_pages(block, total) == expected


def test_a_small_list_of_cards_is_other_pages_even_with_whole_excerpts() -> None:
    block = lxml_html.fromstring("<div>" + _teasers(".") + "</div>")
    total = len("".join(block.text_content().split()))
    assert other_pages(block, total * 4) == CARDS


def test_a_streamed_chunk_takes_its_placeholder_place_without_script_or_comments() -> None:
    """With the scripts and comments stripped, React's numbering still pairs B:n with S:n, and
    the short fallback after the placeholder goes."""
    from scraper.extract.document import parse
    from scraper.extract.streaming import place_streamed_chunks
    doc = parse('<html><body><main><h1>Index funds</h1><template id="B:0"></template>'
                '<p class="skeleton">Loading…</p><footer>Site footer</footer></main>'
                '<div hidden id="S:0"><p>An index fund buys every share in an index.</p>'
                '<p>Its fees are low.</p></div></body></html>')
    main = doc.tree.find(".//main")
    place_streamed_chunks(doc, doc.tree.find("body"))
    assert [child.tag for child in main] == ["h1", "p", "p", "footer"]
    assert main[1].text == "An index fund buys every share in an index."
    assert doc.tree.find(".//div[@hidden]") is None


def _item(n: int, heading: str) -> str:
    return (f'<article class="item"><{heading}>Item number {n} of the list, a kettle</{heading}>'
            f"<p>The kettle number {n} boils a litre of water in about three minutes, which is "
            f"quick for its price, and its handle stays cool, though the lid is stiff.</p>"
            f"<p>We used it every day for a month; the scale filter, number {n}, kept the water "
            f"clear, and it was easy to clean under the tap.</p></article>")


def test_listicle_items_in_article_elements_are_all_the_article() -> None:
    """Several <article> items, none holding the page's headline: the items of one article."""
    from scraper import extract
    items = "".join(_item(n, "h3") for n in range(1, 5))
    page = (f"<html><body><main><h1>The best kettles of the year, tested</h1><div class='guide'>"
            f"<p>We tested twenty kettles over two months, at home and in the office, and these "
            f"four stood out for speed, noise and how easily they pour.</p>{items}</div></main>"
            f"</body></html>")
    body = extract(page).body
    assert all(f"The kettle number {n} boils" in body for n in range(1, 5))


def test_the_article_holding_the_headline_is_taken_from_several() -> None:
    from scraper import extract
    others = "".join(_item(n, "h2") for n in range(2, 5))
    page = (f"<html><head><title>Item number 1 of the list, a kettle</title></head><body><main>"
            f"<div class='feed'>{_item(1, 'h1')}{others}</div></main></body></html>")
    body = extract(page).body
    assert "The kettle number 1 boils" in body
    assert not any(f"The kettle number {n} boils" in body for n in range(2, 5))


@pytest.mark.parametrize(("markup", "weight"), [
    ('<section class="widget widget_text" id="text-31"></section>', 25.0),
    ('<div class="entry-content" id="main-content"></div>', 25.0),
    ('<div class="sidebar" id="post-text"></div>', 0.0),
    ('<div id="related"></div>', -25.0),
    ('<div></div>', 0.0),
])
def test_class_and_id_are_one_hint_not_two(markup: str, weight: float) -> None:
    from scraper.extract.scoring import class_weight
    assert class_weight(lxml_html.fromstring(markup)) == weight


def test_affiliate_disclosures_at_the_ends_go_and_the_same_words_inside_stay() -> None:
    from scraper import extract
    prose = [f"Paragraph {n} of a post about streaming, long enough to be read as article text, "
             f"with a clause or two, and a full stop at its end." for n in range(1, 8)]
    middle = ("Affiliate programs: streamers earn a commission when viewers buy games or gear "
              "through their affiliate links.")
    paragraphs = ["Disclosure: this post contains affiliate links. If you buy through them we may "
                  "earn a small commission at no extra cost to you.", *prose[:4], middle,
                  *prose[4:], "As an Amazon Associate I earn from qualifying purchases."]
    page = ("<html><body><article><h1>How streamers make money</h1>"
            + "".join(f"<p>{p}</p>" for p in paragraphs) + "</article></body></html>")
    assert extract(page).body.split("\n\n") == [*prose[:4], middle, *prose[4:]]


@pytest.mark.parametrize("heading", ["About the Author", "Über den Autor", "Related posts",
                                     "Sign up for our daily newsletter"])
def test_a_box_headed_as_furniture_goes_with_its_heading(heading: str) -> None:
    """Utility-class markup (no telling class name): the heading says what the box is."""
    from scraper import extract
    prose = [f"Paragraph {n} of the article, which says what happened and why, at enough length "
             f"to be read as prose, with commas, and a full stop." for n in range(1, 6)]
    box = (f'<div class="bg-blue-50 px-4 py-4 mt-8"><h2 class="text-xl font-bold">{heading}</h2>'
           '<div class="flex gap-y-4"><img src="/a.jpg" alt=""><p><span class="font-semibold">'
           "Ann Lee</span>, executive editor, writes about health and science.</p></div></div>")
    page = ("<html><body><article><h1>A headline</h1><div class='prose'>"
            + "".join(f"<p>{p}</p>" for p in prose) + box + "</div></article></body></html>")
    assert extract(page).body.split("\n\n") == prose


def test_a_section_of_the_article_with_an_ordinary_heading_stays() -> None:
    from scraper import extract
    prose = [f"Paragraph {n} of the article, which says what happened and why, at enough length "
             f"to be read as prose, with commas, and a full stop." for n in range(1, 6)]
    section = ("<div class='mt-8'><h2>More from the council meeting</h2><p>The council also voted "
               "to extend the library's opening hours on Saturdays, from two until five.</p></div>")
    page = ("<html><body><article><h1>A headline</h1><div class='prose'>"
            + "".join(f"<p>{p}</p>" for p in prose) + section + "</div></article></body></html>")
    assert "extend the library's opening hours" in extract(page).body
