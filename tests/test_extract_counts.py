"""View counts (and the number parsing behind every count)."""

from __future__ import annotations

import html
import json
import os
import string
from pathlib import Path
from urllib.parse import quote

import lxml.html
import pytest

from scraper.demo.catalog import DemoArticle, slugify
from scraper.demo.formats import grouped, wordpress_date
from scraper.demo.seed import SEED_ENV, find_seed_file, parse_seed
from scraper.extract import extract
from scraper.extract.comments import find_comments
from scraper.extract.counts import find_views
from scraper.extract.document import parse
from scraper.extract.numbers import count_beside, find_counts, parse_count
from scraper.extract.patterns import VIEW_AFTER_COUNT, VIEW_LABEL_BEFORE

GOLDEN = Path(__file__).parent / "golden" / "views"
PAGES = sorted(path.stem for path in GOLDEN.glob("*.html"))
TAGDIV_SEED = GOLDEN / "tagdiv-seed.html.tmpl"  # filled from the seed text at test time
BODY = ("<p>The weather service expects the heat wave to last until Sunday, with daytime "
        "temperatures above 38 degrees in the south.</p><p>Hospitals have opened cooling rooms "
        "and pools stay open until ten in the evening.</p>")


def page(meta: str = "", *, lang: str = "en", head: str = "", after: str = "",
         body: str = BODY) -> str:
    """A small article page: ``meta`` goes under the headline, ``after`` after the article."""
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>Heat</title>'
            f'{head}</head><body><header class="site-header"><a href="/">Courier</a></header>'
            '<div class="container"><main><article class="post"><header class="entry-header">'
            f'<h1 class="entry-title">Heat wave to last until Sunday</h1>{meta}</header>'
            f'<div class="entry-content">{body}</div></article>{after}</main></div>'
            '<footer class="site-footer">© Courier</footer></body></html>')


def views_of(html: str) -> int | None:
    return find_views(parse(html))


def test_every_view_form_has_a_golden_page() -> None:
    assert set(PAGES) >= {"eye-icon", "k-views", "post-views-counter", "vi-luot-xem", "json-ld",
                          "microdata", "most-viewed-sidebar", "tagdiv-classic",
                          "tagdiv-cloud-meta-row", "post-views-counter-after-content",
                          "post-views-counter-icon-only", "jnews-share-stats", "soledad-meta",
                          "jannah-meta", "vi-meta-nested-far", "ru-no-article-element",
                          "popular-rail-before-body", "counter-over-a-trillion"}


@pytest.mark.parametrize("name", PAGES)
def test_golden_page(name: str) -> None:
    doc = parse((GOLDEN / f"{name}.html").read_bytes())
    expected = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    section = find_comments(doc)
    found = {"comment_count": section.count,
             "comments": [comment.to_dict() for comment in section.comments],
             "views": find_views(doc)}
    assert found == expected


@pytest.mark.parametrize(("text", "value"), [
    ("337", 337), ("1,204", 1204), ("12.345", 12345), ("3 104", 3104), ("1.234.567", 1234567),
    ("1.2K", 1200), ("1,5k", 1500), ("2,5 mil", 2500), ("1.2M", 1_200_000), ("1,5 Mio.", 1_500_000),
    ("3 triệu", 3_000_000), ("0", 0),
])
def test_parse_count(text: str, value: int) -> None:
    assert parse_count(text) == value


@pytest.mark.parametrize("text", ["1.5", "12,34", "1,234.5", "views", "", "1.2.3",
                                  "1700000000000", "1.234.567.890.123", "2000000 million"])
def test_parse_count_rejects_what_is_not_a_count(text: str) -> None:
    assert parse_count(text) is None


def test_counts_up_to_a_trillion_are_counts() -> None:
    assert parse_count("1,000,000,000,000") == 10**12
    assert parse_count("999.999.999.999") == 999_999_999_999
    assert [match.value for match in find_counts("id 48213370091234 · 12 views")] == [12]


def test_a_number_cut_short_is_not_a_count() -> None:
    assert find_counts("1.2KVIEWS") == []  # not the "1" of "1.2K" glued to its label
    assert [match.value for match in find_counts("1,5 Mio. Aufrufe")] == [1_500_000]


def test_find_counts_reports_every_count_with_its_place() -> None:
    found = find_counts("Post Views: 1,204 · 5 comments")
    assert [(match.value, match.start) for match in found] == [(1204, 12), (5, 20)]


