"""Any bytes give a record or one clear ExtractionError, quickly, never another exception."""

from __future__ import annotations

import codecs
import time

import pytest

from scraper import Article, ExtractionError, analyse, extract

STORY = ("<p>The harbour reopened on Monday after three days of storms, the port authority "
         "said, and the first ferries left on time, carrying cars, lorries and passengers.</p>")
PAGE = f"<html><head><title>Harbour reopens</title></head><body><h1>Harbour reopens</h1>" \
       f"<article>{STORY * 3}</article></body></html>"
# Generous: the point is "bounded", not a benchmark; a loaded 2-core CI box must pass.
SECONDS_PER_PAGE = 20.0


def _record_or_error(data: bytes | str) -> Article | None:
    started = time.process_time()
    try:
        article = extract(data)
    except ExtractionError as error:
        message = str(error)
        assert message and "\n" not in message
        article = None
    assert time.process_time() - started < SECONDS_PER_PAGE
    return article


@pytest.mark.parametrize("data", [b"", b"   \n\t ", "", b"\x00\x01\x02\xff" * 1000])
def test_empty_and_binary_input_raise_extraction_error(data: bytes | str) -> None:
    with pytest.raises(ExtractionError):
        extract(data)


def test_random_binary_never_raises_anything_else() -> None:
    noise = bytes((i * 7919 + 13) % 256 for i in range(50_000))
    _record_or_error(noise)
    _record_or_error(b"\x89PNG\r\n\x1a\n" + noise)


def test_truncated_page_still_gives_the_text() -> None:
    data = PAGE.encode()
    cut = data[: data.rindex(b"</article>") - 20]
    article = _record_or_error(cut)
    assert article is not None and "harbour reopened" in article.body


def test_misdeclared_charset_falls_back_to_what_decodes() -> None:
    data = PAGE.replace("<head>", '<head><meta charset="utf-8">').replace(
        "ferries", "ferries à Sète").encode("cp1252")
    article = _record_or_error(data)
    assert article is not None and "à Sète" in article.body
    bogus = PAGE.replace("<head>", '<head><meta charset="no-such-charset">').encode()
    assert _record_or_error(bogus) is not None


def test_utf16_with_bom_and_xml_declaration() -> None:
    data = codecs.BOM_UTF16_LE + ('<?xml version="1.0" encoding="utf-16"?>' + PAGE).encode(
        "utf-16-le")
    article = _record_or_error(data)
    assert article is not None and article.title == "Harbour reopens"
    xhtml = '<?xml version="1.0" encoding="utf-8"?>\n' + PAGE
    article = _record_or_error(xhtml.encode())
    assert article is not None and "ferries" in article.body


def test_page_without_body_or_html_tags() -> None:
    article = _record_or_error(STORY * 3)
    assert article is not None and "harbour reopened" in article.body
    assert _record_or_error("<html><head><title>Only a head</title></head></html>") is not None


def test_very_deep_nesting_is_bounded() -> None:
    deep = "<div>" * 5000 + STORY * 3 + "</div>" * 5000
    _record_or_error(f"<html><body>{deep}</body></html>")
    spans = "<span>" * 5000 + "text" + "</span>" * 5000
    _record_or_error(f"<html><body><p>{spans}</p></body></html>")


def test_twenty_megabyte_page_is_bounded() -> None:
    filler = "<div class='row'><p>" + "word " * 40 + "</p></div>\n"
    data = ("<html><body><article>" + STORY * 3 + filler * (20_000_000 // len(filler))
            + "</article></body></html>").encode()
    assert len(data) >= 19_000_000
    _record_or_error(data)


def test_analyse_shares_the_same_guarantees() -> None:
    with pytest.raises(ExtractionError):
        analyse(b"")
    result = analyse(PAGE.encode(), url="https://example.org/2024/05/13/harbour-reopens")
    assert result.article.title == "Harbour reopens"


@pytest.mark.parametrize("head", ["", '<meta charset="utf-8">', '<meta charset="ascii">'])
def test_utf8_bytes_read_like_the_decoded_text(head: str) -> None:
    """UTF-8 bytes go to libxml2 as they are (faster than text): same record, whatever the
    page declares when that charset cannot decode it."""
    page = PAGE.replace("<head>", f"<head>{head}").replace("ferries", "ferries à Sète — «ok»")
    data = page.encode()
    from_bytes, from_text = extract(data), extract(data.decode("utf-8"))
    assert "ferries à Sète — «ok»" in from_bytes.body
    assert from_bytes == from_text


def test_odd_head_links_and_tag_links_in_one_pass() -> None:
    """An unusable canonical gives way to the next one; ``<base href>`` resolves them; a feed
    listed twice counts once; ``REL="tag"`` (upper case) still marks tag links."""
    head = ('<base href="https://news.example/section/">'
            '<link rel="canonical" href="javascript:void(0)">'
            '<link rel="Canonical" href="story-1">'
            '<link rel="alternate" type="application/rss+xml" href="/feed">'
            '<link rel="alternate" type="application/rss+xml" href="https://news.example/feed">'
            '<link rel="amphtml" href="story-1/amp">')
    tags = '<p>Filed under <a REL="tag" href="/t/harbours">Harbours</a></p>'
    page = PAGE.replace("<head>", f"<head>{head}").replace("</article>", f"{tags}</article>")
    result = analyse(page.encode(), url="https://news.example/other")
    assert result.canonical == "https://news.example/section/story-1"
    assert result.article.url == result.canonical
    assert result.feeds == ("https://news.example/feed",)
    assert result.amphtml == "https://news.example/section/story-1/amp"
    assert result.article.tags == ("Harbours",)
