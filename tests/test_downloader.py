"""Downloader against real misbehaving servers: robots, politeness, Retry-After and retries.

Timing assertions measure on the server (arrival of each request) and allow 0.1 s of slack below
the configured delays, never above: they check lower bounds only.
"""

from __future__ import annotations

import asyncio
import email.utils
import itertools
import math
import time
from collections.abc import Awaitable, Callable

import pytest

from scraper.config import FetchConfig, PolitenessConfig
from scraper.errors import FetchError, RobotsDisallowed
from scraper.net.downloader import Downloader
from scraper.net.fetch import Response
from scraper.net.politeness import HostGate
from scraper.net.retry import RetryPolicy, call_with_retries, parse_retry_after
from tests import misbehaving_server
from tests.misbehaving_server import MisbehavingServer, max_overlap

site = misbehaving_server.site
other_site = misbehaving_server.other_site

FETCH = FetchConfig(timeout=2.0, connect_timeout=1.0, max_bytes=1_000_000, retries=2,
                    backoff_base=0.01, backoff_max=0.05, max_retry_after=5.0)
FREE = PolitenessConfig(delay=0.0, per_host_concurrency=4, concurrency=8)
SLACK = 0.1


async def outcome(awaitable: Awaitable[Response]) -> Response | FetchError:
    try:
        return await awaitable
    except FetchError as error:
        return error


async def download_all(urls: list[str], fetch: FetchConfig = FETCH,
                       politeness: PolitenessConfig = FREE) -> list[Response | FetchError]:
    async with Downloader(fetch, politeness) as downloader:
        return list(await asyncio.gather(*(outcome(downloader.download(url)) for url in urls)))


def fail(url: str, fetch: FetchConfig = FETCH) -> FetchError:
    [result] = asyncio.run(download_all([url], fetch))
    assert isinstance(result, FetchError), result
    return result


async def wait_until(condition: Callable[[], bool], limit: float = 5.0) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        await asyncio.sleep(0.01)


def gaps(starts: list[float]) -> list[float]:
    ordered = sorted(starts)
    return [later - earlier for earlier, later in itertools.pairwise(ordered)]


def test_robots_disallow_is_respected_also_after_a_redirect(site: MisbehavingServer) -> None:
    results = asyncio.run(download_all([site.url("/private/a"),
                                        site.url("/redirect?to=/private/b"), site.url("/page/c")]))
    assert isinstance(results[0], RobotsDisallowed) and results[0].reason == "robots"
    assert isinstance(results[1], RobotsDisallowed)
    assert isinstance(results[2], Response) and results[2].status == 200
    assert site.requests("/private") == []
    assert len(site.requests("/robots.txt")) == 1


def test_crawl_delay_is_honoured(site: MisbehavingServer) -> None:
    site.robots_txt = "User-agent: *\nCrawl-delay: 0.3\n"
    results = asyncio.run(download_all([site.url(f"/page/{n}") for n in range(4)]))
    assert all(isinstance(r, Response) for r in results)
    assert min(gaps([r.started for r in site.requests()])) >= 0.3 - SLACK


@pytest.mark.parametrize("delay", ["1e300", "121"])
def test_a_crawl_delay_beyond_the_ceiling_fails_the_page_at_once(site: MisbehavingServer,
                                                                 delay: str) -> None:
    site.robots_txt = f"User-agent: *\nCrawl-delay: {delay}\n"
    started = time.monotonic()
    results = asyncio.run(download_all([site.url(f"/page/{n}") for n in range(3)]))
    assert time.monotonic() - started < 5
    assert {r.reason for r in results if isinstance(r, FetchError)} == {"crawl_delay_too_long"}
    assert len(results) == 3
    assert "politeness.max_crawl_delay" in str(results[0])
    assert site.requests("/page") == []


def test_a_crawl_delay_within_a_raised_ceiling_is_honoured(site: MisbehavingServer) -> None:
    site.robots_txt = "User-agent: *\nCrawl-delay: 0.3\n"
    polite = PolitenessConfig(delay=0.0, max_crawl_delay=0.3)
    results = asyncio.run(download_all([site.url(f"/page/{n}") for n in range(2)],
                                       politeness=polite))
    assert all(isinstance(r, Response) for r in results)
    assert min(gaps([r.started for r in site.requests("/page")])) >= 0.3 - SLACK


