"""Benchmark sets on disk, leave-hosts-out folds, and scoring with the shared scorer.

A set is a directory with ``truth.json`` (page id -> truth) and ``html/<id>.html.gz``.  Pages
are split into folds by their host (a stable hash of the host name), so every page of one site
lands in the same fold: a rule tuned while looking at some sites is measured on sites it was
not tuned on.  Only the scorer reads the labels; the extractor is given the page and its URL,
as a crawl would give them.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SCORER = REPO.parent / "shared" / "tools" / "score.py"


@dataclass(frozen=True)
class Page:
    id: str
    url: str | None
    host: str
    html: bytes


@dataclass(frozen=True)
class BenchSet:
    name: str
    directory: Path
    pages: tuple[Page, ...]
    kinds: tuple[str, ...]  # what the truth lets the scorer measure: body, meta, comments
    labels: frozenset[str] = frozenset()  # the truth's fields: title, authors, date ...

    @property
    def truth_path(self) -> Path:
        return self.directory / "truth.json"


def host_of(url: str | None, page_id: str) -> str:
    host = (urlsplit(url).hostname or "") if url else ""
    return host.removeprefix("www.") or page_id


def fold_of(host: str, folds: int) -> int:
    """The fold a host's pages belong to: stable across runs, machines and Python versions."""
    return int(hashlib.sha1(host.encode("utf-8")).hexdigest(), 16) % folds


def load_set(directory: Path) -> BenchSet:
    """The set's pages (ids are the file stems) with the URL each was fetched from."""
    truth_file = directory / "truth.json"
    urls: dict[str, str | None] = {}
    kinds: tuple[str, ...] = ()
    labels: frozenset[str] = frozenset()
    if truth_file.exists():
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
        urls = {key: value.get("url") for key, value in truth.items()}
        kinds = _kinds(truth)
        labels = frozenset(next(iter(truth.values()), {}))
    pages = []
    for path in sorted((directory / "html").glob("*.html.gz")):
        page_id = path.name.removesuffix(".html.gz")
        url = urls.get(page_id)
        pages.append(Page(page_id, url, host_of(url, page_id), gzip.decompress(path.read_bytes())))
    if not pages:
        raise SystemExit(f"no pages under {directory / 'html'}: pass --set with a benchmark dir")
    return BenchSet(directory.name, directory, tuple(pages), kinds, labels)


def _kinds(truth: dict[str, dict[str, Any]]) -> tuple[str, ...]:
    sample = next(iter(truth.values()), {})
    kinds = []
    if "articleBody" in sample:
        kinds.append("body")
    if any(key in sample for key in ("title", "authors", "date")):
        kinds.append("meta")
    if "comments" in sample:
        kinds.append("comments")
    return tuple(kinds)


def score(scorer: Path, truth: dict[str, Any], predictions: dict[str, Any],
          kinds: tuple[str, ...]) -> dict[str, Any]:
    """The shared scorer's figures for ``predictions`` against the ``truth`` subset."""
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as scratch:
        truth_path, pred_path = Path(scratch) / "truth.json", Path(scratch) / "pred.json"
        truth_path.write_text(json.dumps(truth, ensure_ascii=False), encoding="utf-8")
        pred_path.write_text(json.dumps(predictions, ensure_ascii=False), encoding="utf-8")
        for kind in kinds:
            done = subprocess.run([sys.executable, str(scorer), kind, str(truth_path),
                                   str(pred_path)], capture_output=True, text=True, check=True)
            results.update(json.loads(done.stdout))
    return results


def headline_figures(scores: dict[str, Any], labels: frozenset[str]) -> dict[str, float | None]:
    """The figures the acceptance targets name, flattened for one table row (meta figures only
    for the fields the truth labels)."""
    body, meta, comments = (scores.get(key) or {} for key in ("body", "meta", "comments"))
    row: dict[str, float | None] = {}
    if body:
        row.update({"body_f1": body["f1"], "body_p": body["precision"], "body_r": body["recall"]})
    if meta:
        if "title" in labels:
            row["title"] = meta["title_exact"]
        if "authors" in labels:
            row["authors"] = meta["authors_exact"]
        if "date" in labels:
            row.update({"date_right": meta["date_day_accuracy"],
                        "date_wrong": meta["date_wrong_rate"]})
    if comments:
        row.update({"comment_recall": comments["comment_recall"],
                    "comment_leak": comments["leak_into_body"]})
    return row


def scorer_module(scorer: Path) -> ModuleType:
    """The shared scorer imported as a module: its functions score one page at a time."""
    spec = importlib.util.spec_from_file_location("shared_score", scorer)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load the scorer at {scorer}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def page_figures(module: ModuleType, truth: dict[str, Any], prediction: dict[str, Any],
                 kinds: tuple[str, ...], labels: frozenset[str]) -> dict[str, float | None]:
    """One page's figures, computed by the scorer's own functions."""
    one_truth, one_pred = {"page": truth}, {"page": prediction}
    scores: dict[str, Any] = {}
    if "body" in kinds:
        scores["body"] = module.body_scores(one_truth, one_pred)
    if "meta" in kinds:
        scores["meta"] = module.meta_scores(one_truth, one_pred)
    if "comments" in kinds:
        scores["comments"] = module.comment_scores(one_truth, one_pred)
    return headline_figures(scores, labels)