@pytest.mark.parametrize(("text", "value"), [
    ("1.2K views", 1200), ("1,204 views", 1204), ("Post Views: 1,204", 1204),
    ("12.345 lượt xem", 12345), ("Lượt xem: 1.234", 1234), ("2,5 mil visitas", 2500),
    ("1.2M views", 1_200_000), ("6.781 Aufrufe", 6781), ("3 104 vues", 3104), ("Hits: 57", 57),
    ("5 comments · 1.1K views", 1100), ("Views 88", 88), ("View: 12", 12),
    ("Просмотров: 1 234", 1234),
])
def test_views_phrases(text: str, value: int) -> None:
    assert count_beside(text, VIEW_AFTER_COUNT, VIEW_LABEL_BEFORE) == value


@pytest.mark.parametrize("text", ["View 3 more", "View all 12 photos", "Review 4", "5 comments"])
def test_what_is_not_a_views_phrase(text: str) -> None:
    assert count_beside(text, VIEW_AFTER_COUNT, VIEW_LABEL_BEFORE) is None


@pytest.mark.parametrize(("meta", "value"), [
    ('<div class="entry-meta"><span><i class="fa fa-eye"></i> 337</span></div>', 337),
    ('<div class="meta"><span class="icon-eye"></span><span>2,048</span></div>', 2048),
    ('<div class="meta"><svg class="icon eye"><title>Views</title></svg> 1,204</div>', 1204),
    ('<div class="meta"><span class="view-count">1.2K</span></div>', 1200),
    ('<div class="meta">May 14 · <span>1.2K views</span></div>', 1200),
    ('<div class="post-views entry-meta"><span class="post-views-label">Post Views: </span>'
     '<span class="post-views-count">1,204</span></div>', 1204),
    ('<p class="meta">Thứ ba, 14/05/2024 | 12.345 lượt xem</p>', 12345),
    ('<div class="share-stats"><div class="views-count"><div class="counts">1.2K</div>'
     '<span class="sharetext">VIEWS</span></div></div>', 1200),
    ('<dl class="article-info"><dd class="hits"><span class="icon-eye-open"></span> Hits: 57'
     "</dd></dl>", 57),
])
def test_views_shown_beside_the_headline(meta: str, value: int) -> None:
    assert views_of(page(meta)) == value


def test_declared_views_win() -> None:
    head = ('<script type="application/ld+json">{"@context": "https://schema.org", "@type": '
            '"Article", "headline": "Heat", "interactionStatistic": {"@type": '
            '"InteractionCounter", "interactionType": "http://schema.org/WatchAction", '
            '"userInteractionCount": "4321"}}</script>')
    assert views_of(page('<span class="views">4.3K views</span>', head=head)) == 4321
    legacy = '<meta itemprop="interactionCount" content="UserPageVisits:123">'
    assert views_of(page(head=legacy)) == 123


def test_views_from_microdata_inside_the_article() -> None:
    statistic = ('<div itemprop="interactionStatistic" itemscope '
                 'itemtype="https://schema.org/InteractionCounter">'
                 '<meta itemprop="interactionType" content="https://schema.org/ViewAction">'
                 '<meta itemprop="userInteractionCount" content="2071"></div>')
    assert views_of(page(statistic)) == 2071
    legacy = '<span itemprop="interactionCount" content="UserPageVisits:88"></span>'
    assert views_of(page(legacy)) == 88
    comments = statistic.replace("ViewAction", "CommentAction")
    assert views_of(page(comments)) is None


def test_comment_and_share_counts_are_not_views() -> None:
    meta = ('<div class="entry-meta"><span class="comments"><i class="fa fa-comment"></i> 12'
            '</span> <span class="shares"><i class="fa fa-share"></i> 40 shares</span></div>')
    assert views_of(page(meta)) is None
    head = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Heat", '
            '"interactionStatistic": {"@type": "InteractionCounter", "interactionType": '
            '"https://schema.org/CommentAction", "userInteractionCount": 7}}</script>')
    assert views_of(page(head=head)) is None


def test_counts_of_other_articles_are_not_this_articles_views() -> None:
    rail = ('<aside class="sidebar"><h3>Most viewed</h3><ul>'
            '<li><a href="/a">Fuel prices</a> <span class="post-views">12,400 views</span></li>'
            '<li><a href="/b">Metro map</a> <span class="post-views">9,876 views</span></li>'
            '</ul></aside>')
    related = ('<section class="related-posts"><div class="card"><a href="/c"><h4>Water</h4>'
               '<span class="views"><i class="fa fa-eye"></i> 3,210</span></a></div></section>')
    assert views_of(page(after=rail + related)) is None


