"""``broadsheet report``: the rows gathered from records, the SVG charts, the page (escaped,
self-contained), the crawl recap read from a real frontier file, and the command."""

from __future__ import annotations

import contextlib
import datetime
import io
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from archive import Archive
from archive.report import CrawlRecap, SnapshotPoint, gather, render_page
from archive.report.svg import chart
from scraper.archive_access import ArchiveAccess
from scraper.cli.main import main
from scraper.crawl.frontier.base import Frontier
from scraper.crawl.frontier.postgres import PostgresFrontier
from scraper.crawl.frontier.postgres_recap import shared_crawl_recap
from scraper.crawl.frontier.recap import crawl_recap
from scraper.crawl.frontier.sqlite import CrawlRequest, SqliteFrontier
from tests.test_archive import make_record, store

NOW = datetime.datetime(2024, 6, 1, 12, 0, tzinfo=datetime.UTC)
HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(2)>&amp;'


class Tags(HTMLParser):
    """Every start tag of a page with its attributes."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def named(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def snapshot(day: int, views: int | None, comments: int | None) -> dict[str, Any]:
    return {"fetched_at": f"2024-05-{day:02d}T08:00:00Z", "http_status": 200 if views else 304,
            "views": views, "comment_count": comments, "version": 1}


def record(ident: str, url: str, title: str, published: str | None,
           snapshots: list[dict[str, Any]]) -> dict[str, Any]:
    return {"id": ident, "url": url, "title": title, "published": published,
            "fetched_at": snapshots[0]["fetched_at"], "views": 5,
            "comment_count": 2, "version": 1, "snapshots": snapshots}


def sample_records() -> list[dict[str, Any]]:
    return [
        record("a1", "https://one.example/a", "Older story", "2024-05-01T09:00:00+02:00",
               [snapshot(2, 100, 1), snapshot(3, 150, 4), snapshot(9, 190, 6)]),
        record("b2", "https://www.two.example/b", "Newer story", "2024-05-04T09:00:00Z",
               [snapshot(4, 10, 0)]),
        record("c3", "https://one.example/c", "No date", None,
               [snapshot(5, 7, 0), snapshot(6, None, None)]),
    ]


def test_gather_makes_one_row_per_record_newest_first_with_counts() -> None:
    data = gather(sample_records(), "/archive", None, NOW)
    assert [row.id for row in data.articles] == ["c3", "b2", "a1"]  # c3: by its fetch time
    assert data.by_site == {"one.example": 2, "two.example": 1}
    assert data.by_day == {"2024-05-01": 1, "2024-05-04": 1, "2024-05-05": 1}
    older = data.articles[2]
    assert [(point.views, point.comment_count) for point in older.snapshots] == [
        (100, 1), (150, 4), (190, 6)]
    assert [row.id for row in data.charted] == ["c3", "a1"]


def test_a_three_snapshot_article_has_three_points_per_series() -> None:
    row = gather(sample_records(), "/archive", None, NOW).articles[2]
    svg = chart(row.snapshots, row.title)
    circles = Tags(svg).named("circle")
    assert Tags(svg).named("svg")[0]["data-points"] == "3"
    assert [c["class"] for c in circles].count("pt pt-views") == 3
    assert [c["class"] for c in circles].count("pt pt-comments") == 3
    views_y = [float(c["cy"] or 0) for c in circles if c["class"] == "pt pt-views"]
    assert views_y == sorted(views_y, reverse=True)  # growing views climb (SVG y points down)


def test_a_snapshot_without_counters_is_on_the_axis_but_has_no_point() -> None:
    points = (SnapshotPoint(NOW, 5, 1), SnapshotPoint(NOW + datetime.timedelta(days=1), None, None))
    tags = Tags(chart(points, "t"))
    assert tags.named("svg")[0]["data-points"] == "2"
    assert [c["class"] for c in tags.named("circle")] == ["pt pt-views", "pt pt-comments"]


def test_hostile_titles_urls_and_sites_are_escaped() -> None:
    records = [record(HOSTILE, "javascript:alert(3)", HOSTILE, HOSTILE,
                      [snapshot(2, 1, 1), snapshot(3, 2, 2)])]
    recap = CrawlRecap(finished=1, fetched=1)
    recap.count("failed:" + HOSTILE, "https://evil.example/" + HOSTILE)
    page = render_page(gather(records, HOSTILE, recap, NOW))
    tags = Tags(page)
    assert not tags.named("script") and not tags.named("img")
    assert all(not name.startswith("on") for _, attrs in tags.tags for name in attrs)
    assert "javascript:" not in str(tags.named("a"))
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 4  # title, caption, reason...
    assert "&amp;amp;" in page


def test_the_page_loads_nothing_from_elsewhere() -> None:
    records = sample_records()
    page = render_page(gather(records, "/archive", CrawlRecap(), NOW))
    tags = Tags(page)
    (policy,) = [attrs for attrs in tags.named("meta")
                 if attrs.get("http-equiv") == "Content-Security-Policy"]
    assert policy["content"] == "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    urls = {item["url"] for item in records}
    for name, attrs in tags.tags:
        for attribute in ("src", "href", "srcset", "action", "data"):
            value = attrs.get(attribute)
            if value is not None and "http" in value:
                assert name == "a" and attribute == "href" and value in urls, (name, attrs)
    assert not tags.named("link") and not tags.named("script") and not tags.named("iframe")
    assert "@import" not in page and "url(" not in page


def test_the_table_has_one_row_per_article_and_charts_those_with_two_snapshots() -> None:
    page = render_page(gather(sample_records(), "/archive", None, NOW))
    tags = Tags(page)
    assert [attrs["data-id"] for attrs in tags.named("tr") if attrs.get("class") == "article"] == [
        "c3", "b2", "a1"]
    assert [attrs["data-id"] for attrs in tags.named("figure")] == ["c3", "a1"]
    assert "No crawl state found" in page


OUTCOMES = {"https://a.example/1": "stored", "https://a.example/2": "failed:timeout",
            "https://b.example:8080/3": "failed:timeout", "https://b.example:8080/4":
            "failed:http_500", "https://a.example/5": "gone:http_404",
            "https://a.example/6": "robots", "https://a.example/7": "updated"}


def finish_a_crawl(frontier: Frontier) -> None:
    """A crawl of ``OUTCOMES``' URLs (each finished with its outcome) and one left queued."""
    frontier.reset("2024-05-06T08:00:00Z")
    frontier.add([CrawlRequest(url, url) for url in [*OUTCOMES, "https://a.example/queued"]])
    for _ in OUTCOMES:
        claimed = frontier.claim()
        assert claimed is not None
        frontier.finish(claimed, OUTCOMES[claimed.url])
    frontier.end_crawl("2024-05-06T09:00:00Z")
    frontier.close()


