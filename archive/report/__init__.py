"""A report a person looks at: one self-contained HTML page about an archive and its latest crawl.

``data`` gathers the rows (articles, counts, snapshot series) from records and the crawl recap;
``svg`` draws the inline charts; ``style`` is the page's CSS; ``page`` renders the HTML.  Nothing
here reads the crawl's queue: the caller passes a ``crawl.CrawlRecap`` (the command line reads it
with ``scraper.crawl.frontier.recap``), as ``archive.stats`` takes its failures.
"""

from archive.report.crawl import CrawlRecap
from archive.report.data import ArticleRow, ReportData, SnapshotPoint, gather
from archive.report.page import render_page

__all__ = ["ArticleRow", "CrawlRecap", "ReportData", "SnapshotPoint", "gather", "render_page"]
