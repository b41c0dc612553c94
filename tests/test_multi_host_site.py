"""The multi-host test site, crawled by one embedded crawl: every article is stored once, and
the checks the shared-crawl tests apply across workers (per-host gap, Retry-After windows) hold
for one process too."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from scraper.cli.main import main
from tests.multi_host_site import HostPlan, MultiHostSite, multi_host_site

DELAY = 0.2
TOLERANCE = 0.02  # seconds: thread scheduling between the gate and the server's clock


def smallest_gaps(site: MultiHostSite) -> dict[str, float]:
    gaps = {}
    for host, hits in site.log.by_host().items():
        starts = [hit.start for hit in hits]
        gaps[host] = min((b - a for a, b in itertools.pairwise(starts)), default=99.0)
    return gaps


def hits_inside_retry_windows(site: MultiHostSite) -> list[str]:
    inside = []
    hosts = site.log.by_host()
    for host, windows in site.retry_windows().items():
        for start, end in windows:
            inside += [f"{host}{hit.path} at +{hit.start - start:.2f}s"
                       for hit in hosts[host] if start + TOLERANCE < hit.start < end - TOLERANCE]
    return inside


def test_one_crawl_of_the_multi_host_site_is_polite_and_complete(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plans = [HostPlan(articles=4), HostPlan(articles=4, latency=0.1),
             HostPlan(articles=4, busy=2, retry_after=1)]
    config = tmp_path / "config.yaml"
    config.write_text(f"politeness:\n  delay: {DELAY}\n  concurrency: 8\n"
                      "crawl:\n  use_feeds: false\n  extract_workers: 0\n")
    with multi_host_site(plans) as site:
        code = main(["-q", "crawl", *site.seeds, "--config", str(config),
                     "--archive", str(tmp_path / "a"), "--json"])
        summary = json.loads(capsys.readouterr().out)
    assert code == 0, summary
    assert summary["stored"] == site.article_count == 12
    assert min(smallest_gaps(site).values()) >= DELAY - TOLERANCE
    assert site.retry_windows()  # the busy host did answer 503s
    assert hits_inside_retry_windows(site) == []
