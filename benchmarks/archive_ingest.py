"""Archive ingest at scale: per-record store time early and late, memory, and indexed dedup.

    .venv/bin/python benchmarks/archive_ingest.py [--records 1000000] [--window 10000] [--json]
        [--dir DIR] [--keep] [--no-raw] [--progress 10000] [--seed 5]

Generates ``--records`` synthetic visits deterministically (the same seed gives the same
records) and stores each one with ``Archive.store`` into a fresh archive (a temporary directory,
deleted afterwards, unless ``--dir``/``--keep``).  The visits are:

* about 90% new articles: a unique URL on one of 12 sites (one big site takes about 40%, so one
  site really holds hundreds of thousands of files), 1-3 authors, a published date in
  2019-2024, 0-4 comments, tags, and a 2-6 KB body of generated sentences; a fifth are fetched
  under a tracking variant of the URL (two URL keys);
* about 5% syndicated copies: an earlier article's exact body under a new URL on another site
  (outcome "duplicate", found through the content-hash index);
* about 5% re-visits of an earlier article's URL, half unchanged and half with a new view count
  (found through the URL-key index).

The raw page handed to ``store`` is a small HTML document wrapping the title and body (2-6 KB,
about 2 KB gzipped), so the raw-page path (gzip, staging, content address) is exercised at a
realistic share of the work without filling the disk with 100 KB pages; ``--no-raw`` passes
``raw=None``.  Only the ``store`` call is timed; generating records is not.

Reports the mean and median store time over the first and the last ``--window`` records and
their ratio (the acceptance asks for at most 1.3), overall records per second, the peak resident
set size (VmHWM from ``/proc/self/status``; acceptance: under 500 MB), the archive's size on disk,
and ``EXPLAIN QUERY PLAN`` of every per-record index query (``archive.index.sqlite.LOOKUP_QUERIES``),
each of which must SEARCH an index, never SCAN a table.  Progress goes to stderr.  Linux only.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this file's directory comes first on sys.path and its own name would shadow
# the ``archive`` package it measures.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != _HERE]

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import shutil  # noqa: E402
import sqlite3  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from array import array  # noqa: E402
from collections import Counter  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from contextlib import closing  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from datetime import UTC, datetime, timedelta  # noqa: E402
from typing import Any  # noqa: E402

from archive import Archive  # noqa: E402
from archive.index.sqlite import LOOKUP_QUERIES  # noqa: E402

RATIO_LIMIT = 1.3
PEAK_LIMIT_MB = 500
SITES = (("www.daily-harbour.example.com", 40), ("news.riverside.example.org", 10),
         ("www.metro-times.example.net", 8), ("tin-tuc.example.vn", 7),
         ("www.valley-post.example.com", 6), ("www.coastal-herald.example.co.uk", 6),
         ("www.nordlicht.example.de", 5), ("www.el-diario.example.es", 5),
         ("www.prairie-news.example.ca", 4), ("www.southern-cross.example.com.au", 3),
         ("www.lagos-wire.example.ng", 3), ("www.mumbai-ledger.example.in", 3))
SECTIONS = ("world", "politics", "business", "technology", "science", "health", "sport",
            "culture", "opinion", "travel", "climate", "education")
WORDS = ("council", "vote", "budget", "storm", "market", "strike", "court", "election", "river",
         "school", "hospital", "festival", "rail", "energy", "housing", "minister", "report",
         "police", "harbour", "museum", "price", "water", "union", "border", "trial", "study",
         "the", "a", "of", "and", "to", "in", "on", "after", "before", "said", "will", "new",
         "residents", "officials", "plan", "year", "week", "city", "région", "Nguyễn", "café")
FIRST = ("Ann", "Bao", "Carlos", "Dana", "Emeka", "Farah", "Grace", "Hiro", "Ines", "Jonas",
         "Kemi", "Liam", "Mai", "Noor", "Olga", "Priya", "Quinn", "Rosa", "Sven", "Thu")
LAST = ("Lee", "Nguyễn", "García", "Okafor", "Schmidt", "Tanaka", "Rossi", "Patel", "Kowalski",
        "Silva", "Brown", "Haddad", "Jensen", "Murphy", "Novak", "Ortiz", "Sato", "Walker")
START = datetime(2024, 6, 1, tzinfo=UTC)


def memory_kib() -> dict[str, int]:
    """This process's resident set size now (VmRSS) and at its peak (VmHWM), in KiB."""
    fields = {}
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0])
    return fields


