"""Several articles side by side: the page's own article is the one holding its headline.

An ``<article>`` element (or an element typed as a schema.org Article or BlogPosting) is a
composition that stands on its own.  When the best-scoring container holds several of them,
or is in one of several siblings, it is an infinite-scroll feed (the page's article, then the
next ones, loaded ahead) or a block of other posts printed whole after the article.  Either
way the page's article is the one holding the page's headline (it may also be printed just
before a list of the others).  The items of a listicle, headed by the things they list, hold
no headline: they are left alone.
"""

from __future__ import annotations

from scraper.extract.document import HtmlElement
from scraper.extract.marks import is_hidden

_ITEM_TYPES = ("Article", "BlogPosting", "Posting", "Report")
_MIN_ITEMS = 2
_ITEMS_SHARE = 0.6  # the articles hold this much of their container's paragraph text
_AROUND = 5  # levels from an element up to the article holding it


def lead_article(top: HtmlElement, mass: dict[HtmlElement, float],
                 headed: HtmlElement | None) -> HtmlElement | None:
    """``headed`` (the article holding the page's headline) when ``top`` (the best candidate)
    holds several articles or is in one of several and ``headed`` is one of them; else
    ``None``.  ``mass``: paragraph text under each element."""
    if headed is None:
        return None
    items = _articles_in(top, mass)
    if items:
        if headed in items:
            return headed
        before = (sibling for sibling in top.itersiblings(preceding=True) if _is_article(sibling))
        return headed if any(sibling is headed for sibling in before) else None
    around = article_around(top)
    if around is None or (parent := around.getparent()) is None:
        return None
    return headed if headed in _articles_in(parent, mass) else None


def article_around(element: HtmlElement | None) -> HtmlElement | None:
    """``element`` or its nearest ancestor that is an article, a few levels up at most."""
    if element is None:
        return None
    for level, node in enumerate((element, *element.iterancestors())):
        if level > _AROUND or node.tag in ("body", "html"):
            return None
        if _is_article(node):
            return node
    return None


def _articles_in(container: HtmlElement, mass: dict[HtmlElement, float]) -> list[HtmlElement]:
    """The children of ``container`` that are articles with text, when there are several and
    they hold most of its text; else []."""
    items = [child for child in container if _is_article(child) and mass.get(child, 0.0) > 0]
    if len(items) < _MIN_ITEMS:
        return []
    held = sum(mass[item] for item in items)
    return items if held >= mass.get(container, 0.0) * _ITEMS_SHARE else []


def _is_article(element: HtmlElement) -> bool:
    if not isinstance(element.tag, str):
        return False
    if is_hidden(element):
        return False  # a hidden copy of the article's metadata (schema.org microdata)
    if element.tag == "article":
        return True
    itemtype = element.get("itemtype")
    return bool(itemtype) and itemtype.rstrip("/ ").endswith(_ITEM_TYPES)
