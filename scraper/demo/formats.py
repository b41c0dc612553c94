"""How the demo site shows dates and counts: one function per visible form real CMSs use.

Every article keeps its dates as the ISO 8601 string the extractor should output (date-only,
naive time, or time with offset); these functions derive the visible text from that string, so
the page and the expected record can never disagree.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from email.utils import format_datetime

_AP_MONTHS = ("Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.",
              "Oct.", "Nov.", "Dec.")
_VI_WEEKDAYS = ("Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy", "Chủ nhật")
_FR_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
              "septembre", "octobre", "novembre", "décembre")
_ES_MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
              "septiembre", "octubre", "noviembre", "diciembre")
_ZONE_NAMES = {"+00:00": "GMT", "+01:00": "CET", "+02:00": "CEST", "-04:00": "EDT",
               "-05:00": "EST", "-07:00": "PDT", "-08:00": "PST", "+07:00": "ICT",
               "+09:00": "JST", "+05:30": "IST", "+10:00": "AEST", "+08:00": "SGT"}
_ISO_SHAPE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2})?)?$")


def is_iso(value: str) -> bool:
    """True for the shapes the record allows: date, naive time, time with offset (no 'Z')."""
    return bool(_ISO_SHAPE.match(value))


def has_time(value: str) -> bool:
    return "T" in value


def has_offset(value: str) -> bool:
    return has_time(value) and value[-6] in "+-" and value[-3] == ":"


def parse_iso(value: str) -> datetime:
    """The moment an ISO string names; a date-only string is its midnight."""
    if not has_time(value):
        day = date.fromisoformat(value)
        return datetime(day.year, day.month, day.day)
    return datetime.fromisoformat(value)


def to_utc(value: str) -> datetime:
    """An aware UTC datetime; a naive time is taken as UTC (the site's server clock)."""
    moment = parse_iso(value)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _offset_text(value: str) -> str:
    return value[-6:] if has_offset(value) else ""


def _gmt_offset(value: str) -> str:
    """'+07:00' as 'GMT+7', '+05:30' as 'GMT+5:30'."""
    offset = _offset_text(value)
    hours, minutes = int(offset[1:3]), offset[4:6]
    return f"GMT{offset[0]}{hours}" + (f":{minutes}" if minutes != "00" else "")


def _twelve_hour(moment: datetime) -> tuple[int, str]:
    hour = moment.hour % 12 or 12
    return hour, "am" if moment.hour < 12 else "pm"


# --- template A: WordPress theme ------------------------------------------------------------

def wordpress_date(value: str) -> str:
    """'May 13, 2024 04:00am' (or 'May 13, 2024' for a date-only value)."""
    moment = parse_iso(value)
    day = f"{moment:%B} {moment.day}, {moment.year}"
    if not has_time(value):
        return day
    hour, half = _twelve_hour(moment)
    return f"{day} {hour:02d}:{moment:%M}{half}"


def wordpress_comment_date(value: str) -> str:
    """'May 14, 2024 at 9:12 am', the default WordPress comment stamp."""
    moment = parse_iso(value)
    hour, half = _twelve_hour(moment)
    return f"{moment:%B} {moment.day}, {moment.year} at {hour}:{moment:%M} {half}"


def short_date(value: str) -> str:
    """'May 13, 2024', used in sidebars and listings."""
    moment = parse_iso(value)
    return f"{moment:%B} {moment.day}, {moment.year}"


# --- template B: newsroom CMS ---------------------------------------------------------------

def newsroom_date(value: str) -> str:
    """AP style: 'Sept. 12, 2024 at 8:30 a.m. EDT'."""
    moment = parse_iso(value)
    day = f"{_AP_MONTHS[moment.month - 1]} {moment.day}, {moment.year}"
    if not has_time(value):
        return day
    hour, half = _twelve_hour(moment)
    offset = _offset_text(value)
    zone = _ZONE_NAMES.get(offset, f"UTC{offset}") if offset else ""
    return f"{day} at {hour}:{moment:%M} {half[0]}.{half[1]}. {zone}".rstrip()


def newsroom_relative_label(value: str) -> str:
    """A short date for 'Most read' lists: 'Sept. 12'."""
    moment = parse_iso(value)
    return f"{_AP_MONTHS[moment.month - 1]} {moment.day}"


# --- template C: Drupal / regional portals --------------------------------------------------

def drupal_date(value: str, language: str) -> str:
    """The node date in the page's language; Vietnamese pages name the weekday and zone."""
    moment = parse_iso(value)
    timed = has_time(value)
    clock = f"{moment:%H:%M}"
    if language == "vi":
        text = f"{_VI_WEEKDAYS[moment.weekday()]}, {moment.day}/{moment.month}/{moment.year}"
        if timed:
            text += f", {clock}"
        return text + (f" ({_gmt_offset(value)})" if has_offset(value) else "")
    if language == "de":
        return f"{moment:%d.%m.%Y}" + (f", {clock} Uhr" if timed else "")
    if language == "fr":
        text = f"{moment.day} {_FR_MONTHS[moment.month - 1]} {moment.year}"
        return text + (f" à {moment:%H}h{moment:%M}" if timed else "")
    if language == "es":
        text = f"{moment.day} de {_ES_MONTHS[moment.month - 1]} de {moment.year}"
        return text + (f", {clock}" if timed else "")
    return f"{moment:%d/%m/%Y}" + (f" - {clock}" if timed else "")


def drupal_comment_date(value: str) -> str:
    """'14/05/2024 - 09:12' (comment stamps on C pages are naive)."""
    return f"{parse_iso(value):%d/%m/%Y - %H:%M}"


# --- counts ---------------------------------------------------------------------------------

def grouped(number: int, separator: str) -> str:
    """12345 as '12,345', '12.345' or '12 345'."""
    return f"{number:,}".replace(",", separator)


def compact_count(number: int) -> str:
    """'842', '1.2K', '12K', '3.4M': the rounded form newsroom pages show."""
    if number < 1000:
        return str(number)
    for scale, suffix in ((1_000_000, "M"), (1000, "K")):
        if number >= scale:
            text = f"{number / scale:.1f}".removesuffix(".0")
            return text + suffix
    raise AssertionError("unreachable")


def parse_compact(text: str) -> int:
    """Inverse of ``compact_count`` for its own output ('1.2K' is 1200)."""
    text = text.strip().upper()
    scale = {"K": 1000, "M": 1_000_000}.get(text[-1:], 1)
    number = text[:-1] if scale != 1 else text
    return round(float(number) * scale)


def views_label(number: int, language: str) -> str:
    """'12.345 lượt xem', '1.204 Aufrufe', ...: the C template's views line by language."""
    if language == "vi":
        return f"{grouped(number, '.')} lượt xem"
    if language == "de":
        return f"{grouped(number, '.')} Aufrufe"
    if language == "fr":
        return f"{grouped(number, ' ')} vues"
    if language == "es":
        return f"{grouped(number, '.')} visitas"
    return f"Post Views: {grouped(number, ',')}"


# --- protocol dates -------------------------------------------------------------------------

def http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def rss_date(value: str) -> str:
    return format_datetime(to_utc(value))


def sitemap_lastmod(value: str) -> str:
    """W3C datetime: a full stamp needs a zone, so naive times fall back to their day."""
    if has_offset(value):
        return value
    return value[:10]
