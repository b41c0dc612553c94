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
