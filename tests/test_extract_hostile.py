"""Hostile markup whose cost grew with the square of its size (issue 13, item 7): one element
with 100,000 attributes, tens of thousands of elements marked like comments or updates."""

from __future__ import annotations

import time

from scraper import analyse
from scraper.extract.attribute_cap import MAX_ATTRIBUTES, cap_attributes

WORDS = "<p>" + "The harbour reopened on Monday after three days of storms. " * 20 + "</p>"


def _cpu_seconds(html: str) -> float:
    started = time.process_time()
    analyse(html, "https://example.org/news/2024/harbour")
    return time.process_time() - started


def _page(body: str) -> str:
    return f"<html><head><title>Harbour</title></head><body>{body}</body></html>"


def test_an_element_with_100k_attributes_is_read_in_time() -> None:
    attributes = " ".join(f'data-a{i}="v{i}"' for i in range(100_000))
    assert _cpu_seconds(_page(f"<h1>Harbour</h1><div {attributes}>x</div>{WORDS}")) < 3.0


def test_attributes_beyond_the_cap_are_cut_in_every_spelling() -> None:
    for separator, attribute in ((" ", 'a{}="v"'), ("", 'a{}="v"'), (" ", "a{}"), ("/", "a{}")):
        tag = "<div " + separator.join(attribute.format(i) for i in range(5000)) + ">"
        capped = cap_attributes(f"<body>{tag}<p>after</p></body>")
        assert capped.endswith("><p>after</p></body>")
        assert MAX_ATTRIBUTES <= capped.count("a") <= MAX_ATTRIBUTES + 2


def test_ordinary_markup_and_scripts_are_left_alone() -> None:
    script = "<script>for(i=0;i<n;i++){" + " x = y + z ;" * 2000 + "}</script>"
    text = _page(f'<div class="a" id="b" data-x=\'{{"k": "v > w"}}\'>x</div>{script}{WORDS}')
    assert cap_attributes(text) is text


def test_tens_of_thousands_of_comment_marks_are_read_in_time() -> None:
    marks = "".join(f'<span class="moment" id="moment-{i}">m</span>' for i in range(60_000))
    assert _cpu_seconds(_page(f"<article><h1>Harbour</h1>{WORDS}{marks}</article>")) < 7.0


def test_tens_of_thousands_of_update_marks_are_read_in_time() -> None:
    marks = "".join('<span class="changed">m</span>' for _ in range(100_000))
    assert _cpu_seconds(_page(f"<header><h1>Harbour</h1>{marks}</header>{WORDS}")) < 4.0