def test_gaps_between_starts_never_below_delay(site: MisbehavingServer) -> None:
    polite = PolitenessConfig(delay=0.3, per_host_concurrency=4, concurrency=8)
    asyncio.run(download_all([site.url(f"/page/{n}") for n in range(4)], politeness=polite))
    starts = [r.started for r in site.requests()]
    assert len(starts) == 5  # robots.txt goes through the gate too
    assert min(gaps(starts)) >= 0.3 - SLACK


def test_per_host_concurrency_is_a_ceiling(site: MisbehavingServer) -> None:
    polite = PolitenessConfig(delay=0.0, per_host_concurrency=2, concurrency=8)
    asyncio.run(download_all([site.url(f"/hold/{n}") for n in range(6)], politeness=polite))
    assert site.max_in_flight == 2


def test_global_concurrency_is_a_ceiling(site: MisbehavingServer,
                                         other_site: MisbehavingServer) -> None:
    polite = PolitenessConfig(delay=0.0, per_host_concurrency=2, concurrency=2)
    urls = [server.url(f"/hold/{n}") for n in range(3) for server in (site, other_site)]
    asyncio.run(download_all(urls, politeness=polite))
    assert max_overlap(site.intervals + other_site.intervals) == 2


def test_a_slow_host_does_not_hold_the_others_back(site: MisbehavingServer,
                                                   other_site: MisbehavingServer) -> None:
    site.hold_seconds = 0.5
    polite = PolitenessConfig(delay=0.0, per_host_concurrency=2, concurrency=3)
    finished: list[str] = []

    async def scenario() -> None:
        async with Downloader(FETCH, polite) as downloader:
            async def one(url: str) -> None:
                await downloader.download(url)
                finished.append(url)

            urls = [site.url(f"/hold/{n}") for n in range(6)]
            urls += [other_site.url(f"/page/{n}") for n in range(3)]
            await asyncio.gather(*(one(url) for url in urls))

    asyncio.run(scenario())
    assert all(url.startswith(other_site.base) for url in finished[:3])


@pytest.mark.parametrize("flaky_path", ["/flaky429/a", "/flaky503/a"])
def test_retry_after_pauses_only_that_host(site: MisbehavingServer, other_site: MisbehavingServer,
                                           flaky_path: str) -> None:
    site.retry_after = 2  # an HTTP-date (503) has whole seconds: at least 1 s still ahead
    async def scenario() -> None:
        async with Downloader(FETCH, FREE) as downloader:
            flaky = asyncio.create_task(downloader.download(site.url(flaky_path)))
            await wait_until(lambda: site.host in downloader.stats.paused_hosts())
            same_host = asyncio.create_task(downloader.download(site.url("/page/same")))
            for n in range(3):
                await downloader.download(other_site.url(f"/page/{n}"))
            assert (await flaky).status == 200 and (await same_host).status == 200
            assert downloader.stats.retries == 1

    asyncio.run(scenario())
    first, second = (r.started for r in site.requests(flaky_path))
    assert second - first >= 1.0 - SLACK
    assert site.requests("/page/same")[0].started >= first + 1.0 - SLACK
    assert all(r.started < second for r in other_site.requests("/page/"))


def test_503_with_an_http_date_retry_after(site: MisbehavingServer) -> None:
    site.retry_after = 2
    [result] = asyncio.run(download_all([site.url("/flaky503/a")]))
    assert isinstance(result, Response) and result.status == 200
    first, second = site.requests("/flaky503/a")
    asked_until = math.floor(first.wall + 2)  # the HTTP-date has whole seconds
    assert second.wall >= asked_until - 0.05
    assert second.started - first.started >= 1.0 - SLACK


