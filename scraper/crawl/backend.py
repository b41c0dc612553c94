"""What a crawl runs on, chosen by ``backend.kind``: the archive, the frontier, the politeness
gate and the failure streaks, opened together and closed together.

``embedded`` (one machine): the archive folder with its SQLite index, the SQLite frontier file
in it (locked for the run), this process's own gate.  ``postgres`` (many workers): the archive's
index and the frontier in PostgreSQL, records and raw pages in ``backend.storage`` (a shared
directory or ``s3://``), the gate, failure streaks and robots.txt shared through the database,
and a fence (``archive.fence``) on every archive write so a worker that lost its lease stores
nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from archive import Archive
from archive.fence import Fence
from scraper.archive_access import archive_access
from scraper.config import Config
from scraper.crawl.frontier.base import CrawlRequest, Frontier
from scraper.crawl.frontier.sqlite import SqliteFrontier
from scraper.crawl.lock import queue_lock
from scraper.net.host_gate import FailureCounter, PolitenessGate
from scraper.net.robots import SharedRobots

if TYPE_CHECKING:
    from scraper.net.politeness_postgres import PostgresHostGate

SLOT_MARGIN = 5.0


class FenceFactory(Protocol):
    def __call__(self, request: CrawlRequest) -> Fence | None: ...


def no_fence(request: CrawlRequest) -> Fence | None:
    return None


@dataclass(frozen=True, slots=True)
class CrawlBackend:
    """The parts of one crawl run.  ``gate``/``streaks`` None: the downloader's own."""

    archive: Archive
    frontier: Frontier
    shared: bool = False
    gate: PolitenessGate | None = None
    streaks: FailureCounter | None = None
    fence: FenceFactory = no_fence
    lease_seconds: float = 0.0
    keep_alive: Callable[[], None] | None = None
    robots: SharedRobots | None = None


@contextmanager
def open_backend(config: Config, frontier_file: str, *,
                 own_queue: bool = False) -> Iterator[CrawlBackend]:
    """The crawl's parts for ``config.backend``.  ``frontier_file`` names the local queue file
    (in the archive folder).  A shared crawl's queue is in the database, except for runs with
    their ``own_queue`` (``snapshot``, ``add``): one process each, on a local queue, writing to
    the shared archive through the shared gate.  Raises BroadsheetError subclasses."""
    if config.backend.shared and not own_queue:
        with _shared(config) as backend:
            yield backend
        return
    with ExitStack() as stack:
        archive = stack.enter_context(archive_access(config).open_archive())
        stack.enter_context(queue_lock(archive.root / frontier_file))
        frontier = SqliteFrontier(archive.root / frontier_file)
        stack.callback(frontier.close)
        gate, streaks = _shared_gate(config, stack) if config.backend.shared else (None, None)
        yield CrawlBackend(archive, frontier, gate=gate, streaks=streaks)


def _shared_gate(config: Config, stack: ExitStack,
                 hold: float | None = None) -> tuple[PostgresHostGate, FailureCounter]:
    """The shared gate and failure streaks; a slot is held ``hold`` seconds (a worker that
    renews its slots, see ``LeaseKeeper``), else one attempt's longest time."""
    from scraper.net.politeness_postgres import PostgresFailureStreaks, PostgresHostGate

    assert config.backend.dsn is not None  # checked when the config was read
    gate = PostgresHostGate(config.backend.dsn, config.politeness,
                            hold_seconds=hold or slot_hold_seconds(config))
    stack.callback(gate.close)
    streaks = PostgresFailureStreaks(config.backend.dsn)
    stack.callback(streaks.close)
    return gate, streaks


def slot_hold_seconds(config: Config) -> float:
    """How long a shared gate's slot on a host outlives a worker killed mid-request: one
    attempt's longest time (the whole-request timeout plus the connect timeout), and a margin."""
    return config.fetch.timeout + config.fetch.connect_timeout + SLOT_MARGIN


@contextmanager
def _shared(config: Config) -> Iterator[CrawlBackend]:
    # Imported here: psycopg is needed only by a shared crawl (the optional extra `postgres`).
    from archive.index.postgres import PostgresIndex
    from scraper.crawl.frontier.postgres import PostgresFrontier
    from scraper.crawl.frontier.postgres_fence import PostgresFence
    from scraper.net.robots_postgres import PostgresRobotsCache
    backend = config.backend
    assert backend.dsn is not None  # checked when the config was read
    with ExitStack() as stack:
        archive = stack.enter_context(archive_access(config).open_archive())
        frontier = PostgresFrontier(
            backend.dsn, worker_id=backend.worker_name(), lease_seconds=backend.lease_seconds,
            delay=config.politeness.delay,
            per_host_concurrency=config.politeness.per_host_concurrency)
        stack.callback(frontier.close)
        gate, streaks = _shared_gate(config, stack, hold=backend.lease_seconds)
        robots = PostgresRobotsCache(backend.dsn)
        stack.callback(robots.close)
        index = archive.index
        assert isinstance(index, PostgresIndex)

        def fence(request: CrawlRequest) -> Fence | None:
            return PostgresFence(index.connection, request, frontier.shard)

        yield CrawlBackend(archive, frontier, shared=True, gate=gate, streaks=streaks,
                           fence=fence, lease_seconds=backend.lease_seconds,
                           keep_alive=gate.renew_slots, robots=robots)
