"""Routes of ``tests.misbehaving_server`` for the hostile-web tests of issue 13 (part B): real
articles, pages that claim another site's URL as their canonical, a sitemap index that lists
itself under a new query each time, a page announcing thousands of feeds, absurd counters.

    /story/<key>           an article titled after ``<key>`` (``story_title(key)``)
    /claim/<key>?canonical=<url>[&copy=<story>]   an article with another headline whose
                           rel=canonical is <url>; with ``copy``, the text of /story/<story>
    /counters/<key>        an article showing a 30-digit view and comment count in every form
    /sitemap-loop.xml?n=<n>        a sitemap index listing /sitemap-loop.xml?n=<n+1> and
                           /sitemap-pages.xml?n=<n> (a urlset of one story)
    /feed-flood/<n>        an article announcing <n> feeds /flood-feed/<i> (each an RSS feed
                           listing one story)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

if TYPE_CHECKING:  # the server imports this module: no import back at run time
    from tests.misbehaving_server import MisbehavingServer, _Handler

Route = Callable[["_Handler", "MisbehavingServer", int], None]

HUGE_COUNT = "123456789012345678901234567890"
_STORY_TEXT = ("The council met on Tuesday evening to debate the new budget, and after four hours "
               "of discussion the members agreed on a compromise that funds the libraries. ")


def story_title(key: str) -> str:
    """The headline of ``/story/<key>``."""
    return f"Story {key}: council agrees budget"


def article_html(title: str, *, head: str = "", body: str = "", text: str = _STORY_TEXT,
                 lead: str | None = None) -> bytes:
    """A page the extractor reads as an article: a headline and six paragraphs (each opening
    with ``lead``, by default the headline)."""
    paragraphs = "".join(f"<p>{lead or title}: {text * 2} Point {n}.</p>" for n in range(6))
    return (f"<!doctype html><html lang='en'><head><title>{title}</title>"
            f"<meta property='og:type' content='article'>{head}</head><body><article>"
            f"<h1>{title}</h1>{paragraphs}{body}</article></body></html>").encode()


def _story(handler: _Handler, owner: MisbehavingServer, seen: int) -> None:
    key = urlsplit(handler.path).path.rsplit("/", 1)[1]
    handler._send(200, article_html(story_title(key)))


def _claim(handler: _Handler, owner: MisbehavingServer, seen: int) -> None:
    query = parse_qs(urlsplit(handler.path).query)
    head = f"<link rel='canonical' href='{query['canonical'][0]}'>"
    if "copy" in query:  # the victim's own text under a planted headline
        copied = story_title(query["copy"][0])
        handler._send(200, article_html("Fake headline planted by another site", head=head,
                                        lead=copied))
    else:
        handler._send(200, article_html("Fake headline planted by another site", head=head,
                                        text="A different text about something else entirely. "))


def _counters(handler: _Handler, owner: MisbehavingServer, seen: int) -> None:
    n = HUGE_COUNT
    ld = ('{"@context":"https://schema.org","@type":"NewsArticle","headline":"Counted",'
          f'"commentCount":{n},"interactionStatistic":[{{"@type":"InteractionCounter",'
          '"interactionType":"https://schema.org/WatchAction",'
          f'"userInteractionCount":{n}}},{{"@type":"InteractionCounter","interactionType":'
          f'"https://schema.org/CommentAction","userInteractionCount":{n}}}]}}')
    head = (f"<script type='application/ld+json'>{ld}</script>"
            f"<meta itemprop='commentCount' content='{n}'>"
            f"<meta property='article:view_count' content='{n}'>")
    body = (f"<span class='views'>{n} views</span>"
            f"<a href='#comments' class='comment-count'>{n} Comments</a>")
    handler._send(200, article_html("Counted", head=head, body=body))


def _sitemap_loop(handler: _Handler, owner: MisbehavingServer, seen: int) -> None:
    n = int(parse_qs(urlsplit(handler.path).query).get("n", ["0"])[0])
    xml = ("<?xml version='1.0'?><sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
           f"<sitemap><loc>{owner.base}/sitemap-loop.xml?n={n + 1}</loc></sitemap>"
           f"<sitemap><loc>{owner.base}/sitemap-pages.xml?n={n}</loc></sitemap></sitemapindex>")
    handler._send(200, xml.encode(), "application/xml")


def _sitemap_pages(handler: _Handler, owner: MisbehavingServer, seen: int) -> None:
    n = int(parse_qs(urlsplit(handler.path).query).get("n", ["0"])[0])
    xml = ("<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
           f"<url><loc>{owner.base}/story/sitemap-{n}</loc></url></urlset>")
    handler._send(200, xml.encode(), "application/xml")


def _feed_flood(handler: _Handler, owner: MisbehavingServer, seen: int) -> None:
    count = int(urlsplit(handler.path).path.rsplit("/", 1)[1])
    links = "".join(f"<link rel='alternate' type='application/rss+xml' href='/flood-feed/{i}'>"
                    for i in range(count))
    handler._send(200, article_html("Flooded with feeds", head=links))


def _flood_feed(handler: _Handler, owner: MisbehavingServer, seen: int) -> None:
    i = urlsplit(handler.path).path.rsplit("/", 1)[1]
    rss = (f"<?xml version='1.0'?><rss version='2.0'><channel><title>feed {i}</title><item>"
           f"<link>{owner.base}/story/feed-{i}</link></item></channel></rss>")
    handler._send(200, rss.encode(), "application/rss+xml")


HOSTILE_WEB_ROUTES: tuple[tuple[str, Route], ...] = (
    ("/story/", _story), ("/claim/", _claim), ("/counters/", _counters),
    ("/sitemap-loop.xml", _sitemap_loop), ("/sitemap-pages.xml", _sitemap_pages),
    ("/feed-flood/", _feed_flood), ("/flood-feed/", _flood_feed),
)