@dataclass(frozen=True, slots=True)
class Visit:
    """One synthetic fetch: what ``Archive.store`` is given."""

    kind: str  # "new", "duplicate" or "revisit"
    record: dict[str, Any]
    url_keys: list[str]
    fetched_url: str
    fetched_at: str
    raw: bytes | None


class Synthetic:
    """Deterministic records: article ``n`` is a pure function of (seed, n), so earlier
    articles can be re-created for re-visits and copies without being kept in memory."""

    def __init__(self, seed: int, with_raw: bool) -> None:
        self.seed = seed
        self.with_raw = with_raw
        pool = random.Random(seed)
        self.sentences = [self._sentence(pool) for _ in range(4000)]
        self.sites = [site for site, _ in SITES]
        self.weights = [weight for _, weight in SITES]

    @staticmethod
    def _sentence(rng: random.Random) -> str:
        words = [rng.choice(WORDS) for _ in range(rng.randint(8, 24))]
        return " ".join(words).capitalize() + rng.choice((".", ".", ".", "?", "!"))

    def article(self, n: int) -> dict[str, Any]:
        """Extractor record of article ``n`` (a unique URL and a unique 2-6 KB body)."""
        rng = random.Random(self.seed * 1_000_003 + n)
        site = rng.choices(self.sites, self.weights)[0]
        slug = "-".join(rng.choice(WORDS[:26]) for _ in range(rng.randint(3, 7)))
        day = START - timedelta(days=rng.randint(0, 6 * 365), minutes=rng.randint(0, 1439))
        url = (f"https://{site}/{rng.choice(SECTIONS)}/{day:%Y/%m/%d}/{slug}-{n}")
        return {
            "url": url, "title": f"{slug.replace('-', ' ').capitalize()} ({n})",
            "authors": [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(rng.randint(1, 3))],
            "published": day.isoformat(timespec="seconds"), "modified": None,
            "views": rng.randint(0, 90_000), "comment_count": None,
            "comments": self._comments(rng, day), "body": self._body(rng, n),
            "language": "en", "site_name": site.split(".")[1].replace("-", " ").title(),
            "description": rng.choice(self.sentences),
            "tags": sorted({rng.choice(WORDS[:26]) for _ in range(rng.randint(0, 4))}),
            "image": f"https://{site}/img/{n}.jpg",
        }

    def _body(self, rng: random.Random, n: int) -> str:
        target = rng.randint(2000, 6000)
        paragraphs, size = [f"Report {n} from our correspondent."], 0
        while size < target:
            paragraph = " ".join(rng.choices(self.sentences, k=rng.randint(3, 6)))
            paragraphs.append(paragraph)
            size += len(paragraph.encode("utf-8")) + 2
        return "\n\n".join(paragraphs)

    def _comments(self, rng: random.Random, day: datetime) -> list[dict[str, Any]]:
        return [{"author": rng.choice(FIRST), "published": (day + timedelta(hours=k + 1)).date()
                 .isoformat(), "text": rng.choice(self.sentences),
                 "replies": [] if rng.random() < 0.7 else
                 [{"author": rng.choice(FIRST), "published": None, "text": "Agreed.",
                   "replies": []}]}
                for k in range(rng.choice((0, 0, 1, 2, 3, 4)))]

    def visits(self, total: int) -> Iterator[Visit]:
        """``total`` visits: new articles, syndicated copies and re-visits (see module doc)."""
        rng = random.Random(self.seed + 1)
        made = 0
        for step in range(total):
            when = (START + timedelta(seconds=step)).isoformat().replace("+00:00", "Z")
            roll = rng.random() if made >= 100 else 1.0
            if roll < 0.05:
                yield self._copy(rng, rng.randrange(made), step, when)
            elif roll < 0.10:
                yield self._revisit(rng, rng.randrange(made), when)
            else:
                yield self._new(rng, made, when)
                made += 1

    def _new(self, rng: random.Random, n: int, when: str) -> Visit:
        record = self.article(n)
        keys = [record["url"]]
        if rng.random() < 0.2:
            keys.append(record["url"] + "?utm_source=rss&utm_medium=feed")
        return Visit("new", record, keys, keys[-1], when, self._raw(record))

    def _copy(self, rng: random.Random, n: int, step: int, when: str) -> Visit:
        original = self.article(n)
        site = rng.choice([site for site in self.sites if site not in original["url"]])
        url = f"https://{site}/wire/{step}-syndicated"
        record = {**original, "url": url, "image": None, "site_name": "Wire copy"}
        return Visit("duplicate", record, [url], url, when, self._raw(record))

    def _revisit(self, rng: random.Random, n: int, when: str) -> Visit:
        record = self.article(n)
        if rng.random() < 0.5:
            record["views"] += rng.randint(1, 5000)
        return Visit("revisit", record, [record["url"]], record["url"], when, self._raw(record))

    def _raw(self, record: dict[str, Any]) -> bytes | None:
        if not self.with_raw:
            return None
        paragraphs = "".join(f"<p>{text}</p>\n" for text in record["body"].split("\n\n"))
        return (f"<!doctype html><html><head><title>{record['title']}</title>"
                f'<link rel="canonical" href="{record["url"]}"></head><body><article>'
                f"<h1>{record['title']}</h1>\n{paragraphs}</article></body></html>").encode()


