"""Shown dates that sit inside a sentence of several elements are no dateline."""

from __future__ import annotations

from scraper import extract

_TEXT = "<p>" + "The trial enrolled students at two universities over eight weeks. " * 6 + "</p>"
_DECLARED = '<meta name="citation_publication_date" content="2019-06-25">'


def _page(head: str, after_headline: str) -> str:
    return (f"<html lang='en'><head><title>Efficacy of an app</title>{head}</head><body>"
            f"<main><h1>Efficacy of an app</h1>{after_headline}{_TEXT}</main></body></html>")


def test_a_date_element_inside_a_sentence_gives_way_to_the_declared_date() -> None:
    preprint = ('<div class="note"><span>Preprints (earlier versions) of this paper are '
                'available at <a href="https://preprints.example.org/14273">'
                'preprints.example.org/14273</a>, first published '
                '<time datetime="04.Apr.2019">04.Apr.2019</time>.</span></div>')
    assert extract(_page(_DECLARED, preprint)).published == "2019-06-25"
    assert extract(_page("", preprint)).published == "2019-04-04"  # nothing declared


def test_a_date_element_opening_the_text_is_still_the_dateline() -> None:
    opening = ('<p><span class="text_datum">31. Oktober 2023.</span> Dragqueens sind '
               'Kunstfiguren aus Make-Up und Glitter, auf Partys und in Shows.</p>')
    head = '<meta property="article:published_time" content="2023-11-01T13:56:20+01:00">'
    assert extract(_page(head, opening)).published == "2023-10-31"


def test_a_short_dateline_of_inline_elements_is_no_sentence() -> None:
    byline = ('<p class="byline">By <a href="/a/ann">Ann Lee</a> and <a href="/a/bo">Bo Ray'
              '</a>, staff writers, <time>May 3, 2024</time></p>')
    head = '<meta property="article:published_time" content="2024-04-20T09:00:00-04:00">'
    assert extract(_page(head, byline)).published == "2024-05-03"
