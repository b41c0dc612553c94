"""Dates: date meta names, dateline classes, modified labels, month names, date formats."""

from __future__ import annotations

import re

# <meta> keys (lower-cased) for the publication and modification dates, most specific first.
PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "article:published",
    "datepublished", "published_time", "article.published", "pubdate", "publishdate",
    "publish_date", "publish-date", "publication_date", "citation_publication_date",
    "dc.date.issued", "dcterms.issued", "dc.date.created", "dcterms.created", "dc.date",
    "dcterms.date", "date", "sailthru.date", "parsely-pub-date", "article.created",
    "og:published_time", "cxenseparse:recs:publishtime", "originalpublicationdate",
    "date.available", "datecreated", "created", "release_date",
)

MODIFIED_META = ("article:modified_time", "og:article:modified_time", "og:updated_time",
                 "datemodified", "modified_time", "article.updated", "dc.date.modified",
                 "dcterms.modified", "last-modified", "lastmod", "article:updated_time")

# Class/id tokens of an element showing when the article was last changed (hAtom "updated").
MODIFIED_TOKEN = re.compile(
    r"^(?:[a-z0-9]+[-_]{1,2})*(?:updated|modified|last-?(?:updated|modified|update|change)|"
    r"(?:date|time)-?(?:updated|modified)|(?:updated?|modified)-?(?:date|time|on|at)|"
    r"ngay-?cap-?nhat|aktualisiert)$", re.I)

# A visible label before the modification date, in en, vi, es, fr, de, pt, it.
MODIFIED_LABEL = re.compile(
    r"(?<!\w)(?:(?:last\s+)?(?:updated|modified)(?:\s+(?:on|at))?|cập\s+nhật(?:\s+lúc)?|"
    r"actualizad[oa](?:\s+(?:el|a\s+las))?|última\s+actualización|mis\s+à\s+jour(?:\s+le)?|"
    r"mise\s+à\s+jour(?:\s+le)?|aktualisiert(?:\s+am)?|zuletzt\s+aktualisiert(?:\s+am)?|"
    r"atualizad[oa](?:\s+em)?|aggiornat[oa](?:\s+il)?)\s*[:：]?\s*", re.I)

# Class/id of an element showing a date: a word at a boundary or a CamelCase part ("postDate",
# "itemPostDate"); German compounds end in "datum" ("newsdatum").
DATELINE_CLASS = re.compile(
    r"(?<![A-Za-z])(?i:date|time|publish|posted|pubdate|dateline|timestamp|entry-meta|post-meta|"
    r"article-meta|meta|byline|ngay|fecha|datum)|(?<=[a-z])(?:Date|Time|Publish|Posted|Meta|"
    r"Byline)|datum")

# Month names (lower-case, accents kept) in en, es, fr, de, vi; value is the month number.
MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11,
    "diciembre": 12, "ene": 1, "abr": 4, "ago": 8, "dic": 12,
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
    "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "décembre": 12, "decembre": 12, "janv": 1, "févr": 2, "juil": 7, "déc": 12,
    "januar": 1, "februar": 2, "märz": 3, "maerz": 3, "juni": 6, "juli": 7, "oktober": 10,
    "dezember": 12, "jänner": 1, "okt": 10, "dez": 12,
}

