"""Scheduled re-visits: the planner, the snapshot config, and `broadsheet snapshot`/`watch`
against the demo site on 127.0.0.1."""

from __future__ import annotations

import contextlib
import io
import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import scraper.schedule.planner as schedule_module
from archive import Archive, ArchiveError
from archive.revisits import revisit_row
from scraper.archive_access import ArchiveAccess
from scraper.cli.main import main
from scraper.config import Config, ScheduleStep, SiteSchedule, SnapshotConfig, parse_config
from scraper.demo import DemoServer
from scraper.errors import ConfigError
from scraper.schedule.planner import (
    SNAPSHOT_FRONTIER_FILE,
    ArticleTimes,
    due_time,
    plan_revisits,
    watch,
)

T0 = datetime(2024, 6, 1, tzinfo=UTC)
HOUR, DAY = timedelta(hours=1), timedelta(days=1)
HALF_HOUR = timedelta(minutes=30)
DEFAULTS = SnapshotConfig()


def article(url: str, first: datetime, last: datetime, site: str = "a.com") -> ArticleTimes:
    return ArticleTimes(url, site, first, last)


# --- the planner -------------------------------------------------------------------------------

def test_hourly_in_the_first_day() -> None:
    young = article("u", T0, T0 + 2 * HOUR)
    assert plan_revisits([young], DEFAULTS, T0 + 2 * HOUR + timedelta(minutes=59)).due == ()
    assert plan_revisits([young], DEFAULTS, T0 + 3 * HOUR).due == ("u",)


def test_daily_after_the_first_day_then_weekly() -> None:
    day_old = article("u", T0, T0 + 2 * DAY)
    assert plan_revisits([day_old], DEFAULTS, T0 + 2 * DAY + 23 * HOUR).due == ()
    assert plan_revisits([day_old], DEFAULTS, T0 + 3 * DAY).due == ("u",)
    month_old = article("u", T0, T0 + 40 * DAY)
    assert plan_revisits([month_old], DEFAULTS, T0 + 46 * DAY).due == ()
    assert plan_revisits([month_old], DEFAULTS, T0 + 47 * DAY).due == ("u",)


def test_interval_follows_the_age_at_the_due_time() -> None:
    """Fetched half an hour before its first day ends: an hour later it is a day old, so its
    next visit is a day after the last, not an hour."""
    first_fetch_late = article("u", T0, T0 + DAY - HALF_HOUR)
    assert due_time(T0, first_fetch_late.last_fetched, DEFAULTS.schedule) == (
        first_fetch_late.last_fetched + DAY)
    assert due_time(T0, T0 + 10 * HOUR, DEFAULTS.schedule) == T0 + 11 * HOUR


def test_past_a_bounded_last_step_never_due() -> None:
    steps = (ScheduleStep(every=3600, age=86400),)
    assert due_time(T0, T0 + 2 * HOUR, steps) == T0 + 3 * HOUR
    assert due_time(T0, T0 + 23 * HOUR + HALF_HOUR, steps) is None
    plan = plan_revisits([article("u", T0, T0 + 2 * DAY)], SnapshotConfig(schedule=steps),
                         T0 + 100 * DAY)
    assert plan.due == () and plan.next_due is None


def test_site_schedule_overrides_and_covers_subdomains() -> None:
    config = SnapshotConfig(sites=(SiteSchedule("b.com", (ScheduleStep(every=600),)),
                                   SiteSchedule("quiet.com", ())))
    old = T0 - 365 * DAY
    articles = [article("a", old, T0, "a.com"), article("b", old, T0, "news.b.com"),
                article("q", old, T0, "quiet.com")]
    plan = plan_revisits(articles, config, T0 + timedelta(minutes=11))
    assert plan.due == ("b",)
    assert plan.next_due == T0 + 7 * DAY  # a.com: weekly; quiet.com: never
    assert plan_revisits(articles, config, T0 + 365 * DAY).due == ("b", "a")  # b was due first


