"""Reader comments: the comment systems' markup, threading, chrome-free text, displayed counts."""

from __future__ import annotations

import json
import re
from pathlib import Path

import lxml.html
import pytest

from scraper.extract import extract
from scraper.extract.comment_count import count_in_text
from scraper.extract.comments import CommentSection, find_comments
from scraper.extract.document import parse
from scraper.extract.record import Comment

GOLDEN = Path(__file__).parent / "golden" / "comments"
PAGES = sorted(path.stem for path in GOLDEN.glob("*.html"))
BODY = ("<p>The council voted on Tuesday to extend the riverside tram line by four kilometres, "
        "a project debated for more than a decade.</p>"
        "<p>Construction is expected to begin next spring and to last about three years.</p>")


def page(comments: str, *, lang: str = "en", head: str = "", meta: str = "") -> str:
    """A small but complete article page with ``comments`` after the article."""
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>Tram</title>'
            f'{head}</head><body><header class="site-header"><a href="/">Gazette</a>'
            '<nav><ul><li><a href="/city">City</a></li></ul></nav></header>'
            '<main><article class="post"><header class="entry-header">'
            f'<h1 class="entry-title">Council approves tram line</h1>{meta}</header>'
            f'<div class="entry-content">{BODY}</div></article>{comments}</main>'
            '<footer class="site-footer">© Gazette</footer></body></html>')


def comments_of(html: str) -> CommentSection:
    return find_comments(parse(html))


def flatten(comments: tuple[Comment, ...]) -> list[Comment]:
    out: list[Comment] = []
    for comment in comments:
        out.append(comment)
        out.extend(flatten(comment.replies))
    return out


def load(name: str) -> tuple[bytes, dict[str, object]]:
    html = (GOLDEN / f"{name}.html").read_bytes()
    expected = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    return html, expected


def test_every_comment_system_has_a_golden_page() -> None:
    assert set(PAGES) >= {"wordpress", "wordpress-classic-says", "drupal", "blogger", "microdata",
                          "json-ld", "generic-div", "generic-list", "wpdiscuz", "bem-cards",
                          "camelcase", "css-modules", "leserbriefe", "numbered-headings",
                          "wrapped-items", "guestbook-table", "aside-binh-luan", "dl-pairs"}


@pytest.mark.parametrize("name", PAGES)
def test_golden_page_comments_and_count(name: str) -> None:
    html, expected = load(name)
    section = comments_of(html.decode("utf-8"))
    assert section.count == expected["comment_count"]
    assert [comment.to_dict() for comment in section.comments] == expected["comments"]


@pytest.mark.parametrize("name", PAGES)
def test_golden_page_comment_area_nodes_hold_the_comments_not_the_article(name: str) -> None:
    html, _ = load(name)
    doc = parse(html)
    section = find_comments(doc)
    area_text = " ".join(" ".join(node.text_content().split()) for node in section.nodes)
    for node in section.nodes:
        assert next(node.iter("h1"), None) is None
    if name == "json-ld":
        return  # the comments live in JSON-LD only; the page shows an empty embed
    for comment in flatten(section.comments):
        first_line = comment.text.split("\n")[0]
        assert first_line in area_text


@pytest.mark.parametrize("name", PAGES)
def test_golden_page_comment_text_stays_out_of_the_body(name: str) -> None:
    html, _ = load(name)
    body = extract(html).body
    for comment in flatten(comments_of(html.decode("utf-8")).comments):
        assert comment.text.split("\n")[0] not in body


def test_finding_comments_does_not_change_the_tree() -> None:
    doc = parse((GOLDEN / "wordpress.html").read_bytes())
    before = lxml.html.tostring(doc.tree)
    find_comments(doc)
    assert lxml.html.tostring(doc.tree) == before


@pytest.mark.parametrize("name", ["wordpress", "wordpress-classic-says", "drupal", "blogger",
                                  "generic-div", "generic-list", "microdata"])
def test_comment_text_is_free_of_chrome(name: str) -> None:
    html, _ = load(name)
    chrome = re.compile(r"(?<!\w)(?:says:|said:|Reply|Trả lời|Delete|Like|Edit|Permalink)"
                        r"(?!\w)|\d{1,2}:\d{2}|\b2024\b")
    for comment in flatten(comments_of(html.decode("utf-8")).comments):
        assert not chrome.search(comment.text), comment.text
        assert comment.author is None or comment.author not in comment.text


