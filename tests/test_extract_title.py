"""The headline: which heading shows the article's title when a theme shows several."""

from __future__ import annotations

from scraper import extract

TEXT = "".join(
    f"<p>Paragraph {n} of the post tells, in some detail, how the trip went, what it cost and "
    f"what the author would do differently on the next one.</p>" for n in range(5))


def test_a_blog_name_h1_does_not_beat_the_posts_h3() -> None:
    """Blogger and goo-style themes: the blog's name in the one h1, the post title in an h3."""
    html = ("<html lang='de'><head><title>Das vermutlich schönste Video der Welt : Krimiblog | "
            "Ermittlungen zum Verfall eines Genres</title></head><body>"
            "<div id='header'><h1><a href='/'>Krimiblog</a></h1></div><div class='post'>"
            "<h3 class='post-title'><a href='/?p=2895'>Das vermutlich schönste Video der Welt</a>"
            f"</h3><div class='entry'>{TEXT}</div></div></body></html>")
    assert extract(html, "https://krimiblog.example/?p=2895").title == \
        "Das vermutlich schönste Video der Welt"


def test_an_h1_reading_the_site_name_is_not_the_headline() -> None:
    html = ("<html><head><title>Envoy says talks resume</title>"
            "<meta property='og:site_name' content='News.az'>"
            "<meta property='og:title' content='News.az'></head><body>"
            "<header><h1 class='logo'>News.az</h1></header><main><article>"
            f"<h1>Envoy says talks resume</h1>{TEXT}</article></main></body></html>")
    assert extract(html).title == "Envoy says talks resume"


def test_the_heading_showing_the_declared_headline_beats_one_inside_the_title() -> None:
    """"Guide to insurance - Budget Travel" declared; the blog name's h1 comes first."""
    html = ("<html><head><title>Guide To Travel Insurance - Budget Travel With Gabby</title>"
            '<script type="application/ld+json">{"@type": "BlogPosting", '
            '"headline": "Guide To Travel Insurance"}</script></head><body>'
            "<header><h1>Budget Travel With Gabby</h1></header><article>"
            f"<h1>Guide To Travel Insurance</h1>{TEXT}</article></body></html>")
    assert extract(html).title == "Guide To Travel Insurance"


def test_a_teaser_heading_linking_elsewhere_is_not_the_headline() -> None:
    """A related-post card repeats the og:title of a syndicated copy; the page's own h1 is the
    shown headline."""
    html = ("<html><head><title>Plant closes | The Courier</title>"
            "<meta property='og:title' content='Plant to close in June'></head><body><article>"
            f"<h1>Plant closes after sixty years</h1>{TEXT}</article><aside>"
            "<h3><a href='https://courier.example/2024/plant-to-close'>Plant to close in June</a>"
            "</h3></aside></body></html>")
    assert extract(html, "https://courier.example/2024/plant-closes").title == \
        "Plant closes after sixty years"


def test_a_time_inside_the_headline_is_not_part_of_the_title() -> None:
    """Pelican-style themes put the post's <time> inside its <h1>."""
    html = ("<html lang='en'><head><title>Preparing a transition | Colin's blog</title>"
            "<meta property='og:title' content='Preparing a transition'></head><body>"
            "<article><header><h1><a href='/blog/transition.html' rel='bookmark'>"
            "<time class='m-date' datetime='2025-12-18T00:00:00+00:00'>Dec 18 2025</time> "
            f"Preparing a transition</a></h1></header>{TEXT}</article></body></html>")
    article = extract(html, "https://example.org/blog/transition.html")
    assert article.title == "Preparing a transition"
    assert article.published is not None and article.published.startswith("2025-12-18")


def test_a_headline_that_is_only_a_time_keeps_its_text() -> None:
    html = ("<html lang='en'><head><title>Daily notes</title></head><body><article>"
            f"<h1><time datetime='2025-12-18'>18 December 2025</time></h1>{TEXT}</article>"
            "</body></html>")
    assert extract(html).title == "18 December 2025"


def test_a_line_break_in_the_headline_reads_as_a_space() -> None:
    html = ("<html lang='en'><head><title>MBA rankings</title></head><body><article>"
            "<h1 class='wp-block-heading'>Top MBA Programs of 2025 (US)<br>Your Guide to the "
            f"Best Business Schools</h1>{TEXT}</article></body></html>")
    assert extract(html).title == \
        "Top MBA Programs of 2025 (US) Your Guide to the Best Business Schools"