def test_longest_overdue_first_and_max_articles() -> None:
    old = T0 - 365 * DAY
    articles = [article("late", old, T0 - 2 * DAY), article("later", old, T0 - 5 * DAY),
                article("fresh", old, T0 + 6 * DAY), article("on_time", old, T0)]
    now = T0 + 7 * DAY
    plan = plan_revisits(articles, DEFAULTS, now)
    assert plan.due == ("later", "late", "on_time")
    assert plan.next_due == T0 + 13 * DAY
    limited = plan_revisits(articles, SnapshotConfig(max_articles=2), now)
    assert limited.due == ("later", "late")
    assert limited.next_due == T0 + 7 * DAY  # "on_time" is due now, left for the next run


def test_nothing_due_gives_the_next_due_time() -> None:
    plan = plan_revisits([article("u", T0, T0 + 5 * HOUR)], DEFAULTS, T0 + 5 * HOUR)
    assert plan.due == ()
    assert plan.next_due == T0 + 6 * HOUR
    assert plan_revisits([], DEFAULTS, T0) == schedule_module.Plan((), None)


def test_a_failed_attempt_holds_the_article_back_for_its_interval() -> None:
    old = T0 - 365 * DAY
    failing = article("u", old, T0)
    now = T0 + 8 * DAY
    plan = plan_revisits([failing], DEFAULTS, now, attempted={"u": now - HOUR})
    assert plan.due == () and plan.held == ("u",)
    assert plan.next_due == now - HOUR + 7 * DAY
    # an attempt that succeeded (fetched after it) no longer counts
    done = article("u", old, now - HALF_HOUR)
    assert plan_revisits([done], DEFAULTS, now, attempted={"u": now - HOUR}).held == ()


def test_age_counts_from_publication_when_earlier() -> None:
    record = {"id": "x", "url": "http://a.com/x", "published": "2024-05-13T04:00",
              "fetched_at": "2024-06-01T00:00:00Z",
              "snapshots": [{"fetched_at": "2024-06-01T00:00:00Z"},
                            {"fetched_at": "2024-06-03T10:00:00Z"}]}
    assert revisit_row(record) == ("http://a.com/x", "a.com", "2024-05-13T04:00:00Z",
                                   "2024-06-03T10:00:00Z")
    later = revisit_row({**record, "published": "2030-01-01"}, "2024-06-05T00:00:00+00:00")
    assert later[2:] == ("2024-06-01T00:00:00Z", "2024-06-05T00:00:00Z")
    with pytest.raises(ValueError):
        revisit_row({**record, "snapshots": [{"fetched_at": "soon"}]})


# --- configuration -----------------------------------------------------------------------------

