"""Start URLs as a person types them: on the command line, or one per line on standard input.

``seed_urls`` is what every command that takes URLs calls (``crawl``, ``add``).  A bare host
(``example.com``, ``example.com/news``) is read as ``https://`` and the caller is told so; an
argument ``-`` reads standard input, one URL a line, blank lines and ``#`` comments skipped.
Anything that is not an http(s) URL with a host is a ``UsageError`` naming it (and its line).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TextIO

from scraper.errors import InvalidUrl, UsageError
from scraper.urls import canonical_form

STDIN = "-"
"""The argument that stands for standard input."""

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_LABEL = re.compile(r"[^\W_](?:[\w-]*[^\W_])?")
_PORT = re.compile(r"\d{1,5}")


def seed_urls(arguments: Sequence[str], stdin: TextIO, note: Callable[[str], None]) -> list[str]:
    """The URLs ``arguments`` give, in order, ``-`` replaced by the lines of ``stdin``.

    ``note`` receives one line for each bare host read as https.  Raises ``UsageError`` for the
    first argument (or line) that is not a usable URL, and when ``-`` gives none."""
    urls: list[str] = []
    for argument in arguments:
        if argument == STDIN:
            lines = read_seed_lines(stdin, note)
            if not lines:
                raise UsageError("no start URL on standard input: give one URL a line")
            urls.extend(lines)
        else:
            urls.append(seed_url(argument, note))
    return urls


def read_seed_lines(stdin: TextIO, note: Callable[[str], None]) -> list[str]:
    """One URL per line of ``stdin``; blank lines and lines starting with ``#`` skipped."""
    urls: list[str] = []
    for number, line in enumerate(stdin, start=1):
        text = line.strip()
        if text and not text.startswith("#"):
            urls.append(seed_url(text, note, where=f"standard input line {number}: "))
    return urls


def seed_url(text: str, note: Callable[[str], None], where: str = "") -> str:
    """``text`` as a start URL: as given when it is an http(s) URL, ``https://`` prefixed when
    it is a bare host (``note`` says so); ``UsageError`` otherwise."""
    text = text.strip()
    url = text
    if not _SCHEME.match(text) or _is_host_and_port(text):
        if not _is_bare_host(text):
            raise UsageError(f"{where}bad start URL {text!r}: not a URL or a host name; "
                             "give a URL like https://example.com/")
        url = f"https://{text}" + ("" if re.search(r"[/?#]", text) else "/")
        note(f"reading {text} as {url}")
    try:
        canonical_form(url)
    except InvalidUrl as exc:
        raise UsageError(f"{where}bad start URL {text!r}: {exc.problem}") from None
    return url


def _is_host_and_port(text: str) -> bool:
    """``example.com:8080`` looks like a scheme ``example.com:``; it is a host and port."""
    rest = text.partition(":")[2]
    return _PORT.fullmatch(re.split(r"[/?#]", rest, maxsplit=1)[0]) is not None


def _is_bare_host(text: str) -> bool:
    """A host name with at least one dot (or ``localhost``), an optional port and path."""
    authority = re.split(r"[/?#]", text, maxsplit=1)[0]
    host, colon, port = authority.partition(":")
    if colon and _PORT.fullmatch(port) is None:
        return False
    labels = host.rstrip(".").split(".")
    if host == "localhost":
        return True
    return len(labels) > 1 and all(_LABEL.fullmatch(label) for label in labels)
