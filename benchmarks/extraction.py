"""Extraction quality (with leave-hosts-out folds) and speed on benchmark sets.

    .venv/bin/python benchmarks/extraction.py --set ../shared/bench/aeb [--set DIR ...]
        [--folds 5] [--holdout 0] [--dev-only] [--per-page FILE] [--out DIR] [--repeat N]

For each set: extracts every page with ``scraper.extract(html, url)`` (the URL the page was
fetched from, as a crawl passes it; ``--no-url`` passes none), writes predictions in the shared
scorer's format, and scores them with ``../shared/tools/score.py`` (body, meta and/or comments,
whatever the set's truth has).  Scores are printed for all pages, for the development folds and
for the held-out fold, and with ``--show-folds`` for each fold.

Leave-hosts-out: pages are split into ``--folds`` folds by host, so one site's pages share a
fold.  Fold ``--holdout`` is the one nobody looks at while changing a rule: ``--per-page`` (a
per-page diagnosis for finding failures) leaves its pages out, and ``--dev-only`` skips them
altogether for quick tuning loops.  Its figures are the out-of-sample ones.

Speed (``--repeat N``, default 3; 0 skips it): pages per CPU-second of broadsheet, bare
``lxml.html.fromstring`` and trafilatura (when importable) on the first set, best of N
interleaved rounds; and for every page over ``--large-mb`` MB in any set, extraction time over
parse time (best of N each).  The extractor never sees ``truth.json``; only the scorer reads it.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import lxml.html
from bench_sets import (
    DEFAULT_SCORER,
    BenchSet,
    Page,
    fold_of,
    headline_figures,
    load_set,
    page_figures,
    score,
    scorer_module,
)

from scraper import ExtractionError, extract
from scraper.extract import Article

_EMPTY: dict[str, Any] = {"body": "", "title": None, "authors": [], "published": None,
                          "comments": [], "views": None, "comment_count": None}


def prediction(article: Article) -> dict[str, Any]:
    record = article.to_dict()
    return {"body": article.body, "title": article.title, "authors": list(article.authors),
            "published": article.published, "modified": article.modified,
            "comments": record["comments"], "views": article.views,
            "comment_count": article.comment_count}


def predict(pages: list[Page], with_url: bool) -> tuple[dict[str, dict[str, Any]], float]:
    predictions: dict[str, dict[str, Any]] = {}
    started = time.process_time()
    for page in pages:
        try:
            article = extract(page.html, page.url if with_url else None)
        except ExtractionError as error:
            print(f"{page.id}: {error}", file=sys.stderr)
            predictions[page.id] = dict(_EMPTY)
            continue
        predictions[page.id] = prediction(article)
    return predictions, time.process_time() - started


def pages_per_second(pages: list[bytes], run: Callable[[bytes], object]) -> float:
    started = time.process_time()
    for html in pages:
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


def best_speeds(pages: list[bytes], repeat: int) -> dict[str, float]:
    """Best pages/CPU-second of ``repeat`` interleaved rounds for each contender."""
    best: dict[str, float] = {}
    runs = contenders()
    for _ in range(repeat):
        for name, run in runs.items():
            best[name] = max(best.get(name, 0.0), pages_per_second(pages, run))
    return best


def speed_line(speeds: dict[str, float], repeat: int) -> str:
    ours, parse_only = speeds["broadsheet"], speeds["bare lxml parse"]
    line = (f"speed (pages per CPU-second, best of {repeat}): broadsheet {ours:.0f}, "
            f"bare lxml parse {parse_only:.0f}")
    other = speeds.get("trafilatura")
    line += f", trafilatura {other:.0f}" if other is not None else ", trafilatura not installed"
    line += f"; broadsheet costs {parse_only / ours:.2f}x the parse"
    if other is not None:
        line += f", broadsheet/trafilatura speed {ours / other:.2f}"
    return line


def _best_time(run: Callable[[bytes], object], html: bytes, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        run(html)
        best = min(best, time.process_time() - started)
    return best


def large_page_lines(sets: list[BenchSet], limit_mb: float, repeat: int) -> list[str]:
    """Extraction time over parse time for each page larger than ``limit_mb`` megabytes."""
    rows = []
    for bench in sets:
        for page in bench.pages:
            if len(page.html) <= limit_mb * 1_000_000:
                continue
            parse = _best_time(lxml.html.fromstring, page.html, repeat)
            ours = _best_time(_extract_or_not, page.html, repeat)
            rows.append((ours / max(parse, 1e-9), bench.name, page.id, len(page.html), parse, ours))
    rows.sort(reverse=True)
    lines = [f"pages over {limit_mb:g} MB: {len(rows)}; worst extraction/parse ratio "
             f"{rows[0][0]:.2f}x" if rows else f"pages over {limit_mb:g} MB: none"]
    lines += [f"  {name}/{page_id}: {size / 1e6:.1f} MB, parse {parse * 1e3:.0f} ms, "
              f"extract {ours * 1e3:.0f} ms, {ratio:.2f}x"
              for ratio, name, page_id, size, parse, ours in rows]
    return lines


def score_rows(bench: BenchSet, predictions: dict[str, Any], args: argparse.Namespace
               ) -> list[tuple[str, dict[str, float | None]]]:
    """Headline figures for all pages, the development folds, the held-out fold and each fold."""
    truth = json.loads(bench.truth_path.read_text(encoding="utf-8"))
    fold = {page.id: fold_of(page.host, args.folds) for page in bench.pages}
    groups: list[tuple[str, Callable[[str], bool]]] = [("all", lambda key: True)]
    if args.folds > 1:
        groups.append(("dev", lambda key: fold[key] != args.holdout))
        groups.append((f"held-out fold {args.holdout}", lambda key: fold[key] == args.holdout))
        if args.show_folds:
            groups += [(f"fold {index}", lambda key, index=index: fold[key] == index)
                       for index in range(args.folds)]
    rows = []
    for label, member in groups:
        subset = {key: value for key, value in truth.items() if key in predictions and member(key)}
        if not subset:
            continue
        figures = headline_figures(score(args.scorer, subset, predictions, bench.kinds),
                                   bench.labels)
        rows.append((f"{label} ({len(subset)} pages)", figures))
    return rows


def per_page(bench: BenchSet, predictions: dict[str, Any], args: argparse.Namespace
             ) -> dict[str, Any]:
    """Each development page's own figures (held-out pages left out), for finding failures."""
    truth = json.loads(bench.truth_path.read_text(encoding="utf-8"))
    module = scorer_module(args.scorer)
    report: dict[str, Any] = {}
    for page in bench.pages:
        if args.folds > 1 and fold_of(page.host, args.folds) == args.holdout:
            continue
        if page.id not in truth or page.id not in predictions:
            continue
        figures = page_figures(module, truth[page.id], predictions[page.id], bench.kinds,
                               bench.labels)
        report[page.id] = {"host": page.host, **figures}
    return report


