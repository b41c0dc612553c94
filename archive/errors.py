"""The root of broadsheet's exception tree, and the archive's own branch.

The root lives here, in the lower layer, so that both ``archive`` and ``scraper`` derive from one
class without ``archive`` importing ``scraper``.  ``scraper.errors`` re-exports it.

    BroadsheetError
    ├── ArchiveError            archive directory unusable, disk full, corrupt file
    ├── ConfigError             (scraper) bad config file or key
    ├── UsageError              (scraper) bad command-line use
    ├── InvalidUrl              (scraper) a URL with a bad port, host or IPv6 literal
    ├── FetchError              (scraper) one URL could not be fetched
    │   └── RobotsDisallowed
    ├── ExtractionError         (scraper) one page could not be turned into a record
    └── OutputError             (scraper) stdout closed or full, its reader gone
"""

from __future__ import annotations


class BroadsheetError(Exception):
    """Base of every error broadsheet raises on purpose.

    ``str(error)`` is a one-line message for a person: what went wrong and what to do.
    ``exit_code`` is what the command line exits with when this error ends a command.
    """

    exit_code: int = 1


class ArchiveError(BroadsheetError):
    """The archive directory cannot be read or written (permissions, full disk, corrupt file)."""


class TransientDatabaseError(ArchiveError):
    """The database rolled a transaction back that may simply be run again (a deadlock between
    two workers, a serialization failure): nothing of it was written."""
