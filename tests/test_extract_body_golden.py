"""Body golden pages: whole pages in the markup of real themes and builders, with the body
expected paragraph by paragraph and the furniture that must stay out of it.

Each ``tests/golden/body/NAME.html`` has a ``NAME.json``: ``url``, ``body`` (the paragraphs),
``absent`` (texts that must not be in the body).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scraper import extract

GOLDEN = Path(__file__).parent / "golden" / "body"
PAGES = sorted(path.stem for path in GOLDEN.glob("*.html"))


def test_every_body_cause_has_a_golden_page() -> None:
    assert set(PAGES) >= {"slideshow-article", "tagdiv-news-cards-ads", "roundup-and-latest-posts",
                          "paywall-hidden-rest", "hidden-related-fulltexts",
                          "react-streamed-chunks", "infinite-scroll-feed",
                          "elementor-sections", "view-counter-lines"}


@pytest.mark.parametrize("name", PAGES)
def test_golden_body(name: str) -> None:
    expected = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    body = extract((GOLDEN / f"{name}.html").read_bytes(), expected["url"]).body
    assert body.split("\n\n") == expected["body"]
    for text in expected["absent"]:
        assert text not in body
