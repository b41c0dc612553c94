"""Page-level metadata: the article's JSON-LD objects, language, site name, description, tags,
image.  Read-only over ``doc.tree``.
"""

from __future__ import annotations

import bisect
import itertools
import re
from typing import Any
from urllib.parse import urljoin

import lxml.etree

from scraper.extract.document import Document, HtmlElement, select, select_strings
from scraper.extract.patterns import ARTICLE_TYPES, TAG_CONTAINER_TOKEN, TAG_HREF

_TAG_KEYS = frozenset({"article:tag", "og:article:tag"})
# Cheap in libxml2: the few links with a rel, and every link target as plain strings (one
# search over them all says whether any link goes to a tag page).
_REL_LINKS = lxml.etree.XPath("//a/@rel[contains(translate(., 'TAG', 'tag'), 'tag')]")
_LINK_TARGETS = lxml.etree.XPath("//a/@href", smart_strings=False)
# The owners of _LINK_TARGETS, same order (from the root element: faster than "//a[@href]").
_LINKS_WITH_TARGETS = lxml.etree.XPath("descendant-or-self::a[@href]")
_TAG_HREF_LOWER = re.compile(TAG_HREF.pattern)  # on lower-cased text: 3x faster than re.I
_PAGE_TYPES = frozenset({"webpage", "itempage", "aboutpage", "medicalwebpage", "qapage"})
_MAX_TAGS = 30
_TAG_CONTAINER_LEVELS = 5
_ELSEWHERE_TAGS = frozenset({"aside", "nav"})
_SIDEBAR_TOKEN = re.compile(r"sidebar|widget|tag-?cloud|menu", re.I)


def types_of(item: dict[str, Any]) -> set[str]:
    kind = item.get("@type")
    if isinstance(kind, str):
        return {kind.lower()}
    if isinstance(kind, list):
        return {k.lower() for k in kind if isinstance(k, str)}
    return set()


def article_objects(doc: Document) -> list[dict[str, Any]]:
    """JSON-LD objects describing this page's article: article types first, then web pages."""
    articles: list[dict[str, Any]] = []
    pages: list[dict[str, Any]] = []
    for item in doc.json_ld:
        kinds = types_of(item)
        if not kinds & ARTICLE_TYPES:
            continue
        (pages if kinds <= _PAGE_TYPES else articles).append(item)
    return articles + pages


def name_of(value: Any) -> str | None:
    """A JSON-LD person/organisation/thing as its name (first one of a list)."""
    if isinstance(value, list):
        for entry in value:
            if name := name_of(entry):
                return name
        return None
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, str) and value.strip():
        return " ".join(value.split())
    return None


def find_site_name(doc: Document) -> str | None:
    name = doc.meta.get("og:site_name") or doc.meta.get("application-name")
    if name:
        return " ".join(name.split())
    for item in article_objects(doc):
        if name := name_of(item.get("publisher")):
            return name
    for item in doc.json_ld:
        is_site = types_of(item) & {"organization", "newsmediaorganization", "website"}
        if is_site and (name := name_of(item.get("name"))):
            return name
    return None


def find_description(doc: Document) -> str | None:
    for key in ("description", "og:description", "twitter:description"):
        if value := doc.meta.get(key):
            return " ".join(value.split())
    for item in article_objects(doc):
        if isinstance(value := item.get("description"), str) and value.strip():
            return " ".join(value.split())
    return None


def find_language(doc: Document) -> str | None:
    if doc.lang:
        return doc.lang
    locale = doc.meta.get("og:locale")
    if locale:
        return locale.strip().replace("_", "-")
    for element in doc.elements("meta"):
        if (element.get("http-equiv") or "").lower() == "content-language":
            first = (element.get("content") or "").split(",")[0].strip()
            return first or None
    for item in article_objects(doc):
        if isinstance(value := item.get("inLanguage"), str) and value.strip():
            return value.strip()
    return None


def find_tags(doc: Document) -> tuple[str, ...]:
    """Declared tags (``article:tag``, JSON-LD keywords), else ``rel=tag`` links, else the links
    to tag pages inside the article's tag list."""
    tags: list[str] = []
    for element in doc.elements("meta"):
        key = element.get("property") or element.get("name")
        if key and key.lower() in _TAG_KEYS and (content := element.get("content")):
            tags.extend(content.split(","))
    for item in article_objects(doc):
        keywords = item.get("keywords")
        if isinstance(keywords, str):
            tags.extend(keywords.split(","))
        elif isinstance(keywords, list):
            tags.extend(k for k in keywords if isinstance(k, str))
    if not tags:
        tags = [link.text_content() for link in select(_REL_LINKS, doc.tree) if _is_rel_tag(link)]
    if not tags:
        tags = [link.text_content() for link in _listed_tags(_links_to_tag_pages(doc))]
    return _unique(tags)


