"""The crawl's queue of URLs (frontier): the protocol in ``base`` and its backends."""
