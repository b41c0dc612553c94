"""The ``backend`` section of the configuration: where a crawl keeps its shared state.

``embedded`` (the default) is one machine: SQLite files and the archive folder.  ``postgres``
puts the frontier, the per-host politeness state and the archive index in one PostgreSQL
database, so several worker processes on several machines crawl as one; records and raw pages
then go to ``storage`` (a directory every machine mounts, or ``s3://bucket/prefix``).
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field
from urllib.parse import urlsplit

BACKEND_KINDS = ("embedded", "postgres")


def backend_kind(value: object) -> str:
    if value not in BACKEND_KINDS:
        raise ValueError(f"{value!r} is not a backend kind (expected one of: "
                         f"{', '.join(BACKEND_KINDS)})")
    return str(value)


def storage_options(value: object) -> tuple[tuple[str, str], ...]:
    """A mapping of option names to scalar values (``endpoint_url``, ``key``...), kept as
    sorted pairs of strings so the config stays frozen and hashable."""
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise ValueError("must be a mapping of option names to values")
    pairs = []
    for name, option in value.items():
        if not isinstance(option, str | int | float | bool) or isinstance(option, list | dict):
            raise ValueError(f"option {name!r} must be a string, number or true/false")
        pairs.append((str(name), str(option).lower() if isinstance(option, bool) else str(option)))
    return tuple(sorted(pairs))


@dataclass(frozen=True, slots=True)
class BackendConfig:
    """``backend:`` in config.yaml.  ``worker_id`` defaults to ``host:pid`` (``worker_name``)."""

    kind: str = field(default="embedded", metadata={"parse": backend_kind})
    dsn: str | None = None
    storage: str | None = None
    storage_options: tuple[tuple[str, str], ...] = field(
        default=(), metadata={"parse": storage_options})
    lease_seconds: float = 60.0
    worker_id: str | None = None

    def __post_init__(self) -> None:
        if self.kind == "postgres" and not self.dsn:
            raise ValueError("backend 'postgres' needs 'dsn' (e.g. postgresql://user@host/db)")
        if self.dsn and urlsplit(self.dsn).scheme not in ("postgresql", "postgres"):
            raise ValueError("'dsn' must be a postgresql:// URL")
        if self.kind == "embedded" and self.storage and self.storage.startswith("s3://"):
            raise ValueError("s3:// storage needs backend 'postgres' (the embedded index is a "
                             "local SQLite file)")

    @property
    def shared(self) -> bool:
        """Whether several workers share the crawl (its state lives in the database)."""
        return self.kind == "postgres"

    def worker_name(self) -> str:
        return self.worker_id or f"{socket.gethostname()}:{os.getpid()}"
