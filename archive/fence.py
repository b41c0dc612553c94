"""A fence ties an archive write to a crawl worker's claim on the page it came from.

On a shared crawl a worker holds each page under a lease; a worker paused past its lease (GC,
SIGSTOP, a slow disk) must not store a second copy after another worker took the page over.
``Archive.store`` (and the other writes of a visit) call ``hold`` first inside the index's
write transaction, before any file is written: it raises (``LeaseLost``, an ArchiveError) when
the claim is no longer this worker's, and locks the claim so that nobody can take it over
until the transaction ends.  ``commit`` runs last in the same transaction and ends the claim,
so the record's index rows and the end of the claim commit together or not at all.
"""

from __future__ import annotations

from typing import Protocol


class Fence(Protocol):
    finished: bool
    """Set by ``commit``: the claim is ended already, the crawl must not end it again."""

    def hold(self) -> None:
        """Raise if the claim is no longer this worker's; lock it until the transaction ends."""

    def commit(self, outcome: str) -> None:
        """End the claim with ``outcome``, in the write's transaction."""
