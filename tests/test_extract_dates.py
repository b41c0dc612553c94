"""Dates: parsing in several languages and formats, and choosing among a page's sources."""

from __future__ import annotations

import pytest

from scraper import extract
from scraper.extract.dates import parse_date


@pytest.mark.parametrize(("text", "expected"), [
    ("2024-05-13T04:00:00+07:00", "2024-05-13T04:00:00+07:00"),
    ("2024-05-13T04:00:00.000Z", "2024-05-13T04:00:00+00:00"),
    ("2024-05-13 16:30", "2024-05-13T16:30"),
    ("2024-05-13", "2024-05-13"),
    ("May 13, 2024 04:00am", "2024-05-13T04:00"),
    ("Updated: Monday, May 13th 2024 at 4:05 PM", "2024-05-13T16:05"),
    ("Sept. 3, 2023", "2023-09-03"),
    ("12:30am", None),
    ("13 May 2024", "2024-05-13"),
    ("Thứ hai, 13/5/2024, 04:00 (GMT+7)", "2024-05-13T04:00+07:00"),
    ("13/05/2024 04:00", "2024-05-13T04:00"),
    ("Ngày 13 tháng 5 năm 2024", "2024-05-13"),
    ("13 de mayo de 2024", "2024-05-13"),
    ("publié le 13 mai 2024 à 16h05", "2024-05-13T16:05"),
    ("13. Mai 2024, 16:05 Uhr", "2024-05-13T16:05"),
    ("3. März 2023", "2023-03-03"),
    ("Mon, 13 May 2024 04:00:00 GMT", "2024-05-13T04:00:00"),
    ("Essay - Published: 2025.12.17", "2025-12-17"),
    ("2019/1/22", "2019-01-22"),
    ("2023 Jan 7", "2023-01-07"),
    ("Release 2023.1.4 is out", None),
    ("/assets/photos/2025/12/20/image.jpg", None),
    ("31/02/2024", None),
    ("1850-01-01", None),
    ("2150-01-01", None),
    ("no date here", None),
    ("", None),
    ("Party, 30.10.23", "2023-10-30"),
    ("Veröffentlicht: 02.12.19, 14:05", "2019-12-02T14:05"),
    ("Version 2.10.15", None),
    ("15 августа 2016, 13:43", "2016-08-15T13:43"),
    ("Domenica 06 Dicembre 2020", "2020-12-06"),
    ("13 de março de 2021", "2021-03-13"),
    ("3 mei 2022", "2022-05-03"),
    ("12 października 2021", "2021-10-12"),
    ("2020年07月03日 17:16", "2020-07-03T17:16"),
    ("2020년 7월 3일", "2020-07-03"),
    ("الأربعاء، 07 أكتوبر 2020 - 12:09 م", "2020-10-07T12:09"),
    ("JRA winners (2020/7/11-12)", None),
])
def test_parse_date(text: str, expected: str | None) -> None:
    assert parse_date(text) == expected


def test_ambiguous_numeric_dates_need_a_language() -> None:
    assert parse_date("05/06/2024") is None
    assert parse_date("05/06/2024", day_first=True) == "2024-06-05"
    assert parse_date("05/06/2024", day_first=False) == "2024-05-06"


def test_dotted_numeric_dates_are_day_first_without_a_language() -> None:
    assert parse_date("06.05.2018") == "2018-05-06"
    assert parse_date("06-05-2018") is None


@pytest.mark.parametrize(("text", "expected"), [
    ("Tue, 03/05/2024", "2024-03-05"),   # 5 March 2024 was a Tuesday
    ("Fri, 03/05/2024", "2024-05-03"),   # 3 May 2024 was a Friday
    ("Dienstag, den 05.03.2024", "2024-03-05"),
    ("mercredi 02/10/2024", "2024-10-02"),
    ("Sun, 03/05/2024", None),  # neither reading is a Sunday: the language must decide
])
def test_a_weekday_settles_the_day_order(text: str, expected: str | None) -> None:
    assert parse_date(text) == expected