def test_three_levels_of_replies_nest_under_their_parents() -> None:
    def item(number: int, text: str, replies: str = "") -> str:
        children = f'<ul class="children">{replies}</ul>' if replies else ""
        return (f'<li class="comment" id="comment-{number}"><article class="comment-body">'
                f'<footer class="comment-meta"><div class="comment-author vcard">'
                f'<b class="fn">User {number}</b></div><div class="comment-metadata">'
                f'<time datetime="2024-05-1{number}T09:00:00+00:00">May 1{number}</time></div>'
                f'</footer><div class="comment-content"><p>{text}</p></div></article>'
                f"{children}</li>")
    thread = item(1, "First", item(2, "Second", item(3, "Third", item(4, "Fourth"))))
    html = page(f'<div id="comments" class="comments-area"><ol class="comment-list">{thread}'
                f'{item(5, "Fifth")}</ol></div>')
    comments = comments_of(html).comments
    assert [comment.text for comment in comments] == ["First", "Fifth"]
    second = comments[0].replies[0]
    third = second.replies[0]
    assert (second.text, third.text, third.replies[0].text) == ("Second", "Third", "Fourth")
    assert third.replies[0].author == "User 4"
    assert third.replies[0].published == "2024-05-14T09:00:00+00:00"


def test_flat_wordpress_lists_nest_by_depth_class() -> None:
    items = "".join(
        f'<div class="comment depth-{depth}" id="comment-{n}"><div class="comment-text">'
        f'<span class="author">Reader {n}</span><span class="date">May {n}, 2024</span>'
        f'<div class="comment-content"><p>Text {n}</p></div></div></div>'
        for n, depth in ((1, 1), (2, 2), (3, 3), (4, 1)))
    html = page(f'<div id="comments" class="post-comments"><div class="comments">{items}'
                "</div></div>")
    comments = comments_of(html).comments
    assert [comment.text for comment in comments] == ["Text 1", "Text 4"]
    assert comments[0].replies[0].replies[0].text == "Text 3"


@pytest.mark.parametrize(("text", "count"), [
    ("23 Comments", 23), ("0 Comments", 0), ("1 Comment", 1), ("One comment", 1),
    ("No comments yet", 0), ("No Comments", 0), ("5 thoughts on “Council approves tram line”", 5),
    ("One thought on “Council approves tram line”", 1), ("34 Responses to “Tram”", 34),
    ("Comments (12)", 12), ("1.204 bình luận", 1204), ("5 bình luận", 5),
    ("Chưa có bình luận nào", 0), ("Ý kiến bạn đọc (3)", 3), ("12 comentarios", 12),
    ("Todavía no hay comentarios.", 0), ("3 commentaires", 3), ("Aucun commentaire", 0),
    ("4 Kommentare", 4), ("Kommentare: 4", 4), ("Noch keine Kommentare.", 0),
    ("2 comentários", 2), ("Nessun commento", 0), ("0\nComments", 0),
])
def test_count_phrases(text: str, count: int) -> None:
    assert count_in_text(text) == count


@pytest.mark.parametrize("text", ["Leave a Reply", "Post a Comment", "Add new comment",
                                  "Laisser un commentaire", "Deja un comentario",
                                  "Einen Kommentar schreiben", "Comments are closed.", "Comments"])
def test_headings_without_a_number_are_no_count(text: str) -> None:
    assert count_in_text(text) is None


@pytest.mark.parametrize(("lang", "heading", "count"), [
    ("vi", "5 bình luận", 5), ("es", "12 comentarios", 12), ("fr", "3 commentaires", 3),
    ("de", "4 Kommentare", 4), ("en", "No comments yet", 0),
])
def test_the_comment_heading_gives_the_count(lang: str, heading: str, count: int) -> None:
    html = page(f'<section class="comments" id="comments"><h2 class="comments__title">{heading}'
                '</h2><form class="comments__form"><textarea></textarea></form></section>',
                lang=lang)
    section = comments_of(html)
    assert section.count == count
    assert section.comments == ()
    assert [node.get("id") for node in section.nodes] == ["comments"]


def test_a_no_comments_notice_gives_zero() -> None:
    html = page('<div id="comments" class="comments-area"><h3 class="comments-title">Leave a '
                'Reply</h3><p class="no-comments">Chưa có bình luận nào</p></div>', lang="vi")
    assert comments_of(html).count == 0