def check_recap(recap: CrawlRecap | None) -> None:
    assert recap is not None
    assert (recap.started_at, recap.ended_at) == ("2024-05-06T08:00:00Z", "2024-05-06T09:00:00Z")
    assert (recap.finished, recap.fetched, recap.stored, recap.gone, recap.queued) == (7, 6, 2, 1, 1)
    assert recap.by_reason == {"timeout": 2, "http_500": 1} and recap.failed == 3
    assert recap.by_host == {"a.example": 1, "b.example:8080": 2}


def test_recap_counts_the_latest_crawl_of_a_real_frontier_file(tmp_path: Path) -> None:
    path = tmp_path / "frontier.sqlite"
    finish_a_crawl(SqliteFrontier(path))
    recap = crawl_recap(path)
    check_recap(recap)
    page = Tags(render_page(gather([], "/a", recap, NOW)))
    assert {attrs.get("id") for attrs in page.named("table")} >= {"failures-by-reason",
                                                                 "failures-by-host"}
    assert crawl_recap(tmp_path / "missing.sqlite") is None


def test_recap_of_the_shared_crawl_in_postgresql(postgres_dsn: str) -> None:
    assert shared_crawl_recap(postgres_dsn) is None  # a database no crawl has used
    finish_a_crawl(PostgresFrontier(postgres_dsn, worker_id="w1"))
    check_recap(shared_crawl_recap(postgres_dsn))


