"""Class and id names as words: what a name says an element is (a comment area, a comment's
author, date, text or buttons), whatever the naming style ("comment-text", "commentText",
"c-comment-card__text", "CommentItem_item__x7f3a", "wc_comment_level-1").

Pages repeat their class attributes (every comment has the same ones), so each attribute is
split once and remembered.
"""

from __future__ import annotations

import functools
import re

from scraper.extract.document import HtmlElement
from scraper.extract.patterns import (
    AUTHOR_PARTS,
    CHROME_PARTS,
    COMMENT_PIECE_PART,
    COMMENT_STEM,
    COMMENT_WORDS,
    DATE_PARTS,
    GENERIC_PARTS,
    HIDDEN_PARTS,
    HIDDEN_STYLE,
    POSITION_TOKENS,
    TEXT_PARTS,
)

# A generated hash at the end of a class: letters and digits mixed, after "_", "__" or "-".
_HASH = re.compile(r"(?<=[A-Za-z])(?:__?|-)(?=[A-Za-z0-9]*\d)(?=[A-Za-z0-9]*[A-Za-z])"
                   r"[A-Za-z0-9]{5,8}$")
_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z\u00c0-\u024f]+|[A-Z]+|\d+")
_CACHE = 8192
_DIGITS = re.compile(r"\d")
_MAX_ID_WORDS = 4


@functools.lru_cache(maxsize=_CACHE)
def token_words(value: str) -> tuple[tuple[str, ...], ...]:
    """Each whitespace-separated token's lower-case word parts, in order, without a CSS-modules
    hash ("CommentItem_text__a81b2" -> comment, item, text)."""
    return tuple(tuple(word.lower() for word in _WORD.findall(_HASH.sub("", token)))
                 for token in value.split())


def class_words(element: HtmlElement) -> tuple[tuple[str, ...], ...]:
    return token_words(element.get("class") or "")


@functools.lru_cache(maxsize=_CACHE)
def names_comments(value: str) -> bool:
    """Does a class or id token name comments as an area or one comment (not a counter, link,
    form or one piece of a comment: "comment-count", "comments-link", "comment-form")?"""
    for token in value.split():
        squashed = re.sub(r"[-_\s]", "", token.lower())
        words = [word.lower() for word in _WORD.findall(token)]
        if COMMENT_STEM.search(squashed) is None and COMMENT_WORDS.isdisjoint(words):
            continue
        if not _ends_in_piece(words):
            return True
    return False


def _ends_in_piece(words: list[str]) -> bool:
    """"comment-count", "commentsLink", "wc-comment-author": a comment word, then a piece."""
    seen_comment = False
    for word in words:
        if COMMENT_STEM.search(word) or word in COMMENT_WORDS:
            seen_comment = True
        elif seen_comment and word in COMMENT_PIECE_PART:
            return True
    return False


def element_names_comments(element: HtmlElement) -> bool:
    """Does the element's class, or its id when short, name comments?  Long ids are made from
    heading text ("measuring-engagement-and-scraping-comments"), not names."""
    classes = element.get("class")
    if classes and names_comments(classes):
        return True
    ident = element.get("id")
    return bool(ident) and len(token_words(ident)[0] if ident.split() else ()) <= _MAX_ID_WORDS \
        and names_comments(ident)


def has_part(element: HtmlElement, parts: frozenset[str]) -> bool:
    return any(not parts.isdisjoint(words) for words in class_words(element))


@functools.lru_cache(maxsize=_CACHE)
def _roles(value: str) -> frozenset[str]:
    """What a class attribute says an element of a comment is: "author", "date", "text",
    "chrome" (several may hold).  A role word counts when only generic words follow it
    ("comment-author-link", "wc-comment-date", "CommentContent", "jdgm-rev__body"), so that
    "text-right", "user-select-none" or WordPress's "comment-author-jancak" say nothing."""
    roles: set[str] = set()
    for words in token_words(value):
        if not CHROME_PARTS.isdisjoint(words):
            roles.add("chrome")
        for role, role_words in _ROLE_WORDS:
            if _ends_in(words, role_words):
                roles.add(role)
    if "chrome" in roles:
        roles.discard("text")
    return frozenset(roles)


def _ends_in(words: tuple[str, ...], role_words: frozenset[str]) -> bool:
    """Is some word a role word with only role or generic words after it?"""
    for index in range(len(words) - 1, -1, -1):
        word = words[index]
        if word in role_words:
            return True
        if word not in GENERIC_PARTS:
            return False
    return False


_ROLE_WORDS = (("author", AUTHOR_PARTS), ("date", DATE_PARTS), ("text", TEXT_PARTS))


@functools.lru_cache(maxsize=_CACHE)
def _hidden_class(value: str) -> bool:
    """"hidden", "d-none", "dummy-comment hidden", "comment-template": not shown."""
    return any(not HIDDEN_PARTS.isdisjoint(words) for words in token_words(value))


def is_hidden(element: HtmlElement) -> bool:
    """Is the element not shown (``hidden``, ``display:none``, a hidden or template class)?"""
    if element.get("hidden") is not None:
        return True
    style = element.get("style")
    if style and HIDDEN_STYLE.search(style):
        return True
    value = element.get("class")
    return bool(value) and _hidden_class(value)


def roles_of(element: HtmlElement) -> frozenset[str]:
    """What the element's class words (and test id: ``data-testid="comment-author"``, a
    semantic name on sites whose classes are hashes) say it is: author, date, text, chrome."""
    value = element.get("class")
    test_id = element.get("data-testid") or element.get("data-test-id")
    if test_id:
        value = f"{value or ''} {test_id}"
    return _roles(value) if value else frozenset()


def shape_of(element: HtmlElement) -> tuple[str, str | None]:
    """Tag and the first class token that says what the element is (not where it is in the
    list: "even", "first", "depth-2"), digits blanked ("comment-1631" -> "comment-#")."""
    value = element.get("class")
    return element.tag, _shape_token(value) if value else None


@functools.lru_cache(maxsize=_CACHE)
def _shape_token(value: str) -> str | None:
    for words, token in zip(token_words(value), value.split(), strict=True):
        lowered = token.lower()
        if lowered in POSITION_TOKENS or lowered.startswith(("is-", "has-")) or not words:
            continue
        if words[0] in ("depth", "level", "thread"):
            continue
        return _DIGITS.sub("#", lowered)
    return None