def test_a_comments_link_beside_the_byline_gives_the_count() -> None:
    meta = ('<div class="entry-meta"><span class="byline">By Anna</span> '
            '<span class="comments-link"><a href="#comments">7 Comments</a></span></div>')
    assert comments_of(page("", meta=meta)).count == 7


def test_counts_of_other_articles_are_not_this_articles_count() -> None:
    rail = ('<aside class="sidebar"><h3>Most commented</h3><ul><li><a href="/other">Other</a> '
            '<span class="comment-count">45</span></li></ul></aside>'
            '<section class="related"><a href="/third"><h4>Third</h4>'
            '<span class="comments-count">12 comments</span></a></section>')
    section = comments_of(page(rail))
    assert section.count is None


def test_structured_comment_count_is_the_fallback() -> None:
    head = ('<script type="application/ld+json">{"@context": "https://schema.org", '
            '"@type": "NewsArticle", "headline": "Tram", "commentCount": 17}</script>')
    assert comments_of(page("", head=head)).count == 17
    legacy = '<meta itemprop="interactionCount" content="UserComments:9">'
    assert comments_of(page("", head=legacy)).count == 9


def test_the_page_without_a_number_has_no_count_even_with_comments() -> None:
    html, _ = load("disqus")
    section = comments_of(html.decode("utf-8"))
    assert len(section.comments) == 1
    assert section.count is None


def test_a_page_without_comments_has_nothing() -> None:
    section = comments_of(page('<section class="newsletter"><h2>Sign up</h2></section>'))
    assert section == CommentSection((), None, ())


def test_article_paragraphs_and_teasers_are_never_comments() -> None:
    opinion = ('<section class="opinion-list"><ul>'
               '<li class="comment premium"><a href="/opinion/trams">'
               '<h3>Comment: trams are the future</h3></a><p>Our columnist on the vote.</p></li>'
               '</ul></section>'
               '<aside class="widget-area"><section class="widget widget_recent_comments">'
               '<ul id="recentcomments"><li class="recentcomments"><span class="comment-author-'
               'link">Tomas</span> on <a href="/bridge#comment-7">Bridge repairs</a></li></ul>'
               "</section></aside>")
    html = page(opinion).replace('<article class="post">', '<article class="post comment">')
    section = comments_of(html)
    assert section.comments == ()
    for node in section.nodes:
        assert "four kilometres" not in node.text_content()


def test_json_ld_comments_nest_and_lose_their_markup() -> None:
    head = ('<script type="application/ld+json">{"@context": "https://schema.org", '
            '"@type": "BlogPosting", "headline": "Tram", "comment": [{"@type": "Comment", '
            '"author": {"@type": "Person", "name": "Ines"}, "dateCreated": '
            '"2024-05-14T09:12:00+07:00", "text": "<p>Good.</p><p>Long <b>overdue</b>.</p>", '
            '"comment": {"@type": "Comment", "author": "Desk", "text": "Thanks!"}}]}</script>')
    (comment,) = comments_of(page("", head=head)).comments
    assert comment == Comment("Good.\n\nLong overdue.", "Ines", "2024-05-14T09:12:00+07:00",
                              (Comment("Thanks!", "Desk", None, ()),))


def test_themed_wordpress_comment_lists_are_read() -> None:
    """Themes prefix the list class ("ast-comment-list", "nv-comments-list") and wrap the
    author's name and the date together in ``.comment-author``."""
    item = ('<li class="comment even depth-1" id="li-comment-{n}"><article id="comment-{n}">'
            '<div class="comment-author vcard"><span class="comment-name">'
            '<a href="https://example.org" class="url">{who}</a></span><br>'
            '<a class="comment-time" href="#comment-{n}"><time datetime="2025-03-0{n}T09:15:00">'
            'March {n}, 2025, 9:15 am</time></a></div>'
            '<section class="ast-comment-content comment"><p>{text}</p></section>'
            '<a class="comment-reply-link" href="#comment-{n}">Reply</a></article></li>')
    html = page('<div id="comments" class="comments-area"><h3 class="comments-title">2 thoughts'
                ' on “Council approves tram line”</h3><ol class="ast-comment-list">'
                + item.format(n=1, who="Dana Ruiz", text="The old line ran here until 1962.")
                + item.format(n=2, who="Tomás Leal", text="Four kilometres is a good start.")
                + "</ol></div>")
    found = flatten(comments_of(html).comments)
    assert [(c.author, c.published, c.text) for c in found] == [
        ("Dana Ruiz", "2025-03-01T09:15:00", "The old line ran here until 1962."),
        ("Tomás Leal", "2025-03-02T09:15:00", "Four kilometres is a good start.")]
    assert "1962" not in extract(html).body


