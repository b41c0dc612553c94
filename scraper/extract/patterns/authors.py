"""Authors: author meta names, byline classes and prefixes, placeholders, name splitting."""

from __future__ import annotations

import re

AUTHOR_META = ("author", "article:author", "og:article:author", "dc.creator", "dcterms.creator",
               "sailthru.author", "parsely-author", "byl", "citation_author", "citation_authors")

# Scholarly meta tags: one tag per author, often "Last, First"; all of them together name the
# authors (Highwire Press / Google Scholar citation tags, Dublin Core).
BIBLIOGRAPHIC_META = frozenset({"citation_author", "citation_authors", "dc.creator",
                                "dcterms.creator"})

# Class/id tokens of elements that show a byline or a dateline.
BYLINE_CLASS = re.compile(
    r"(?<![a-z])(?:byline|by-line|author|autor|auteur|writer|posted-?by|meta-?author|"
    r"contributor|tac-?gia|reporter|journalist)", re.I)

# Words that are not a person's name in a byline.
AUTHOR_PLACEHOLDERS = frozenset({
    "admin", "administrator", "staff", "editor", "editors", "editorial", "editorial staff",
    "editorial team", "newsroom", "news desk", "web desk", "desk", "team", "guest", "anonymous",
    "unknown", "user", "webmaster", "redaction", "redacción", "rédaction", "redaktion",
    "ban biên tập", "author", "contributor", "reporter", "staff writer", "staff reporter",
    "press release", "wire", "the associated press", "associated press", "reuters", "afp",
    "the author", "undefined", "null", "none", "n/a",  # an empty template field
})

BYLINE_PREFIX = re.compile(
    r"^\s*(?:(?:written|posted|published|reported|submitted|story|text|words|photos?)\s+)?"
    r"(?:(?:by|from|por|par|von|bởi|tác giả|autor|auteur|author|escrito por|publié par)"
    r"(?:\s*[:\-–]\s*|\s+)|contributors?\s*:\s*)",
    re.I)

# A label before a name that credits something else than the text: "Photo: Ann Lee".
CREDIT_LABEL = re.compile(r"(?:photos?|pictures?|images?|video|graphics?|illustrations?|ảnh|fotos?|"
                          r"fotografía|imagen|vídeo|bild|bilder|grafik|фото|видео|source|nguồn|"
                          r"fuente|quelle)", re.I)

# Words that make a byline part an organisation rather than a person ("Reuters - Ann Lee").
ORGANISATION_WORDS = frozenset({
    "team", "editorial", "staff", "desk", "news", "media", "press", "times", "post", "daily", "group",
    "agency", "magazine", "network", "online", "service", "wire", "newsroom", "editors", "editor",
    "reporters", "correspondent", "contributors", "tv", "radio", "journal"})

NAME_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&|\by\b|\bet\b|\bund\b|\bvà\b|\|)\s*", re.I)

# Words of a job title: "Ann Lee Senior Reporter" is Ann Lee; "Head of Marketing" names no one.
JOB_TITLE_WORDS = frozenset({
    "reporter", "reporters", "correspondent", "writer", "columnist", "contributing", "journalist",
    "producer", "director", "manager", "head", "consultant", "coordinator", "attorney", "lawyer",
    "officer", "founder", "co-founder", "ceo", "cto", "cfo", "coo", "president", "specialist",
    "strategist", "analyst", "expert", "educator", "educators", "marketing", "senior", "sr",
    "chief", "associate", "assistant", "former", "licensed", "certified", "content", "intern",
    "researcher", "professor", "photographer", "freelance", "staff", "editor", "editors"})

# A byline part crediting someone else than the writer: "Reviewed by Ann Lee".
NOT_WRITER_LABEL = re.compile(
    r"(?:medically\s+|fact[- ]?)?(?:reviewed|checked|updated|edited|illustrated|photographed|"
    r"translated|produced|narrated)\s+(?:by\b|:)", re.I)

# First words of a link or button text, not of a name: "Read the bio", "View all posts".
NOT_NAME_START = frozenset({"read", "view", "see", "more", "all", "articles", "posts", "stories",
                            "follow", "contact", "meet", "share", "about"})

# Words after "by" that are no user name: "by default", "by email", "sorted by date".
NOT_HANDLE_WORDS = frozenset({
    "default", "email", "e-mail", "mail", "phone", "post", "hand", "far", "now", "then", "date",
    "name", "category", "design", "appointment", "request", "invitation", "law", "car", "bus",
    "train", "air", "day", "night", "month", "year", "week", "popular", "relevance", "newest",
    "oldest", "price", "type", "topic", "author", "clicking", "continuing", "using"})

# The page source mentions an RDFa name of a person (Drupal: property="schema:name" on a
# schema:Person, Drupal 7: property="foaf:name"); two cheap needles, every page asks.
RDFA_NAME_NEEDLES = ("schema:name", "foaf:name")