def test_the_command_on_the_postgres_backend_reads_the_shared_archive_and_crawl(
        tmp_path: Path, postgres_dsn: str) -> None:
    storage = tmp_path / "shared-files"
    shared = ArchiveAccess(tmp_path / "local", dsn=postgres_dsn, storage=str(storage))
    with shared.open_archive() as archive:
        for day, views in ((6, 337), (7, 400), (8, 402)):
            store(archive, make_record(views=views), fetched_at=f"2024-05-{day:02d}T08:30:00Z")
    finish_a_crawl(PostgresFrontier(postgres_dsn, worker_id="w1"))
    config = tmp_path / "config.yaml"
    config.write_text(f"backend:\n  kind: postgres\n  dsn: {postgres_dsn}\n  storage: {storage}\n",
                      encoding="utf-8")
    target = tmp_path / "report.html"
    code, out, err = run("report", "--config", str(config), "--archive", str(tmp_path / "local"),
                         "-o", str(target), "--quiet")
    assert (code, out, err) == (0, f"{target}\n", "")
    page = target.read_text(encoding="utf-8")
    tags = Tags(page)
    assert len([attrs for attrs in tags.named("tr") if attrs.get("class") == "article"]) == 1
    assert len([t for t in tags.named("circle") if t["class"] == "pt pt-views"]) == 3
    assert "failures-by-host" in {attrs.get("id") for attrs in tags.named("table")}
    assert "b.example:8080" in page and "index 127.0.0.1:" in page


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def test_the_command_writes_the_report_where_asked_and_prints_the_path(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    with Archive(root) as archive:
        for day, views in ((6, 337), (7, 400), (8, 402)):
            store(archive, make_record(views=views, comment_count=day - 5),
                  fetched_at=f"2024-05-{day:02d}T08:30:00Z")
    code, out, err = run("report", "--archive", str(root), "--quiet")
    assert (code, out, err) == (0, f"{root / 'report.html'}\n", "")
    tags = Tags((root / "report.html").read_text(encoding="utf-8"))
    assert len([t for t in tags.named("circle") if t["class"] == "pt pt-views"]) == 3
    assert "No crawl state found" in (root / "report.html").read_text(encoding="utf-8")
    target = tmp_path / "out" / "r.html"
    target.parent.mkdir()
    code, out, _ = run("report", "--archive", str(root), "-o", str(target), "--quiet")
    assert (code, out) == (0, f"{target}\n") and target.read_text(encoding="utf-8").startswith(
        "<!doctype html>")
    assert sorted(path.name for path in target.parent.iterdir()) == ["r.html"]  # no temp left


def test_a_corrupt_record_is_named_skipped_and_exits_1(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    with Archive(root) as archive:
        good = store(archive)
    bad = good.path.parent / "0000000000000000.json"
    bad.write_text("{not json", encoding="utf-8")
    code, out, err = run("report", "--archive", str(root), "--quiet")
    assert code == 1 and out == f"{root / 'report.html'}\n"
    assert str(bad) in err and "skipped 1 corrupt record" in err
    tags = Tags((root / "report.html").read_text(encoding="utf-8"))
    assert [attrs["data-id"] for attrs in tags.named("tr") if attrs.get("class") == "article"] == [
        good.id]


def test_the_command_refuses_a_missing_archive_in_one_line(tmp_path: Path) -> None:
    code, out, err = run("report", "--archive", str(tmp_path / "none"), "--quiet")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("broadsheet: error: no archive at ")
    assert not (tmp_path / "none").exists()


@pytest.mark.parametrize("where", ["missing-dir/r.html", "afile/r.html"])
def test_an_unwritable_output_is_one_line(tmp_path: Path, where: str) -> None:
    root = tmp_path / "archive"
    with Archive(root) as archive:
        store(archive)
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    code, _, err = run("report", "--archive", str(root), "-o", str(tmp_path / where), "--quiet")
    assert code == 2 and err.count("\n") == 1 and "choose another file with -o" in err
