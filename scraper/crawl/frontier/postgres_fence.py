"""The fence of a shared crawl (see ``archive.fence``): a claim in ``frontier_urls`` checked,
locked and finished inside the archive index's write transaction, on the index's connection."""

from __future__ import annotations

import psycopg

from scraper.crawl.frontier.base import CrawlRequest, LeaseLost
from scraper.crawl.frontier.postgres import finish_in
from scraper.postgres_schema import guard

HOLD_SQL = ("SELECT 1 FROM frontier_urls WHERE url_key = %s AND state = 'active'"
            " AND lease_token = %s FOR UPDATE")


class PostgresFence:
    """``hold`` locks the request's row while its lease token is still this worker's (an expired
    but not yet reaped lease is still ours: nobody else holds it, and the lock keeps the reaper
    off it until the write commits); ``commit`` finishes it.  ``finished`` tells the crawl loop
    that the request is finished already."""

    def __init__(self, connection: psycopg.Connection[tuple[object, ...]],
                 request: CrawlRequest, shard: int) -> None:
        self._connection = connection
        self._request = request
        self._shard = shard
        self.finished = False

    def hold(self) -> None:
        with guard("checking a lease"):
            row = self._connection.execute(HOLD_SQL, (self._request.url_key,
                                                      self._request.lease_token)).fetchone()
        if row is None:
            raise LeaseLost(self._request.url_key)

    def commit(self, outcome: str) -> None:
        finish_in(self._connection, self._request, outcome, shard=self._shard)
        self.finished = True