def window_stats(times: array[float]) -> dict[str, float]:
    return {"mean_ms": statistics.fmean(times) * 1000,
            "median_ms": statistics.median(times) * 1000}


def ingest(archive: Archive, synthetic: Synthetic, total: int, progress: int) -> dict[str, Any]:
    """Store every visit, timing each ``store`` call; returns timings and outcome counts."""
    times: array[float] = array("d")
    outcomes: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    started = last = time.perf_counter()
    for step, visit in enumerate(synthetic.visits(total), 1):
        before = time.perf_counter()
        result = archive.store(visit.record, url_keys=visit.url_keys, fetched_url=visit.fetched_url,
                               fetched_at=visit.fetched_at, raw=visit.raw)
        times.append(time.perf_counter() - before)
        outcomes[result.outcome] += 1
        kinds[visit.kind] += 1
        if progress and step % progress == 0:
            now = time.perf_counter()
            recent = statistics.fmean(times[-progress:]) * 1000
            print(f"{step:>9} records  {now - started:8.1f} s  {progress / (now - last):7.0f}/s  "
                  f"store {recent:.3f} ms  rss {memory_kib()['VmRSS'] // 1024} MB",
                  file=sys.stderr, flush=True)
            last = now
    return {"times": times, "outcomes": dict(outcomes), "kinds": dict(kinds),
            "seconds": time.perf_counter() - started}


def query_plans(index_path: Path) -> dict[str, dict[str, Any]]:
    """EXPLAIN QUERY PLAN of every per-record lookup, on the index just built (read-only)."""
    plans = {}
    with closing(sqlite3.connect(f"file:{index_path}?mode=ro", uri=True)) as db:
        for name, (sql, params) in LOOKUP_QUERIES.items():
            details = [row[3] for row in db.execute(f"EXPLAIN QUERY PLAN {sql}", params)]
            scans = [d for d in details if d.startswith("SCAN") and "CONSTANT ROW" not in d]
            indexed = all(("INDEX" in d or "PRIMARY KEY" in d) for d in details
                          if d.startswith("SEARCH"))
            plans[name] = {"plan": details, "by_index": indexed and not scans}
    return plans