def _page(head: str = "", body: str = "", lang: str = "en") -> str:
    text = "<p>" + "The report was published after a long review by the committee. " * 6 + "</p>"
    return (f"<html lang='{lang}'><head><title>Report out</title>{head}</head><body><article>"
            f"<h1>Report out</h1>{body}{text}</article></body></html>")


def test_json_ld_date_keeps_its_offset() -> None:
    head = ('<script type="application/ld+json">{"@context": "https://schema.org", "@graph": ['
            '{"@type": "WebSite", "name": "X"}, {"@type": "NewsArticle", '
            '"datePublished": "2024-05-13T04:00:00+07:00", '
            '"dateModified": "2024-05-14T09:00:00+07:00"}]}</script>')
    article = extract(_page(head))
    assert article.published == "2024-05-13T04:00:00+07:00"
    assert article.modified == "2024-05-14T09:00:00+07:00"


def test_meta_and_time_elements() -> None:
    meta = '<meta property="article:published_time" content="2023-11-02T08:15:00-05:00">'
    assert extract(_page(meta)).published == "2023-11-02T08:15:00-05:00"
    time = '<time datetime="2022-01-09T10:00:00Z" class="entry-date">9 Jan 2022</time>'
    assert extract(_page(body=time)).published == "2022-01-09T10:00:00+00:00"


def test_shown_dateline_under_the_headline() -> None:
    body = '<div class="byline">By Ann Lee · 13/05/2024 04:00</div>'
    assert extract(_page(body=body, lang="vi")).published == "2024-05-13T04:00"


def test_shown_date_agreeing_with_metadata_takes_the_precise_value() -> None:
    meta = '<meta property="article:published_time" content="2024-05-13T04:00:00+02:00">'
    body = '<p class="date">13 May 2024</p>'
    assert extract(_page(meta, body)).published == "2024-05-13T04:00:00+02:00"


def test_url_date_is_the_last_resort_and_no_date_is_better_than_a_wrong_one() -> None:
    url = "https://example.org/news/2021/03/07/report-out"
    assert extract(_page(), url=url).published == "2021-03-07"
    assert extract(_page(), url="https://example.org/news/report-out").published is None
    bogus = '<meta name="date" content="0000-00-00">'
    assert extract(_page(bogus)).published is None


@pytest.mark.parametrize(("line", "lang", "expected"), [
    ('<li class="post-updated">Updated: <span class="updated">January 22, 2025 03:40pm</span>'
     "</li>", "en", "2025-01-22T15:40"),
    ('<span class="article__updated">Updated <time datetime="2025-03-19T09:15:00-07:00">'
     "March 19, 2025</time></span>", "en", "2025-03-19T09:15:00-07:00"),
    ("<p>Đăng ngày 20/1/2025 · Cập nhật: 21/1/2025, 08:30</p>", "vi", "2025-01-21T08:30"),
    ("<p>Publicado el 9 de marzo de 2025 · <span>Actualizado:</span> "
     "<span>10 de marzo de 2025</span></p>", "es", "2025-03-10"),
    ("<p>Publié le 3 mai 2024 | Mis à jour le 4 mai 2024</p>", "fr", "2024-05-04"),
    ("<p>Veröffentlicht 3. Mai 2024 · Aktualisiert am 6. Mai 2024</p>", "de", "2024-05-06"),
])
def test_shown_modification_date(line: str, lang: str, expected: str) -> None:
    assert extract(_page(body=line, lang=lang)).modified == expected


def test_published_and_updated_together_is_no_modification() -> None:
    body = ('<time class="entry-date published updated" datetime="2024-05-13T04:00:00+00:00">'
            "May 13, 2024</time>")
    article = extract(_page(body=body))
    assert article.published == "2024-05-13T04:00:00+00:00"
    assert article.modified is None


def test_a_date_labelled_updated_gives_way_to_the_declared_publication_date() -> None:
    meta = '<meta property="article:published_time" content="2017-04-03T09:00:00+00:00">'
    body = "<p><span>Last updated:</span> <span>February 12, 2026</span></p>"
    article = extract(_page(meta, body))
    assert article.published == "2017-04-03T09:00:00+00:00"
    assert article.modified == "2026-02-12"
    assert extract(_page(body=body)).published == "2026-02-12"  # nothing else: that date