def test_too_long_retry_after_gives_up_and_pauses_the_host(site: MisbehavingServer) -> None:
    async def scenario() -> tuple[FetchError | Response, FetchError | Response, set[str]]:
        async with Downloader(FETCH, FREE) as downloader:
            first = await outcome(downloader.download(site.url("/long429")))
            paused = set(downloader.stats.paused_hosts())
            return first, await outcome(downloader.download(site.url("/page/a"))), paused

    first, second, paused = asyncio.run(scenario())
    assert isinstance(first, FetchError) and first.reason == "retry_after_too_long"
    assert isinstance(second, FetchError) and second.reason == "host_paused"
    assert paused == {site.host}
    assert len(site.requests("/long429")) == 1 and site.requests("/page/") == []


@pytest.mark.parametrize(("path", "reason", "attempts"), [
    ("/status/500", "http_500", 3), ("/status/503", "http_503", 3),
    ("/status/404", "http_404", 1), ("/status/403", "http_403", 1),
    ("/reset", "connect", 3), ("/huge", "too_large", 1), ("/huge-unsized", "too_large", 1),
    ("/bomb", "too_large", 1), ("/loop/a", "redirect_loop", 1),
    ("/chain/9", "too_many_redirects", 1),
])
def test_failures_and_their_retries(site: MisbehavingServer, path: str, reason: str,
                                    attempts: int) -> None:
    assert fail(site.url(path)).reason == reason
    assert len(site.requests(path)) == attempts


def test_timeouts_are_retried(site: MisbehavingServer) -> None:
    quick = FetchConfig(timeout=0.3, connect_timeout=0.3, retries=1, backoff_base=0.01)
    assert fail(site.url("/slow"), quick).reason == "timeout"
    assert len(site.requests("/slow")) == 2


def test_binary_content_comes_back_for_the_caller_to_refuse(site: MisbehavingServer) -> None:
    [image] = asyncio.run(download_all([site.url("/image.png")]))
    assert isinstance(image, Response) and image.content_type == "image/png"
    assert not image.is_html


def test_conditional_get_gives_not_modified(site: MisbehavingServer) -> None:
    async def scenario() -> tuple[Response, Response]:
        async with Downloader(FETCH, FREE) as downloader:
            first = await downloader.download(site.url("/etag"))
            again = await downloader.download(
                site.url("/etag"), etag=first.headers["etag"],
                last_modified=first.headers["last-modified"])
            return first, again

    first, again = asyncio.run(scenario())
    assert first.status == 200 and not first.not_modified
    assert again.not_modified and again.body == b""
    sent = site.requests("/etag")[1].headers
    assert sent["if-none-match"] == '"v1"'
    assert sent["if-modified-since"] == "Mon, 03 Nov 2025 10:00:00 GMT"


def test_a_failing_host_is_paused_for_longer_each_time(site: MisbehavingServer) -> None:
    once = FetchConfig(timeout=2.0, retries=0)

    async def scenario() -> list[float]:
        async with Downloader(once, FREE, failure_threshold=2, failure_pause=0.4,
                              failure_pause_max=10.0) as downloader:
            pauses = []
            for _ in range(3):
                await outcome(downloader.download(site.url("/status/500")))
                pauses.append(downloader.stats.paused_hosts().get(site.host, 0.0))
            return pauses

    pauses = asyncio.run(scenario())
    assert pauses[0] == 0.0
    assert 0.0 < pauses[1] <= 0.4 < pauses[2] <= 0.8
    second, third = (r.started for r in site.requests("/status/500")[1:])
    assert third - second >= 0.4 - SLACK


def test_redirect_to_another_host(site: MisbehavingServer, other_site: MisbehavingServer) -> None:
    target = other_site.url("/page/x")
    [result] = asyncio.run(download_all([site.url(f"/redirect?to={target}")]))
    assert isinstance(result, Response)
    assert result.final_url == target and result.redirects == (target,)
    assert [r.path for r in other_site.requests()] == ["/robots.txt", "/page/x"]


def test_unreachable_robots_holds_the_site_back(site: MisbehavingServer) -> None:
    site.robots_status = 500
    error = fail(site.url("/page/a"))
    assert error.reason == "robots_unavailable" and not isinstance(error, RobotsDisallowed)
    assert site.requests("/page/") == []


