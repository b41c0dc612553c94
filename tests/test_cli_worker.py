"""``broadsheet worker`` and ``broadsheet status`` (issue 11), and ``stats`` on the shared
crawl: a real PostgreSQL, the multi-host site on 127.0.0.1 and real worker processes.  A crawl
is seeded by ``crawl URL...`` in a subprocess that is then terminated; ``worker --count 2``
finishes it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psycopg
import pytest

from scraper.cli.main import main
from tests.multi_host_site import HostPlan, multi_host_site
from tests.test_shared_crawl import ROOT, assert_complete_and_polite, shared_config

LEASE = 2.0
PLANS = [HostPlan(articles=8, latency=0.3), HostPlan(articles=8, latency=0.25),
         HostPlan(articles=8, latency=0.3, missing=1)]


def broadsheet(*arguments: str) -> subprocess.Popen[str]:
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "scraper", *arguments], cwd=ROOT,
                            env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def done_count(dsn: str) -> int:
    try:
        with psycopg.connect(dsn) as connection:
            row = connection.execute("SELECT count(*) FROM frontier_urls WHERE state = 'done'"
                                     ).fetchone()
    except psycopg.errors.UndefinedTable:
        return 0
    assert row is not None
    return int(row[0])


def wait_for_done(dsn: str, count: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while done_count(dsn) < count:
        assert time.monotonic() < deadline, f"fewer than {count} URLs finished"
        time.sleep(0.05)


def seed_and_terminate(config: Path, seeds: list[str], dsn: str) -> None:
    """Start the shared crawl with ``crawl URL...`` and terminate it after a few pages."""
    seeder = broadsheet("-q", "crawl", *seeds, "--config", str(config), "--json")
    wait_for_done(dsn, 3)
    seeder.send_signal(signal.SIGTERM)
    _out, err = seeder.communicate(timeout=60)
    assert seeder.returncode == 143, err


def status(config: Path, capsys: pytest.CaptureFixture[str]) -> Any:
    capsys.readouterr()
    assert main(["-q", "status", "--json", "--config", str(config)]) == 0
    return json.loads(capsys.readouterr().out)


def test_worker_finishes_a_seeded_crawl_and_status_follows_it(
        tmp_path: Path, postgres_dsn: str, capsys: pytest.CaptureFixture[str]) -> None:
    archive = tmp_path / "archive"
    config = shared_config(tmp_path / "config.yaml", postgres_dsn, archive, lease=LEASE,
                           concurrency=2)
    with multi_host_site(PLANS) as site:
        seed_and_terminate(config, site.seeds, postgres_dsn)
        workers = broadsheet("-q", "worker", "--count", "2", "--config", str(config))
        seen_leases: list[dict[str, Any]] = []
        seen_queued = 0
        while workers.poll() is None:
            now = status(config, capsys)
            seen_leases += now["leases"]
            seen_queued = max(seen_queued, now["queued"])
            time.sleep(0.05)
        out, err = workers.communicate(timeout=120)
        assert workers.returncode == 0, err
        assert_complete_and_polite(site, archive, postgres_dsn)
    lines = out.splitlines()
    assert lines[0].startswith("worker 1 (pid ") and lines[1].startswith("worker 2 (pid ")
    assert lines[-1].startswith("2 workers: fetched ") and lines[-1].endswith("exit 0")
    assert seen_queued > 0
    assert seen_leases and all(lease["url"].startswith("http://127.0.0.1:")
                               and ":" in lease["worker"] and lease["seconds_left"] <= LEASE
                               for lease in seen_leases)
    final = status(config, capsys)
    assert (final["queued"], final["active"]) == (0, 0)
    assert final["done"] >= site.article_count and final["leases"] == []
    assert final["started_at"] and final["ended_at"] >= final["started_at"]
    assert final["per_second_overall"] > 0
    assert main(["-q", "status", "--config", str(config)]) == 0
    text = capsys.readouterr().out
    assert "queue: 0 queued, 0 active" in text and "ended not yet" not in text


def test_terminated_worker_stops_its_workers_and_a_later_one_finishes(
        tmp_path: Path, postgres_dsn: str, capsys: pytest.CaptureFixture[str]) -> None:
    archive = tmp_path / "archive"
    config = shared_config(tmp_path / "config.yaml", postgres_dsn, archive, lease=LEASE,
                           concurrency=2)
    with multi_host_site(PLANS) as site:
        seed_and_terminate(config, site.seeds, postgres_dsn)
        before = done_count(postgres_dsn)
        workers = broadsheet("-q", "worker", "--count", "2", "--config", str(config), "--json")
        wait_for_done(postgres_dsn, before + 2)
        workers.send_signal(signal.SIGTERM)
        out, err = workers.communicate(timeout=60)
        assert workers.returncode == 143, err
        stopped = json.loads(out)
        assert stopped["exit_code"] == 143
        assert [worker["exit_code"] for worker in stopped["workers"]] == [143, 143]
        for worker in stopped["workers"]:
            with pytest.raises(ProcessLookupError):
                os.kill(worker["pid"], 0)
        assert status(config, capsys)["queued"] > 0  # the crawl is not over
        later = broadsheet("-q", "worker", "--count", "2", "--config", str(config), "--json")
        out, err = later.communicate(timeout=120)
        assert later.returncode == 0, err
        finished = json.loads(out)
        assert finished["exit_code"] == 0 and len(finished["workers"]) == 2
        assert_complete_and_polite(site, archive, postgres_dsn)
    capsys.readouterr()
    assert main(["-q", "stats", "--json", "--config", str(config)]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["articles"] == site.article_count
    assert stats["gone"] == 1 and stats["failures"] == {}


def embedded_config(tmp_path: Path) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(f"archive:\n  directory: {tmp_path / 'archive'}\n")
    return path


@pytest.mark.parametrize("command", ["worker", "status"])
def test_worker_and_status_need_the_postgres_backend(
        tmp_path: Path, command: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-q", command, "--config", str(embedded_config(tmp_path))]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (f"broadsheet: error: {command} needs backend.kind postgres in the config "
                   "(a shared crawl)")


def test_status_of_a_database_without_a_crawl(
        tmp_path: Path, postgres_dsn: str, capsys: pytest.CaptureFixture[str]) -> None:
    config = shared_config(tmp_path / "config.yaml", postgres_dsn, tmp_path / "archive")
    assert main(["-q", "status", "--config", str(config)]) == 0
    assert capsys.readouterr().out.strip() == "no shared crawl in the database yet"
    assert status(config, capsys) is None


def test_worker_count_must_be_positive(
        tmp_path: Path, postgres_dsn: str, capsys: pytest.CaptureFixture[str]) -> None:
    config = shared_config(tmp_path / "config.yaml", postgres_dsn, tmp_path / "archive")
    assert main(["-q", "worker", "--count", "0", "--config", str(config)]) == 2
    assert "--count must be 1 or more" in capsys.readouterr().err


def test_status_counts_finishes_after_the_frontier_schema_migrates(
        tmp_path: Path, postgres_dsn: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A database of frontier schema 1 (no finish times) reads without throughput; opening the
    frontier adds ``finished_at``, and a finish then counts in the last minute."""
    from scraper.crawl.frontier.base import CrawlRequest
    from scraper.crawl.frontier.postgres import PostgresFrontier

    config = shared_config(tmp_path / "config.yaml", postgres_dsn, tmp_path / "archive")
    PostgresFrontier(postgres_dsn, worker_id="w").close()
    with psycopg.connect(postgres_dsn, autocommit=True) as connection:
        connection.execute("ALTER TABLE frontier_urls DROP COLUMN finished_at")
        connection.execute("UPDATE broadsheet_schema SET version = 1"
                           " WHERE component = 'frontier'")
    old = status(config, capsys)
    assert old["finished_recent"] is None and old["per_second_recent"] is None
    frontier = PostgresFrontier(postgres_dsn, worker_id="w")
    try:
        frontier.reset("2026-12-06T00:00:00Z")
        url = "http://127.0.0.1:9/a"
        frontier.add([CrawlRequest(url, url)])
        request = frontier.claim()
        assert request is not None
        during = status(config, capsys)
        assert [(lease["worker"], lease["url"]) for lease in during["leases"]] == [("w", url)]
        frontier.finish(request, "stored")
    finally:
        frontier.close()
    after = status(config, capsys)
    assert after["finished_recent"] == 1 and after["done"] == 1
    assert after["ended_at"] is not None and after["per_second_overall"] > 0
