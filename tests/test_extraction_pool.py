"""The extraction pool: the same analysis as in-process, and a dead worker costs only its pages."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import subprocess
import sys
import time

import pytest

from scraper.crawl.extraction_pool import ExtractionPool
from scraper.errors import ExtractionError
from scraper.extract import analyse

URL = "https://news.example/world/2024/05/13/river-floods-the-old-town/"
PAGE = ("<html lang='en'><head><title>River floods the old town | The Example</title></head>"
        "<body><nav><a href='/world/'>World</a> <a href='/tag/floods/'>Floods</a></nav>"
        "<article><h1>River floods the old town</h1><p class='byline'>By Ann Lee</p>"
        + "".join(f"<p>Paragraph {n} tells what the water did to street number {n} in the old "
                  "town, and how the neighbours came out with buckets and boats.</p>"
                  for n in range(8))
        + "<a href='/world/2024/05/12/rain-warning-issued-for-the-valley/'>Earlier</a>"
        "</article></body></html>")


def test_a_worker_gives_the_same_analysis_as_the_crawl_process() -> None:
    async def scenario() -> list[object]:
        with ExtractionPool(1) as pool:
            return list(await asyncio.gather(*(pool.analyse(PAGE, URL) for _ in range(3))))

    expected = analyse(PAGE, URL)
    assert expected.article.title == "River floods the old town" and expected.links
    assert asyncio.run(scenario()) == [expected] * 3


def test_no_workers_means_in_process() -> None:
    async def scenario() -> object:
        with ExtractionPool(0) as pool:
            return await pool.analyse(PAGE, URL)

    assert asyncio.run(scenario()) == analyse(PAGE, URL)
    assert multiprocessing.active_children() == []


def test_a_killed_worker_fails_its_page_and_a_new_pool_takes_the_next() -> None:
    async def scenario() -> tuple[ExtractionError, object]:
        with ExtractionPool(1) as pool:
            await pool.analyse(PAGE, URL)  # starts the worker
            for child in multiprocessing.active_children():
                os.kill(child.pid or 0, signal.SIGKILL)
            deadline = time.monotonic() + 10
            while multiprocessing.active_children() and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            with pytest.raises(ExtractionError, match="extractor process died") as failure:
                await pool.analyse(PAGE, URL)
            return failure.value, await pool.analyse(PAGE, URL)

    error, analysis = asyncio.run(scenario())
    assert URL in str(error)
    assert analysis == analyse(PAGE, URL)


def test_negative_worker_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="0 or more"):
        ExtractionPool(-1)


_CHILD = """
import asyncio, multiprocessing, sys, time
from scraper.crawl.extraction_pool import ExtractionPool

async def main():
    pool = ExtractionPool(1)
    await pool.analyse("<html><body><p>hello</p></body></html>", "https://news.example/a")
    print(*(child.pid for child in multiprocessing.active_children()), flush=True)
    time.sleep(60)

asyncio.run(main())
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            return not any(line.startswith("State:") and "Z" in line for line in status)
    except FileNotFoundError:
        return False


def test_workers_exit_when_the_crawl_process_is_killed() -> None:
    child = subprocess.Popen([sys.executable, "-c", _CHILD], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        workers = [int(pid) for pid in child.stdout.readline().split()]
        assert workers and all(_alive(pid) for pid in workers)
    finally:
        child.kill()
        child.wait()
    deadline = time.monotonic() + 15
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in workers)
