"""One date in a text to ISO 8601: ``2024-05-13``, or ``2024-05-13T04:00[:00][+07:00]`` when a
time is given (the UTC offset kept when the text gives one).

Formats: ISO and year-first (``2025.12.17``, ``2019/1/22``, ``2020年7月3日``), month-name dates
in en, es, fr, de, it, pt, nl, pl, ru, tr, vi and more (``May 13, 2024``, ``13. Mai 2024``,
``15 августа 2016``, ``13 tháng 5 năm 2024``, ``2023 Jan 7``), and numeric day/month dates
(``13.05.2024``, ``30.10.23``).  When both readings of a numeric date are possible, a weekday
before it settles the order ("Tue, 03/05/2024"), else dots mean day first (nobody writes
month.day.year), else the page's language decides.  A date that cannot be read unambiguously,
or with a year outside 1990-2100, is no date.
"""

from __future__ import annotations

import datetime
import re

from scraper.extract.patterns import (
    CJK_DATE,
    DAY_MONTH_YEAR,
    ISO_DATE,
    MONTH_DAY_YEAR,
    MONTH_NUMBERS,
    NUMERIC_DATE,
    SHORT_YEAR_DATE,
    WEEKDAY_BEFORE,
    WEEKDAYS,
    YEAR_FIRST_DATE,
    YEAR_MONTH_NAME_DAY,
)

__all__ = ["day_first", "parse_date", "valid_day"]

_MIN_YEAR, _MAX_YEAR = 1990, 2100
_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
# Every format above has a four-digit year or is a dotted "30.10.23": cheap searches rule most
# texts out.
_YEAR_DIGITS = re.compile(r"\d{4}")
_WEEKDAY_WINDOW = 16  # how far before a numeric date its weekday may start
_CENTURY_PIVOT = 90  # "30.10.89" is 1989, "30.10.23" is 2023


def parse_date(text: str, day_first: bool | None = None) -> str | None:
    """The first date in ``text`` as ISO 8601, or None.  ``day_first`` settles 05/06/2024."""
    text = text.strip()
    if not text or (_YEAR_DIGITS.search(text) is None and (
            "." not in text or SHORT_YEAR_DATE.search(text) is None)):
        return None
    match = ISO_DATE.search(text) or YEAR_FIRST_DATE.search(text) or CJK_DATE.search(text)
    if match:
        return _from_match(match, int(match["month"]))
    for pattern in (MONTH_DAY_YEAR, DAY_MONTH_YEAR, YEAR_MONTH_NAME_DAY):
        if named := _with_month(pattern, text):
            match, month = named
            return _from_match(match, month)
    match = NUMERIC_DATE.search(text)
    if match:
        return _numeric(match, text, day_first)
    match = SHORT_YEAR_DATE.search(text)
    if match:
        year = int(match["year"])
        year += 1900 if year >= _CENTURY_PIVOT else 2000
        return _from_match(match, int(match["month"]), int(match["day"]), year)
    return None


def _with_month(pattern: re.Pattern[str], text: str) -> tuple[re.Match[str], int] | None:
    """The first match of ``pattern`` whose month word is a month (or "tháng 5"), and the
    month's number."""
    start = 0
    while match := pattern.search(text, start):
        name = match["month_name"]
        month = MONTH_NUMBERS.get(name.lower()) if name else int(match["month"])
        if month:
            return match, month
        start = match.start() + 1
    return None


def day_first(lang: str | None) -> bool | None:
    """Whether the page's language writes 05/06/2024 for 5 June; None when it cannot tell.

    Plain ``en`` is used for British and American pages alike, so it settles nothing.
    """
    if not lang:
        return None
    lang = lang.lower().replace("_", "-")
    if lang.startswith(("en-us", "en-ca", "en-ph")):
        return False
    if lang == "en":
        return None
    return True


def valid_day(year: int, month: int, day: int) -> str | None:
    """``YYYY-MM-DD`` for a real calendar day with a plausible year, else None."""
    if not (_MIN_YEAR <= year <= _MAX_YEAR and 1 <= month <= 12 and 1 <= day <= _DAYS[month - 1]):
        return None
    if month == 2 and day == 29 and not (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _numeric(match: re.Match[str], text: str, day_first: bool | None) -> str | None:
    first, second = int(match["first"]), int(match["second_part"])
    if first > 12 >= second:
        day, month = first, second
    elif second > 12 >= first:
        day, month = second, first
    elif first == second:
        day = month = first
    else:
        order = _order_by_weekday(match, text)
        if order is None:
            order = True if match["sep"] == "." else day_first
        if order is None:
            return None
        day, month = (first, second) if order else (second, first)
    return _from_match(match, month, day)


def _order_by_weekday(match: re.Match[str], text: str) -> bool | None:
    """Whether the weekday written before an ambiguous numeric date makes it day first; None
    when there is no weekday or both (or neither) readings fall on it."""
    weekday = WEEKDAY_BEFORE.search(text, max(0, match.start() - _WEEKDAY_WINDOW), match.start())
    if weekday is None:
        return None
    wanted = WEEKDAYS[weekday["weekday"].lower()]
    year, first, second = int(match["year"]), int(match["first"]), int(match["second_part"])
    day_first = _weekday(year, second, first) == wanted
    month_first = _weekday(year, first, second) == wanted
    return day_first if day_first != month_first else None


def _weekday(year: int, month: int, day: int) -> int | None:
    return datetime.date(year, month, day).weekday() if valid_day(year, month, day) else None


def _from_match(match: re.Match[str], month: int, day: int | None = None,
                year: int | None = None) -> str | None:
    groups = match.groupdict()
    if day is None:
        day = int(groups["day"])
    date = valid_day(int(groups["year"]) if year is None else year, month, day)
    if date is None or not groups.get("hour"):
        return date
    hour, minute = int(groups["hour"]), int(groups["minute"])
    ampm = (groups.get("ampm") or "").lower()
    if ampm.startswith("p") and hour < 12:
        hour += 12
    elif ampm.startswith("a") and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return date
    clock = f"{hour:02d}:{minute:02d}"
    if groups.get("second"):
        clock += f":{int(groups['second']):02d}"
    return f"{date}T{clock}{_offset(groups.get('tz'))}"


def _offset(tz: str | None) -> str:
    if not tz:
        return ""
    if tz == "Z":
        return "+00:00"
    sign, digits = tz[0], tz[1:].replace(":", "")
    if len(digits) <= 2:
        hours, minutes = int(digits), 0
    else:
        hours, minutes = int(digits[:-2]), int(digits[-2:])
    if hours > 14 or minutes > 59:
        return ""
    return f"{sign}{hours:02d}:{minutes:02d}"
