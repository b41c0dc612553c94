"""The article's meta area (found by place and content, however deeply nested) and lists of
other posts (found by their shape): where views and meta-area comment counts come from."""

from __future__ import annotations

from scraper.extract.comments import find_comments
from scraper.extract.counts import find_views
from scraper.extract.document import parse
from scraper.extract.meta_area import BODY, MEDIUM, SMALL, box_size, header_boxes
from scraper.extract.regions import Regions

PARAGRAPHS = "".join(
    f"<p>Paragraph {n} of the report: the harbour authority says the new quay will open in "
    "the spring, two years later than planned, after a long dispute over its cost.</p>"
    for n in range(1, 6))
HEAD = ('<head><meta charset="utf-8"><title>New quay to open in spring | Ledger</title>'
        '<link rel="canonical" href="https://ledger.example/2024/05/new-quay"></head>')


def wrap(content: str, head: str = HEAD) -> str:
    return (f"<!DOCTYPE html><html lang='en'>{head}<body><div class='site'>"
            "<div class='top'><a href='/'>Ledger</a> <a href='/news'>News</a></div>"
            f"{content}<div class='bottom'>© Ledger</div></div></body></html>")


def nested(inner: str, depth: int, name: str = "wrap") -> str:
    """``inner`` inside ``depth`` anonymous wrappers, as page builders nest their blocks."""
    return f"<div class='{name}'>" * depth + inner + "</div>" * depth


def teaser(slug: str, title: str, count: str, kind: str = "module") -> str:
    return (f"<div class='{kind} {kind}-wrap'><div class='thumb'><a href='/2024/05/{slug}' "
            f"title='{title}'><img src='/img/{slug}.jpg' alt=''></a></div><div class='info'>"
            f"<h3 class='title'><a href='/2024/05/{slug}'>{title}</a></h3><div class='stats'>"
            f"<span class='date'>May 9, 2024</span> <span class='views'><i class='icon-eye'></i>"
            f"{count}</span></div></div></div>")


POSTS = (teaser("port-strike", "Port strike enters its second week", "2,891")
         + teaser("ferry-fares", "Ferry fares to rise in June", "1,740")
         + teaser("lighthouse", "A lighthouse museum opens on the pier", "1,322"))
TITLE = "<h1 class='title-text'>New quay to open in spring</h1>"
META = ("<ul class='meta'><li class='by'><a href='/author/ana-ruiz'>Ana Ruiz</a></li>"
        "<li class='when'>May 13, 2024</li><li class='seen'><i class='fa fa-eye'></i>"
        "<span>337</span></li></ul>")


def views(html: str) -> int | None:
    return find_views(parse(html))


def test_meta_list_beside_a_deeply_nested_headline_beats_a_rail_of_posts() -> None:
    header = nested(nested(TITLE, 2, "block") + META, 3)
    rail = f"<div class='col-side'><h4>Popular</h4><div class='inner'>{POSTS}</div></div>"
    html = wrap(f"<article class='post'>{header}<div class='row'><div class='col-main'>"
                f"{PARAGRAPHS}</div>{rail}</div></article>")
    assert views(html) == 337
    assert views(html.replace("<span>337</span>", "<span></span>")) is None


def test_a_list_of_posts_is_told_by_its_shape_not_its_names() -> None:
    # Right under the headline, with class names that say nothing: still other posts' counts.
    html = wrap(f"<article>{TITLE}<div class='box'>{POSTS}</div><div class='text'>{PARAGRAPHS}"
                "</div></article>")
    assert views(html) is None
    # One teaser alone is not a list: a boxed meta bar with a link is still the article's.
    single = wrap(f"<article>{TITLE}<div class='box'>{teaser('x', 'This very quay story', '55')}"
                  f"</div><div class='text'>{PARAGRAPHS}</div></article>")
    assert views(single) == 55


def test_meta_row_before_the_title_row_of_a_page_builder() -> None:
    meta_row = nested(f"<div class='block'><style>.b1{{color:#333}}{'.x{}' * 200}</style>"
                      "<span class='date'>May 13, 2024</span> <span class='views'>"
                      "<i class='icon-eye'></i>1,204</span></div>", 3, "row")
    side = f"<div class='col-left'><div class='tags'>{'Tags harbour quay ' * 20}</div></div>"
    main = f"<div class='col'><div class='block'>{TITLE}</div><div class='content'>{PARAGRAPHS}"
    html = wrap(f"<article>{meta_row}<div class='row'>{side}{main}</div></div>"
                f"<div class='more'>{POSTS}</div></article>")
    assert views(html) == 1204


