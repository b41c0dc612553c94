"""The extractor's output: typed, frozen ``Article`` and ``Comment`` values.

``Article.to_dict()`` is the record documented in README ("Record schema"); the archive adds its
own fields (id, fetched_url, fetched_at, content_hash, ...) on top.
"""

from __future__ import annotations

from dataclasses import dataclass
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
        """The record, JSON-ready, with fields in their documented order."""
        return {
            "url": self.url,
            "title": self.title,
            "authors": list(self.authors),
            "published": self.published,
            "modified": self.modified,
            "views": self.views,
            "comment_count": self.comment_count,
            "comments": [comment.to_dict() for comment in self.comments],
            "body": self.body,
            "language": self.language,
            "site_name": self.site_name,
            "description": self.description,
            "tags": list(self.tags),
            "image": self.image,
        }
