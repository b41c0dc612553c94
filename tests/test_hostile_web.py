"""A hostile web cannot poison or exhaust a crawl (issue 13): cross-site canonicals and
redirects never file content under a host that did not serve it, discovery is bounded, and
absurd counters are null.  Every test crawls real servers on 127.0.0.1; two sites are
``127.0.0.1`` and ``localhost`` (one server each), since a port alone does not make a site."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from archive import Archive
from scraper.cli.main import main
from scraper.extract.record import Article
from scraper.urls import canonical_url
from tests import misbehaving_server
from tests.hostile_web_routes import HUGE_COUNT, story_title
from tests.misbehaving_server import MisbehavingServer

site = misbehaving_server.site
other_site = misbehaving_server.other_site

CONFIG = """\
crawl: {follow_links: false, use_sitemaps: false, use_feeds: false, same_site: false}
politeness: {delay: 0}
fetch: {retries: 0}
"""


def crawl(tmp_path: Path, capsys: pytest.CaptureFixture[str], *seeds: str,
          config: str = CONFIG, options: tuple[str, ...] = ()) -> dict[str, Any]:
    path = tmp_path / "config.yaml"
    path.write_text(config, encoding="utf-8")
    capsys.readouterr()
    main(["crawl", *seeds, "--archive", str(tmp_path / "a"), "--config", str(path), "--quiet",
          "--json", *options])
    summary: dict[str, Any] = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    return summary


def records(tmp_path: Path) -> list[dict[str, Any]]:
    return [json.loads(path.read_text(encoding="utf-8"))
            for path in sorted((tmp_path / "a" / "articles").rglob("*.json"))]


def on_localhost(server: MisbehavingServer, path: str) -> str:
    """``path`` on ``server`` under the host name ``localhost``: another site than 127.0.0.1."""
    return f"http://localhost:{server.port}{path}"


def key(url: str) -> str:
    """``url`` in canonical form, as records hold it."""
    found = canonical_url(url)
    assert found is not None
    return found


def export(tmp_path: Path, capsys: pytest.CaptureFixture[str], *options: str) -> list[str]:
    capsys.readouterr()
    assert main(["export", "--archive", str(tmp_path / "a"), *options]) == 0
    return [json.loads(line)["url"] for line in capsys.readouterr().out.splitlines()]


# -- item 10: counters outside a sane range ------------------------------------------------------

def test_thirty_digit_counters_from_every_source_are_null_and_parquet_exports(
        site: MisbehavingServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    summary = crawl(tmp_path, capsys, site.url("/counters/a"))
    assert summary["stored"] == 1, summary
    (record,) = records(tmp_path)
    assert record["views"] is None and record["comment_count"] is None
    assert record["snapshots"][0]["views"] is None
    out = tmp_path / "out.parquet"
    assert main(["export", "--archive", str(tmp_path / "a"), "--format", "parquet",
                 "-o", str(out)]) == 0
    assert pd.read_parquet(out)["comment_count"].isna().all()


def test_a_stored_counter_over_10_to_12_reads_as_null_in_every_export(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A file that holds a 30-digit counter (written by an older broadsheet, or by hand) and a
    library caller storing one: both read as null, so Parquet and pandas load the export."""
    root = tmp_path / "a"
    body = "The harbour reopened on Monday after repairs that took two years. " * 3
    with Archive(root) as archive:
        stored = archive.store(Article(url="https://news.example.com/b", title="B", body=body,
                                       views=int(HUGE_COUNT), comment_count=7).to_dict(),
                               url_keys=["https://news.example.com/b"],
                               fetched_url="https://news.example.com/b",
                               fetched_at="2024-06-01T08:00:00Z")
        first = archive.store(Article(url="https://news.example.com/a", title="A",
                                      body="Another story, about the library hours. " * 3,
                                      views=5, comment_count=7).to_dict(),
                              url_keys=["https://news.example.com/a"],
                              fetched_url="https://news.example.com/a",
                              fetched_at="2024-06-01T08:00:00Z")
    assert json.loads(stored.path.read_text(encoding="utf-8"))["views"] is None
    old = json.loads(first.path.read_text(encoding="utf-8"))
    old["comment_count"] = old["snapshots"][0]["comment_count"] = int(HUGE_COUNT)
    first.path.write_text(json.dumps(old), encoding="utf-8")
    out = tmp_path / "out.parquet"
    assert main(["export", "--archive", str(root), "--format", "parquet", "-o", str(out)]) == 0
    assert sorted(pd.read_parquet(out)["views"].fillna(-1)) == [-1, 5]
    jsonl = tmp_path / "out.jsonl"
    assert main(["export", "--archive", str(root), "-o", str(jsonl)]) == 0
    frame = pd.read_json(jsonl, lines=True)
    assert frame["comment_count"].isna().sum() == 1
    assert main(["verify", "--archive", str(root), "--quick"]) == 0


