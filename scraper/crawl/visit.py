"""What happens to one URL taken from the frontier: fetch it, read it, store or follow it.

A page is fetched (conditionally when the archive knows it), analysed once by the extractor, its
links and feeds are queued (as the scope allows), and, when it is an article, it is stored.  A
page whose URL has a listing's shape (home, section, tag, author, pagination; see
``scraper.extract.url_kind``) is never stored, whatever its content looks like.  A page that
names another URL of its own site as its canonical form (AMP, print copies) is stored under
that URL: if the canonical page is not archived yet it is queued first and this page waits
behind it, so the archive holds the canonical page's own record.  A page is filed only under
URLs of the site that served it (after redirects): a canonical on another site is noted in the
record (``canonical_claimed``), never trusted, and a page redirected out of the crawl's scope is
not stored at all.  A page marked ``noindex`` that names no canonical (a print view) waits
behind the queue once, so that the article's own page is archived first.

Sitemaps and feeds are read for the pages they list.  A home page that announces no feed has its
site's common feed paths probed (``/feed``, ``/rss.xml``...); a probe that finds nothing is not
an error.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from archive.fence import Fence
from scraper.config import Config
from scraper.crawl.archive_port import CrawlArchive
from scraper.crawl.assets import AssetCapture
from scraper.crawl.discover import (
    common_feed_urls,
    is_common_feed_url,
    looks_like_feed,
    looks_like_sitemap,
    parse_feed,
    parse_sitemap,
)
from scraper.crawl.extraction_pool import ExtractionPool
from scraper.crawl.frontier.base import CrawlRequest, Frontier, Kind
from scraper.crawl.outcomes import Outcome, page_outcome
from scraper.crawl.scope import CrawlScope
from scraper.crawl.summary import CrawlSummary
from scraper.crawl.transient import retrying
from scraper.errors import ExtractionError, FetchError
from scraper.extract import PageAnalysis
from scraper.extract.charsets import decode_declared
from scraper.extract.url_kind import UrlKind, url_kind
from scraper.extract.verdict import (
    DEFAULT_THRESHOLDS,
    ArticleThresholds,
    Verdict,
    article_verdict,
)
from scraper.failure_reasons import FailureReason
from scraper.net.downloader import Downloader
from scraper.net.fetch import Response
from scraper.urls import canonical_url, one_site

log = logging.getLogger(__name__)
DISCOVERY_PRIORITY = -1  # sitemaps and feeds first: they list canonical article URLs


class Visitor:
    def __init__(self, scope: CrawlScope, archive: CrawlArchive, frontier: Frontier,
                 downloader: Downloader, summary: CrawlSummary,
                 extractor: ExtractionPool | None = None,
                 thresholds: ArticleThresholds = DEFAULT_THRESHOLDS,
                 assets: AssetCapture | None = None) -> None:
        self.scope = scope
        self.assets = assets  # crawl.capture_assets: fetch article pages' assets for the WARC
        self.thresholds = thresholds
        self.extractor = extractor or ExtractionPool(0)
        self.archive = archive
        self.frontier = frontier
        self.downloader = downloader
        self.summary = summary

    async def visit(self, request: CrawlRequest, fence: Fence | None = None) -> Outcome:
        """Handle one request; return its outcome (see ``scraper.crawl.outcomes``).
        ``fence`` (a shared crawl's) goes with every archive write of the page."""
        if request.kind is Kind.PAGE:
            return await self.page(request, fence)
        return await self.discovery(request)

    async def page(self, request: CrawlRequest, fence: Fence | None = None) -> Outcome:
        validators = self.archive.validators(request.url_key)
        etag, last_modified = validators if validators else (None, None)
        response = await self.downloader.download(request.url, etag=etag,
                                                  last_modified=last_modified)
        self.summary.fetched += 1
        if response.not_modified:
            return page_outcome(retrying(partial(
                self.archive.record_not_modified, request.url_key, now(), fence,
                warc=_pointer(response))).outcome)
        if not response.is_html:
            return self.unexpected_listing(request, response)
        own_key = canonical_url(response.final_url) or request.url_key
        if own_key != request.url_key and self.scope.covers(own_key) is None:
            log.info("not storing %s: it redirects to %s, outside the crawl's scope",
                     request.url, response.final_url)
            return Outcome.REDIRECTED_AWAY
        analysis = await self.extractor.analyse(page_text(response), response.final_url)
        verdict = self.verdict(analysis, own_key)
        self.queue_links(request, response.final_url, analysis,
                         from_listing=not verdict.is_article)
        if not verdict.is_article:
            log.info("not an article: %s (%s)", request.url, verdict.reason)
            return Outcome.NOT_ARTICLE
        outcome = await self.store(request, response, analysis, fence)
        if self.assets is not None:
            await self.assets.capture(response.final_url, analysis.assets)
        return outcome

    def verdict(self, analysis: PageAnalysis, own_key: str) -> Verdict:
        """The extractor's verdict (with the config's thresholds), overruled when the URL the
        record would be filed under has a listing's shape: a home, tag or author page with a
        long lead is still a listing."""
        verdict = article_verdict(analysis.article, analysis.declared, self.thresholds)
        target = self.declared_canonical(analysis, own_key)[0] or own_key
        if verdict.is_article and url_kind(target) is UrlKind.LISTING:
            return Verdict(False, f"{target} has a listing's URL (home, section, tag, author, "
                                  "page N)")
        return verdict

    def unexpected_listing(self, request: CrawlRequest, response: Response) -> Outcome:
        """A link that turned out to be a feed or sitemap is read as one (when that source is
        on); other non-HTML content is a per-page failure."""
        is_feed = looks_like_feed(response.content_type, response.body)
        if is_feed or looks_like_sitemap(response.content_type, response.body):
            if not (self.scope.use_feeds if is_feed else self.scope.use_sitemaps):
                return Outcome.SOURCE_OFF
            try:
                self.frontier.add(self.read_listing(request, response))
            except ExtractionError as exc:
                self.summary.discovery_errors += 1
                log.warning("could not read %s: %s", request.url, exc)
            return Outcome.FEED
        raise FetchError(request.url, FailureReason.NOT_HTML,
                         f"content type {response.content_type or 'unknown'}")

    async def store(self, request: CrawlRequest, response: Response,
                    analysis: PageAnalysis, fence: Fence | None = None) -> Outcome:
        """File the article; the archive write (JSON, gzip, fsync) runs in a worker thread so the
        next pages are parsed meanwhile.  The page's links were queued before this."""
        own_keys = served_keys(request, response)
        canonical, claimed = self.declared_canonical(analysis, own_keys[0])
        if canonical is not None and canonical not in own_keys:
            existing = self.archive.owner(canonical)
            if existing is not None:
                retrying(partial(self.archive.add_aliases, existing, own_keys, fence))
                return Outcome.DUPLICATE
            follow = self.scope.admit(canonical, request.depth)
            if follow is not None and not request.deferred:
                self.frontier.add([CrawlRequest(canonical, follow, Kind.PAGE, request.depth,
                                                request.priority)])
                self.frontier.defer(request)
                return Outcome.DEFERRED
        if analysis.noindex and canonical is None and not request.deferred:
            # A noindex page naming no canonical (a print view, say) is likely a copy: it waits
            # behind the queue once, so that the article's own page is archived first and the
            # copy then joins it as an alias instead of filing the story under the copy's URL.
            self.frontier.defer(request)
            return Outcome.DEFERRED
        keys = _unique([canonical, *own_keys]) if canonical else own_keys
        record = analysis.article.to_dict()
        record["url"] = keys[0]
        record["canonical_claimed"] = claimed
        result = await asyncio.to_thread(retrying, partial(
            self.archive.store, record, url_keys=keys, fetched_url=response.final_url,
            fetched_at=now(), http_status=response.status, etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"), raw=response.body, fence=fence,
            warc=_pointer(response)))
        return page_outcome(result.outcome)

    def declared_canonical(self, analysis: PageAnalysis,
                           own_key: str) -> tuple[str | None, str | None]:
        """(canonical, claimed): the page's rel=canonical/og:url in canonical form when the
        page's own site (that of ``own_key``, the URL that served it) may speak for it, else
        (None, the canonical it claims on another site).  A page on site A naming B's URL is
        never filed under B: B has not said so, and A could plant any headline in B's name.
        A canonical that points an article at its site's home page (a common CMS mistake) is
        ignored."""
        key = canonical_url(analysis.canonical) if analysis.canonical else None
        if key is None:
            return None, None
        if not one_site(key, own_key):
            return None, key
        if urlsplit(key).path in ("", "/") and urlsplit(own_key).path not in ("", "/"):
            return None, None
        return key, None

    def queue_links(self, request: CrawlRequest, page_url: str, analysis: PageAnalysis, *,
                    from_listing: bool) -> None:
        """Queue the page's links (when following links) and its feeds (when reading feeds).
        Nothing is queued from a page past the depth limit (a leaf fetched for its article)."""
        if request.depth > self.scope.max_depth:
            return
        depth = request.depth + 1
        requests: list[CrawlRequest] = []
        if self.scope.follow_links:
            urls = analysis.links + (analysis.nofollow_links if self.scope.follow_nofollow
                                     else ())
            requests += [CrawlRequest(url, key, Kind.PAGE, depth, self.scope.priority(key))
                         for url in urls
                         if (key := self.scope.admit(url, depth, from_listing=from_listing))]
        if self.scope.use_feeds:
            requests += [CrawlRequest(url, key, Kind.FEED, depth, DISCOVERY_PRIORITY)
                         for url in self.feeds_of(request, page_url, analysis)
                         if (key := self.scope.admit_source(url, found_on=page_url,
                                                            feed=True))]
        self.frontier.add(requests)

    @staticmethod
    def feeds_of(request: CrawlRequest, page_url: str, analysis: PageAnalysis) -> tuple[str, ...]:
        """The feeds a page announces; for a seed or home page that announces none, the common
        feed paths of its site."""
        if analysis.feeds:
            return analysis.feeds
        if request.depth == 0 or urlsplit(page_url).path in ("", "/"):
            return common_feed_urls(page_url)
        return ()

    async def discovery(self, request: CrawlRequest) -> Outcome:
        """A sitemap or feed: queue what it lists; a broken one is a discovery error only, and
        a common feed path that holds no feed is not even that."""
        try:
            response = await self.downloader.download(request.url)
            self.summary.fetched += 1
            listed = self.read_listing(request, response)
        except (FetchError, ExtractionError) as exc:
            if request.kind is Kind.FEED and is_common_feed_url(request.url):
                log.debug("no feed at %s: %s", request.url, exc)
                return Outcome.NO_FEED
            self.summary.discovery_errors += 1
            log.warning("could not read %s %s: %s", request.kind.value, request.url, exc)
            return Outcome.DISCOVERY_ERROR
        self.frontier.add(listed)
        return Outcome(request.kind.value)

    def read_listing(self, request: CrawlRequest, response: Response) -> list[CrawlRequest]:
        """The pages (at depth 1 or more) and nested sitemaps a sitemap or feed lists.  A
        sitemap request's depth is its nesting level below the robots.txt sitemaps (0); the
        pages it lists are at depth 1."""
        is_sitemap = request.kind is Kind.SITEMAP
        depth = 1 if is_sitemap else max(request.depth, 1)
        level = request.depth + 1 if is_sitemap else 1
        base = response.final_url
        if looks_like_sitemap(response.content_type, response.body):
            entries = parse_sitemap(response.body, base, since=self.scope.sitemap_since)
            if entries.too_old:
                log.info("%s: %d entries older than the sitemap window left out", request.url,
                         entries.too_old)
            pages, nested = entries.pages, entries.sitemaps
        elif looks_like_feed(response.content_type, response.body):
            pages, nested = parse_feed(response.body, base), ()
        else:
            raise ExtractionError(f"neither a sitemap nor a feed ({response.content_type})")
        found = [CrawlRequest(url, key, Kind.PAGE, depth, self.scope.priority(key))
                 for url in pages if (key := self.scope.admit(url, depth, from_listing=True))]
        found += [CrawlRequest(url, key, Kind.SITEMAP, level, DISCOVERY_PRIORITY)
                  for url in nested if (key := self.scope.admit_source(
                      url, found_on=request.url, feed=False, level=level))]
        return found


def article_thresholds(config: Config) -> ArticleThresholds:
    """The ``crawl.article_*`` keys of the config, for ``scraper.extract.verdict``."""
    crawl = config.crawl
    return ArticleThresholds(min_chars=crawl.article_min_chars,
                             min_paragraphs=crawl.article_min_paragraphs,
                             paragraph_min_chars=crawl.article_paragraph_min_chars,
                             declared_min_chars=crawl.article_declared_min_chars)


def page_text(response: Response) -> bytes | str:
    """The page for the extractor: decoded with the HTTP charset when the server names a real
    one (it outranks the page's own declaration), else the raw bytes for the extractor to sniff."""
    if response.charset:
        text = decode_declared(response.body, response.charset, in_page=False)
        if text is not None:
            return text
        log.debug("charset %r of %s does not decode it; sniffing", response.charset,
                  response.url)
    return response.body


def served_keys(request: CrawlRequest, response: Response) -> list[str]:
    """The URL keys a fetched page is filed under: the URL that served it (after redirects)
    first, then the requested URL and redirect hops on its site.  A hop on another site
    redirected here but served nothing, so it is no alias: it cannot speak for this page."""
    served = canonical_url(response.final_url) or request.url_key
    hops = [request.url_key, *(canonical_url(url) for url in response.redirects)]
    return _unique([served, *(hop for hop in hops if hop and one_site(hop, served))])


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _pointer(response: Response) -> dict[str, Any] | None:
    """The response's WARC pointer as a record stores it (None when it was not captured)."""
    return None if response.capture is None else response.capture.to_dict()


def _unique(keys: list[str | None]) -> list[str]:
    return list(dict.fromkeys(key for key in keys if key))