def disk_usage(root: Path) -> dict[str, int]:
    """Files under ``root`` and the bytes they occupy on disk (allocated blocks)."""
    files = allocated = 0
    for directory, _, names in os.walk(root):
        for name in names:
            info = os.lstat(os.path.join(directory, name))
            files += 1
            allocated += info.st_blocks * 512
    return {"files": files, "bytes": allocated}


def run(args: argparse.Namespace, root: Path) -> dict[str, Any]:
    synthetic = Synthetic(args.seed, not args.no_raw)
    with Archive(root) as archive:
        done = ingest(archive, synthetic, args.records, args.progress)
        articles = archive.count()
    times: array[float] = done.pop("times")
    window = min(args.window, len(times) // 2)
    first, last = window_stats(times[:window]), window_stats(times[-window:])
    ratio = {key: last[key] / first[key] for key in first}
    print("measuring disk usage and query plans", file=sys.stderr, flush=True)
    plans = query_plans(root / "index.sqlite")
    peak_mb = memory_kib()["VmHWM"] / 1024
    return {
        "records": len(times), "window": window, "raw": not args.no_raw, **done,
        "articles": articles, "records_per_s": len(times) / done["seconds"],
        "store_seconds": sum(times), "first": first, "last": last, "ratio": ratio,
        "overall": window_stats(times), "peak_rss_mb": peak_mb, "disk": disk_usage(root),
        "query_plans": plans,
        "pass": {"ratio": ratio["mean_ms"] <= RATIO_LIMIT, "peak_rss": peak_mb < PEAK_LIMIT_MB,
                 "indexed_lookups": all(plan["by_index"] for plan in plans.values())},
    }


def print_report(report: dict[str, Any]) -> None:
    window = report["window"]
    print(f"records {report['records']:,} (raw pages {'on' if report['raw'] else 'off'}), "
          f"articles stored {report['articles']:,}")
    print(f"visits   {report['kinds']}\noutcomes {report['outcomes']}")
    print(f"wall {report['seconds']:.1f} s, {report['records_per_s']:.0f} records/s "
          f"(store calls alone {report['store_seconds']:.1f} s)")
    for label in ("first", "last", "overall"):
        figures = report[label]
        name = f"{label} {window:,}" if label != "overall" else "all"
        print(f"  {name:<14} mean {figures['mean_ms']:.3f} ms  median {figures['median_ms']:.3f} ms")
    ratio = report["ratio"]
    print(f"last/first: mean {ratio['mean_ms']:.2f}x, median {ratio['median_ms']:.2f}x "
          f"(limit {RATIO_LIMIT}x on the mean)")
    print(f"peak RSS {report['peak_rss_mb']:.0f} MB (limit {PEAK_LIMIT_MB} MB)")
    disk = report["disk"]
    print(f"on disk {disk['bytes'] / 2**30:.2f} GiB in {disk['files']:,} files")
    for name, plan in report["query_plans"].items():
        verdict = "index" if plan["by_index"] else "SCAN"
        print(f"  query {name:<13} {verdict:<6} {' | '.join(plan['plan'])}")
    print("pass: " + ", ".join(f"{name} {'yes' if ok else 'NO'}"
                               for name, ok in report["pass"].items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--window", type=int, default=10_000,
                        help="records in the first and last window compared")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--dir", type=Path, help="archive directory (must not exist; kept)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary archive")
    parser.add_argument("--no-raw", action="store_true", help="store without raw pages")
    parser.add_argument("--progress", type=int, default=10_000, help="stderr line every N records")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args(argv)
    if args.records < 2:
        parser.error("--records must be at least 2")
    if args.dir is not None and args.dir.exists():
        parser.error(f"--dir {args.dir} already exists; the benchmark needs a fresh archive")
    root = args.dir or Path(tempfile.mkdtemp(prefix="archbench-")) / "archive"
    try:
        report = run(args, root)
    finally:
        if args.dir is None and not args.keep:
            shutil.rmtree(root.parent)
        elif args.dir is None:
            print(f"archive kept in {root}", file=sys.stderr)
    if args.json:
        print(json.dumps(report))
    else:
        print_report(report)
    return 0 if all(report["pass"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
