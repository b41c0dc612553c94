"""Selectors, phrases and regular expressions the extractor uses: data, in one place.

One module per topic; this package re-exports every name, so code imports
``from scraper.extract.patterns import NAME``.
"""

from scraper.extract.patterns.authors import *  # noqa: F403
from scraper.extract.patterns.body import *  # noqa: F403
from scraper.extract.patterns.comment_shapes import *  # noqa: F403
from scraper.extract.patterns.comments import *  # noqa: F403
from scraper.extract.patterns.dates import *  # noqa: F403
from scraper.extract.patterns.metadata import *  # noqa: F403
from scraper.extract.patterns.views import *  # noqa: F403