def test_disagreeing_counts_inside_the_article_are_no_answer() -> None:
    boxes = ('<div class="box"><span class="view-count">120</span></div>'
             '<div class="box"><span class="view-count">4,500</span></div>')
    assert views_of(page(body=BODY + boxes)) is None
    assert views_of(page(body=BODY + boxes.replace("4,500", "120"))) == 120


def test_a_count_beside_the_headline_wins_over_one_further_down() -> None:
    meta = '<div class="entry-meta"><span class="post-views">Views: 88</span></div>'
    lower = '<div class="box"><span class="view-count">4,500</span></div>'
    assert views_of(page(meta, body=BODY + lower)) == 88


def test_views_in_the_text_of_the_article_are_not_its_views() -> None:
    body = ("<p>The minister's video has passed 1.2 million views since it was posted on "
            "Monday evening, officials said.</p>" + BODY)
    assert views_of(page(body=body)) is None


def test_a_page_without_views_has_none() -> None:
    assert views_of(page('<div class="entry-meta">By Minh</div>')) is None


def test_finding_views_does_not_change_the_tree() -> None:
    doc = parse((GOLDEN / "eye-icon.html").read_bytes())
    before = lxml.html.tostring(doc.tree)
    find_views(doc)
    assert lxml.html.tostring(doc.tree) == before


def tagdiv_seed_page(seed: DemoArticle, url: str) -> str:
    """The seed article in a tagDiv Newspaper single-post template: headline in
    ``td_block_wrap > tdb-block-inner``, the meta list a sibling of that block, a popular-posts
    block with its own view counts inside the same <article>, share and comment boxes and
    related articles after the body."""
    blocks = []
    for number, block in enumerate(seed.blocks, 1):
        text = html.escape(block.text, quote=False)
        blocks.append(
            f'<figure class="wp-block-image size-large"><img decoding="async" src="https://'
            f'harborledger.example/wp-content/uploads/2024/05/rafah-{number}.jpg" alt=""/>'
            f'<figcaption class="wp-element-caption">{text}</figcaption></figure>'
            if block.kind == "figure" else f"<p>{text}</p>")
    author = seed.authors[0] if seed.authors else ""
    return string.Template(TAGDIV_SEED.read_text(encoding="utf-8")).substitute(
        title=html.escape(seed.title), url=url, url_quoted=quote(url, safe=""),
        author=html.escape(author), author_slug=slugify(author) if author else "",
        date=wordpress_date(seed.published), views=grouped(seed.views or 0, ","),
        comment_total=seed.comment_count, body="\n".join(blocks))


def test_the_seed_in_a_tagdiv_theme_gives_the_exact_seed_record() -> None:
    path = find_seed_file()
    if path is None:
        pytest.skip("the seed page ../shared/seed/article.txt is not here")
    seed = parse_seed(path.read_text(encoding="utf-8"), source=str(path))
    url = f"https://harborledger.example/2024/05/13/{seed.slug}/"
    record = extract(tagdiv_seed_page(seed, url), url).to_dict()
    fields = ("url", "title", "authors", "published", "modified", "views", "comment_count",
              "comments", "body")
    assert {field: record[field] for field in fields} == {
        "url": url, "title": seed.title, "authors": list(seed.authors),
        "published": seed.published, "modified": None, "views": seed.views,
        "comment_count": 0, "comments": [], "body": seed.body_text()}
    if not os.environ.get(SEED_ENV):  # the shared seed itself: the figures the issue names
        assert (record["views"], record["published"]) == (337, "2024-05-13T04:00")
        assert record["authors"] == ["Laurine Ortiz"]
    for boilerplate in ("Share this Post", "Leave a comment", "Comments", "Chưa có bình luận",
                        "Related articles", "Popular posts"):
        assert boilerplate not in record["body"]


def test_big_scripts_are_not_searched_for_a_views_phrase() -> None:
    from scraper.extract.counts import _shown_text

    blob = '{"views": 12, "data": "' + "x" * 3000 + '"}'
    root = parse(f"<html><body><div>Views: 88<script>{blob}</script><script>var a = 1;"
                 f"</script> tail</div></body></html>").tree.find("body")
    text = _shown_text(root)
    assert blob not in text and "var a = 1;" in text
    assert text.split() == ["Views:", "88", "var", "a", "=", "1;", "tail"]