def test_custom_widgets_with_underscore_classes_keep_the_text_not_the_heading() -> None:
    item = ('<li class="comment depth-1"><div id="comment-{n}" class="padding-vert-large">'
            '<div class="comment_header row"><h4 class="comment_title text-2">'
            '<span class="weight-semi">{who}</span> <time class="comment_time" '
            'datetime="2024-05-1{n}T08:00:00-07:00">5/1{n}/2024 at 8:00am</time></h4></div>'
            '<div class="comment_body wysiwyg text-1"><p>{text}</p></div>'
            '<a class="comment-reply-link" href="#comment-{n}">Reply</a></div></li>')
    html = page('<section id="comments"><h2>Comments</h2><ul class="comments-list">'
                + item.format(n=1, who="Ana", text="Is the route map published yet?")
                + item.format(n=2, who="Bo", text="It is on the council site.")
                + "</ul></section>")
    found = flatten(comments_of(html).comments)
    assert [(c.text, c.published) for c in found] == [
        ("Is the route map published yet?", "2024-05-11T08:00:00-07:00"),
        ("It is on the council site.", "2024-05-12T08:00:00-07:00")]


def test_microdata_comments_marked_by_itemprop_alone() -> None:
    """Comments marked only by ``itemprop="comment"`` (no class, id or itemtype) are read."""
    thread = ('<section><h2>Readers write</h2>'
              '<div itemprop="comment" itemscope><span itemprop="author">Ana Lima</span> '
              '<time itemprop="dateCreated" datetime="2024-05-02T10:00:00Z">2 May</time>'
              '<p itemprop="text">Finally, a tram to the river.</p></div>'
              '<div itemprop="comment" itemscope><span itemprop="author">Jon Berg</span> '
              '<time itemprop="dateCreated" datetime="2024-05-02T11:30:00Z">2 May</time>'
              '<p itemprop="text">Four kilometres is not enough.</p></div></section>')
    found = comments_of(page(thread)).comments
    assert [(comment.author, comment.text) for comment in found] == [
        ("Ana Lima", "Finally, a tram to the river."), ("Jon Berg", "Four kilometres is not enough.")]
    assert all(comment.published for comment in found)


def test_comment_marks_around_the_article_are_not_the_comment_area() -> None:
    """A "comments" wrapper that holds the headline or the articleBody is the article's own."""
    html = ('<!DOCTYPE html><html><head><title>Tram</title></head><body>'
            f'<div class="comments-wrapper"><h1>Council approves tram line</h1>{BODY}</div>'
            f'<section class="comments-section"><div itemprop="articleBody">{BODY}</div></section>'
            '<div id="comments"><h2>2 Comments</h2></div></body></html>')
    section = comments_of(html)
    assert [node.get("id") for node in section.nodes] == ["comments"]
    assert section.count == 2


def test_numbered_comment_headings_are_comments_and_an_opinion_heading_is_not() -> None:
    """ "#1 Kommentar von Ana" over a comment makes it one; "Ein Kommentar von Claudia Marx"
    (an opinion piece's heading, no number) does not."""
    def item(heading: str, text: str) -> str:
        return f'<div><h3>{heading}</h3>3. Mai 2024, 10:15 Uhr<p>{text}</p></div>'

    html = page(item("Kommentar #1 von Ana", "Endlich fährt die Tram bis zum Fluss.")
                + item("2. Kommentar von Ben", "Am 3. Mai 2024 war die Sitzung öffentlich."),
                lang="de")
    found = comments_of(html).comments
    assert [(c.author, c.text, c.published) for c in found] == [
        ("Ana", "Endlich fährt die Tram bis zum Fluss.", "2024-05-03T10:15"),
        ("Ben", "Am 3. Mai 2024 war die Sitzung öffentlich.", "2024-05-03T10:15")]
    opinion = page(item("Ein Kommentar von Claudia Marx", "Die Stadt hat recht."), lang="de")
    assert comments_of(opinion).comments == ()


