"""Which discovered URLs a crawl follows: same site, include/exclude patterns, depth, page-like."""

from __future__ import annotations

import re
from collections.abc import Iterable

from scraper.config import CrawlConfig
from scraper.urls import canonical_url, looks_like_page, same_site, site_of


class CrawlScope:
    """Built once per crawl from the config and the seeds; ``admit`` is called per link."""

    def __init__(self, config: CrawlConfig, seeds: Iterable[str]) -> None:
        self.max_depth = config.max_depth
        self.same_site = config.same_site
        self.sites = frozenset(site_of(seed) for seed in seeds)
        self._include = tuple(re.compile(pattern) for pattern in config.include)
        self._exclude = tuple(re.compile(pattern) for pattern in config.exclude)

    def admit(self, url: str, depth: int) -> str | None:
        """The canonical key of ``url`` if the crawl should fetch it at ``depth``, else None."""
        if depth > self.max_depth:
            return None
        key = canonical_url(url)
        if key is None or not looks_like_page(key):
            return None
        if self.same_site and not same_site(key, self.sites):
            return None
        if self._include and not any(p.search(key) for p in self._include):
            return None
        if any(p.search(key) for p in self._exclude):
            return None
        return key
