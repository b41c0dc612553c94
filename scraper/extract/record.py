"""The extractor's output: typed, frozen ``Article`` and ``Comment`` values.

``Article.to_dict()`` is the record documented in README ("Record schema"); the archive adds its
own fields (id, fetched_url, fetched_at, content_hash, ...) on top.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True, slots=True)
class Comment:
    """One reader comment; ``replies`` nest under their parent in page order."""

    text: str
    author: str | None = None
    published: str | None = None
    replies: tuple[Comment, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "author": self.author,
            "published": self.published,
            "text": self.text,
            "replies": [reply.to_dict() for reply in self.replies],
        }

    def count(self) -> int:
        """This comment plus all its replies, recursively."""
        return 1 + sum(reply.count() for reply in self.replies)


@dataclass(frozen=True, slots=True)
class Article:
    """Everything the extractor reads from one page.

    Dates are ISO 8601 strings: ``YYYY-MM-DDTHH:MM[:SS][±HH:MM]`` when the page gives a time
    (the UTC offset kept when the page gives one), ``YYYY-MM-DD`` when it shows only a day.
    """

    url: str | None = None
    title: str | None = None
    authors: tuple[str, ...] = ()
    published: str | None = None
    modified: str | None = None
    views: int | None = None
    comment_count: int | None = None
    comments: tuple[Comment, ...] = ()
    body: str = ""
    language: str | None = None
    site_name: str | None = None
    description: str | None = None
    tags: tuple[str, ...] = ()
    image: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The record, JSON-ready, with fields in their documented order (the field order)."""
        return {item.name: _plain(getattr(self, item.name)) for item in fields(self)}


def _plain(value: Any) -> Any:
    """Tuples become lists and comments dicts, so the record is plain JSON data."""
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    if isinstance(value, Comment):
        return value.to_dict()
    return value
