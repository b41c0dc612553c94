"""Article or listing, from the URL alone: decided before a page is fetched.

News sites give their articles distinctive addresses (a date, a long slug, a numeric id, an
``.html`` leaf) and their listings short or labelled ones (home, ``/tag/x/``, ``/page/2/``,
``/world/``).  ``url_kind`` reads only the path and query, so the crawler can order its queue and
refuse to store a listing before it has seen the page.  The word lists are data (English,
Vietnamese, Romance, Germanic, Indonesian and Polish words for the same few ideas).

The rules, first match wins:

1. home (``/``, ``/index.html``) -> LISTING, unless an id query names one article (``/?p=123``)
2. pagination (``/page/2/``, ``/trang-3``, ``?page=2``) -> LISTING; a post number
   (``/archives/123``, WordPress's numeric permalinks) -> ARTICLE
3. a listing word (``tag``, ``category``, ``author``, ...) followed by at most one segment -> LISTING
4. a date in the path: with a segment after it -> ARTICLE; ending the path (a date archive) ->
   LISTING
5. a run of 5+ digits (an id), a leaf of 4+ words, an ``.html`` leaf, an id query -> ARTICLE
6. anything else -> UNKNOWN

LISTING is kept for structural evidence, because the crawler never stores a LISTING URL.  Short
paths such as ``/world/`` are usually sections, but ``/obituaries/`` or a WordPress post with a
one-word slug may be an article, so they stay UNKNOWN and the page's content decides.
"""

from __future__ import annotations

import re
from enum import StrEnum
from urllib.parse import parse_qsl, unquote, urlsplit

# Path segments that name a listing of articles (tag, section, author, search, archive pages).
LISTING_WORDS = frozenset({
    # English
    "tag", "tags", "category", "categories", "topic", "topics", "section", "sections", "author",
    "authors", "search", "archive", "archives", "label", "labels", "subject", "subjects",
    # Vietnamese
    "chuyen-muc", "tim-kiem", "tac-gia", "the-loai", "chu-de", "tu-khoa",
    # Spanish, Portuguese, Italian
    "etiqueta", "etiquetas", "categoria", "categorias", "autor", "autores", "seccion",
    "secciones", "archivo", "buscar", "busca", "assunto", "argomento", "argomenti", "autore",
    "sezione", "rubrica",
    # French
    "rubrique", "rubriques", "auteur", "auteurs", "mot-cle", "mots-cles", "categorie",
    "recherche", "sujet", "sujets",
    # German, Dutch
    "thema", "themen", "rubrik", "kategorie", "autoren", "schlagwort", "schlagworte", "suche",
    "archiv", "ressort", "rubriek", "onderwerp", "zoeken",
    # Indonesian, Malay, Polish
    "kategori", "penulis", "topik", "cari", "arsip", "kategoria", "temat", "szukaj",
})
# Words that mark a numbered page of a listing: /page/2/, /trang-3, ?paged=4.
PAGE_WORDS = frozenset({"page", "pagina", "seite", "trang", "strona", "sayfa", "pag"})
PAGE_PARAMETERS = frozenset({"page", "paged", "pg", "pagina", "seite", "trang"})
# Segments followed by a post number in numeric permalinks (WordPress: /archives/123).
POST_NUMBER_SECTIONS = frozenset({"archives"})
# Leaves that are a site's or a section's front page.
HOME_LEAVES = frozenset({"index", "default", "home", "start"})
# Query parameters holding the id of one article (``?p=123`` is WordPress's default permalink).
ID_PARAMETERS = frozenset({"p", "id", "aid", "articleid", "article_id", "story", "story_id",
                           "storyid", "newsid", "news_id", "postid", "post_id"})
ARTICLE_EXTENSIONS = frozenset({".html", ".htm", ".shtml", ".xhtml"})
MONTH_NAMES = frozenset({"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept",
                         "oct", "nov", "dec"})
SLUG_WORDS = 4  # a leaf of this many words or more is an article slug

