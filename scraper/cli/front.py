"""What every ``broadsheet`` command does before its work: the options common to all of them
(``-v``, ``-q``, ``--version``), which config file is in use, and whether the archive exists.

Config discovery, when ``--config`` is not given: ``./config.yaml`` if it exists, else the file
``$BROADSHEET_CONFIG`` names (a name that is not a file is a usage error), else the built-in
defaults.  The choice is one line on stderr at start (``config: ./config.yaml``), unless ``-q``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

from archive.layout import is_archive
from scraper.archive_access import ArchiveAccess
from scraper.config import ArchiveConfig, Config, load_config
from scraper.errors import UsageError

CONFIG_ENV = "BROADSHEET_CONFIG"
LOCAL_CONFIG = "config.yaml"
CONFIG_HELP = (f"configuration file (default: ./{LOCAL_CONFIG} if it exists, else "
               f"${CONFIG_ENV}, else built-in defaults)")
VERBOSE_HELP = "log every page; twice (-vv) also debug details and tracebacks"
QUIET_HELP = "no progress display and no config line on stderr"
CREATES_ARCHIVE = ("crawl", "demo", "add", "import-warc")
"""Commands that may create an archive; ``extract`` uses none; every other command reads one."""
NO_ARCHIVE = ("extract",)
LEGACY_ARCHIVE = "archive"
"""The default archive folder before 0.2: the ``archive`` package's own folder when run from
the repository root, hence the move to ``./data``."""


def add_common_options(parser: argparse.ArgumentParser, commands: Any) -> None:
    """``--version``, and ``-v``/``-q`` both before the command and after it (on every
    subcommand in ``commands``, what ``add_subparsers`` returned); see ``merge_common``."""
    parser.add_argument("--version", action="version", version=f"broadsheet {version()}")
    parser.add_argument("-v", "--verbose", action="count", default=0, dest="verbose_before",
                        help=VERBOSE_HELP)
    parser.add_argument("-q", "--quiet", action="store_true", dest="quiet_before",
                        help=QUIET_HELP)
    for subparser in commands.choices.values():
        known = subparser._option_string_actions  # options the command defines itself
        verbose = [name for name in ("-v", "--verbose") if name not in known]
        quiet = [name for name in ("-q", "--quiet") if name not in known]
        if verbose:
            subparser.add_argument(*verbose, action="count", default=0, dest="verbose",
                                   help=VERBOSE_HELP)
        if quiet:
            subparser.add_argument(*quiet, action="store_true", dest="quiet", help=QUIET_HELP)


def merge_common(args: argparse.Namespace) -> argparse.Namespace:
    """``args.verbose`` and ``args.quiet`` counting the options given on either side."""
    args.verbose = getattr(args, "verbose", 0) + args.verbose_before
    args.quiet = bool(getattr(args, "quiet", False) or args.quiet_before)
    return args


def version() -> str:
    """broadsheet's version from the installed package's metadata."""
    try:
        return metadata.version("broadsheet")
    except metadata.PackageNotFoundError:
        return "unknown (not installed: pip install -e .)"


def config_file(given: str | None, environ: Mapping[str, str] = os.environ) -> Path | None:
    """The config file a command reads (see the module docstring); None for the defaults."""
    if given is not None:
        return Path(given)
    if Path(LOCAL_CONFIG).exists():
        return Path(LOCAL_CONFIG)
    named = environ.get(CONFIG_ENV)
    if named:
        if not Path(named).is_file():
            raise UsageError(f"{CONFIG_ENV} names {named}, which is not a file; fix or unset "
                             f"{CONFIG_ENV}, or pass --config FILE")
        return Path(named)
    return None


def command_config(args: argparse.Namespace) -> tuple[Config, str]:
    """The command's configuration and the line that says where it came from."""
    path = config_file(getattr(args, "config", None))
    if path is None:
        return load_config(None), "config: built-in defaults"
    shown = f"./{path}" if path == Path(LOCAL_CONFIG) and not args.config else str(path)
    return load_config(path), f"config: {shown}"


def announce(line: str, args: argparse.Namespace) -> None:
    """An informational line on stderr, unless ``-q``."""
    if not args.quiet:
        print(line, file=sys.stderr, flush=True)


def require_archive(command: str, access: ArchiveAccess) -> None:
    """A usage error, before anything is created, when ``command`` reads an archive that is
    not where ``access`` says (ArchiveError when its database or storage is unreachable)."""
    if command in CREATES_ARCHIVE or command in NO_ARCHIVE or access.exists():
        return
    if access.dsn is not None or access.storage is not None:
        raise UsageError(f"no archive at {access.where}; check backend.dsn and "
                         "backend.storage in the config, or create one with broadsheet crawl")
    raise UsageError(f"no archive at {access.root}; give the archive with --archive DIR (or "
                     "archive.directory in the config), or create one with broadsheet crawl")


def archive_directory(config: Config, given: str | None, note: Callable[[str], None]) -> str:
    """The archive folder to use: ``--archive``, else the config's; with neither set and no
    archive in the default ``./data``, an existing archive in the old default ``./archive`` is
    still used, and ``note`` says so."""
    if given:
        return given
    directory = config.archive.directory
    if (directory != ArchiveConfig().directory or config.backend.shared
            or is_archive(Path(directory))):
        return directory
    if is_archive(Path(LEGACY_ARCHIVE)):
        note(f"using the archive in ./{LEGACY_ARCHIVE} (the default before 0.2); the default "
             f"is now ./{directory}: move it there or set archive.directory")
        return LEGACY_ARCHIVE
    return directory