def test_robots_sitemaps_and_stats(site: MisbehavingServer) -> None:
    async def scenario() -> tuple[list[str], Downloader]:
        async with Downloader(FETCH, FREE) as downloader:
            sitemaps = await downloader.robots_sitemaps(site.url("/page/a"))
            await downloader.download(site.url("/page/a"))
            await outcome(downloader.download(site.url("/status/502")))
            return sitemaps, downloader

    sitemaps, downloader = asyncio.run(scenario())
    assert sitemaps == [site.url("/sitemap.xml")]
    stats = downloader.stats
    assert stats.requests == 1 + 1 + 3 and stats.retries == 2 and stats.failures == 1
    assert stats.bytes > 0 and site.host in stats.wait_seconds and stats.hosts_waiting == 0


@pytest.mark.parametrize("url", ["ftp://example.org/x", "http://127.0.0.1:99999/", "/relative"])
def test_unfetchable_urls(url: str) -> None:
    assert fail(url).reason == "bad_url"


# -- the parts on their own: the gate's limits and the retry policy's waits ----------------------

def test_gate_limits_per_host_and_overall() -> None:
    gate = HostGate(PolitenessConfig(delay=0.0, per_host_concurrency=2, concurrency=3))
    running: dict[str, int] = {}
    peaks: dict[str, int] = {}

    async def use(host: str) -> None:
        async with gate.slot(f"http://{host}/x"):
            running[host] = running.get(host, 0) + 1
            total = sum(running.values())
            peaks[host] = max(peaks.get(host, 0), running[host])
            peaks["all"] = max(peaks.get("all", 0), total)
            await asyncio.sleep(0.05)
            running[host] -= 1

    async def scenario() -> None:
        await asyncio.gather(*(use(f"h{n % 2}.test") for n in range(12)))

    asyncio.run(scenario())
    assert peaks.pop("all") == 3
    assert max(peaks.values()) == 2
    assert set(gate.wait_seconds) == {"h0.test", "h1.test"} and gate.waiting == {}


def response(status: int, retry_after: str | None = None) -> Response:
    headers = {"retry-after": retry_after} if retry_after is not None else {}
    return Response(url="http://h.test/x", final_url="http://h.test/x", status=status,
                    headers=headers, body=b"")


def test_retry_waits_at_least_retry_after() -> None:
    answers = [response(429, "1"), response(200)]
    called: list[float] = []

    async def attempt() -> Response:
        called.append(time.monotonic())
        return answers.pop(0)

    policy = RetryPolicy(retries=3, backoff_base=0.01, backoff_max=0.02)
    result = asyncio.run(call_with_retries(policy, "http://h.test/x", attempt))
    assert result.status == 200 and called[1] - called[0] >= 0.95


def test_retry_gives_up_with_the_last_error() -> None:
    errors = [FetchError("u", "timeout"), FetchError("u", "connect"), FetchError("u", "protocol")]

    async def attempt() -> Response:
        raise errors.pop(0)

    policy = RetryPolicy(retries=1, backoff_base=0.0)
    with pytest.raises(FetchError) as caught:
        asyncio.run(call_with_retries(policy, "u", attempt))
    assert caught.value.reason == "connect" and len(errors) == 1


def test_retry_policy_decisions() -> None:
    policy = RetryPolicy(retries=2, backoff_base=1.0, backoff_max=4.0, max_retry_after=60)
    assert [policy.retryable_response(response(s)) for s in (408, 429, 500, 404, 403, 200)] == [
        True, True, True, False, False, False]
    assert not policy.retryable_response(response(503, "3600"))
    assert not policy.retryable_error(FetchError("u", "too_large"))
    for attempt in range(1, 10):
        step = min(4.0, 2.0 ** (attempt - 1))
        assert step / 2 <= policy.backoff(attempt) <= step
    with pytest.raises(FetchError, match="http_300"):
        policy.accept("u", response(300))
    assert policy.accept("u", response(304)).status == 304


def test_parse_retry_after() -> None:
    now = 1_700_000_000.0
    assert parse_retry_after(" 120 ") == 120.0
    assert parse_retry_after(email.utils.formatdate(now + 30, usegmt=True), now) == 30.0
    assert parse_retry_after(email.utils.formatdate(now - 30, usegmt=True), now) == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after("-5") is None