_YEAR = re.compile(r"(?:19|20)\d\d")
_MONTH = re.compile(r"0?[1-9]|1[0-2]")
_DAY = re.compile(r"0?[1-9]|[12]\d|3[01]")
_DATE_SEGMENT = re.compile(r"(?:19|20)\d\d(?:-?[01]\d(?:-?[0-3]\d)?)")
_DIGIT_RUN = re.compile(r"\d{5,}")
_NUMBERED_PAGE = re.compile(r"([a-z]+)[-_]?(\d{1,4})")
_WORD = re.compile(r"[^\W_]+")


class UrlKind(StrEnum):
    ARTICLE = "article"
    LISTING = "listing"
    UNKNOWN = "unknown"


def url_kind(url: str) -> UrlKind:
    """What the shape of ``url`` says the page is (see the module docstring for the rules)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return UrlKind.UNKNOWN
    segments = [s for s in unquote(parts.path).lower().split("/") if s]
    query = {key.lower(): value for key, value in parse_qsl(parts.query)}
    leaf, extension = _split_extension(segments[-1]) if segments else ("", "")
    if not segments or leaf in HOME_LEAVES:
        return UrlKind.ARTICLE if _has_id_query(query) else UrlKind.LISTING
    if _is_paginated(segments, query):
        return UrlKind.LISTING
    if len(segments) >= 2 and segments[-2] in POST_NUMBER_SECTIONS and segments[-1].isdigit():
        return UrlKind.ARTICLE
    if _under_listing_word(segments):
        return UrlKind.LISTING
    dated = _after_date(segments)
    if dated is not None:
        return UrlKind.ARTICLE if dated else UrlKind.LISTING
    if _looks_like_article(segments, leaf, extension, query):
        return UrlKind.ARTICLE
    return UrlKind.UNKNOWN


def _split_extension(segment: str) -> tuple[str, str]:
    stem, dot, extension = segment.rpartition(".")
    if not dot or not stem or not extension.isalpha():
        return segment, ""
    return stem, "." + extension


def _is_paginated(segments: list[str], query: dict[str, str]) -> bool:
    if any(query.get(name, "").isdigit() for name in PAGE_PARAMETERS):
        return True
    for index, segment in enumerate(segments):
        if segment in PAGE_WORDS and index + 1 < len(segments) and segments[index + 1].isdigit():
            return True
        numbered = _NUMBERED_PAGE.fullmatch(segment)
        if numbered and numbered.group(1) in PAGE_WORDS:
            return True
    return False


def _under_listing_word(segments: list[str]) -> bool:
    """``/tag/x/``, ``/author/jane-doe/``, ``/search``: a listing word at most one segment from
    the end.  Deeper paths (``/topics/climate/long-article-slug``) are left to the other rules."""
    return any(segment in LISTING_WORDS for segment in segments[-2:])


def _after_date(segments: list[str]) -> bool | None:
    """None when the path has no date; else whether anything follows the date."""
    for index in range(len(segments)):
        end = _date_end(segments, index)
        if end is not None:
            return end < len(segments)
    return None


def _date_end(segments: list[str], index: int) -> int | None:
    """The index just past a date starting at ``segments[index]`` (``2024/05[/13]``,
    ``2024/may/13``, ``2024-05-13``, ``20240513``), or None."""
    segment = segments[index]
    if _DATE_SEGMENT.fullmatch(segment) and len(segment) > 4:
        if "-" not in segment and index + 1 == len(segments):
            return None  # a bare number ending the path is as likely an id as a date
        return index + 1
    if not _YEAR.fullmatch(segment):
        return None
    if index + 1 >= len(segments):
        return index + 1  # a year archive
    month = segments[index + 1]
    if not (_MONTH.fullmatch(month) or month in MONTH_NAMES):
        return None
    end = index + 2
    if end < len(segments) and _DAY.fullmatch(segments[end]):
        end += 1
    return end


def _looks_like_article(segments: list[str], leaf: str, extension: str,
                        query: dict[str, str]) -> bool:
    if any(_DIGIT_RUN.search(segment) for segment in segments):
        return True
    if len(_WORD.findall(leaf)) >= SLUG_WORDS or extension in ARTICLE_EXTENSIONS:
        return True
    return _has_id_query(query)


def _has_id_query(query: dict[str, str]) -> bool:
    return any(query.get(name, "").isdigit() for name in ID_PARAMETERS)

