"""A crawl SIGKILLed at random moments and resumed leaves only finished WARC files that warcio's
checker accepts, and every pointer the archive stored (records and snapshots) still reads back:
a record is fsynced before its pointer is handed to the archive, and a record cut by the kill is
truncated away when the next run starts (``archive.warc.repair``).  On S3 storage the kill leaves
the file in the machine-local spool folder; the next start repairs it and uploads it."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from archive.warc.pointer import WarcPointer
from archive.warc.reader import read_capture
from scraper.archive_access import ArchiveAccess, archive_access
from scraper.config import load_config
from scraper.crawl.warc_capture import warc_source
from scraper.demo import DemoServer, expected_articles
from tests.s3_server import S3Server

ROOT = Path(__file__).resolve().parent.parent
WARCIO = str(Path(sys.executable).parent / "warcio")
CONFIG = """\
politeness:
  delay: 0
  per_host_concurrency: 4
  concurrency: 4
fetch:
  retries: 1
  backoff_base: 0.05
warc:
  max_file_size: 65536
"""
KILL_SEED = 20261206
PROGRESS_TIMEOUT = 60.0


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    with DemoServer() as running:
        yield running


@pytest.fixture(params=["embedded", "postgres", "s3"])
def config_file(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    path = tmp_path / "config.yaml"
    backend = ""
    if request.param in ("postgres", "s3"):
        dsn = request.getfixturevalue("postgres_dsn")
        backend = f"backend:\n  kind: postgres\n  dsn: {dsn}\n  lease_seconds: 1\n"
    if request.param == "s3":
        server: S3Server = request.getfixturevalue("s3_server")
        bucket: str = request.getfixturevalue("s3_bucket")
        backend += f"  storage: s3://{bucket}/archive\n  storage_options:\n" + "".join(
            f"    {key}: {value}\n" for key, value in server.options.items())
    path.write_text(CONFIG + backend, encoding="utf-8")
    return path


def command(server: DemoServer, root: Path, config: Path) -> list[str]:
    return [sys.executable, "-m", "scraper", "crawl", server.base_url + "/", "--archive",
            str(root), "--config", str(config), "--quiet", "--json"]


def wait_for_requests(server: DemoServer, process: subprocess.Popen[bytes], count: int) -> None:
    deadline = time.monotonic() + PROGRESS_TIMEOUT
    while len(server.requests) < count and process.poll() is None:
        assert time.monotonic() < deadline, "the crawl made no progress"
        time.sleep(0.002)


def test_killed_crawls_leave_readable_warcs_and_every_pointer_resolves(
        server: DemoServer, config_file: Path, tmp_path: Path) -> None:
    root = tmp_path / "archive"
    rng = random.Random(KILL_SEED)
    for gap in [rng.randint(5, 25) for _ in range(4)]:
        process = subprocess.Popen(command(server, root, config_file), cwd=ROOT,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_requests(server, process, len(server.requests) + gap)
        time.sleep(rng.uniform(0, 0.03))
        process.send_signal(signal.SIGKILL)
        assert process.wait() == -signal.SIGKILL, "the crawl ended before it could be killed"
    settings = load_config(config_file).replace("archive", directory=str(root))
    access = archive_access(settings)
    on_s3 = access.storage is not None
    warc = root / ("warc-spool" if on_s3 else "warc")
    assert list(warc.glob("*.warc.gz.open")), "no kill left a file open"
    done = subprocess.run(command(server, root, config_file), cwd=ROOT, capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1])["resumed"] > 0

    assert list(warc.glob("*.open")) == []
    files = sorted(warc.glob("*.warc.gz"))
    if on_s3:  # every file uploaded, none left in the spool
        assert files == []
        files = download_warcs(access, tmp_path / "downloads")
        assert files
    for path in files:
        checked = subprocess.run([WARCIO, "check", str(path)], capture_output=True, text=True,
                                 check=False)
        assert checked.returncode == 0, checked.stdout + checked.stderr
    source = warc_source(access)
    with access.open_archive() as archive:
        stored = list(archive.iter_records())
        assert {record["url"] for record in stored} == {
            item.path for item in expected_articles(server.base_url)}
        for record in stored:
            capture = read_capture(source, WarcPointer.from_dict(record["warc"]))
            assert capture.body == archive.raw_page(record["id"]), record["url"]
            for snapshot in record["snapshots"]:
                assert read_capture(source, WarcPointer.from_dict(snapshot["warc"])).url


def download_warcs(access: ArchiveAccess, directory: Path) -> list[Path]:
    """The WARC files of the storage's ``warc/``, downloaded into ``directory``."""
    store = access.store()
    assert store is not None
    directory.mkdir()
    files = []
    for key in store.list("warc/"):
        path = directory / key.rsplit("/", 1)[-1]
        path.write_bytes(store.read(key))
        files.append(path)
    return sorted(files)
