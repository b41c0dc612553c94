"""The lazy text walks give XPath's following::text() and preceding::text(), with owners."""

from __future__ import annotations

import itertools

import lxml.etree
import lxml.html

from scraper.extract.date_labels import text_owner
from scraper.extract.text_order import texts_after, texts_before

_PAGE = """<html><body><div id="top">intro <b>bold</b> tail-b<!-- note -->after-note
<header><p>kicker</p><h1 id="h">Title <i>inner</i> end</h1>h1-tail<span>by <a>Ann</a></span>
<p>May 3, 2024</p></header>header-tail</div><footer>foot <em>x</em>em-tail</footer></body></html>"""


def _tree() -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(_PAGE)


def _xpath_texts(element: lxml.html.HtmlElement, path: str) -> list[tuple[str, object]]:
    found = lxml.etree.XPath(path)(element)
    assert isinstance(found, list)
    return [(str(node), text_owner(node)) for node in found]


def test_texts_after_match_the_following_axis_in_order() -> None:
    for element in _tree().iter():
        if isinstance(element.tag, str):
            assert list(texts_after(element)) == _xpath_texts(element, "following::text()")


def test_texts_before_match_the_preceding_axis_nearest_first() -> None:
    for element in _tree().iter():
        if isinstance(element.tag, str):
            expected = _xpath_texts(element, "preceding::text()")[::-1]
            assert list(texts_before(element)) == expected


def test_walks_skip_the_element_itself_and_stop_when_the_reader_does() -> None:
    headline = _tree().get_element_by_id("h")
    after = [text for text, _ in itertools.islice(texts_after(headline), 3)]
    assert after == ["h1-tail", "by ", "Ann"]
    before = [text for text, _ in itertools.islice(texts_before(headline), 2)]
    assert before == ["kicker", "after-note\n"]
    owners = {text: owner for text, owner in texts_after(headline)}
    assert owners["h1-tail"] is not None and owners["h1-tail"].tag == "header"
