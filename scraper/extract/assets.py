"""The page assets a replay needs: images (``<img src>``, the first ``srcset`` candidate) and
stylesheets (``<link rel="stylesheet">``), absolute, in document order, each once.

Read-only over ``doc.tree``; run before the body step removes anything.  Which of them are
fetched (same site only, ``crawl.capture_assets``) is the crawler's call.
"""

from __future__ import annotations

from scraper.extract.document import Document
from scraper.extract.links import base_url
from scraper.extract.metadata import absolute

MAX_ASSETS = 50
"""At most this many per page: a gallery of hundreds is not fetched whole."""


def find_assets(doc: Document) -> tuple[str, ...]:
    base = base_url(doc)
    found: dict[str, None] = {}
    for element in doc.tree.iter("img", "link"):
        if element.tag == "link":
            if "stylesheet" not in (element.get("rel") or "").lower().split():
                continue
            candidates = [element.get("href") or ""]
        else:
            srcset = (element.get("srcset") or "").strip()
            candidates = [element.get("src") or "", srcset.split(",")[0].strip().split(" ")[0]]
        for candidate in candidates:
            url = absolute(candidate, base) if candidate.strip() else None
            if url and not url.startswith("data:"):
                found[url.partition("#")[0]] = None
    return tuple(found)[:MAX_ASSETS]