def test_meta_area_in_the_next_row_nested_far_from_the_headline() -> None:
    header = f"<div class='entry-header'>{TITLE}<h2 class='sub'>Two years late</h2></div>"
    meta = "<div class='meta-bar'><span>by Ana Ruiz</span> <span>12.345 lượt xem</span></div>"
    row = nested(meta + f"<div class='entry-content'>{PARAGRAPHS}</div>", 4, "col")
    assert views(wrap(f"<article>{header}<div class='row'>{row}</div></article>")) == 12345


def test_without_an_article_element_the_meta_area_is_still_found() -> None:
    hero = f"<div class='page-title'><div class='container'>{TITLE}</div></div>"
    column = nested("<div class='post-info'>May 13, 2024 · Просмотров: 1 234</div>"
                    f"<div class='text'>{PARAGRAPHS}</div>", 3, "main")
    rail = f"<div class='sidebar-ish'>{POSTS}</div>"
    assert views(wrap(hero + column + rail)) == 1234
    # A logo h1 is not the headline: the h1 that the page's title names is.
    logo = "<div class='logo'><h1>Ledger</h1></div>"
    assert views(wrap(logo + hero + column)) == 1234


def test_a_count_in_a_button_is_an_action_not_views() -> None:
    html = wrap(f"<article>{TITLE}<div class='toc'><button>View 3 more</button></div>"
                f"<div class='text'>{PARAGRAPHS}</div></article>")
    assert views(html) is None


def test_comment_count_in_the_meta_area_beats_the_rails_counts() -> None:
    meta = ("<div class='meta'><span>May 13, 2024</span> <a href='#comments'>"
            "<i class='fa fa-comments'></i> 5</a></div>")
    rail = POSTS.replace("<i class='icon-eye'></i>", "<span class='comments-count'>12</span> ")
    html = wrap(f"<article>{nested(TITLE, 2)}{meta}<div class='more'>{rail}</div>"
                f"<div class='text'>{PARAGRAPHS}</div></article>")
    assert find_comments(parse(html)).count == 5


def test_box_sizes_ignore_styles_and_count_prose() -> None:
    doc = parse(wrap("<div id='a'><style>" + ".x{}" * 500 + "</style><h1>Title</h1></div>"
                     f"<div id='b'>{PARAGRAPHS}</div><div id='c'>{'word ' * 100}</div>"))
    sizes = {element.get("id"): box_size(element) for element in doc.tree.iter("div")
             if element.get("id")}
    assert sizes == {"a": SMALL, "b": BODY, "c": MEDIUM}


def test_header_boxes_stop_where_the_body_starts() -> None:
    doc = parse(wrap(f"<article><div class='head'>{TITLE}</div>{META}<figure><img src='a.jpg'>"
                     f"</figure><div class='text'>{PARAGRAPHS}</div><div class='after'>Share"
                     "</div></article>"))
    regions = Regions(doc)
    assert regions.headline is not None
    found = {element.get("class") or element.tag
             for element in header_boxes(regions.headline, regions.within_article)}
    assert {"meta", "figure"} <= found
    assert "after" not in found and "text" not in found


def test_the_headline_is_the_h1_the_page_title_names_not_a_heading_in_the_text() -> None:
    head = HEAD.replace("New quay to open in spring | Ledger",
                        "New quay to open in spring, two years late | Ledger")
    top = ("<div class='post-header'><h1 class='post-title'>New quay to open in spring, two years"
           " late</h1><div class='meta'>May 13, 2024 · <span class='post-views'>14,267 Views"
           "</span></div></div>")
    body = f"<article class='post'><h1>The quay in numbers</h1>{PARAGRAPHS}</article>"
    html = wrap(f"<div class='main'>{top}{body}<div class='more'>{POSTS}</div></div>", head)
    regions = Regions(parse(html))
    assert regions.headline is not None and regions.headline.get("class") == "post-title"
    assert views(html) == 14267