def print_rows(name: str, rows: list[tuple[str, dict[str, float | None]]]) -> None:
    print(f"== {name}")
    for label, figures in rows:
        shown = "  ".join(f"{key} {value:.4f}" for key, value in figures.items()
                          if value is not None)
        print(f"  {label:<32} {shown}")


def _count(text: str, least: int) -> int:
    value = int(text)
    if value < least:
        raise argparse.ArgumentTypeError(f"must be at least {least}")
    return value


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", dest="directories", type=Path, action="append", required=True)
    parser.add_argument("--out", type=Path, help="directory for <set>.json predictions")
    parser.add_argument("--scorer", type=Path, default=DEFAULT_SCORER)
    parser.add_argument("--repeat", type=lambda text: _count(text, 0), default=3,
                        help="speed rounds; the best counts (default 3; 0: no speed run)")
    parser.add_argument("--folds", type=lambda text: _count(text, 1), default=5)
    parser.add_argument("--holdout", type=lambda text: _count(text, 0), default=0,
                        help="the fold nobody looks at while tuning (default 0)")
    parser.add_argument("--show-folds", action="store_true", help="a row for every fold")
    parser.add_argument("--dev-only", action="store_true",
                        help="leave the held-out fold's pages out entirely")
    parser.add_argument("--no-url", dest="with_url", action="store_false",
                        help="extract without the page's URL")
    parser.add_argument("--per-page", type=Path, help="write each development page's figures")
    parser.add_argument("--large-mb", type=float, default=1.0)
    args = parser.parse_args(argv)
    if args.holdout >= args.folds and args.folds > 1:
        parser.error("--holdout must be below --folds")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sets = [load_set(directory) for directory in args.directories]
    diagnosis: dict[str, Any] = {}
    for bench in sets:
        pages = [page for page in bench.pages if not (
            args.dev_only and args.folds > 1 and fold_of(page.host, args.folds) == args.holdout)]
        predictions, elapsed = predict(pages, args.with_url)
        out_dir = args.out or Path(tempfile.mkdtemp())
        out_dir.mkdir(parents=True, exist_ok=True)
        out = out_dir / f"{bench.name}.json"
        out.write_text(json.dumps(predictions, ensure_ascii=False, indent=1), encoding="utf-8")
        if bench.kinds and args.scorer.exists():
            print_rows(bench.name, score_rows(bench, predictions, args))
            if args.per_page:
                diagnosis[bench.name] = per_page(bench, predictions, args)
        else:
            print(f"== {bench.name}: scorer or truth missing: quality not scored")
        print(f"  pages: {len(pages)}  predictions: {out}  "
              f"(first pass {len(pages) / max(elapsed, 1e-9):.0f} pages/CPU-s)")
    if args.per_page:
        args.per_page.write_text(json.dumps(diagnosis, ensure_ascii=False, indent=1),
                                 encoding="utf-8")
    if args.repeat:
        print(speed_line(best_speeds([page.html for page in sets[0].pages], args.repeat),
                         args.repeat))
        for line in large_page_lines(sets, args.large_mb, args.repeat):
            print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