def test_snapshot_config_shape_and_durations() -> None:
    config = parse_config(
        "snapshot:\n  schedule:\n    - {age: 2h, every: 600}\n    - {age: 1w, every: 1h30m}\n"
        "    - every: 2d\n  max_articles: 50\n  sites:\n    WWW.B.com:\n"
        "      schedule: [{every: 1d}]\n    c.com:\n      schedule: []\n    d.com:\n")
    snapshot = config.snapshot
    assert snapshot.schedule == (ScheduleStep(600, 7200), ScheduleStep(5400, 604800),
                                 ScheduleStep(172800))
    assert snapshot.max_articles == 50
    assert snapshot.sites == (SiteSchedule("b.com", (ScheduleStep(86400),)),
                              SiteSchedule("c.com", ()), SiteSchedule("d.com"))
    assert Config().snapshot.schedule == (ScheduleStep(3600, 86400),
                                          ScheduleStep(86400, 30 * 86400), ScheduleStep(604800))


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("snapshot:\n  schedule:\n    - {age: 1d, every: soon}\n", 3,
         "'snapshot.schedule[1].every': 'soon' is not a duration"),
        ("snapshot:\n  schedule:\n    - {every: 1h}\n    - {every: 1d}\n", 4,
         "only the last step may leave out 'age'"),
        ("snapshot:\n  schedule:\n    - {age: 2d, every: 1h}\n    - {age: 1d, every: 1d}\n", 4,
         "must be larger than the one before"),
        ("snapshot:\n  schedule:\n\n    - {age: 1d}\n", 4, "needs 'every'"),
        ("snapshot:\n  schedule:\n    - {every: 0}\n", 3, "not a duration above zero"),
        ("snapshot:\n  schedule:\n    - {every: -5m}\n", 3, "is not a duration"),
        ("snapshot:\n  schedule: 1h\n", 2, "'snapshot.schedule' must be a list"),
        ("snapshot:\n  schedule:\n    - {every: 1h, often: true}\n", 3,
         "unknown key 'snapshot.schedule[1].often'"),
        ("snapshot:\n  max_articles: -1\n", 2, "must be at least 0"),
        ("snapshot:\n  sites:\n    b.com:\n      schedule:\n        - {every: true}\n", 5,
         "'snapshot.sites.b.com.schedule[1].every'"),
    ],
)
def test_snapshot_config_errors_name_the_line(text: str, line: int, words: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(text, "my.yaml")
    message = str(caught.value)
    assert message.startswith(f"my.yaml:{line}: "), message
    assert words in message
    assert "\n" not in message


# --- against the demo site ---------------------------------------------------------------------

FAST_CONFIG = """\
politeness:
  delay: 0.02
  per_host_concurrency: 2
  concurrency: 4
fetch:
  retries: 1
  backoff_base: 0.05
crawl:
  extract_workers: 0
"""


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    with DemoServer() as running:
        yield running


@pytest.fixture(scope="module")
def config_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("config") / "config.yaml"
    path.write_text(FAST_CONFIG, encoding="utf-8")
    return path


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["-q", *args])  # -q: no "config:" line on stderr
    return code, out.getvalue(), err.getvalue()


def records(root: Path) -> dict[str, dict[str, Any]]:
    return {record["url"]: record for record in
            (json.loads(path.read_text(encoding="utf-8"))
             for path in sorted((root / "articles").rglob("*.json")))}