# -- item 6: cross-site canonical poisoning ------------------------------------------------------

def test_a_canonical_to_another_site_never_files_the_page_under_that_site(
        site: MisbehavingServer, other_site: MisbehavingServer, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Site A's page names B's article (not archived yet) as its canonical: it stays A's record
    with the claim noted, and B's real page, crawled later, is B's own article, version 1."""
    victim = on_localhost(other_site, "/story/real")
    planted = key(site.url(f"/claim/x?canonical={victim}"))
    default_scope = "politeness: {delay: 0}\nfetch: {retries: 0}\n"
    summary = crawl(tmp_path, capsys, planted, config=default_scope)
    assert summary["stored"] == 1, summary
    (fake,) = records(tmp_path)
    assert fake["url"] == planted and fake["canonical_claimed"] == victim
    assert victim not in fake["aliases"]
    assert [path.name for path in (tmp_path / "a" / "articles").iterdir()] == ["127.0.0.1"]
    assert export(tmp_path, capsys, "--site", "localhost") == []

    summary = crawl(tmp_path, capsys, victim, config=default_scope)
    assert summary["stored"] == 1, summary
    real = next(record for record in records(tmp_path) if record["url"] == victim)
    assert real["title"] == story_title("real") and real["version"] == 1
    assert real["canonical_claimed"] is None and planted not in real["aliases"]
    assert export(tmp_path, capsys, "--site", "localhost") == [victim]


def test_a_copy_of_the_victims_text_claiming_its_url_never_absorbs_the_real_page(
        site: MisbehavingServer, other_site: MisbehavingServer, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Site A serves B's own text under a planted headline and names B's URL as canonical: B's
    real page, crawled later, is its own article, not an alias of A's copy (an exact copy of
    a page that names no other URL still joins the article it copies, as before)."""
    victim = on_localhost(other_site, "/story/copied")
    planted = key(site.url(f"/claim/z?copy=copied&canonical={victim}"))
    crawl(tmp_path, capsys, planted)
    summary = crawl(tmp_path, capsys, victim)
    assert summary["stored"] == 1 and summary["duplicates"] == 0, summary
    by_url = {record["url"]: record for record in records(tmp_path)}
    assert by_url.keys() == {planted, victim}
    assert by_url[victim]["title"] == story_title("copied") and by_url[victim]["version"] == 1
    assert by_url[planted]["aliases"] == [] and by_url[victim]["aliases"] == []
    assert by_url[victim]["body"] == by_url[planted]["body"]
    assert export(tmp_path, capsys, "--site", "localhost") == [victim]


def test_a_cross_site_canonical_in_scope_is_not_trusted_either(
        site: MisbehavingServer, other_site: MisbehavingServer, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Both sites crawled at once: each page is filed under the URL that served it, in
    whatever order they are fetched, and neither becomes the other's alias."""
    victim = on_localhost(other_site, "/story/both")
    planted = key(site.url(f"/claim/y?canonical={victim}"))
    summary = crawl(tmp_path, capsys, planted, victim)
    assert summary["stored"] == 2, summary
    by_url = {record["url"]: record for record in records(tmp_path)}
    assert by_url.keys() == {planted, victim}
    assert by_url[victim]["title"] == story_title("both") and by_url[victim]["aliases"] == []
    assert by_url[planted]["aliases"] == [] and by_url[planted]["canonical_claimed"] == victim


def test_a_canonical_on_the_same_site_still_files_the_copy_under_the_article(
        site: MisbehavingServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = site.url("/story/own")
    copy = key(site.url(f"/claim/amp?canonical={article}"))
    one_at_a_time = CONFIG.replace("{delay: 0}", "{delay: 0, concurrency: 1}")
    summary = crawl(tmp_path, capsys, copy, config=one_at_a_time)
    assert summary["stored"] == 1 and summary["duplicates"] == 1, summary
    (record,) = records(tmp_path)
    assert record["url"] == article and copy in record["aliases"]
    assert record["canonical_claimed"] is None


# -- item 8: redirect hijack ---------------------------------------------------------------------

def test_a_redirect_to_another_site_files_the_content_where_it_was_served(
        site: MisbehavingServer, other_site: MisbehavingServer, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    target = on_localhost(other_site, "/story/moved")
    hijack = key(site.url(f"/redirect?to={target}"))
    summary = crawl(tmp_path, capsys, hijack)  # same_site off: the other site is in scope
    assert summary["stored"] == 1, summary
    (record,) = records(tmp_path)
    assert record["url"] == target and record["fetched_url"] == target
    assert hijack not in record["aliases"]
    assert [path.name for path in (tmp_path / "a" / "articles").iterdir()] == ["localhost"]
    assert export(tmp_path, capsys, "--site", "localhost") == [target]
    assert export(tmp_path, capsys, "--site", "127.0.0.1") == []

    summary = crawl(tmp_path, capsys, target)
    assert summary["unchanged"] == 1 and summary["stored"] == 0, summary
    (again,) = records(tmp_path)
    assert again["url"] == target and len(again["snapshots"]) == 2


def test_a_redirect_out_of_the_crawls_scope_is_skipped_not_stored(
        site: MisbehavingServer, other_site: MisbehavingServer, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    """With ``same_site`` on, a page of the seed's site that redirects to another site is not
    stored under either: the crawl counts it as redirected away and goes on."""
    hijack = site.url("/redirect?to=" + on_localhost(other_site, "/story/away"))
    summary = crawl(tmp_path, capsys, hijack, site.url("/story/kept"),
                    config=CONFIG.replace("same_site: false", "same_site: true"))
    assert summary["redirected_away"] == 1 and summary["stored"] == 1, summary
    assert summary["failed"] == 0
    assert [record["url"] for record in records(tmp_path)] == [site.url("/story/kept")]


def test_a_redirect_within_a_site_keeps_every_hop_as_an_alias(
        site: MisbehavingServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = key(site.url("/redirect?to=/story/renamed"))
    summary = crawl(tmp_path, capsys, old)
    assert summary["stored"] == 1, summary
    (record,) = records(tmp_path)
    assert record["url"] == site.url("/story/renamed") and record["aliases"] == [old]


# -- item 9: unbounded discovery -----------------------------------------------------------------

DISCOVERY = """\
crawl: {follow_links: false, max_pages: 0}
politeness: {delay: 0}
fetch: {retries: 0}
"""


def test_a_sitemap_index_listing_itself_under_new_queries_ends_at_the_depth_bound(
        site: MisbehavingServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site.robots_txt = "User-agent: *\nSitemap: {base}/sitemap-loop.xml?n=0\n"
    summary = crawl(tmp_path, capsys, site.url("/story/seed"),
                    config=DISCOVERY.replace("max_pages: 0", "max_pages: 0, sitemap_max_depth: 2"))
    assert len(site.requests("/sitemap-loop.xml")) == 3  # levels 0, 1 and 2
    assert len(site.requests("/sitemap-pages.xml")) == 2  # listed by levels 0 and 1
    assert summary["stored"] == 3, summary  # the seed and the stories of two pages sitemaps


def test_the_per_site_sitemap_count_bounds_an_endless_index(
        site: MisbehavingServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site.robots_txt = "User-agent: *\nSitemap: {base}/sitemap-loop.xml?n=0\n"
    bounds = "max_pages: 0, sitemap_max_depth: 1000, max_sitemaps_per_site: 9"
    crawl(tmp_path, capsys, site.url("/story/seed"),
          config=DISCOVERY.replace("max_pages: 0", bounds))
    sitemaps = site.requests("/sitemap-loop.xml") + site.requests("/sitemap-pages.xml")
    assert len(sitemaps) == 9


def test_a_page_announcing_thousands_of_feeds_has_at_most_the_bound_read(
        site: MisbehavingServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    summary = crawl(tmp_path, capsys, site.url("/feed-flood/5000"),
                    config=DISCOVERY.replace("max_pages: 0", "max_pages: 0, max_feeds_per_site: 7"))
    assert len(site.requests("/flood-feed/")) == 7
    assert summary["stored"] == 8, summary  # the page and one story from each feed read


def test_max_pages_counts_sitemap_and_feed_requests(
        site: MisbehavingServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site.robots_txt = "User-agent: *\nSitemap: {base}/sitemap-loop.xml?n=0\n"
    summary = crawl(tmp_path, capsys, site.url("/feed-flood/200"),
                    config=DISCOVERY.replace("max_pages: 0", "max_pages: 6"))
    sent = [r for r in site.requests() if not r.path.startswith("/robots.txt")]
    assert len(sent) == 6 and summary["fetched"] == 6, summary


def test_robots_txt_listing_many_sitemaps_has_at_most_the_bound_read(
        site: MisbehavingServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site.robots_txt = "User-agent: *\n" + "".join(
        f"Sitemap: {{base}}/sitemap-pages.xml?n={n}\n" for n in range(40))
    crawl(tmp_path, capsys, site.url("/story/seed"),
          config=DISCOVERY.replace("max_pages: 0", "max_pages: 0, max_sitemaps_per_site: 4"))
    assert len(site.requests("/sitemap-pages.xml")) == 4
