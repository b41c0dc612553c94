"""Extraction quality and speed on a benchmark set.

    .venv/bin/python benchmarks/extraction.py --set ../shared/bench/aeb [--out preds.json]

Reads ``DIR/html/*.html.gz`` (ids are the file stems), extracts every page with
``scraper.extract``, writes predictions in the scorer's format, runs the scorer
(``../shared/tools/score.py all DIR/truth.json preds.json``) and prints quality, then speed in
pages per CPU-second (pages already in memory) of broadsheet, bare ``lxml.html.fromstring`` and
trafilatura (``extract(html, output_format="txt")``, when importable), with the ratios.  Each
speed is the best of ``--repeat`` runs (default 3), the runs interleaved, so that other load on
the machine hurts less.  The extractor never sees ``truth.json``; only the scorer reads it.
"""

from __future__ import annotations

import argparse
import contextlib
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


def _extract_or_not(html: bytes) -> None:
    """Extract for the clock: ``predict`` already reported the pages that raise."""
    with contextlib.suppress(ExtractionError):
        extract(html)


def contenders() -> dict[str, Callable[[bytes], object]]:
    """What the speed line compares: ours, the parse alone, and trafilatura when installed."""
    runs: dict[str, Callable[[bytes], object]] = {
        "broadsheet": _extract_or_not, "bare lxml parse": lxml.html.fromstring}
    try:
        trafilatura = importlib.import_module("trafilatura")
    except ImportError:
        return runs
    runs["trafilatura"] = lambda html: trafilatura.extract(html, output_format="txt")
    return runs


def best_speeds(pages: dict[str, bytes], repeat: int) -> dict[str, float]:
    """Best pages/CPU-second of ``repeat`` interleaved rounds for each contender."""
    best: dict[str, float] = {}
    for _ in range(repeat):
        for name, run in contenders().items():
            best[name] = max(best.get(name, 0.0), pages_per_second(pages, run))
    return best


def speed_line(speeds: dict[str, float], repeat: int) -> str:
    ours, parse_only = speeds["broadsheet"], speeds["bare lxml parse"]
    line = (f"speed (pages per CPU-second, best of {repeat}): broadsheet {ours:.0f}, "
            f"bare lxml parse {parse_only:.0f}")
    other = speeds.get("trafilatura")
    line += f", trafilatura {other:.0f}" if other is not None else ", trafilatura not installed"
    line += f"; ratio broadsheet/lxml {ours / parse_only:.3f}"
    if other is not None:
        line += f", broadsheet/trafilatura {ours / other:.2f}"
    return line


def score(scorer: Path, truth: Path, predictions: Path) -> dict[str, Any]:
    result = subprocess.run([sys.executable, str(scorer), "all", str(truth), str(predictions)],
                            capture_output=True, text=True, check=True)
    scores: dict[str, Any] = json.loads(result.stdout)
    return scores


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", dest="directory", type=Path, required=True)
    parser.add_argument("--out", type=Path, help="where to write predictions (default: temp)")
    parser.add_argument("--scorer", type=Path, default=_DEFAULT_SCORER)
    parser.add_argument("--repeat", type=_positive, default=3,
                        help="speed runs per contender; the best counts (default 3)")
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
    print(f"pages: {len(pages)}  predictions: {out}  (first pass {len(pages) / max(elapsed, 1e-9):.0f}"
          " pages/CPU-s)")
    print(speed_line(best_speeds(pages, args.repeat), args.repeat))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