@pytest.fixture(scope="module")
def crawled(server: DemoServer, config_file: Path,
            tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("archive")
    code, out, _ = run("crawl", server.base_url + "/", "--archive", str(root),
                       "--config", str(config_file), "--quiet", "--json")
    assert code == 0, out
    return root


def in_a_week() -> str:
    return (datetime.now(UTC) + 8 * DAY).strftime("%Y-%m-%dT%H:%M:%S")


def test_snapshot_revisits_each_due_article_once_with_conditional_get(
        crawled: Path, server: DemoServer, config_file: Path) -> None:
    root = crawled
    before = records(root)
    raw_before = sorted((root / "raw").rglob("*"))
    common = ("--archive", str(root), "--config", str(config_file), "--quiet")
    code, out, _ = run("snapshot", *common, "--dry-run", "--json")
    assert code == 0 and json.loads(out)["due"] == []  # just crawled: nothing due

    code, out, _ = run("snapshot", *common, "--dry-run", "--json", "--now", in_a_week())
    assert sorted(json.loads(out)["due"]) == sorted(before)

    server.clear_requests()
    code, out, _ = run("snapshot", *common, "--json", "--now", in_a_week())
    assert code == 0, out
    summary = json.loads(out.strip().splitlines()[-1])
    assert summary["fetched"] == summary["unchanged"] == len(before)
    assert summary["stored"] == summary["updated"] == summary["failed"] == 0
    pages = [request for request in server.requests if request.path != "/robots.txt"]
    assert sorted(request.path for request in pages) == sorted(
        url.split(server.base_url, 1)[1] for url in before)  # each article once, nothing else
    assert {request.status for request in pages} == {304}

    after = records(root)
    for url, record in after.items():
        assert len(record["snapshots"]) == len(before[url]["snapshots"]) + 1, url
        assert record["snapshots"][-1]["http_status"] == 304
    assert sorted((root / "raw").rglob("*")) == raw_before
    assert (root / SNAPSHOT_FRONTIER_FILE).exists()

    server.clear_requests()
    code, out, _ = run("snapshot", *common, "--json")
    assert code == 0 and json.loads(out)["fetched"] == 0
    assert server.requests == []


def test_snapshot_leaves_a_paused_crawl_alone(server: DemoServer, config_file: Path,
                                              tmp_path: Path) -> None:
    common = ("--archive", str(tmp_path), "--config", str(config_file), "--quiet", "--json")
    code, out, _ = run("crawl", server.base_url + "/", *common, "--max-pages", "30")
    assert code == 0
    frontier = (tmp_path / "frontier.sqlite").read_bytes()
    stored = len(records(tmp_path))
    assert stored > 0
    code, out, _ = run("snapshot", *common, "--now", in_a_week())
    assert code == 0 and json.loads(out.strip().splitlines()[-1])["unchanged"] == stored
    assert (tmp_path / "frontier.sqlite").read_bytes() == frontier
    code, out, _ = run("crawl", server.base_url + "/", *common)
    assert code == 0 and json.loads(out.strip().splitlines()[-1])["resumed"] > 0


def test_watch_revisits_then_sleeps_until_stopped(
        crawled: Path, config_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = parse_config(config_file.read_text(encoding="utf-8"))
    config = config.replace("archive", directory=str(crawled))
    lines: list[str] = []
    future = datetime.now(UTC) + 30 * DAY
    sleeps: list[float] = []
    monkeypatch.setattr(schedule_module, "pause", sleeps.append)
    watch(config, interval=120, clock=lambda: future, report=lines.append, rounds=2)
    assert "re-visited" in lines[0] and "failed" in lines[0]
    assert "nothing due" in lines[1]
    assert sleeps == []  # the last round does not sleep

    def stop(seconds: float) -> None:
        sleeps.append(seconds)
        raise KeyboardInterrupt

    monkeypatch.setattr(schedule_module, "pause", stop)
    code, out, err = run("watch", "--archive", str(crawled), "--config", str(config_file),
                         "--interval", "45")
    assert code == 130
    assert err.strip() == "broadsheet: watch stopped"
    assert sleeps == [45]  # nothing due for days: the interval caps the sleep
    assert "nothing due" in out


# --- the index's re-visit rows ---------------------------------------------------------------

def _stored_archive(root: Path) -> str:
    url = "https://a.com/2024/05/13/story"
    record = {"url": url, "title": "T", "authors": [], "published": "2024-05-13T04:00:00+00:00",
              "modified": None, "views": 5, "comment_count": None, "comments": [],
              "body": "Body text.", "language": "en", "site_name": None, "description": None,
              "tags": [], "image": None}
    with Archive(root) as archive:
        archive.store(record, url_keys=[url], fetched_url=url, fetched_at="2024-05-14T00:00:00Z")
        archive.record_not_modified(url, "2024-05-15T00:00:00Z")
    return url


def test_plans_come_from_the_index_and_survive_a_reindex(tmp_path: Path) -> None:
    url = _stored_archive(tmp_path)
    now = datetime(2024, 6, 1, tzinfo=UTC)
    assert schedule_module.plan_archive(ArchiveAccess.embedded(tmp_path), DEFAULTS, now).due == (url,)
    with Archive(tmp_path) as archive:
        assert list(archive.revisit_times()) == [
            (url, "a.com", "2024-05-13T04:00:00Z", "2024-05-15T00:00:00Z")]
    with Archive(tmp_path, reset_index=True) as archive:
        archive.rebuild_index()
        assert next(iter(archive.revisit_times()))[3] == "2024-05-15T00:00:00Z"
    assert schedule_module.plan_archive(ArchiveAccess.embedded(tmp_path), DEFAULTS, now).due == (url,)


def test_an_index_without_revisit_rows_asks_for_a_reindex(tmp_path: Path) -> None:
    _stored_archive(tmp_path)
    with sqlite3.connect(tmp_path / "index.sqlite") as index:
        index.execute("DELETE FROM revisits")
    with pytest.raises(ArchiveError, match="reindex"):
        schedule_module.plan_archive(ArchiveAccess.embedded(tmp_path), DEFAULTS,
                                     datetime(2024, 6, 1, tzinfo=UTC))