def test_a_date_inside_a_sentence_gives_way_to_the_declared_one() -> None:
    meta = '<meta property="article:published_time" content="2025-09-25T11:38:00+00:00">'
    body = "<p>As of July 31, 2025, the agency has received:</p>"
    assert extract(_page(meta, body)).published == "2025-09-25T11:38:00+00:00"
    assert extract(_page(body=body)).published == "2025-07-31"  # nothing declared: that date


@pytest.mark.parametrize(("head", "expected"), [
    ('<meta name="w-published-date" content="2025-05-27T06:03:43.274Z">',
     "2025-05-27T06:03:43+00:00"),
    ('<meta name="published" content="July 17, 2025">', "2025-07-17"),
    ('<meta name="published-time" content="2026-03-09T08:45:32Z">'
     '<meta name="published-date" content="2021-02-16">', None),  # they disagree: neither
])
def test_other_meta_names_of_the_publication_date(head: str, expected: str | None) -> None:
    page = (f"<html lang='en'><head><title>Report out</title>{head}</head><body><article><p>"
            + "The report was published after a long review by the committee. " * 6
            + "</p></article></body></html>")
    assert extract(page).published == expected


def test_dateline_under_a_title_shown_outside_any_heading() -> None:
    page = ("<html lang='en'><head><title>Scaling tests with contracts | Blog</title></head><body>"
            "<h1><p>Scaling tests with contracts</p></h1><p>Dec 17, 2025</p><p>"
            + "Mocks are not the enemy; bad tests are, and here is why we think so. " * 6
            + "</p><footer><p>Dec 1, 2024</p></footer></body></html>")
    assert extract(page).published == "2025-12-17"


def test_plain_english_does_not_settle_a_numeric_date() -> None:
    body = '<p class="meta">03/10/2023</p>'
    assert extract(_page(body=body, lang="en")).published is None
    assert extract(_page(body=body, lang="en-US")).published == "2023-03-10"
    assert extract(_page(body=body, lang="en-GB")).published == "2023-10-03"


def test_dateline_showing_both_dates_takes_the_declared_publication_one() -> None:
    head = ('<meta property="article:published_time" content="2025-04-24T16:12:49+00:00">'
            '<meta property="article:modified_time" content="2025-05-21T14:06:47+00:00">')
    body = "<p><span>May 21, 2025</span> <span>April 24, 2025</span> by The Editors</p>"
    assert extract(_page(head, body)).published == "2025-04-24T16:12:49+00:00"


def test_a_shown_date_classed_as_the_update_gives_way_to_the_declared_one() -> None:
    meta = '<meta property="article:published_time" content="2020-03-10T15:30:00+00:00">'
    body = ('<div class="entry-meta">By Ann Lee <span class="updated-on">'
            '<time datetime="2025-02-12T13:28:34+05:30">12th February 2025</time></span></div>')
    article = extract(_page(meta, body))
    assert article.published == "2020-03-10T15:30:00+00:00"
    assert article.modified == "2025-02-12T13:28:34+05:30"


def test_label_before_the_headline_is_seen_across_blank_text() -> None:
    meta = '<meta property="article:published_time" content="2023-10-02T14:21:11+00:00">'
    page = ("<html lang='en'><head><title>What is a mobile app?</title>" + meta + "</head><body>"
            "<header><p>Last Updated:</p>\n  \n  <p>December 6, 2024</p>\n  \n  <ul>\n"
            "<li>Types</li>\n  <li>Pros and cons</li>\n</ul></header>\n  <article>"
            "<h1>What is a mobile app?</h1><p>"
            + "A mobile app is a program made for phones and tablets, sold in app stores. " * 6
            + "</p></article></body></html>")
    assert extract(page).published == "2023-10-02T14:21:11+00:00"


