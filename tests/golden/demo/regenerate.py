"""Regenerate the demo golden pages (run by hand, then review the diff before committing):

    .venv/bin/python tests/golden/demo/regenerate.py

For each page chosen below it writes ``NAME.html``, the page as the demo site serves it at
``BASE_URL`` (rendered in-process by ``DemoSite``, no sockets), and ``NAME.json``, the record
``extract(html, url).to_dict()`` must equal.  Records come from the demo's hand-written data
(``expected_articles``), never from the extractor; AMP and print copies show less of the
article, and ``_amp_record`` / ``_print_record`` say what.  ``index.json`` maps each NAME to
the URL its page was served at (the ``url`` argument of ``extract``).

The pages are rendered from the bundled articles only, without the seed page: its text (even
its title in a sidebar) must not be copied into the repository; the end-to-end crawl tests
cover it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from scraper.demo import DemoSite, expected_articles
from scraper.demo.catalog import Catalog, DemoArticle, load_catalog

BASE_URL = "http://127.0.0.1:8642"
HERE = Path(__file__).resolve().parent
# NAME -> (canonical path of the article, kind of copy: "page", "amp" or "print").
PAGES: dict[str, tuple[str, str]] = {
    # A (WordPress): threaded comments, a visible "Updated:" date, "1,234" views by an eye icon.
    "a-threaded-comments-updated": ("/politics/2024/09/city-council-approves-bike-lane-plan/",
                                    "page"),
    # A: two rel=author links, zero comments ("0 Comments" and a Vietnamese notice).
    "a-co-authors-no-comments": (
        "/business/2025/06/small-businesses-say-card-fees-eat-into-margins/", "page"),
    # B (newsroom, JSON-LD): "By A and B", 48 comments declared, 6 shown with replies, "45.1K views".
    "b-co-authors-threaded-comments": (
        "/politics/2024/11/parliament-passes-budget-after-late-night-concessions/", "page"),
    # B: microdata comments; the views only visible ("15K views"), not in the JSON-LD.
    "b-microdata-comments-visible-views": (
        "/business/2025/07/airline-to-cut-jobs-as-it-retires-older-jets/", "page"),
    # B: three authors, no view count at all, zero comments.
    "b-three-authors-no-views": ("/tech/2024/09/satellite-broadband-reaches-remote-schools/",
                                 "page"),
    # C (Drupal): Vietnamese, "A - B" byline after the body, "15.780 lượt xem".
    "c-vi-co-authors": ("/culture/lang-gom-bat-trang-tap-nap-mua-tet.html", "page"),
    # C: English with microdata, "Post Views: 2,045", '5 thoughts on "..."'.
    "c-en-post-views": ("/tech/regional-hospital-network-recovers-from-ransomware-attack.html",
                        "page"),
    # C: Spanish, "Por A · date | 2.310 visitas | 3 comentarios" meta line.
    "c-es-visitas": ("/world/pueblo-de-teruel-recupera-su-escuela.html", "page"),
    # The AMP copy of a B page with a modification date and views in its JSON-LD.
    "b-amp": ("/tech/2025/03/open-source-maintainers-push-back-on-ai-crawlers/", "amp"),
    # The print copy of an A page with two authors.
    "a-print": ("/business/2025/06/small-businesses-say-card-fees-eat-into-margins/", "print"),
}


def _amp_record(record: dict[str, Any], article: DemoArticle) -> dict[str, Any]:
    """The AMP copy has the JSON-LD but no comment section and no visible view count: views
    only when the JSON-LD counts them, the declared comment count, no comments."""
    return {**record, "views": record["views"] if article.views_in_schema else None,
            "comments": []}


def _print_record(record: dict[str, Any], url: str) -> dict[str, Any]:
    """The print copy shows headline, byline, date and text only: no canonical link (its own
    URL is the record's), no modification date, counts, comments, Open Graph or tags."""
    return {**record, "url": url, "modified": None, "views": None, "comment_count": None,
            "comments": [], "site_name": None, "description": None, "tags": [], "image": None}


def _served_path(article: DemoArticle, kind: str) -> str:
    path = {"page": article.path, "amp": article.amp_path, "print": article.print_path}[kind]
    if not path:
        raise SystemExit(f"{article.path} has no {kind} copy: pick another article")
    return path


def _record(catalog: Catalog, article: DemoArticle, kind: str, url: str) -> dict[str, Any]:
    records = {item.path: item.record for item in expected_articles(BASE_URL, catalog)}
    record = records[BASE_URL + article.path]
    if kind == "amp":
        return _amp_record(record, article)
    if kind == "print":
        return _print_record(record, url)
    return record


def main() -> int:
    catalog = load_catalog(seed=None)
    site = DemoSite(catalog)
    index: dict[str, str] = {}
    for name, (path, kind) in PAGES.items():
        article = catalog.article_at(path)
        if article is None:
            raise SystemExit(f"{name}: no demo article at {path}: update PAGES")
        served = _served_path(article, kind)
        response = site.respond(served, BASE_URL)
        if response.status != 200:
            raise SystemExit(f"{name}: {served} answered {response.status}")
        url = BASE_URL + served
        (HERE / f"{name}.html").write_bytes(response.body)
        record = _record(catalog, article, kind, url)
        (HERE / f"{name}.json").write_text(
            json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        index[name] = url
    (HERE / "index.json").write_text(json.dumps(index, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(index)} pages to {HERE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
