"""What a crawl follows: URL shapes, include/exclude patterns per site, depth, priorities."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from scraper.config import CrawlConfig, SiteRules
from scraper.crawl.scope import CrawlScope, UrlPatterns
from scraper.extract.url_kind import UrlKind, url_kind

ARTICLE, LISTING, UNKNOWN = UrlKind.ARTICLE, UrlKind.LISTING, UrlKind.UNKNOWN


@pytest.mark.parametrize(("path", "kind"), [
    ("/", LISTING),
    ("/index.html", LISTING),
    ("/news/index.php", LISTING),
    ("/?p=123", ARTICLE),
    ("/section/world/", LISTING),
    ("/section/world/page/2/", LISTING),
    ("/world/page-3", LISTING),
    ("/news?page=3", LISTING),
    ("/tag/a-very-long-tag-name-here/", LISTING),
    ("/author/jane-doe/", LISTING),
    ("/search/?q=flood", LISTING),
    ("/chuyen-muc/the-thao/", LISTING),
    ("/rubrique/monde/", LISTING),
    ("/archives/123", ARTICLE),  # WordPress numeric permalinks
    ("/archives/date/2024", LISTING),
    ("/2024/05/", LISTING),
    ("/world/2024/", LISTING),
    ("/archive/2024-05-13/", LISTING),
    ("/world/2024/05/slug/", ARTICLE),
    ("/2024/may/13/world/story", ARTICLE),
    ("/news/20240513/story", ARTICLE),
    ("/news/201905", ARTICLE),  # a number ending the path: an id, not a month archive
    ("/world/volcano.html", ARTICLE),
    ("/news/123456", ARTICLE),
    ("/thoi-su/nguoi-dan-don-tet-som-20240201093000123.htm", ARTICLE),
    ("/news/brexit-deal-agreed-after-talks", ARTICLE),
    ("/topics/climate/why-glaciers-melt-faster-now", ARTICLE),
    ("/print/some-long-article-slug/", ARTICLE),
    ("/world/", UNKNOWN),  # usually a section, but a one-word post slug looks the same
    ("/about/", UNKNOWN),
    ("/news/brexit-deal-agreed", UNKNOWN),
    ("/feed.xml", UNKNOWN),
])
def test_url_kind(path: str, kind: UrlKind) -> None:
    assert url_kind("https://news.example" + path) is kind


def test_url_kind_counts_the_words_of_percent_encoded_slugs() -> None:
    two_words = "/tin/%C4%91%C6%B0%E1%BB%9Dng-s%E1%BA%AFt"  # đường-sắt
    five_words = two_words + "-cao-t%E1%BB%91c-b%E1%BA%AFc"  # đường-sắt-cao-tốc-bắc
    assert url_kind("https://tin.example" + two_words) is UNKNOWN
    assert url_kind("https://tin.example" + five_words) is ARTICLE


def test_global_patterns() -> None:
    patterns = UrlPatterns(include=[r"/news/"], exclude=[r"/news/video/"])
    assert patterns.allows("https://a.example/news/1")
    assert not patterns.allows("https://a.example/sport/1")
    assert not patterns.allows("https://a.example/news/video/1")


def test_site_rules_replace_the_global_include_and_add_excludes() -> None:
    patterns = UrlPatterns(
        include=[r"/news/"], exclude=[r"/login"],
        sites=[SiteRules("b.example", include=(r"/artikel/",), exclude=(r"/artikel/anzeige",)),
               SiteRules("live.b.example", exclude=(r"/ticker",))])
    assert patterns.allows("https://a.example/news/1")
    assert not patterns.allows("https://a.example/artikel/1")  # not b.example's rules
    assert patterns.allows("https://www.b.example/artikel/1")
    assert patterns.allows("https://sub.b.example/artikel/1")  # subdomains are covered
    assert not patterns.allows("https://b.example/news/1")
    assert not patterns.allows("https://b.example/artikel/anzeige-1")
    assert not patterns.allows("https://b.example/artikel/login")  # global excludes still apply
    # the most specific site wins: live.b.example has no include, so the global one applies
    assert patterns.allows("https://live.b.example/news/1")
    assert not patterns.allows("https://live.b.example/artikel/1")
    assert not patterns.allows("https://live.b.example/news/ticker")


def scope(**changes: object) -> CrawlScope:
    config = CrawlConfig(**changes)  # type: ignore[arg-type]
    return CrawlScope(config, ["https://news.example/"],
                      now=datetime(2024, 5, 14, 12, 0, tzinfo=UTC))


def test_admit_gives_the_canonical_key_on_site_only() -> None:
    crawl = scope(exclude=(r"/video/",))
    assert crawl.admit("https://www.news.example/a?utm_source=x#top", 1) == \
        "https://www.news.example/a"
    assert crawl.admit("https://other.example/a", 1) is None
    assert crawl.admit("https://news.example/video/a", 1) is None
    assert crawl.admit("https://news.example/photo.jpg", 1) is None
    assert scope(same_site=False).admit("https://other.example/a", 1) == "https://other.example/a"


def test_depth_limit_lets_articles_of_the_last_listing_through_as_leaves() -> None:
    crawl = scope(max_depth=2)
    article = "https://news.example/world/2024/05/flood-waters-recede/"
    unknown = "https://news.example/world/"
    assert crawl.admit(unknown, 2) is not None
    assert crawl.admit(unknown, 3, from_listing=True) is None
    assert crawl.admit(article, 3) is None  # linked from an article: not a leaf of a listing
    assert crawl.admit(article, 3, from_listing=True) == article
    assert crawl.admit(article, 4, from_listing=True) is None


def test_sources_are_admitted_off_site_and_past_the_depth_limit() -> None:
    crawl = scope(max_depth=0, include=(r"/news/",))
    home = "https://news.example/"
    assert crawl.admit_source("https://feeds.example/site?format=rss", found_on=home,
                              feed=True) == "https://feeds.example/site?format=rss"
    assert crawl.admit_source("ftp://news.example/feed", found_on=home, feed=True) is None


def test_sources_are_bounded_per_announcing_site_and_sitemap_level() -> None:
    crawl = scope(max_feeds_per_site=2, max_sitemaps_per_site=3, sitemap_max_depth=1)
    page = "https://news.example/world/"
    feeds = [crawl.admit_source(f"https://feeds{n}.example/rss", found_on=page, feed=True)
             for n in range(4)]
    assert feeds[:2] == ["https://feeds0.example/rss", "https://feeds1.example/rss"]
    assert feeds[2:] == [None, None]  # charged to news.example, whatever host they are on
    again = crawl.admit_source("https://feeds0.example/rss", found_on=page, feed=True)
    assert again == "https://feeds0.example/rss"  # announced again: no second charge
    assert crawl.admit_source("https://other.example/rss", found_on="https://other.example/",
                              feed=True) is not None
    index = "https://news.example/sitemap.xml"
    assert crawl.admit_source(index + "?n=2", found_on=index, feed=False, level=2) is None
    sitemaps = [crawl.admit_source(f"{index}?n={n}", found_on=index, feed=False, level=1)
                for n in range(4)]
    assert sitemaps.count(None) == 1


def test_priorities_put_listings_before_articles() -> None:
    crawl = scope()
    article = crawl.priority("https://news.example/world/2024/05/flood-waters-recede/")
    unknown = crawl.priority("https://news.example/world/")
    listing = crawl.priority("https://news.example/tag/floods/")
    assert listing < article == unknown


def test_sitemap_window_counts_back_from_the_given_now() -> None:
    assert scope().sitemap_since is None
    assert scope(sitemap_max_age_days=2).sitemap_since == datetime(2024, 5, 12, 12, 0, tzinfo=UTC)


def test_switches_come_from_the_config() -> None:
    crawl = scope(follow_links=False, follow_nofollow=True, use_feeds=False, use_sitemaps=False)
    assert (crawl.follow_links, crawl.follow_nofollow) == (False, True)
    assert (crawl.use_feeds, crawl.use_sitemaps) == (False, False)