def test_dated_teasers_before_the_headline_are_no_dateline() -> None:
    meta = '<meta property="article:published_time" content="2017-03-01T12:00:00+00:00">'
    page = ("<html lang='en'><head><title>Consulting or a carrier?</title>" + meta
            + "</head><body><nav><ul>"
            "<li><a href='/a'>Board appointments</a> <span>12/17/2025</span></li>"
            "<li><a href='/b'>Become a pre-tester</a> <span>12/16/2025</span></li></ul></nav>"
            "<article><h1>Consulting or a carrier?</h1><p>"
            + "A common question asked by candidates searching for their first job is this. " * 6
            + "</p></article></body></html>")
    assert extract(page).published == "2017-03-01T12:00:00+00:00"


def test_a_span_of_days_is_an_event_not_a_dateline() -> None:
    page = ("<html lang='en'><head><title>Tech conferences</title></head><body>"
            "<p>OCTOBER 13, 2025</p><h1>Tech conferences</h1><p>"
            + "Technology continues to redefine industries, economies and the way we work. " * 6
            + "</p><h2>Summit</h2><p>Dates</p><p>: 16-19 March 2026</p></body></html>")
    assert extract(page).published == "2025-10-13"


def test_video_upload_date() -> None:
    head = ('<script type="application/ld+json">{"@context": "https://schema.org", '
            '"@type": "VideoObject", "name": "Report out", '
            '"uploadDate": "2024-02-05T08:00:00+01:00"}</script>')
    assert extract(_page(head)).published == "2024-02-05T08:00:00+01:00"


def test_originally_published_in_words_is_the_publication_date() -> None:
    body = ("<p class='byline'>By Ann Lee · Updated September 30, 2022</p><p class='note'>This "
            "article was originally published on \n 26 Sep 2019 at 4:12pm \n but has been "
            "regularly updated to keep it current.</p>")
    assert extract(_page(body=body)).published == "2019-09-26T16:12"
    element = ("<p>Updated November 11, 2022</p><p>Originally published "
               "<time datetime='2022-11-09T11:01'>November 9, 2022</time></p>")
    assert extract(_page(body=element)).published == "2022-11-09T11:01"


def test_originally_published_needs_the_date_right_after_the_label() -> None:
    meta = '<meta property="article:published_time" content="2022-03-08T09:00:00+00:00">'
    body = "<p>Originally published in March 2022. Last updated on December 20, 2024.</p>"
    assert extract(_page(meta, body)).published == "2022-03-08T09:00:00+00:00"


def test_json_ld_published_equal_to_modified_gives_way_to_a_marked_publication_date() -> None:
    head = ('<script type="application/ld+json">{"@context": "https://schema.org", '
            '"@type": "Article", "datePublished": "2025-11-29T12:28:31-05:00", '
            '"dateModified": "2025-11-29T12:28:31-05:00"}</script>')
    marked = ('<div class="meta">Published <time pubdate datetime="2025-08-13">August 13, 2025'
              "</time></div>")
    text = "<p>Free tools help small businesses keep their books in order.</p>" * 90  # far down
    page = ("<html lang='en'><head><title>Free tools</title>" + head + "</head><body><article>"
            "<h1>Free tools</h1>" + text + marked + "</article></body></html>")
    assert extract(page).published == "2025-08-13"
    assert extract(page.replace(marked, "")).published == "2025-11-29T12:28:31-05:00"


def _sidebar_page(sidebar: str) -> str:
    menu = "".join(f"<li><a href='/{n}'>Section {n}</a></li>" for n in range(8))
    text = "<p>" + "Wine comes in many styles, from light whites to rich reds. " * 6 + "</p>"
    return ("<html lang='en'><head><title>Wine styles</title></head><body><aside>" + sidebar
            + "</aside><nav><ul>" + menu + "</ul></nav><article><h1>Wine styles</h1>" + text
            + "</article></body></html>")


def test_a_list_of_dated_posts_is_no_dateline() -> None:
    posts = "".join(f"<li><a href='/p{day}'>Post {day}</a> <span class='post_date'>"
                    f"- {day} October 2023</span></li>" for day in (13, 9, 5, 3))
    assert extract(_sidebar_page(f"<ul>{posts}</ul>")).published is None
    single = "<div class='post-date'><span class='date'>3 October 2023</span></div>"
    assert extract(_sidebar_page(single)).published == "2023-10-03"


