"""The crawl benchmark's baseline: what a researcher would assemble from Scrapy and trafilatura.

    .venv/bin/python benchmarks/scrapy_baseline.py URL OUT.jsonl [--concurrency 32] [--depth 100]
        [--stats STATS.json]

A ``CrawlSpider`` follows every same-site link from ``URL`` (robots.txt obeyed, no delay, no
autothrottle); pages whose path looks like a dated article (``/YYYY/MM/DD/slug``) also go to an
item pipeline that runs ``trafilatura.extract(..., output_format="json", with_metadata=True)`` and
writes one JSON line per page that yields text.  With ``--stats`` it writes Scrapy's counters
plus ``pages`` (responses other than robots.txt) and ``items_written`` as JSON.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

import trafilatura
from scrapy import Spider
from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.http import Response
from scrapy.linkextractors import LinkExtractor
from scrapy.spiders import CrawlSpider, Rule

ARTICLE_PATTERN = re.compile(r"/\d{4}/\d{2}/\d{2}/[^/]+/?$")


class NewsSpider(CrawlSpider):
    """Follow every link on the site; hand article pages to the pipeline.

    One rule with a URL test in the callback: the docs' two-rule form (one ``allow=`` rule for
    articles, one for everything else) extracts each page's links twice and was ~10% slower.
    """

    name = "news"
    rules = (Rule(LinkExtractor(), callback="parse_page", follow=True),)

    def __init__(self, start_url: str, **kwargs: Any) -> None:
        self.start_urls = [start_url]
        self.allowed_domains = [urlsplit(start_url).hostname or ""]
        super().__init__(**kwargs)

    def parse_page(self, response: Response) -> Iterator[dict[str, str]]:
        if ARTICLE_PATTERN.search(urlsplit(response.url).path):
            yield {"url": response.url, "html": response.text}


class TrafilaturaJsonLines:
    """Extract each article page with trafilatura and append it to a JSON-lines file."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.path = str(crawler.settings.get("JSONL_PATH"))
        self.written = 0
        self.file: IO[str] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TrafilaturaJsonLines:
        return cls(crawler)

    # ``spider=None``: older Scrapy passes the spider; newer Scrapy does not, and warns if required.
    def open_spider(self, spider: Spider | None = None) -> None:
        self.file = open(self.path, "w", encoding="utf-8")  # noqa: SIM115 (closed in close_spider)

    def close_spider(self, spider: Spider | None = None) -> None:
        if self.file is not None:
            self.file.close()
        if self.crawler.stats is not None:
            self.crawler.stats.set_value("items_written", self.written)

    def process_item(self, item: dict[str, str], spider: Spider | None = None) -> dict[str, str]:
        document = trafilatura.extract(item["html"], url=item["url"], output_format="json",
                                       with_metadata=True)
        if document and self.file is not None:
            self.file.write(document + "\n")
            self.written += 1
        return {"url": item["url"]}


def crawl(start_url: str, out: Path, concurrency: int, depth: int) -> dict[str, Any]:
    """Run the spider to the end; Scrapy's stats, plus ``pages`` and ``items_written``."""
    process = CrawlerProcess(settings={
        "CONCURRENT_REQUESTS": concurrency, "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
        "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "ROBOTSTXT_OBEY": True,
        "DEPTH_LIMIT": depth, "LOG_LEVEL": "WARNING", "TELNETCONSOLE_ENABLED": False,
        "ITEM_PIPELINES": {TrafilaturaJsonLines: 300}, "JSONL_PATH": str(out),
    })
    crawler = process.create_crawler(NewsSpider)
    process.crawl(crawler, start_url=start_url)
    process.start()
    stats: dict[str, Any] = dict(crawler.stats.get_stats())
    stats["pages"] = (stats.get("downloader/response_count", 0)
                      - stats.get("robotstxt/response_count", 0))
    stats.setdefault("items_written", 0)
    return stats


def main() -> None:
    parser = argparse.ArgumentParser(description="Crawl a site with Scrapy + trafilatura.")
    parser.add_argument("url")
    parser.add_argument("out", type=Path, help="JSON-lines file for the extracted articles")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--depth", type=int, default=100, help="DEPTH_LIMIT (default 100)")
    parser.add_argument("--stats", type=Path, help="write the crawl's counters here as JSON")
    args = parser.parse_args()
    stats = crawl(args.url, args.out, args.concurrency, args.depth)
    if args.stats:
        args.stats.write_text(json.dumps(stats, default=str, indent=1), encoding="utf-8")
    print(f"scrapy: {stats['pages']} pages, {stats['items_written']} items written to {args.out}")


if __name__ == "__main__":
    main()
