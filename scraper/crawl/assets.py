"""Page assets for replay (``crawl.capture_assets``): the same-site images and stylesheets of
each article page, fetched through the crawl's own downloader (robots.txt, the host gate and
its delay, retries) only so that the WARC capture records them; nothing else keeps them.

Each asset is fetched once per run.  A failed asset is logged, never a failure of its page.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from scraper.errors import FetchError
from scraper.net.downloader import Downloader
from scraper.urls import one_site

__all__ = ["AssetCapture"]

log = logging.getLogger(__name__)


class AssetCapture:
    def __init__(self, downloader: Downloader) -> None:
        self.downloader = downloader
        self.fetched = 0
        self._seen: set[str] = set()

    async def capture(self, page_url: str, assets: Iterable[str]) -> None:
        """Fetch the assets of ``page_url`` on its own site that this run has not fetched."""
        for url in assets:
            if url in self._seen or not one_site(url, page_url):
                continue
            self._seen.add(url)
            try:
                await self.downloader.download(url)
            except FetchError as error:
                log.info("asset %s of %s not captured: %s", url, page_url, error)
                continue
            self.fetched += 1