def test_a_shown_date_read_the_other_way_round_agrees_with_the_declared_one() -> None:
    """An American theme writing "09.10.2024" for 10 September: the declared date settles it."""
    head = ('<script type="application/ld+json">{"@type": "BlogPosting", '
            '"datePublished": "2024-09-10T16:07:00+00:00"}</script>')
    body = '<div class="blog-post__meta"><p class="post-date">09.10.2024</p></div>'
    assert extract(_page(head, body)).published == "2024-09-10T16:07:00+00:00"


def test_a_date_in_an_embedded_post_is_not_the_dateline() -> None:
    """A tweet embedded high in the article carries its own date; the page's is in the meta."""
    head = '<meta property="article:published_time" content="2022-02-04T15:29:27+01:00">'
    tweet = ('<blockquote class="twitter-tweet"><p lang="de" dir="ltr">Mieten runter!</p>'
             '&mdash; SPÖ (@spoe_at) <a href="https://twitter.com/spoe_at/status/1">'
             'Monday, February 7, 2022</a></blockquote>')
    article = extract(_page(head, f"<div class='entry-content'>{tweet}</div>", lang="de"))
    assert article.published == "2022-02-04T15:29:27+01:00"


def test_dates_of_teasers_around_the_headline_are_not_its_dateline() -> None:
    teasers = "".join(
        f'<article class="default-teaser"><a href="/story-{day}"><h3>Story {day}</h3></a>'
        f'<footer class="default-teaser__footer"><span class="default-teaser__date">'
        f'{day}. Februar 2020</span></footer></article>' for day in (26, 27))
    html = ("<html lang='de'><head><title>Achtsam durch die Krise</title></head><body>"
            f"<div class='swiper'>{teasers}</div><article><header><h1>Achtsam durch die Krise</h1>"
            "</header><p>" + "Ein langer Absatz über Achtsamkeit in der Krise. " * 8 + "</p>"
            "</article></body></html>")
    assert extract(html).published is None


def test_a_bem_element_named_sidebar_belongs_to_its_block() -> None:
    """``podcast-description__sidebar`` is part of the description, not a site sidebar."""
    body = ('<div class="podcast-description__sidebar"><ul class="podcast-description__credits">'
            '<li><p class="label">Mise en ligne</p><p class="content">23 mai 2019</p></li></ul></div>')
    assert extract(_page(body=body, lang="fr")).published == "2019-05-23"


def _blog_page(content: str, lang: str = "de") -> str:
    """A blog post whose headline shows no date: its dateline, if any, is in ``content``."""
    text = "<p>" + "Ein Absatz über das Video, das wir heute gesehen haben und empfehlen. " * 6
    return (f"<html lang='{lang}'><head><title>Ein schönes Video : Krimiblog</title></head><body>"
            "<div id='header'><div class='blogname'>Krimiblog</div></div><div id='content'>"
            f"<div class='post'><div class='entry'>{text}</p></div>{content}</div></div>"
            "</body></html>")


def test_a_camel_case_dateline_far_below_the_headline() -> None:
    meta = ('<div class="postMeta"><div class="postDate"><span>Veröffentlicht am:</span> '
            '<abbr class="published" title="06-08-2009T14:12:32+0200">'
            '<a href="/?m=20090806">6. August 2009</a></abbr></div>'
            '<div class="categories"><span>Kategorie:</span> <a href="/?cat=3">Alltag</a></div>'
            '</div>')
    assert extract(_blog_page(meta)).published == "2009-08-06"


def test_a_german_compound_dateline_class() -> None:
    entry = ('<div class="newsentry"><p class="newsdatum">[<a href="/sh/2014/07/19/lpt/">'
             'Samstag, 19. Juli 2014</a>]</p></div>')
    assert extract(_blog_page(entry)).published == "2014-07-19"


