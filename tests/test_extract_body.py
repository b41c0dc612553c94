"""Body extraction: the seed page, boilerplate in several languages, link lists, fallbacks."""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from scraper import extract

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "article.txt"
TRAILER = ("Share this Post:", "Leave a comment", "0 Comments", "Chưa có bình luận nào",
           "Related articles")


def seed_parts() -> tuple[str, list[str], list[str]]:
    """The seed's headline, its body paragraphs, and the body blocks as shown (with captions)."""
    blocks = [b.strip() for b in SEED.read_text(encoding="utf-8").split("\n\n") if b.strip()]
    title = blocks[0]
    start = next(i for i, b in enumerate(blocks) if b.startswith("•")) + 1
    end = next(i for i, b in enumerate(blocks) if b.startswith("Share this Post"))
    shown = blocks[start:end]
    return title, [b for b in shown if b != title], shown


def seed_page() -> str:
    """The seed article rendered the way a WordPress news theme renders it."""
    title, _, shown = seed_parts()
    esc = html.escape
    body = []
    for number, block in enumerate(shown):
        if block == title:
            body.append(f'<figure class="wp-block-image"><img src="/img/{number}.jpg" alt="">'
                        f"<figcaption>{esc(title)}</figcaption></figure>")
        else:
            body.append(f"<p>{esc(block)}</p>")
    related = "".join(
        f'<article class="post-item"><h4><a href="/news/story-{n}">Another story number {n} '
        f'about the region</a></h4><span class="date">May {n}, 2024</span></article>'
        for n in range(1, 5))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{esc(title)} | Daily Ledger</title>
