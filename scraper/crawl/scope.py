"""Which discovered URLs a crawl follows, and in what order.

``CrawlScope`` is built once per crawl from the ``crawl`` config section and the seeds.  It
holds the crawl's policy: same site, include/exclude patterns (global and per site), the depth
limit, which discovery sources are on, the sitemap date window, and queue priorities.

Depth: a link found on a page at depth *d* is at depth *d + 1*; sitemap and feed entries are at
depth 1.  A URL deeper than ``max_depth`` is not fetched, with one exception: an article URL
(by its shape, see ``scraper.extract.url_kind``) found on a listing one hop past the limit is
still fetched as a leaf, so the last listings' articles are archived; nothing it links to is
followed.

Order (``priority``, lower first; the frontier then takes shallower, then older requests):
sitemaps and feeds first, because they list many articles for one request; then listings
(home, sections, pagination, tags), because each one reveals more pages: read as soon as they
are found, they keep the queue of articles full, where a listing left for last stalls the whole
crawl on it (measured with ``benchmarks/crawl.py``: 18 s against 13 s for 2,000 articles); then
articles and URLs of unknown shape together, breadth first.  The depth limit bounds how many
listings come first.  A URL keeps the depth it was first found at, so a listing first reached
through an article's links may count one hop deeper than through the listing that also links it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from scraper.config import CrawlConfig, SiteRules
from scraper.extract.url_kind import UrlKind, url_kind
from scraper.urls import canonical_url, looks_like_page, same_site, site_of

log = logging.getLogger(__name__)
PRIORITY_BY_KIND = {UrlKind.ARTICLE: 1, UrlKind.UNKNOWN: 1, UrlKind.LISTING: 0}
MEMO_SIZE = 50_000  # URLs whose scope verdict is remembered (a few MB at most)
_T = TypeVar("_T")


class UrlPatterns:
    """Include/exclude regular expressions, global and per site.

    A URL (its canonical form) must match none of the global excludes and none of its site's,
    and, when include patterns apply, one of them.  A site's own include list replaces the global
    one for that site.  The most specific site entry applies (``news.example.com`` before
    ``example.com``); a site entry covers its subdomains.
    """

    def __init__(self, include: Iterable[str], exclude: Iterable[str],
                 sites: Iterable[SiteRules] = ()) -> None:
        self._include = _compiled(include)
        self._exclude = _compiled(exclude)
        self._sites = {rules.site: (_compiled(rules.include), _compiled(rules.exclude))
                       for rules in sites}

    def allows(self, url: str) -> bool:
        include, exclude = self._include, self._exclude
        site_rules = self._site_rules(site_of(url))
        if site_rules is not None:
            include = site_rules[0] or include
            exclude = exclude + site_rules[1]
        if include and not any(pattern.search(url) for pattern in include):
            return False
        return not any(pattern.search(url) for pattern in exclude)

    def _site_rules(self, host: str) -> tuple[tuple[re.Pattern[str], ...],
                                              tuple[re.Pattern[str], ...]] | None:
        while host:
            if host in self._sites:
                return self._sites[host]
            host = host.partition(".")[2]
        return None


class CrawlScope:
    """Built once per crawl; ``admit`` is called for each discovered URL.

    ``now`` anchors the sitemap date window; the crawl passes its start time (tests pass a fixed
    one).  Without it, the clock is read once, here.
    """

    def __init__(self, config: CrawlConfig, seeds: Iterable[str], *,
                 now: datetime | None = None) -> None:
        self.max_depth = config.max_depth
        self.same_site = config.same_site
        self.follow_links = config.follow_links
        self.follow_nofollow = config.follow_nofollow
        self.use_feeds = config.use_feeds
        self.use_sitemaps = config.use_sitemaps
        self.sites = frozenset(site_of(seed) for seed in seeds)
        self.patterns = UrlPatterns(config.include, config.exclude, config.sites)
        self.sitemap_since: datetime | None = None
        self.sources = SourceBudget(config)
        self._page_keys: dict[str, str | None] = {}
        self._kinds: dict[str, UrlKind] = {}
        if config.sitemap_max_age_days:
            start = now if now is not None else datetime.now(UTC)
            self.sitemap_since = start - timedelta(days=config.sitemap_max_age_days)

    def admit(self, url: str, depth: int, *, from_listing: bool = False) -> str | None:
        """The canonical key of page ``url`` if the crawl should fetch it at ``depth``, else
        None.  ``from_listing``: it was found on a listing, sitemap or feed (see the module
        docstring for the leaf exception to the depth limit)."""
        key = self._page_key(url)
        if key is None:
            return None
        if depth > self.max_depth and not (
                from_listing and depth == self.max_depth + 1 and self._kind(key) is UrlKind.ARTICLE):
            return None
        return key

    def covers(self, url: str) -> str | None:
        """The canonical key of ``url`` if it is a page on the crawl's sites and patterns
        (whatever the depth), else None: where a redirect may take a page the crawl stores."""
        return self._page_key(url)

    def admit_source(self, url: str, *, found_on: str, feed: bool,
                     level: int = 0) -> str | None:
        """The canonical key of a sitemap or feed URL, else None.  Sources are not pages: the
        depth limit, the URL patterns (written for pages) and the same-site rule do not apply
        (a site's feed may live on a feed service, its sitemaps on a CDN); each URL they list is
        admitted as a page.  They are bounded instead (``SourceBudget``): ``found_on`` is the
        URL that announced it, ``level`` a sitemap's nesting below the robots.txt ones."""
        key = canonical_url(url)
        if key is None or not self.sources.admit(key, found_on, feed=feed, level=level):
            return None
        return key

    def priority(self, key: str) -> int:
        """Queue priority of a page URL (lower is sooner; see the module docstring)."""
        return PRIORITY_BY_KIND[self._kind(key)]

    def _page_key(self, url: str) -> str | None:
        """The canonical key of an in-scope page URL (whatever the depth), else None; memoised,
        since a site's pages link the same navigation, sections and stories over and over."""
        if url in self._page_keys:
            return self._page_keys[url]
        key = self._on_site(url)
        if key is not None and not (looks_like_page(key) and self.patterns.allows(key)):
            key = None
        _remember(self._page_keys, url, key)
        return key

    def _kind(self, key: str) -> UrlKind:
        kind = self._kinds.get(key)
        if kind is None:
            kind = url_kind(key)
            _remember(self._kinds, key, kind)
        return kind

    def _on_site(self, url: str) -> str | None:
        key = canonical_url(url)
        if key is None or (self.same_site and not same_site(key, self.sites)):
            return None
        return key


class SourceBudget:
    """How many sitemaps and feeds one crawl run queues, so that no site can make it read
    sources forever (a sitemap index listing itself under a new query each time, a page
    announcing 100,000 feeds).

    Each site (``site_of`` the URL that announced a source: a page, robots.txt's seed, or the
    sitemap that lists it) may have ``max_sitemaps_per_site`` distinct sitemaps and
    ``max_feeds_per_site`` distinct feeds queued; a sitemap more than ``sitemap_max_depth``
    index levels below the robots.txt ones is not queued at all.  Charging the announcing site
    (not the source's own host) bounds a page that names sources on endless other hosts.  The
    counts live in memory: a resumed run starts them afresh, and ``max_pages`` still counts
    every request.
    """

    def __init__(self, config: CrawlConfig) -> None:
        self.max_sitemaps = config.max_sitemaps_per_site
        self.max_feeds = config.max_feeds_per_site
        self.max_level = config.sitemap_max_depth
        self._queued: dict[tuple[bool, str], set[str]] = {}
        self._warned: set[tuple[bool, str]] = set()

    def admit(self, key: str, found_on: str, *, feed: bool, level: int) -> bool:
        if not feed and level > self.max_level:
            log.info("not reading sitemap %s: nested %d levels deep (crawl.sitemap_max_depth)",
                     key, level)
            return False
        site = (feed, site_of(found_on))
        queued = self._queued.setdefault(site, set())
        if key in queued:
            return True  # announced again: the frontier knows it already
        limit = self.max_feeds if feed else self.max_sitemaps
        if len(queued) >= limit:
            if site not in self._warned:
                self._warned.add(site)
                log.warning("%s announces more than %d %s; the rest are not read (crawl.%s)",
                            site[1], limit, "feeds" if feed else "sitemaps",
                            "max_feeds_per_site" if feed else "max_sitemaps_per_site")
            return False
        queued.add(key)
        return True


def _remember(memo: dict[str, _T], key: str, value: _T) -> None:
    """Store in a bounded memo: emptied when full, so memory stays flat on endless crawls."""
    if len(memo) >= MEMO_SIZE:
        memo.clear()
    memo[key] = value


def _compiled(patterns: Iterable[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(pattern) for pattern in patterns)
