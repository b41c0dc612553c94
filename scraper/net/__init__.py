"""Everything that talks to the network: the fetch seam (``fetch``), robots.txt, per-host
politeness, retry policy and the downloader that combines them for the crawl."""
