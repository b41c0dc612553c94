"""Extraction time of pages built to be slow (issue 13, item 7), in CPU seconds.

    .venv/bin/python benchmarks/hostile_pages.py [--repeat 3] [--json]

Each page is an ordinary article plus one hostile ingredient: one element with 100,000 or
1,000,000 distinct attributes, 8,000 or 50,000 flat comments.  Before issue 13 these took 15 s,
over 120 s, 2-3 s and over 120 s.  Each figure is the best of ``--repeat`` runs of
``scraper.analyse(html, url)`` in this process; the comment pages also report how many comments
came out, so a fast wrong answer shows.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scraper import analyse

URL = "https://news.example/2024/05/13/hostile-story"
PARAGRAPH = ("The council met on Tuesday evening to debate the new budget, and after four hours "
             "of discussion the members agreed on a compromise that funds the libraries. ")


def article(before: str = "", after: str = "") -> bytes:
    body = "".join(f"<p>{PARAGRAPH * 2} Point {n}.</p>" for n in range(6))
    return (f"<!doctype html><html lang='en'><head><title>Hostile story</title></head><body>"
            f"<article><h1>Hostile story</h1>{before}{body}</article>{after}</body></html>"
            ).encode()


def many_attributes(count: int) -> bytes:
    return article(before="<div " + " ".join(f"data-a{n}='{n}'" for n in range(count)) + ">x</div>")


def flat_comments(count: int) -> bytes:
    flood = "".join(f"<div class='comment' id='comment-{n}'><b>Reader {n}</b><p>Comment {n}.</p>"
                    f"</div>" for n in range(count))
    return article(after=f"<section id='comments'>{flood}</section>")


PAGES: dict[str, Callable[[], bytes]] = {
    "100k attributes": lambda: many_attributes(100_000),
    "1M attributes": lambda: many_attributes(1_000_000),
    "8k flat comments": lambda: flat_comments(8_000),
    "50k flat comments": lambda: flat_comments(50_000),
}


def measure(page: bytes, repeat: int) -> tuple[float, int]:
    best, comments = float("inf"), 0
    for _ in range(repeat):
        started = time.process_time()
        analysis = analyse(page, URL)
        best = min(best, time.process_time() - started)
        comments = len(analysis.article.comments)
    return best, comments


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    args = parser.parse_args()
    results = {}
    for name, build in PAGES.items():
        page = build()
        seconds, comments = measure(page, max(1, args.repeat))
        results[name] = {"bytes": len(page), "cpu_seconds": round(seconds, 3),
                         "comments": comments}
        if not args.json:
            print(f"{name:>18}: {seconds:7.3f} s  ({len(page) / 1e6:.1f} MB, "
                  f"{comments} comments)", flush=True)
    if args.json:
        print(json.dumps(results))


if __name__ == "__main__":
    main()