def test_like_named_comments_in_wrappers_of_their_own_are_one_list() -> None:
    """``div > div > div.Comment`` repeated: the comments are read, each once, and a
    ``data-testid`` names the text when the classes are hashes."""
    def item(who: str, text: str) -> str:
        return (f'<div><div class="_w1"><div class="x7 Comment"><a href="/user/{who}/">{who}</a>'
                '<a href="/r/x/comments/1/c/2/">3 days ago</a><span>12 points</span>'
                f'<div data-testid="comment" class="_h3"><p>{text}</p></div></div></div></div>')

    html = page('<div class="_list">' + item("ana", "The tram stop needs a shelter.")
                + item("bo", "And a bike rack, please.") + "</div>")
    found = comments_of(html).comments
    assert [(c.author, c.text) for c in found] == [
        ("ana", "The tram stop needs a shelter."), ("bo", "And a bike rack, please.")]
    assert "12 points" not in " ".join(c.text for c in found)


def test_like_named_comments_around_the_article_are_not_lifted_to_it() -> None:
    """Two "Comment"-named boxes whose common ancestor holds the headline: no region holds
    the article."""
    box = ('<div><div class="Comment"><a href="/user/{0}/">{0}</a> <time datetime="2024-05-0{1}">'
           'May {1}</time><p>Short reader note number {1} about the tram line.</p></div></div>')
    html = ('<!DOCTYPE html><html><head><title>Tram</title></head><body><div id="page">'
            + box.format("ana", 1) + f'<h1>Council approves tram line</h1>{BODY}'
            + box.format("bo", 2) + '</div></body></html>')
    section = comments_of(html)
    assert all(next(node.iter("h1"), None) is None for node in section.nodes)
    assert "Construction is expected" in extract(html.encode()).body


def test_like_named_bits_in_teaser_cards_do_not_make_the_cards_comments() -> None:
    """Two "extra-comments" counters in cards of other stories: their common ancestor is not
    searched as a comment list (the cards have a byline and text, but are teasers)."""
    card = ('<div class="card"><div class="card-body"><a href="/story-{0}/">Story number {0} '
            'about apps that save time</a><p>Save time and streamline your workflow with the '
            'help of these tools for your PC.</p><span class="byline">By Writer {0}</span>'
            '<div class="total-info extra-comments">Posts {0}</div></div></div>')
    html = page('<div class="more-block">' + card.format(1) + card.format(2) + '</div>')
    assert comments_of(html).comments == ()


def test_flat_lists_nest_by_indentation() -> None:
    """A flat list whose comments are indented by inline styles threads by the indentation."""
    def item(indent: int, number: int, who: str, text: str) -> str:
        return (f'<div class="comment" id="comment-{number}" style="margin-left: {indent}px">'
                f'<span class="comment-author">{who}</span> <time datetime="2024-05-1{number}">'
                f'May 1{number}</time><p>{text}</p></div>')

    html = page('<div id="comments"><h2>3 Comments</h2>'
                + item(0, 1, "Ana", "Is the route map published yet?")
                + item(30, 2, "Bo", "It is on the council site since Monday.")
                + item(0, 3, "Cy", "Four kilometres is not enough for this city.") + "</div>")
    found = comments_of(html).comments
    assert [(c.author, [r.author for r in c.replies]) for c in found] == [
        ("Ana", ["Bo"]), ("Cy", [])]


def test_a_bold_lead_name_is_the_author_but_a_bold_label_and_a_verb_in_the_text_are_not() -> None:
    """``<li><strong>Ana</strong> <time>`` names Ana; "<b>Update:</b>" names nobody; "Bài viết
    hay" (Vietnamese "good article": "viết" is "wrote" only before a colon) is text."""
    def item(lead: str, text: str, day: int) -> str:
        return (f'<li>{lead} <time datetime="2024-05-0{day}">May {day}</time><p>{text}</p>'
                '<a href="#respond">Reply</a></li>')

    html = page('<section><h2>Comments (3)</h2><ul>'
                + item("<strong>Ana</strong>", "Finally a tram line to the river.", 1)
                + item("<b>Update:</b>", "The council has published the route map.", 2)
                + item("", "Bài viết hay, cảm ơn tác giả.", 3) + "</ul></section>")
    found = comments_of(html).comments
    assert [(c.author, c.text) for c in found] == [
        ("Ana", "Finally a tram line to the river."),
        (None, "Update:\n\nThe council has published the route map."),
        (None, "Bài viết hay, cảm ơn tác giả.")]
