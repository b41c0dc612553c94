"""What happens to one URL taken from the frontier: fetch it, read it, store or follow it.

A page is fetched (conditionally when the archive knows it), analysed once by the extractor, its
links are queued, and, when it is an article, it is stored.  A page that names another URL as
its canonical form (AMP, syndicated copies) is stored under that URL: if the canonical page is
not archived yet it is queued first and this page waits behind it, so the archive holds the
canonical page's own record.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from urllib.parse import urlsplit

from archive import Archive
from scraper.discover import looks_like_feed, looks_like_sitemap, parse_feed, parse_sitemap
from scraper.downloader import Downloader
from scraper.errors import ExtractionError, FetchError
from scraper.extract import PageAnalysis, analyse
from scraper.fetch import Response
from scraper.frontier import CrawlRequest, Frontier, Kind
from scraper.report import DEFERRED, DUPLICATE, NOT_ARTICLE, CrawlSummary
from scraper.scope import CrawlScope
from scraper.urls import canonical_url

log = logging.getLogger(__name__)
DISCOVERY_PRIORITY = -1  # sitemaps and feeds first: they list canonical article URLs


class Visitor:
    def __init__(self, scope: CrawlScope, archive: Archive, frontier: Frontier,
                 downloader: Downloader, summary: CrawlSummary, *, use_feeds: bool) -> None:
        self.scope = scope
        self.archive = archive
        self.frontier = frontier
        self.downloader = downloader
        self.summary = summary
        self.use_feeds = use_feeds

    async def visit(self, request: CrawlRequest) -> str:
        """Handle one request; return its outcome word (see ``scraper.report``)."""
        if request.kind is Kind.PAGE:
            return await self.page(request)
        return await self.discovery(request)

    async def page(self, request: CrawlRequest) -> str:
        validators = self.archive.validators(request.url_key)
        etag, last_modified = validators if validators else (None, None)
        response = await self.downloader.download(request.url, etag=etag,
                                                  last_modified=last_modified)
        self.summary.fetched += 1
        if response.not_modified:
            return self.archive.record_not_modified(request.url_key, now()).outcome
        if not response.is_html:
            return self.unexpected_listing(request, response)
        analysis = analyse(page_text(response), response.final_url)
        self.queue_links(analysis, request.depth + 1)
        if not analysis.is_article:
            return NOT_ARTICLE
        return self.store(request, response, analysis)

    def unexpected_listing(self, request: CrawlRequest, response: Response) -> str:
        """A link that turned out to be a feed or sitemap is read as one; other non-HTML
        content is a per-page failure."""
        if looks_like_feed(response.content_type, response.body) or looks_like_sitemap(
                response.content_type, response.body):
            try:
                self.frontier.add(self.read_listing(request, response))
            except ExtractionError as exc:
                self.summary.discovery_errors += 1
                log.warning("could not read %s: %s", request.url, exc)
            return Kind.FEED.value
        raise FetchError(request.url, "not_html",
                         f"content type {response.content_type or 'unknown'}")

    def store(self, request: CrawlRequest, response: Response, analysis: PageAnalysis) -> str:
        own_keys = _unique([request.url_key, canonical_url(response.final_url),
                            *(canonical_url(hop) for hop in response.redirects)])
        canonical = self.declared_canonical(analysis, request.url_key)
        if canonical is not None and canonical not in own_keys:
            existing = self.archive.lookup(canonical)
            if existing is not None:
                self.archive.add_aliases(existing, own_keys)
                return DUPLICATE
            follow = self.scope.admit(canonical, request.depth)
            if follow is not None and not request.deferred:
                self.frontier.add([CrawlRequest(canonical, follow, Kind.PAGE, request.depth,
                                                request.priority)])
                self.frontier.defer(request)
                return DEFERRED
        keys = _unique([canonical, *own_keys]) if canonical else own_keys
        record = analysis.article.to_dict()
        record["url"] = keys[0]
        result = self.archive.store(
            record, url_keys=keys, fetched_url=response.final_url, fetched_at=now(),
            http_status=response.status, etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"), raw=response.body)
        return result.outcome

    def declared_canonical(self, analysis: PageAnalysis, own_key: str) -> str | None:
        """The page's rel=canonical/og:url in canonical form; a canonical that points an
        article at its site's home page (a common CMS mistake) is ignored."""
        if not analysis.canonical:
            return None
        key = canonical_url(analysis.canonical)
        if key is None:
            return None
        if urlsplit(key).path in ("", "/") and urlsplit(own_key).path not in ("", "/"):
            return None
        return key

    def queue_links(self, analysis: PageAnalysis, depth: int) -> None:
        requests = [CrawlRequest(url, key, Kind.PAGE, depth)
                    for url in analysis.links if (key := self.scope.admit(url, depth))]
        if self.use_feeds:
            requests += [CrawlRequest(url, key, Kind.FEED, depth, DISCOVERY_PRIORITY)
                         for url in analysis.feeds if (key := self.scope.admit(url, depth))]
        self.frontier.add(requests)

    async def discovery(self, request: CrawlRequest) -> str:
        """A sitemap or feed: queue what it lists; a broken one is a discovery error only."""
        try:
            response = await self.downloader.download(request.url)
            listed = self.read_listing(request, response)
        except (FetchError, ExtractionError) as exc:
            self.summary.discovery_errors += 1
            log.warning("could not read %s %s: %s", request.kind.value, request.url, exc)
            return "discovery_error"
        self.frontier.add(listed)
        return request.kind.value

    def read_listing(self, request: CrawlRequest, response: Response) -> list[CrawlRequest]:
        depth = max(request.depth, 1)
        base = response.final_url
        if looks_like_sitemap(response.content_type, response.body):
            entries = parse_sitemap(response.body, base)
            pages, nested = entries.pages, entries.sitemaps
        elif looks_like_feed(response.content_type, response.body):
            pages, nested = parse_feed(response.body, base), ()
        else:
            raise ExtractionError(f"neither a sitemap nor a feed ({response.content_type})")
        found = [CrawlRequest(url, key, Kind.PAGE, depth)
                 for url in pages if (key := self.scope.admit(url, depth))]
        found += [CrawlRequest(url, key, Kind.SITEMAP, request.depth, DISCOVERY_PRIORITY)
                  for url in nested if (key := canonical_url(url))]
        return found


def page_text(response: Response) -> bytes | str:
    """The page for the extractor: decoded with the HTTP charset when the server names a real
    one (it outranks the page's own declaration), else the raw bytes for the extractor to sniff."""
    if response.charset:
        try:
            return response.body.decode(response.charset)
        except (LookupError, UnicodeDecodeError):
            log.debug("charset %s of %s does not decode it; sniffing", response.charset,
                      response.url)
    return response.body


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _unique(keys: list[str | None]) -> list[str]:
    return list(dict.fromkeys(key for key in keys if key))