# More languages for reading dates (it, pt, nl, sv/da/no, pl, cs, ru, uk, tr, ar): kept apart
# from MONTHS, which also tells bylines' month words ("Ann Lee December 3") from names.
OTHER_MONTHS = {
    "gennaio": 1, "febbraio": 2, "aprile": 4, "maggio": 5, "giugno": 6, "luglio": 7,
    "settembre": 9, "ottobre": 10, "dicembre": 12, "gen": 1, "mag": 5, "giu": 6, "lug": 7,
    "set": 9, "ott": 10,
    "janeiro": 1, "fevereiro": 2, "março": 3, "marco": 3, "maio": 5, "junho": 6, "julho": 7,
    "setembro": 9, "outubro": 10, "dezembro": 12, "fev": 2, "out": 10,
    "januari": 1, "februari": 2, "maart": 3, "mei": 5, "augustus": 8, "mrt": 3,
    "augusti": 8, "maj": 5, "marts": 3, "desember": 12,
    "stycznia": 1, "lutego": 2, "marca": 3, "kwietnia": 4, "maja": 5, "czerwca": 6,
    "lipca": 7, "sierpnia": 8, "września": 9, "października": 10, "listopada": 11,
    "grudnia": 12,
    "ledna": 1, "února": 2, "března": 3, "dubna": 4, "května": 5, "června": 6, "července": 7,
    "srpna": 8, "září": 9, "října": 10, "listopadu": 11, "prosince": 12,
    "января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6, "июля": 7,
    "августа": 8, "сентября": 9, "октября": 10, "ноября": 11, "декабря": 12,
    "январь": 1, "февраль": 2, "март": 3, "апрель": 4, "май": 5, "июнь": 6, "июль": 7,
    "август": 8, "сентябрь": 9, "октябрь": 10, "ноябрь": 11, "декабрь": 12,
    "янв": 1, "фев": 2, "мар": 3, "апр": 4, "июн": 6, "июл": 7, "авг": 8, "сен": 9,
    "сент": 9, "окт": 10, "ноя": 11, "дек": 12,
    "січня": 1, "лютого": 2, "березня": 3, "квітня": 4, "травня": 5, "червня": 6,
    "липня": 7, "серпня": 8, "вересня": 9, "жовтня": 10, "листопада": 11, "грудня": 12,
    "ocak": 1, "şubat": 2, "mart": 3, "nisan": 4, "mayıs": 5, "haziran": 6, "temmuz": 7,
    "ağustos": 8, "eylül": 9, "ekim": 10, "kasım": 11, "aralık": 12,
    "يناير": 1, "فبراير": 2, "مارس": 3, "أبريل": 4, "إبريل": 4, "مايو": 5, "يونيو": 6,
    "يوليو": 7, "أغسطس": 8, "سبتمبر": 9, "أكتوبر": 10, "نوفمبر": 11, "ديسمبر": 12,
}

MONTH_NUMBERS = {**OTHER_MONTHS, **MONTHS}

_MONTH_NAMES = "|".join(sorted(MONTH_NUMBERS, key=len, reverse=True))

# Weekday names (lower-case) in en, de, fr, es, it, pt, nl; value is Monday = 0.  A weekday
# before a numeric date settles its day order: "Tue, 03/05/2024" is 5 March.
WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6, "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3,
    "fri": 4, "sat": 5, "sun": 6,
    "montag": 0, "dienstag": 1, "mittwoch": 2, "donnerstag": 3, "freitag": 4, "samstag": 5,
    "sonnabend": 5, "sonntag": 6, "mo": 0, "di": 1, "mi": 2, "do": 3, "fr": 4, "sa": 5,
    "so": 6,
    "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5,
    "dimanche": 6,
    "lunes": 0, "martes": 1, "miércoles": 2, "miercoles": 2, "jueves": 3, "viernes": 4,
    "sábado": 5, "sabado": 5, "domingo": 6,
    "lunedì": 0, "martedì": 1, "mercoledì": 2, "giovedì": 3, "venerdì": 4, "domenica": 6,
    "maandag": 0, "dinsdag": 1, "woensdag": 2, "donderdag": 3, "vrijdag": 4, "zaterdag": 5,
    "zondag": 6,
}

# The weekday right before a date: "Tue, ", "Dienstag, den ", "mardi ".
WEEKDAY_BEFORE = re.compile(
    r"(?<!\w)(?P<weekday>" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) +
    r")\.?,?\s*(?:den\s+|le\s+)?$", re.I)

_TIME = (r"(?:\s*(?:,|at|um|à|a las|lúc|-|–|\|)?\s*(?P<hour>\d{1,2})[:h.](?P<minute>\d{2})"
         r"(?::(?P<second>\d{2}))?\s*(?P<ampm>[ap]\.?m\.?)?"
         r"(?:\s*\(?(?:GMT|UTC)\s*(?P<tz>[+-]\d{1,2}(?::?\d{2})?)?\)?)?)?")

