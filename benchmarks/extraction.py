"""Extraction quality and speed on a benchmark set.

    .venv/bin/python benchmarks/extraction.py --set ../shared/bench/aeb [--out preds.json]

Reads ``DIR/html/*.html.gz`` (ids are the file stems), extracts every page with
``scraper.extract``, writes predictions in the scorer's format, runs the scorer
(``../shared/tools/score.py all DIR/truth.json preds.json``) and prints quality and speed in
pages per CPU-second, next to bare ``lxml.html.fromstring`` and trafilatura (when importable).
The extractor never sees ``truth.json``; only the scorer reads it.
"""

from __future__ import annotations

import argparse
import gzip
import importlib
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import lxml.html

from scraper import ExtractionError, extract

_REPO = Path(__file__).resolve().parent.parent
_DEFAULT_SCORER = _REPO.parent / "shared" / "tools" / "score.py"


def load_pages(directory: Path) -> dict[str, bytes]:
    pages = {}
    for path in sorted((directory / "html").glob("*.html.gz")):
        pages[path.name.removesuffix(".html.gz")] = gzip.decompress(path.read_bytes())
    if not pages:
        raise SystemExit(f"no pages under {directory / 'html'}: pass --set with a benchmark dir")
    return pages


def predict(pages: dict[str, bytes]) -> tuple[dict[str, dict[str, Any]], float]:
    predictions: dict[str, dict[str, Any]] = {}
    started = time.process_time()
    for page_id, html in pages.items():
        try:
            article = extract(html)
        except ExtractionError as error:
            print(f"{page_id}: {error}", file=sys.stderr)
            predictions[page_id] = {"body": "", "title": None, "authors": [], "published": None}
            continue
        predictions[page_id] = {"body": article.body, "title": article.title,
                                "authors": list(article.authors), "published": article.published}
    return predictions, time.process_time() - started


def pages_per_second(pages: dict[str, bytes], run: Callable[[bytes], object]) -> float:
    started = time.process_time()
    for html in pages.values():
        run(html)
    elapsed = time.process_time() - started
    return len(pages) / elapsed if elapsed else float("inf")


def trafilatura_speed(pages: dict[str, bytes]) -> float | None:
    try:
        trafilatura = importlib.import_module("trafilatura")
    except ImportError:
        return None
    return pages_per_second(pages, lambda html: trafilatura.extract(html))


def score(scorer: Path, truth: Path, predictions: Path) -> dict[str, Any]:
    result = subprocess.run([sys.executable, str(scorer), "all", str(truth), str(predictions)],
                            capture_output=True, text=True, check=True)
    scores: dict[str, Any] = json.loads(result.stdout)
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", dest="directory", type=Path, required=True)
    parser.add_argument("--out", type=Path, help="where to write predictions (default: temp)")
    parser.add_argument("--scorer", type=Path, default=_DEFAULT_SCORER)
    args = parser.parse_args(argv)
    pages = load_pages(args.directory)
    predictions, elapsed = predict(pages)
    out = args.out or Path(tempfile.mkdtemp()) / "predictions.json"
    out.write_text(json.dumps(predictions, ensure_ascii=False, indent=1), encoding="utf-8")
    truth = args.directory / "truth.json"
    if args.scorer.exists() and truth.exists():
        print(json.dumps(score(args.scorer, truth, out)))
    else:
        print(f"scorer or truth missing ({args.scorer}, {truth}): quality not scored")
    ours = len(pages) / elapsed if elapsed else float("inf")
    parse_only = pages_per_second(pages, lxml.html.fromstring)
    print(f"pages: {len(pages)}  predictions: {out}")
    print(f"speed (pages per CPU-second): broadsheet {ours:.0f}, bare lxml parse {parse_only:.0f}"
          f" (ratio {ours / parse_only:.2f})", end="")
    other = trafilatura_speed(pages)
    print(f", trafilatura {other:.0f}" if other is not None else ", trafilatura not installed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