def test_dates_in_comments_are_not_the_articles() -> None:
    comments = ('<ol class="commentlist"><li class="comment"><div class="comment-meta">'
                '<span class="comment-date">15. Dezember 2015 um 11:21</span></div>'
                '<p>Danke!</p><span class="member-since">Mitglied seit 3. März 2011</span>'
                '</li></ol>')
    assert extract(_blog_page(comments)).published is None


def test_a_dateline_shown_in_utc_defers_to_the_declared_local_moment() -> None:
    """01:59 at +02:00 on the 25th is the 24th in UTC, the day the theme prints."""
    head = ('<script type="application/ld+json">{"@type": "NewsArticle", '
            '"datePublished": "2020-12-25T01:59:50+02:00"}</script>')
    body = '<div class="jeg_meta_date"><a href="/x/">24 ديسمبر 2020</a></div>'
    assert extract(_page(head, body, lang="ar")).published == "2020-12-25T01:59:50+02:00"


def test_a_date_after_the_last_change_is_an_event_not_the_dateline() -> None:
    head = ('<meta property="article:published_time" content="2019-11-27T15:21:21+01:00">'
            '<meta property="article:modified_time" content="2019-11-27T15:30:55+01:00">')
    body = ('<p>Unsere nächsten Whisky-Tastings in Halle:</p>'
            '<p><span><strong>Termin: 21.02.2020, 19 Uhr</strong></span></p>')
    assert extract(_page(head, body, lang="de")).published == "2019-11-27T15:21:21+01:00"


def test_a_dateline_ending_with_a_full_stop_is_still_a_dateline() -> None:
    head = '<meta name="date" content="2023-11-01T13:56:20+01:00">'
    body = ('<div class="intro"><p class="text_titel">Im Schlepptau</p><p>'
            '<span class="text_datum">31. Oktober 2023.</span> Dragqueens sind Kunstfiguren.</p>'
            '</div>')
    assert extract(_page(head, body, lang="de")).published == "2023-10-31"


def test_json_ld_dates_nested_in_main_entity_of_page() -> None:
    head = ('<script type="application/ld+json">{"@context": "http://schema.org", '
            '"@type": "NewsArticle", "mainEntityOfPage": {"@type": "WebPage", '
            '"@id": "https://example.ba/604722/x", "headline": "Report out", '
            '"datePublished": "2020-10-26T18:10:00+01:00", '
            '"dateModified": "2020-10-26T18:13:30+01:00"}}</script>')
    article = extract(_page(head, lang="bs"))
    assert article.published == "2020-10-26T18:10:00+01:00"
    assert article.modified == "2020-10-26T18:13:30+01:00"


def test_a_publication_label_with_the_date_in_the_next_element() -> None:
    meta = ('<div class="infos">Label: House of Clio<br>Veröffentlichung:   '
            '<a href="/music/">04.02.2022</a><br>Genre: Pop</div>')
    assert extract(_blog_page(meta)).published == "2022-02-04"


def test_posted_on_the_day_in_a_footer() -> None:
    footer = ("<div style='text-align:center'>Posted on the 15/12/2025 at 19:00 by "
              "<a href='https://example.com/u'>@gomez</a></div>")
    assert extract(_blog_page(footer)).published == "2025-12-15T19:00"


def test_a_post_footer_sentence_naming_the_day() -> None:
    footer = ('<div class="post-footer">Dieser Artikel wurde am 14. Dezember 2015 um 14:48 von '
              '<a href="/author/admin/">Heiner</a> geschrieben und unter dem Stichwort '
              '<a href="/tag/arduino/">Arduino</a> veröffentlicht.</div>')
    assert extract(_blog_page(footer)).published == "2015-12-14T14:48"


def test_publication_labels_in_scripts_and_comments_are_not_read() -> None:
    content = ('<script>/* Werkstatt 728x90, Erstellt 02.06.2010 */</script>'
               '<div id="comments"><div class="comment-body">Gepostet am 3. Januar 2016'
               '<p>Toller Artikel!</p></div></div>')
    assert extract(_blog_page(content)).published is None