ISO_DATE = re.compile(
    r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?:[T ](?P<hour>\d{1,2}):(?P<minute>\d{2})"
    r"(?::(?P<second>\d{2}))?(?:\.\d+)?\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?)?")

# A word where a month name may stand: any word of letters, looked up in MONTH_NUMBERS once
# matched (one character class is much cheaper to search than an alternation of 200 names).
_MONTH_WORD = r"[^\W\d_]{3,13}"

# "May 13, 2024 04:00am", "Monday, May 13th 2024"
MONTH_DAY_YEAR = re.compile(
    rf"(?<!\w)(?P<month_name>{_MONTH_WORD})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+"
    rf"(?P<year>\d{{4}}){_TIME}", re.I)

# "13 May 2024", "13. Mai 2024", "13 de mayo de 2024", "13 tháng 5 năm 2024"
DAY_MONTH_YEAR = re.compile(
    rf"(?<!\d)(?P<day>\d{{1,2}})(?:st|nd|rd|th|er)?\.?\s*(?:de\s+)?"
    rf"(?:tháng\s*(?P<month>\d{{1,2}})|(?P<month_name>{_MONTH_WORD})\.?)\s*,?\s*"
    rf"(?:de\s+|del\s+|năm\s+)?(?P<year>\d{{4}}){_TIME}", re.I)

# "13/05/2024 04:00", "13.05.2024", "5/13/2024"
NUMERIC_DATE = re.compile(
    rf"(?<![\d/.])(?P<first>\d{{1,2}})(?P<sep>[/.\-])(?P<second_part>\d{{1,2}})(?P=sep)(?P<year>\d{{4}})"
    rf"(?![\d/]){_TIME}")

URL_DATE = re.compile(
    r"/(?P<year>(?:19|20)\d{2})[/\-_]?(?P<month>0[1-9]|1[0-2])[/\-_]?(?P<day>0[1-9]|[12]\d|3[01])?"
    r"(?=[/\-_.]|$)")

# "2025.12.17", "2019/1/22" (year first; a dotted date needs two-digit month and day, which
# keeps version numbers like 2023.1.4 out; a slash after a path segment is a URL, not a date)
YEAR_FIRST_DATE = re.compile(
    r"(?<![\d/.])(?P<year>(?:19|20)\d{2})(?P<sep>/|\.(?=\d{2}\.\d{2}(?!\d)))"
    rf"(?P<month>\d{{1,2}})(?P=sep)(?P<day>\d{{1,2}})(?![\d/]|\s*[-–~～]\s*\d){_TIME}")

# "2020年7月3日", "2020년 7월 3일" (Chinese, Japanese, Korean)
CJK_DATE = re.compile(
    r"(?P<year>(?:19|20)\d{2})\s*[年년]\s*(?P<month>\d{1,2})\s*[月월]\s*(?P<day>\d{1,2})"
    r"(?!\d)\s*[日일]?(?:\s*(?:\([^)]{1,4}\)|（[^）]{1,4}）))?"
    r"(?:\s*(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?)?")

# "30.10.23" (day, month, two-digit year: dotted dates are day first wherever they are written)
SHORT_YEAR_DATE = re.compile(
    rf"(?<![\d.])(?P<day>\d{{2}})\.(?P<month>\d{{2}})\.(?P<year>\d{{2}})(?!\d|\.\d){_TIME}")

# "2023 Jan 7" (PubMed and other citation styles)
YEAR_MONTH_NAME_DAY = re.compile(
    rf"(?<!\d)(?P<year>(?:19|20)\d{{2}})\s+(?P<month_name>{_MONTH_WORD})\.?\s+"
    rf"(?P<day>\d{{1,2}})(?!\d)", re.I)

# Other <meta> names of the publication date: "w-published-date", "published", "pub-date".
PUBLISHED_KEY = re.compile(
    r"(?:^|[-_.:])(?:publish(?:ed)?|pub|publication)(?:[-_.]?(?:date|time|at|on))?$")

