"""RobotsPolicy against a real server: parsing, failure semantics, one fetch per origin."""

from __future__ import annotations

import asyncio
import socket

from scraper.config import FetchConfig, PolitenessConfig
from scraper.net.fetch import HttpClient, Response
from scraper.net.robots import RobotsPolicy, product_token, robots_url
from tests import misbehaving_server
from tests.misbehaving_server import MisbehavingServer

site = misbehaving_server.site
other_site = misbehaving_server.other_site

FETCH = FetchConfig(timeout=2.0, connect_timeout=1.0)
OBEY = PolitenessConfig(obey_robots=True)


Answers = tuple[bool, float | None, list[str]]


async def ask(url: str, politeness: PolitenessConfig = OBEY) -> Answers:
    async with HttpClient(FETCH) as client:
        policy = RobotsPolicy(politeness, FETCH.user_agent, client.get)
        return (await policy.allowed(url), await policy.crawl_delay(url),
                await policy.sitemaps(url))


def test_disallow_crawl_delay_and_sitemaps(site: MisbehavingServer) -> None:
    site.robots_txt = ("User-agent: *\nDisallow: /private\nCrawl-delay: 2.5\n"
                       "Sitemap: {base}/sitemap.xml\n")
    allowed, delay, sitemaps = asyncio.run(ask(site.url("/private/a")))
    assert not allowed and delay == 2.5 and sitemaps == [site.url("/sitemap.xml")]
    assert asyncio.run(ask(site.url("/page/a")))[0]


def test_our_own_group_wins_over_the_star_group(site: MisbehavingServer) -> None:
    site.robots_txt = "User-agent: *\nAllow: /\n\nUser-agent: Broadsheet\nDisallow: /page/\n"
    assert not asyncio.run(ask(site.url("/page/a")))[0]
    assert asyncio.run(ask(site.url("/other")))[0]


def test_missing_robots_allows_everything(site: MisbehavingServer) -> None:
    site.robots_txt = None  # 404
    assert asyncio.run(ask(site.url("/private/a"))) == (True, None, [])


def test_server_error_disallows_for_now_and_is_cached(site: MisbehavingServer) -> None:
    site.robots_status = 503

    async def scenario() -> tuple[bool, bool, str | None]:
        async with HttpClient(FETCH) as client:
            policy = RobotsPolicy(OBEY, FETCH.user_agent, client.get, failure_ttl=60)
            first = await policy.allowed(site.url("/page/a"))
            second = await policy.allowed(site.url("/page/b"))
            return first, second, (await policy.rules(site.url("/"))).unreachable

    first, second, why = asyncio.run(scenario())
    assert not first and not second and why is not None and "503" in why
    assert len(site.requests("/robots.txt")) == 1


def test_failure_is_fetched_again_after_failure_ttl(site: MisbehavingServer) -> None:
    site.robots_status = 500

    async def scenario() -> tuple[bool, bool]:
        async with HttpClient(FETCH) as client:
            policy = RobotsPolicy(OBEY, FETCH.user_agent, client.get, failure_ttl=0.2)
            before = await policy.allowed(site.url("/page/a"))
            site.robots_status = 200
            await asyncio.sleep(0.3)
            return before, await policy.allowed(site.url("/page/a"))

    assert asyncio.run(scenario()) == (False, True)
    assert len(site.requests("/robots.txt")) == 2


def test_network_failure_disallows() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert not asyncio.run(ask(f"http://127.0.0.1:{port}/page"))[0]


def test_redirected_robots_is_followed(site: MisbehavingServer,
                                       other_site: MisbehavingServer) -> None:
    site.robots_location = other_site.url("/robots.txt")
    other_site.robots_txt = "User-agent: *\nDisallow: /secret\n"
    assert not asyncio.run(ask(site.url("/secret/x")))[0]
    assert asyncio.run(ask(site.url("/private/x")))[0]


def test_concurrent_callers_share_one_fetch(site: MisbehavingServer) -> None:
    calls = 0

    async def scenario() -> list[bool]:
        async with HttpClient(FETCH) as client:
            async def counted(url: str) -> Response:
                nonlocal calls
                calls += 1
                await asyncio.sleep(0.1)  # keep the fetch open while the others arrive
                return await client.get(url)

            policy = RobotsPolicy(OBEY, FETCH.user_agent, counted)
            urls = [site.url(f"/page/{n}") for n in range(10)] + [site.url("/private/x")]
            return list(await asyncio.gather(*(policy.allowed(url) for url in urls)))

    assert asyncio.run(scenario()) == [True] * 10 + [False]
    assert calls == 1 and len(site.requests("/robots.txt")) == 1


def test_origins_are_separate(site: MisbehavingServer, other_site: MisbehavingServer) -> None:
    other_site.robots_txt = "User-agent: *\nDisallow: /\n"

    async def scenario() -> tuple[bool, bool]:
        async with HttpClient(FETCH) as client:
            policy = RobotsPolicy(OBEY, FETCH.user_agent, client.get)
            return (await policy.allowed(site.url("/page/a")),
                    await policy.allowed(other_site.url("/page/a")))

    assert asyncio.run(scenario()) == (True, False)


def test_ignoring_robots_fetches_nothing(site: MisbehavingServer) -> None:
    ignore = PolitenessConfig(obey_robots=False)
    assert asyncio.run(ask(site.url("/private/a"), ignore)) == (True, None, [])
    assert site.requests() == []


def test_helpers() -> None:
    assert robots_url("HTTPS://u@Example.com:8443/a?c#d") == "https://example.com:8443/robots.txt"
    assert product_token("Broadsheet/0.1 (+https://example.org/bot)") == "broadsheet"
    assert product_token("mybot") == "mybot"