<meta property="og:title" content="{esc(title)}"><meta property="og:site_name" content="Daily Ledger">
</head><body class="single single-post">
<header class="site-header"><a class="logo" href="/">Daily Ledger</a>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/politics">Politics</a></li><li><a href="/business">Business</a></li></ul></nav></header>
<div class="container"><main id="main" class="site-main">
<article class="post type-post status-publish">
<h1 class="entry-title">{esc(title)}</h1>
<ul class="post-meta">
<li><i class="fa fa-user"></i> <a href="/author/laurine-ortiz/">Laurine Ortiz</a></li>
<li><i class="fa fa-clock-o"></i> May 13, 2024 04:00am</li>
<li><i class="fa fa-eye"></i> 337</li></ul>
<div class="entry-content">{"".join(body)}</div>
<div class="share-box"><h4>Share this Post:</h4><ul class="social">
<li><a href="https://www.facebook.com/sharer.php">Facebook</a></li>
<li><a href="https://twitter.com/intent/tweet">Twitter</a></li></ul></div>
</article>
<div id="comments" class="comments-area"><h3 class="comment-reply-title">Leave a comment</h3>
<form id="commentform" class="comment-form"><textarea name="comment"></textarea>
<input name="author" placeholder="Name *"><button type="submit">Post Comment</button></form>
<h3 class="comments-title">0 Comments</h3><p class="no-comments">Chưa có bình luận nào</p></div>
<section class="related-posts"><h3>Related articles</h3><div class="row">{related}</div></section>
</main>
<aside class="sidebar"><h3>Most read</h3><ul><li><a href="/a">A popular story</a></li></ul></aside>
</div><footer class="site-footer"><p>© 2024 Daily Ledger. All rights reserved.</p></footer>
</body></html>"""


def test_seed_page_gives_the_reader_record() -> None:
    title, paragraphs, _ = seed_parts()
    article = extract(seed_page().encode("utf-8"), url="https://news.example/world/gaza-talks")
    assert article.title == title
    assert article.authors == ("Laurine Ortiz",)
    assert article.published == "2024-05-13T04:00"
    assert article.body.split("\n\n") == paragraphs
    for furniture in (*TRAILER, "Another story", "Most read", "All rights reserved", "Home"):
        assert furniture not in article.body
    assert article.site_name == "Daily Ledger"
    assert article.language == "en"


def test_seed_page_counts_come_from_the_comment_and_view_finders() -> None:
    article = extract(seed_page(), url="https://news.example/world/gaza-talks")
    assert article.views == 337
    assert article.comment_count == 0
    assert article.comments == ()


def _page(content: str, extra: str = "") -> str:
    filler = "".join(f'<li><a href="/s{n}">Section {n}</a></li>' for n in range(12))
    return (f"<html><head><title>Test story</title>{extra}</head><body>"
            f"<nav><ul>{filler}</ul></nav><div id='wrap'><div class='story-body'>{content}"
            f"</div><div class='sidebar'><ul>{filler}</ul></div></div></body></html>")


PARAGRAPHS = [
    "The council voted on Tuesday to extend the bus lanes along the river, a decision that "
    "followed two years of consultation, several public meetings, and a long campaign.",
    "Supporters said the change would cut journey times, while shop owners worried about "
    "deliveries, parking, and the effect of months of roadworks on their trade.",
    "Work is expected to start in the spring and finish before the end of next year, the "
    "council said, adding that the budget had already been approved by the regional authority.",
]


@pytest.mark.parametrize("phrase", [
    "Share this article", "Related articles", "Read more", "Chia sẻ", "Tin liên quan",
    "Artículos relacionados", "Lire aussi", "Mehr zum Thema", "Advertisement",
])
def test_boilerplate_phrases_in_several_languages_are_dropped(phrase: str) -> None:
    content = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:2]) + f"<p>{phrase}</p>" + \
        f"<p>{PARAGRAPHS[2]}</p>"
    article = extract(_page(content))
    assert article.body.split("\n\n") == PARAGRAPHS


def test_link_lists_and_headings_inside_content() -> None:
    related = "<ul>" + "".join(f'<li><a href="/r{n}">Other headline number {n}</a></li>'
                               for n in range(6)) + "</ul>"
    content = (f"<h2>Why it matters</h2><p>{PARAGRAPHS[0]}</p><p>{PARAGRAPHS[1]}</p>"
               f"<blockquote>We are pleased, said the mayor, with the outcome.</blockquote>"
               f"<p>{PARAGRAPHS[2]}</p>{related}")
    body = extract(_page(content)).body.split("\n\n")
    assert body == ["Why it matters", PARAGRAPHS[0], PARAGRAPHS[1],
                    "We are pleased, said the mayor, with the outcome.", PARAGRAPHS[2]]


def test_inline_markup_and_whitespace_are_collapsed() -> None:
    content = ("<p>The <b>council</b>\n   voted <a href='/x'>on Tuesday</a> to extend the lanes,"
               " a decision, after years, that many welcomed and some opposed loudly.</p>" * 1
               + "".join(f"<p>{p}</p>" for p in PARAGRAPHS))
    body = extract(_page(content)).body
    assert body.startswith("The council voted on Tuesday to extend the lanes, a decision,")
    assert "  " not in body and "\n\n\n" not in body


def test_json_ld_article_body_rescues_a_page_without_markup_text() -> None:
    text = " ".join(PARAGRAPHS * 3)
    extra = ('<script type="application/ld+json">{"@type": "NewsArticle", '
             f'"headline": "Test story", "articleBody": "{text}"}}</script>')
    article = extract(_page("<div id='app'></div>", extra))
    assert article.body == text


def test_a_page_without_article_text_has_an_empty_body() -> None:
    article = extract("<html><body><nav><a href='/'>Home</a></nav></body></html>")
    assert article.body == ""


@pytest.mark.parametrize("line", [
    "Por Lucía Martín · 9 de marzo de 2025, 11:20 | 2.310 visitas | 3 comentarios",
    "Thứ hai, 20/1/2025, 16:45 (GMT+7) | 15.780 lượt xem |",
    "Submitted by Hannah Whitfield on 18/08/2025 - 17:05 | Post Views: 2,045",
    "Von Jonas Weber · 12. Februar 2025 | 6.781 Aufrufe",
    "Updated March 19, 2025 at 9:15 a.m. PDT",
])
def test_byline_and_meta_lines_are_not_body(line: str) -> None:
    content = f"<p>{PARAGRAPHS[0]}</p><div>{line}</div>" + "".join(
        f"<p>{p}</p>" for p in PARAGRAPHS[1:])
    assert extract(_page(content)).body.split("\n\n") == PARAGRAPHS


def test_short_meta_and_byline_blocks_are_dropped_by_their_class() -> None:
    content = (f'<div class="node__meta"><span>Lucía Martín</span></div><p>{PARAGRAPHS[0]}</p>'
               f'<p>{PARAGRAPHS[1]}</p><p class="author_mail"><strong>Nguyễn Thu Hà</strong></p>'
               f'<p>{PARAGRAPHS[2]}</p>')
    assert extract(_page(content)).body.split("\n\n") == PARAGRAPHS


def test_listing_lines_with_dates_and_separators_stay() -> None:
    events = ["Tech World: January 6, 2026 | Las Vegas, NV",
              "Education Forum: January 31, 2026 | San Antonio, TX"]
    content = "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "".join(f"<p>{e}</p>" for e in events)
    assert extract(_page(content)).body.split("\n\n") == PARAGRAPHS + events


def test_drupal_promoted_node_is_not_a_promo_box() -> None:
    meta = '<div class="node__meta">Por Lucía Martín · 9 de marzo de 2025 | 2.310 visitas</div>'
    node = (f'<article class="node node--type-article node--promoted">{meta}'
            '<div class="node__content"><div class="field field--name-body">'
            + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "</div></div></article>")
    page = ("<html><head><title>Test story</title></head><body><main><div class='layout-content'>"
            f"<div class='region region-content'><h1>Test story</h1>{node}</div></div></main>"
            "</body></html>")
    assert extract(page).body.split("\n\n") == PARAGRAPHS


@pytest.mark.parametrize("caption", [
    '<div class="photo"><img src="/a.jpg" alt=""><span class="newsCaption">Crowds gathered '
    "outside the town hall on Tuesday evening before the vote. Image: Getty</span></div>",
    '<div class="InlineImage-imageEmbedCaption">The river path, where the new lanes will run, '
    "photographed last spring by a council contractor.</div>",
    '<ul class="hst-resgallery"><li><img src="/b.jpg" alt=""><div class="caption-full"><p>'
    "Buses queue on the bridge during the morning rush, as they do most weekdays in winter."
    '</p><span class="credit">AP Photo / Jane Roe</span></div></li></ul>',
    '<p class="wp-caption-text">A cyclist waits at the junction where the lane will begin, in '
    "a photo supplied by the campaign group.</p>",
])
def test_image_captions_credits_and_galleries_are_not_body(caption: str) -> None:
    content = f"<p>{PARAGRAPHS[0]}</p>{caption}" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS[1:])
    assert extract(_page(content)).body.split("\n\n") == PARAGRAPHS


GUIDE_SECTIONS = {
    "What a heat pump does": [
        "A heat pump moves warmth from the air or the ground into your home, using a small "
        "amount of electricity to run a compressor, a fan, and a circuit of refrigerant.",
        "Because it moves heat rather than making it, a well sized unit can deliver three or "
        "four units of heat for every unit of electricity it draws, even on a cold morning.",
        "Most homes need a survey first, so that the installer can check the insulation, the "
        "size of the radiators, and where the outdoor unit will sit without bothering anyone.",
        "The survey also tells you whether the hot water cylinder needs replacing, which adds "
        "to the cost, and whether the fuse box can take the extra load, which it usually can.",
        "Grants cover part of the price in many regions, and the application is usually made "
        "by the installer on your behalf once the survey has been signed off by both sides.",
    ],
    "How long installation takes": [
        "A typical installation takes two to four days, depending on whether radiators are "
        "swapped, pipes are upgraded, or a new cylinder has to be carried up the stairs.",
        "Expect one day without hot water at most, and plan the work for a mild week if you "
        "can, so that the house does not get cold while the old boiler is taken out.",
    ],
    "Running costs": [
        "Running costs depend on your tariff, the insulation, and how you set the controls; "
        "low and steady temperatures are cheaper than short bursts of high heat in the evening.",
        "Many owners move to a tariff with cheaper night rates, and heat the water cylinder "
        "while they sleep, which trims the bill further during the coldest months of the year.",
    ],
    "Maintenance": [
        "An annual service keeps the warranty valid and catches leaks early; clear leaves and "
        "snow from around the outdoor unit, and keep plants a short distance away from it.",
        "Filters inside the system need a rinse now and then, which takes a few minutes and "
        "does not need tools, though the installer will show you how on the first visit.",
    ],
}


def _guide_page(sections: str) -> str:
    teasers = "".join(f'<li><a href="/g{n}">Another guide, number {n}</a></li>' for n in range(8))
    return ("<html><head><title>Heat pumps: a guide</title></head><body>"
            "<nav><a href='/'>Home</a> <a href='/guides'>Guides</a></nav>"
            f"<main><div class='c-8f2a'><h1>Heat pumps: a guide</h1>{sections}</div>"
            f"<ul class='c-1b9d'>{teasers}</ul></main>"
            "<footer><p>Terms, privacy and cookies for this site.</p></footer></body></html>")


def test_a_guide_split_into_separately_wrapped_sections_is_read_whole() -> None:
    sections = "".join(
        f"<section id='part-{n}'><h2>{heading}</h2><div class='c-77e1'>"
        + "".join(f"<p>{p}</p>" for p in paragraphs) + "</div></section>"
        for n, (heading, paragraphs) in enumerate(GUIDE_SECTIONS.items()))
    expected = [text for heading, paragraphs in GUIDE_SECTIONS.items()
                for text in (heading, *paragraphs)]
    assert extract(_guide_page(sections)).body.split("\n\n") == expected


def test_the_container_the_page_calls_the_article_is_not_widened() -> None:
    article, *others = GUIDE_SECTIONS.values()
    partners = "".join(f"<p>{p}</p>" for paragraphs in others for p in paragraphs)
    tags = "".join(f"<a href='/t{n}'>topic {n}</a> " for n in range(4))
    sections = ("<div class='c-9a40'><div class='article-content'><div class='inner-content'>"
                + "".join(f"<p>{p}</p>" for p in article)
                + f"</div><div class='c-77aa'>{tags}</div></div></div>"
                f"<div class='c-5d21'><h3>From our partners</h3>{partners}</div>")
    assert extract(_guide_page(sections)).body.split("\n\n") == article


def test_link_density_counts_link_text_and_all_text_in_one_unit() -> None:
    from lxml import html as lxml_html

    from scraper.extract.boilerplate import link_length, text_length
    element = lxml_html.fromstring("<p><a href='/a'>three short words</a></p>")
    assert link_length(element) == text_length(element) == len("threeshortwords")


def test_prose_with_several_links_is_not_a_link_list() -> None:
    linked = ("<p>The <a href='/c'>regional transport council</a> met the <a href='/m'>mayor of "
              "the city</a> and <a href='/u'>the bus drivers union</a> on Monday.</p>")
    content = linked + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    body = extract(_page(content)).body.split("\n\n")
    assert body[0] == ("The regional transport council met the mayor of the city and the bus "
                       "drivers union on Monday.")
    assert body[1:] == PARAGRAPHS


def test_a_span_around_one_link_inside_a_sentence_stays() -> None:
    sentence = ("<p>The figures come from <span class='inline-ref'><a href='/report'>the annual "
                "report</a></span>, published by the council on Monday.</p>")
    content = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:2]) + sentence + f"<p>{PARAGRAPHS[2]}</p>"
    body = extract(_page(content)).body.split("\n\n")
    assert body == [*PARAGRAPHS[:2], "The figures come from the annual report, published by the "
                    "council on Monday.", PARAGRAPHS[2]]


@pytest.mark.parametrize(("marks", "kind"), [
    ("share-bar", "FURNITURE"), ("c-comments__list", "FURNITURE"), ("relatedPosts", "FURNITURE"),
    ("advantages", "CONTENT"), ("has-sidebar no-comments", "CONTENT"),
    ("not-a-paywall", "CONTENT"), ("paywall", "WEAK"), ("post-gallery slideshow", "WEAK"),
    ("ad-slot-wrapper", "WEAK"), ("inlinegallery", "WEAK"), ("entry-content ads", "CONTENT"),
    ("wp-caption-text", "FURNITURE"), ("node__meta", "META"),
])
def test_class_names_are_read_as_hints_of_what_an_element_is(marks: str, kind: str) -> None:
    from scraper.extract.marks import Mark, mark_of
    assert mark_of(marks) == Mark[kind]


def test_heading_ids_and_ids_made_from_text_are_not_class_names() -> None:
    from lxml import html as lxml_html

    from scraper.extract.marks import marks_of
    heading = lxml_html.fromstring('<h2 id="related">Related</h2>')
    slug = lxml_html.fromstring('<section id="related-news-in-the-region"></section>')
    widget = lxml_html.fromstring('<div id="related-posts"></div>')
    assert (marks_of(heading), marks_of(slug), marks_of(widget)) == ("", "", "related-posts")


CARD = ('<div class="card"><a href="/{n}"><img src="/{n}.jpg" alt=""></a><h3><a href="/{n}">'
        'Another headline about the harbour, number {n}</a></h3><time>May {n}, 2024</time>'
        '<p>A short excerpt of that other story, cut after a sentence.</p></div>')


@pytest.mark.parametrize(("items", "expected"), [
    (CARD, True),
    ('<li><a href="/{n}">Another headline about the harbour, number {n}</a><time>May {n}</time>'
     '<div>An excerpt of the story.</div></li>', True),
    ('<li><b><a href="/{n}">A digest item headline, number {n}</a>.</b> The summary of the news '
     'item runs on after the link.</li>', False),
    ('<p>Prose that mentions <a href="/{n}">a linked page, number {n}</a> inside a sentence.</p>',
     False),
])
def test_a_list_of_cards_is_told_by_its_shape(items: str, expected: bool) -> None:
    from lxml import html as lxml_html

    from scraper.extract.other_pages import is_card_list
    block = lxml_html.fromstring("<div>" + "".join(items.format(n=n) for n in range(1, 5))
                                 + "</div>")
    assert is_card_list(block) is expected


def test_hidden_paragraphs_of_the_article_stay_and_hidden_furniture_goes() -> None:
    rest = ("<div class='story-rest' style='display:none'><p>The rest of the story, hidden "
            "from readers who have not subscribed, is still the story: it goes on for a while "
            "here, with names, numbers and quotes.</p></div>")
    modal = "<div hidden><h3>Get the morning briefing</h3><p>One email a day.</p></div>"
    blob = ('<div style="display: none">{"layout":2,"buttonText":"Buy now","productTitle":'
            '{"hue":213,"brightness":0.83},"priceColor":{"hue":0,"saturation":0.5}}</div>')
    content = "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + modal + blob + rest
    body = extract(_page(content)).body.split("\n\n")
    assert body == [*PARAGRAPHS, "The rest of the story, hidden from readers who have not "
                    "subscribed, is still the story: it goes on for a while here, with names, "
                    "numbers and quotes."]