# A span of days ("16-19 March 2026", "3 – 5 de mayo"): an event's dates, not a dateline.
DATE_RANGE = re.compile(r"(?<!\d)\d{1,2}\.?\s*[-–—]\s*\d{1,2}\.?\s+[^\W\d]", re.U)

# "This article was originally published on 26 Sep 2019": the first publication, stated in words.
ORIGINAL_LABEL = re.compile(r"(?<!\w)originally\s+published(?:\s+on)?\s*:?\s*", re.I)

# A text that begins with a date: a number or a month name and a number, maybe after a weekday.
STARTS_WITH_DATE = re.compile(rf"(?:[^\W\d]+,\s+)?(?:\d|(?:{_MONTH_NAMES})\.?\s+\d)", re.I)

# A cheap, case-sensitive pre-check of the page source for ORIGINAL_LABEL (one needle: each
# costs a scan of the whole source).
ORIGINAL_NEEDLE = "riginally published"

# Elements whose dates and names belong to something else than the article they sit next to:
# embedded posts and quotes, asides, navigation (see surroundings.py).
NOT_OWN_TAGS = frozenset({"blockquote", "aside", "nav", "q", "iframe"})

# A hint, not the mechanism: class/id words (whole, between separators) of teasers, embedded
# posts and comments.  Not "widget" or "embed": page builders put them on every block; not a
# BEM element of another block ("podcast-description__sidebar" is part of the description);
# not a state or a link about comments ("has-comments", "comments-open", "comments-link").
NOT_OWN_TOKEN = re.compile(
    r"(?:^|\s|(?<!_)(?<!has)(?<!no)(?<!with)[_-])(?:teasers?|related|twitter-tweet|"
    r"instagram-media|tiktok-embed|(?:comments?|kommentare?)(?:list)?(?![_-](?:open|closed|link|count|"
    r"number|enabled|disabled|off|on|status|icon|button)\b)|recommend(?:ed|ations)?|popular|"
    r"read-?(?:more|next)|also-?read|more-?(?:from|stories|news))(?:$|[\s_-])", re.I)

# A visible label before the publication date, in de, en, fr, es, it, pt, nl, pl, ru; a German
# "Dieser Artikel wurde am" names the day in a sentence.
PUBLISHED_LABEL = re.compile(
    r"(?<!\w)(?:(?:zuerst\s+)?veröffentlicht|publiziert|erschienen|erstellt|gepostet|"
    r"veröffentlichung|erscheinungsdatum|(?:artikel|beitrag|eintrag)\s+wurde|"
    r"(?:first\s+)?published|posted|publication\s+date|date\s+published|"
    r"publié(?:e)?|mis\s+en\s+ligne|date\s+de\s+publication|publicad[oa]|"
    r"fecha\s+de\s+publicación|pubblicat[oa]|data\s+di\s+pubblicazione|gepubliceerd|"
    r"geplaatst|opublikowano|опубликовано)"
    r"(?:\s+(?:am|on|le|el|il|op|em|den|в))?(?:\s+the(?=\s+\d))?\s*[:：]?\s*", re.I)

# Case-sensitive fragments of PUBLISHED_LABEL, each with the forms the page source may escape
# it in: the source is checked for them before one XPath looks for label texts (each needle
# costs a contains() over the page's texts).
PUBLISHED_LABEL_NEEDLES = (
    ("ffentlich",), ("ublish",), ("ublizier",), ("rschien",), ("rstellt",), ("eposte",),
    ("wurde am",), ("osted",), ("ublié", "ubli&eacute;", "ubli&#233;"), ("is en ligne",),
    ("ublicad",), ("ubblicat",), ("ubliceerd",), ("eplaatst",), ("publikowano",),
    ("публиковано",))

# RDFa properties of the publication date (Drupal 7 writes "dc:date dc:created", Drupal 8+
# "schema:dateCreated"), and needles to look for before searching the tree.
RDFA_PUBLISHED = ("schema:datePublished", "schema:dateCreated", "dc:created", "dc:date",
                  "dcterms:created", "dcterms:issued")
RDFA_DATE_NEEDLES = ('property="dc', 'property="schema:date')
