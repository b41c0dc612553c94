"""The shared crawl's capture index (``PostgresCaptureIndex``), on a real PostgreSQL: what one
worker remembers, another finds; a later capture replaces an earlier one."""

from __future__ import annotations

import threading

from archive.warc.captures import EarlierCapture
from archive.warc.captures_postgres import PostgresCaptureIndex
from archive.warc.pointer import WarcPointer

URL = "http://127.0.0.1:8000/a"


def capture(file: str, offset: int) -> EarlierCapture:
    return EarlierCapture("sha1:ABC", "2026-12-06T10:00:00Z", "<urn:uuid:1>",
                          WarcPointer(file, offset, 100))


def test_one_workers_capture_is_found_by_another(postgres_dsn: str) -> None:
    first, second = PostgresCaptureIndex(postgres_dsn), PostgresCaptureIndex(postgres_dsn)
    try:
        assert second.earlier(URL) is None
        first.remember(URL, capture("one.warc.gz", 10))
        assert second.earlier(URL) == capture("one.warc.gz", 10)
        second.remember(URL, capture("two.warc.gz", 20))
        assert first.earlier(URL) == capture("two.warc.gz", 20)
    finally:
        first.close()
        second.close()


def test_workers_starting_together_create_the_table_once(postgres_dsn: str) -> None:
    opened: list[PostgresCaptureIndex] = []
    threads = [threading.Thread(target=lambda: opened.append(PostgresCaptureIndex(postgres_dsn)))
               for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(opened) == 4
    for index in opened:
        index.close()
