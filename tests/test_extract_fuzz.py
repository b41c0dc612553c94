"""Fuzz test of the extractor (issue 13): a seeded generator of hostile HTML.  Every page gives
a record or an ``ExtractionError``, each within 2 s of CPU time; the whole run stays bounded
(``CASES`` pages, each a mix of ``INGREDIENTS``, the same pages on every run)."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable

import pytest

from scraper import Article, ExtractionError, analyse

CASES = 200  # about 11 s of CPU in all; the slowest case takes under 0.5 s
SECONDS_PER_PAGE = 2.0
STORY = "".join(f"<p>The harbour reopened on Monday after three days of storms, said the port "
                f"authority, point {n}.</p>" for n in range(4))


def deep_nesting(rng: random.Random) -> str:
    tag = rng.choice(["div", "span", "b", "table", "ul", "li", "p", "a"])
    depth = rng.randint(500, 20_000)
    return f"<{tag}>" * depth + "deep" + f"</{tag}>" * rng.randint(0, depth)


def huge_attribute(rng: random.Random) -> str:
    return f'<div data-x="{"x" * rng.randint(100_000, 2_000_000)}" class="comment">v</div>'


def many_attributes(rng: random.Random) -> str:
    count = rng.randint(1_000, 100_000)
    separator = rng.choice([" ", "", "/", "\n"])
    names = separator.join(f'{rng.choice(["a", "data-", "on", "x:"])}{i}="v"' for i in range(count))
    return f"<{rng.choice(['div', 'meta', 'a', 'script', 'img'])} {names}>x"


def odd_charset(rng: random.Random) -> str:
    charset = rng.choice(["undefined", "punycode", "utf-16", "utf-32", "x-unknown", "utf-7",
                          "idna", "rot13", "base64", "zlib", "", "\u00e9\u00e9", "utf-8;;"])
    return f'<meta charset="{charset}"><meta http-equiv="Content-Type" ' \
           f'content="text/html; charset={charset}">'


def deep_json_ld(rng: random.Random) -> str:
    depth = rng.randint(1_000, 50_000)
    opening, closing = rng.choice([("[", "]"), ('{"a":', "}")])
    return f'<script type="application/ld+json">{opening * depth}1{closing * depth}</script>'


def hostile_json_ld(rng: random.Random) -> str:
    odd: list[object] = [5, None, [], {}, "x" * 1_000_000, [[["a"]]], True, -1e308, "\u0000",
                         {"@type": {"x": [1]}}, ["Person"] * 10_000]
    item = {key: rng.choice(odd) for key in ("@type", "author", "datePublished", "headline",
                                             "interactionStatistic", "comment", "@graph",
                                             "commentCount", "publisher", "keywords")}
    text = json.dumps(item)
    if rng.random() < 0.3:
        text = text[:rng.randint(0, len(text))] + ",,}}]]"
    return f'<script type="application/ld+json">{text}</script>'


def comment_flood(rng: random.Random) -> str:
    count = rng.randint(5_000, 60_000)
    return rng.choice([
        "".join(f"<!-- c{i} -->" for i in range(count)),
        "".join(f'<div class="comment" id="comment-{i}"><b>U{i}</b><p>c {i}</p></div>'
                for i in range(count // 10)),
        "<!--" * count])


def huge_text(rng: random.Random) -> str:
    word = rng.choice(["a", "word ", "\u00e9", "\u202e", "&amp;", "12 views ", "\t"])
    return f"<p>{word * (rng.randint(500_000, 5_000_000) // len(word))}</p>"


def binary_junk(rng: random.Random) -> str:
    return bytes(rng.randrange(256) for _ in range(rng.randint(100, 50_000))).decode("latin-1")


def broken_markup(rng: random.Random) -> str:
    pieces = ["<", ">", "</", "<div", "<p", '"', "'", "=", "<!--", "-->", "<![CDATA[", "]]>",
              "<script>", "</script>", "<style>", "&#", ";", "<?xml", "</html>", "</body>",
              "<svg", "<math", "<template>", "<table><tr><td>", "<a href='#comments'>", "x", " "]
    return "".join(rng.choice(pieces) for _ in range(rng.randint(100, 20_000)))


INGREDIENTS: dict[str, Callable[[random.Random], str]] = {
    fn.__name__: fn for fn in (deep_nesting, huge_attribute, many_attributes, odd_charset,
                               deep_json_ld, hostile_json_ld, comment_flood, huge_text,
                               binary_junk, broken_markup)}


def hostile_page(case: int) -> tuple[list[str], bytes]:
    rng = random.Random(case)
    names = sorted(rng.sample(sorted(INGREDIENTS), rng.randint(1, 3)))
    names = [sorted(INGREDIENTS)[case % len(INGREDIENTS)], *names]  # each ingredient often
    head = "".join(INGREDIENTS[name](rng) for name in names if name in ("odd_charset",))
    parts = [INGREDIENTS[name](rng) for name in names if name != "odd_charset"]
    body = "".join(parts[:1]) + STORY + "".join(parts[1:])
    page = f"<html><head>{head}<title>Harbour</title></head><body><h1>Harbour</h1>{body}" \
           f"</body></html>"
    encoding = rng.choice(["utf-8", "utf-8", "latin-1", "utf-16"])
    return names, page.encode(encoding, errors="replace")


def _case(case: int) -> object:
    names, _ = hostile_page(case)
    return pytest.param(case, id=f"{case}-{'+'.join(dict.fromkeys(names))}")


@pytest.mark.parametrize("case", [_case(case) for case in range(CASES)])
def test_a_hostile_page_gives_a_record_or_an_extraction_error_in_time(case: int) -> None:
    _, page = hostile_page(case)
    started = time.process_time()
    try:
        analysis = analyse(page, "https://harbour.example/news/2024/05/13/harbour-reopens")
    except ExtractionError as error:
        assert str(error) and "\n" not in str(error)
    else:
        assert isinstance(analysis.article, Article)
        json.dumps(analysis.article.to_dict())
    assert time.process_time() - started < SECONDS_PER_PAGE
