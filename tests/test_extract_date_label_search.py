"""Publication labels are found the same way on ordinary pages and on pages that are mostly
script (where the texts are searched before the source)."""

from __future__ import annotations

import pytest

from scraper.extract.date_labels import _SOURCE_PER_TEXT, _label_nodes, labelled_published
from scraper.extract.document import parse

_ARTICLE = ("<p>Some opening words of the story go here.</p>"
            "<p class='meta'>Veröffentlicht am: 6. August 2009</p>"
            "<p>Erschienen in der Zeitung</p><script>var posted = 'Posted 1 May 2001';</script>")


def _page(script_chars: int) -> bytes:
    blob = "x" * script_chars
    return (f"<html lang='de'><head><title>T</title><script>var state = '{blob}';</script></head>"
            f"<body><h2>A page</h2>{_ARTICLE}</body></html>").encode()


@pytest.mark.parametrize("script_chars", [0, 20 * _SOURCE_PER_TEXT])
def test_labels_in_texts_not_scripts_in_page_order(script_chars: int) -> None:
    doc = parse(_page(script_chars))
    texts_first = len(doc.source) > _SOURCE_PER_TEXT * 6
    assert texts_first == (script_chars > 0)
    assert [str(node) for node in _label_nodes(doc)] == [
        "Veröffentlicht am: 6. August 2009", "Erschienen in der Zeitung"]
    assert labelled_published(doc) == "2009-08-06"


@pytest.mark.parametrize("script_chars", [0, 20 * _SOURCE_PER_TEXT])
def test_a_label_the_source_spells_in_an_unknown_form_is_not_searched(script_chars: int) -> None:
    page = _page(script_chars).replace(b"Erschienen in der Zeitung", b"Weiter")
    page = page.replace("Veröffentlicht am:".encode(), b"Publi&#xE9; le")
    assert _label_nodes(parse(page)) == []
