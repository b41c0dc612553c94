"""Author names out of byline text: labels, dates, job titles and placeholders removed.

``split_names("By Ann Lee and Bo Chan | May 3")`` → ``["Ann Lee", "Bo Chan"]``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from scraper.extract.patterns import (
    AUTHOR_PLACEHOLDERS,
    BYLINE_PREFIX,
    CREDIT_LABEL,
    JOB_TITLE_WORDS,
    MONTHS,
    NAME_SPLIT,
    NOT_HANDLE_WORDS,
    NOT_NAME_START,
    NOT_WRITER_LABEL,
    ORGANISATION_WORDS,
    WEEKDAYS,
)

__all__ = ["clean_name", "is_full_name", "is_handle", "is_url", "split_names", "unique_names"]

_CUT = re.compile(r"\s+(?:[-–—|•·/]|(?:on|updated|published|posted|vom|says)\b|\d).*$|[|•·].*$",
                  re.I)
_DASH = re.compile(r"\s+[-–]\s+")
_NOT_IN_NAMES = frozenset("0123456789*@#/=_{}<>")
_FORM_WORDS = re.compile(r"\b(?:login|log in|sign in|register|required|name|email|website)\b", re.I)
# A declared handle ("jdoe", "ann.lee", "q_admin"): one word of letters, digits, "._-".
_HANDLE = re.compile(r"[^\W_](?:[\w.-]*[^\W_])?")
_MAX_NAME_WORDS = 5
_MAX_NAME_CHARS = 60
_MAX_AUTHORS = 8


def split_names(text: str, declared: bool = False) -> list[str]:
    """The names in a byline text; ``declared``: the text is a declared author (a meta tag,
    JSON-LD), where a user name ("jdoe") is the author's name too and "Travel Expert" is
    the name the site gives, not a job title after one."""
    if "&" in text:
        text = html.unescape(text)
    text = " ".join(text.split())
    text = BYLINE_PREFIX.sub("", text)
    dashed = _DASH.split(text)
    if len(dashed) > 1 and all(is_full_name(part) for part in dashed):
        return [name for part in dashed if (name := clean_name(part))]  # "Ann Lee - Bo Chan"
    if declared and _HANDLE.fullmatch(text) and text.casefold() not in AUTHOR_PLACEHOLDERS and (
            not text.isdigit()):  # a user name, not a number (a Facebook profile id)
        return [text]
    text = _CUT.sub("", text)
    return [name for part in NAME_SPLIT.split(text) if (name := clean_name(part, declared))]


def is_handle(text: str) -> bool:
    """A user name a CMS shows for its author ("jdoe", "ann.lee", "BeauHD"): one word, not a
    placeholder ("admin") nor a number."""
    folded = text.casefold()
    return (_HANDLE.fullmatch(text) is not None and folded not in AUTHOR_PLACEHOLDERS
            and folded not in NOT_HANDLE_WORDS and not text.isdigit() and not is_url(text)
            and 2 <= len(text) <= _MAX_NAME_CHARS // 2)


def is_full_name(text: str) -> bool:
    """Two to five capitalised words, none naming an organisation: "Nguyễn Thu Hà"."""
    words = text.split()
    return 2 <= len(words) <= _MAX_NAME_WORDS and all(
        word[0].isupper() and word.replace("-", "").replace("'", "").replace(".", "").isalpha()
        and word.casefold() not in ORGANISATION_WORDS for word in words)


def clean_name(part: str, declared: bool = False) -> str | None:
    """One name from one byline part, or None when the part is no name; ``declared``: the
    part is a declared author (see ``split_names``)."""
    part = part.strip(" .,:;-–—()[]\"'")
    if NOT_WRITER_LABEL.match(part):
        return None  # "Reviewed by Ann Lee"
    name = BYLINE_PREFIX.sub("", part).strip()
    label, colon, rest = name.partition(":")
    if colon and rest.strip() and len(label.split()) <= 2:  # "Text: Ann Lee", "Photo: Bo Chan"
        if CREDIT_LABEL.fullmatch(label.strip()):
            return None
        name = rest.strip()
    if not BYLINE_PREFIX.sub("", name + " ").strip():
        return None  # the label alone: "Written By"
    words = name.split()
    while words and words[-1].casefold().rstrip(".") in MONTHS:
        words.pop()  # "Ann Lee December" from "Ann Lee December 3, 2024"
    name = " ".join(words) if declared else _before_job_title(words)
    return name if name and _looks_like_name(name, declared) else None


def _before_job_title(words: list[str]) -> str:
    """"Ann Lee Senior Reporter" → "Ann Lee"; "" for a job title alone ("Head of Marketing");
    unchanged when no full name comes first ("Podium Staff")."""
    for index, word in enumerate(words):
        if word.casefold().rstrip(".,") in JOB_TITLE_WORDS:
            before = " ".join(words[:index])
            if index == 0 or is_full_name(before):
                return before
            break
    return " ".join(words)


def _looks_like_name(name: str, declared: bool) -> bool:
    if len(name) > _MAX_NAME_CHARS or len(name.split()) > _MAX_NAME_WORDS:
        return False
    folded = name.casefold()
    if folded in AUTHOR_PLACEHOLDERS or is_url(name) or "@" in name:
        return False
    if folded.split()[0] in NOT_NAME_START:
        return False  # "Read the bio", "View all posts"
    if not any(ch.isalpha() for ch in name) or any(ch in _NOT_IN_NAMES for ch in name):
        return False
    # a handle ("jdoe"), a month ("Feb"), a form label ("Name *")
    return not ((name == name.lower() and not declared) or folded in MONTHS or folded in WEEKDAYS
                or _FORM_WORDS.search(name))


def is_url(text: str) -> bool:
    text = text.strip().lower()
    return text.startswith(("http://", "https://", "www.", "/"))


def unique_names(names: Iterable[str]) -> tuple[str, ...]:
    """The names once each (case-insensitively), in order, at most eight."""
    unique: dict[str, str] = {}
    for name in names:
        unique.setdefault(name.casefold(), name)
    return tuple(unique.values())[:_MAX_AUTHORS]