def _links_to_tag_pages(doc: Document) -> list[HtmlElement]:
    """The links that may go to a tag page, page order: one search over all targets joined finds
    them (most pages have none), with no work per link."""
    targets = select_strings(_LINK_TARGETS, doc.tree)
    joined = "\n".join(targets)
    lowered = joined.lower()
    found = [match.start() for match in _TAG_HREF_LOWER.finditer(lowered)]
    if not found:
        return []
    if len(lowered) != len(joined):  # lower-casing moved the offsets: look at every link
        return list(doc.tree.iter("a"))
    starts = list(itertools.accumulate((len(target) + 1 for target in targets), initial=0))
    wanted = sorted({bisect.bisect_right(starts, offset) - 1 for offset in found})
    links = select(_LINKS_WITH_TARGETS, doc.tree)
    return [links[index] for index in wanted if index < len(links)]


def _is_rel_tag(link: HtmlElement) -> bool:
    """``rel="tag"``; WordPress marks category links ``rel="category tag"``: not tags."""
    rel = (link.get("rel") or "").lower().split()
    return "tag" in rel and "category" not in rel and not _elsewhere(link)


def _listed_tags(links: list[HtmlElement]) -> list[HtmlElement]:
    """The links to tag pages (``/tag/x/``) inside a tag-list container of the article.  The
    links of one list share their containers: each ancestor is judged once."""
    judged: dict[HtmlElement, int] = {}
    return [link for link in links if _is_listed_tag(link, judged)]


_NOT_A_LIST, _TAG_LIST, _TAG_LIST_ELSEWHERE = 0, 1, 2


def _is_listed_tag(link: HtmlElement, judged: dict[HtmlElement, int]) -> bool:
    href = link.get("href")
    if not href or not TAG_HREF.search(href):
        return False
    for level, ancestor in enumerate(link.iterancestors()):
        if level >= _TAG_CONTAINER_LEVELS or ancestor.tag in _ELSEWHERE_TAGS:
            return False
        verdict = judged.get(ancestor)
        if verdict is None:
            verdict = judged[ancestor] = _tag_list_verdict(ancestor)
        if verdict != _NOT_A_LIST:
            return verdict == _TAG_LIST
    return False


def _tag_list_verdict(element: HtmlElement) -> int:
    if not any(TAG_CONTAINER_TOKEN.match(token) for token in _tokens(element)):
        return _NOT_A_LIST
    return _TAG_LIST_ELSEWHERE if _elsewhere(element) else _TAG_LIST


def _elsewhere(element: HtmlElement) -> bool:
    """Inside a sidebar, navigation or widget: about the site, not this article."""
    for ancestor in element.iterancestors():
        if ancestor.tag in _ELSEWHERE_TAGS:
            return True
        if any(_SIDEBAR_TOKEN.search(token) for token in _tokens(ancestor)):
            return True
    return False


def _tokens(element: HtmlElement) -> list[str]:
    return ((element.get("class") or "") + " " + (element.get("id") or "")).split()


def _unique(values: list[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for value in values:
        value = " ".join(value.split()).strip("#")
        if value and len(value) < 80 and value.casefold() not in seen:
            seen[value.casefold()] = value
    return tuple(seen.values())[:_MAX_TAGS]


def find_image(doc: Document) -> str | None:
    image = doc.meta.get("og:image") or doc.meta.get("og:image:url") \
        or doc.meta.get("twitter:image") or doc.meta.get("twitter:image:src")
    if not image:
        for item in article_objects(doc):
            if image := _image_url(item.get("image")):
                break
    if not image:
        return None
    return absolute(image, doc.url)


def _image_url(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("url") or value.get("contentUrl")
    return value.strip() if isinstance(value, str) and value.strip() else None


def absolute(url: str, base: str | None) -> str | None:
    """``url`` resolved against ``base``; None unless the result is http(s)."""
    url = url.strip()
    if base:
        try:
            url = urljoin(base, url)
        except ValueError:
            return None
    if url.startswith("//"):
        url = "https:" + url
    return url if url.startswith(("http://", "https://")) else None
