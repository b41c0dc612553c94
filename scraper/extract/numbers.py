"""Counts as pages print them: "1.2K" -> 1200, "12.345" -> 12345, "1,204" -> 1204, "2,5 mil" -> 2500.

A separator followed by exactly three digits groups thousands ("12.345 lượt xem", "1,204 views");
with a multiplier after it ("1.2K", "1,5 Mio.") the separator is a decimal mark.  A bare decimal
("1.5", "12,34") is not a count.  Nor is a number beyond any real counter (over 10^12: an
id, a phone number or a timestamp).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scraper.extract.patterns import COUNT_MULTIPLIERS, COUNT_NUMBER

MAX_COUNT = 10**12
_CUT_SHORT = re.compile(r"[.,]\d")


@dataclass(frozen=True, slots=True)
class CountMatch:
    """One count found in a text, with where it was found."""

    value: int
    start: int
    end: int


def find_counts(text: str) -> list[CountMatch]:
    """Every count in ``text``, left to right; numbers that are not counts are skipped."""
    found = []
    for match in COUNT_NUMBER.finditer(text):
        if _CUT_SHORT.match(text, match.end()):
            continue  # "1" of "1.2KVIEWS": part of a number the pattern could not take whole
        value = _value(match["number"], match["multiplier"])
        if value is not None:
            found.append(CountMatch(value, match.start(), match.end()))
    return found


def count_beside(text: str, after: re.Pattern[str], before: re.Pattern[str]) -> int | None:
    """The first count followed by ``after`` ("1.2K views") or preceded by ``before``
    ("Views: 1,204"); ``after`` is matched at the count's end, ``before`` must end at its start."""
    counts = find_counts(text)
    for match in counts:
        if after.match(text, match.end):
            return match.value
    for match in counts:
        if before.search(text[:match.start]):
            return match.value
    return None


def parse_count(text: str) -> int | None:
    """``text`` as one count ("1.2K", " 1,204 "), or None when it is anything else."""
    match = COUNT_NUMBER.fullmatch(text.strip())
    if match is None:
        return None
    return _value(match["number"], match["multiplier"])


def sane_count(value: int) -> int | None:
    """``value`` when it can be a counter (0 to ``MAX_COUNT``), else None."""
    return value if 0 <= value <= MAX_COUNT else None


def _value(number: str, multiplier: str | None) -> int | None:
    value = _read(number, multiplier)
    return sane_count(value) if value is not None else None


def _read(number: str, multiplier: str | None) -> int | None:
    digits = re.sub(r"[\s\u00a0\u202f']", "", number)
    if multiplier:
        factor = COUNT_MULTIPLIERS.get(multiplier.lower().rstrip("."))
        if factor is None or digits.count(".") + digits.count(",") > 1:
            return None
        return round(float(digits.replace(",", ".")) * factor)
    groups = re.split(r"[.,]", digits)
    if len(groups) == 1:
        return int(digits)
    if len(groups[0]) > 3 or any(len(group) != 3 for group in groups[1:]):
        return None  # "1.5", "12,34": a decimal, not a count
    if groups[0].startswith("0"):
        return None
    if len({sep for sep in digits if sep in ".,"}) > 1:
        return None  # "1,234.567": mixed separators without a multiplier are not a count
    return int("".join(groups))
