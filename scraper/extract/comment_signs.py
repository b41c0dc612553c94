"""What one candidate comment carries, found in one walk of (a bounded part of) it: free text,
a name, a date or a permalink, or the marks of a teaser (a title link or a link to a comment on
another page).  Computed bottom-up with a memory, so that the groups at one level and the
groups inside their items share the walk."""

from __future__ import annotations

from dataclasses import dataclass

from scraper.extract.comment_words import class_words, is_hidden, roles_of
from scraper.extract.document import HtmlElement
from scraper.extract.patterns import (
    COMMENT_ID,
    COMMENT_SAYS,
    DATE_SHAPE,
    MAX_DATE_CHARS,
    PERMALINK,
    PROFILE_LINK,
    WROTE_AFTER,
    WROTE_BEFORE,
)
from scraper.extract.regions import Regions, is_here

_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "form", "textarea", "select",
                        "button", "svg", "input"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_MAX_ITEM_ELEMENTS = 600  # elements of one sampled item looked at
MIN_TEXT = 10  # free-text characters of a comment
_TITLE_WORDS = 4  # a link with this many words to another page is a post's title
_META_ROLES = frozenset({"author", "date"})
# A block inside what is named the name holds text, not the name (WordPress.com puts the whole
# comment inside "comment-author").
_BLOCKS = frozenset({"p", "div", "blockquote", "ul", "ol", "pre", "table", "section"})
_MAX_META = 100  # characters of a name and a date together


@dataclass(slots=True)
class Signs:
    """What one item carries."""

    chars: int = 0  # free text, outside links, headings, names and dates
    meta_chars: int = 0  # text inside what is named the name or date
    author: bool = False
    date: bool = False
    permalink: bool = False
    teaser: bool = False  # a title link or a comment link to another page

    def copy(self) -> Signs:
        return Signs(self.chars, self.meta_chars, self.author, self.date, self.permalink,
                     self.teaser)

    def add(self, other: Signs) -> None:
        self.chars += other.chars
        self.meta_chars += other.meta_chars
        self.author |= other.author
        self.date |= other.date
        self.permalink |= other.permalink
        self.teaser |= other.teaser

    def looks_like_comment(self, strict: bool) -> bool:
        """Text, and a name or a date or a permalink (``strict``: a name, and a date or a
        permalink).  A "name" element holding much more than a name holds the text too."""
        text = self.chars + max(0, self.meta_chars - _MAX_META)
        if self.teaser or text < MIN_TEXT:
            return False
        if strict:
            return self.author and (self.date or self.permalink)
        return self.author or self.date or self.permalink


_Context = tuple[bool, bool, bool, bool]  # in a heading, text counted, in a name/date, chrome
_TOP: _Context = (False, True, False, False)


class SignsMemo:
    """What every element's subtree carries, computed once per search: a group at one level
    and the groups inside its items below share the walk (bottom-up, with a memory)."""

    def __init__(self, regions: Regions) -> None:
        self.regions = regions
        self._done: dict[tuple[HtmlElement, _Context], Signs] = {}

    def item(self, item: HtmlElement) -> Signs:
        """The item's signs (a bounded part of it).  Text inside links, headings and the name
        or date is no free text; a heading may still say who and when."""
        signs = self._subtree(item)
        signs.permalink |= bool(COMMENT_ID.match(item.get("id") or ""))
        label = item.get("aria-label")
        if label and WROTE_BEFORE.search(label):
            signs.author = True  # aria-label="Comment by Ana"
        return signs

    def _subtree(self, root: HtmlElement) -> Signs:
        done = self._done
        if (root, _TOP) in done:
            return done[(root, _TOP)].copy()
        stack: list[tuple[HtmlElement, _Context, _Context | None]] = [(root, _TOP, None)]
        started: dict[tuple[HtmlElement, _Context], Signs] = {}
        loose: set[tuple[HtmlElement, _Context]] = set()  # finished, parent not yet
        budget = _MAX_ITEM_ELEMENTS
        while stack:
            element, context, inner = stack.pop()
            key = (element, context)
            if inner is not None:  # all children done: add them up
                own = started.pop(key)
                for child in element:
                    child_key = (child, inner)
                    if child_key in done:
                        own.add(done[child_key])
                        loose.discard(child_key)
                done[key] = own
                loose.add(key)
                continue
            if key in done:
                loose.add(key)
                continue
            if budget <= 0:
                break
            budget -= 1
            own = Signs()
            inner = self._own(element, context, own)
            if inner is None:
                done[key] = own
                loose.add(key)
                continue
            started[key] = own
            stack.append((element, context, inner))
            stack.extend((child, inner, None) for child in reversed(element)
                         if isinstance(child.tag, str))
        if (root, _TOP) in done:
            return done[(root, _TOP)].copy()
        total = Signs()  # cut short: what was seen
        for partial in (*started.values(), *(done[key] for key in loose)):
            total.add(partial)
        return total

    def _own(self, element: HtmlElement, context: _Context, own: Signs) -> _Context | None:
        """The element's own signs and texts; the context of its children (None: skipped)."""
        tag = element.tag
        if not isinstance(tag, str) or tag in _SKIP_TAGS or is_hidden(element):
            return None
        in_heading, counted, in_meta, in_chrome = context
        roles = _element_signs(element, in_heading, in_chrome, self.regions, own)
        in_chrome = in_chrome or "chrome" in roles
        in_heading = in_heading or tag in _HEADINGS
        in_meta = bool(roles & _META_ROLES) or (in_meta and tag not in _BLOCKS)
        inner = counted and tag != "a" and not in_heading
        _text_signs(element.text, own, inner, in_meta)
        for child in element:
            _text_signs(child.tail, own, inner, in_meta)
        return in_heading, inner, in_meta, in_chrome


def item_signs(item: HtmlElement, regions: Regions) -> Signs:
    """One item's signs (a memory of its own)."""
    return SignsMemo(regions).item(item)


def _element_signs(element: HtmlElement, in_heading: bool, in_chrome: bool,
                   regions: Regions, signs: Signs) -> frozenset[str]:
    """Record what the element itself says; returns its roles."""
    tag = element.tag
    if tag == "time" or element.get("datetime"):
        signs.date = True
    elif tag == "cite":
        signs.author = True
    roles = roles_of(element)
    if roles:
        signs.author |= "author" in roles
        signs.date |= "date" in roles
    itemprop = element.get("itemprop")
    if itemprop:
        signs.author |= itemprop in ("author", "creator")
        signs.date |= itemprop in ("dateCreated", "datePublished", "commentTime")
    if tag == "a":
        _link_signs(element, in_heading, in_chrome or "chrome" in roles, regions, signs)
    return roles


def _link_signs(link: HtmlElement, in_heading: bool, in_chrome: bool, regions: Regions,
                signs: Signs) -> None:
    """A permalink; or, outside buttons and menus, a link to a comment on another page
    ("Name on <a href=/other#comment-5>Post</a>") or another post's title."""
    href = link.get("href") or ""
    if PROFILE_LINK.search(href):
        signs.author = True
        return
    bare = href.strip()
    ours = not bare or bare.startswith("#") or is_here(bare, regions.here)
    if PERMALINK.search(href):
        if ours:
            signs.permalink = True
        elif "#" in href and not in_chrome:
            signs.teaser = True
        return
    if ours or in_chrome or "author" in roles_of(link):
        return
    titled = in_heading or any("title" in words or "headline" in words
                               for words in class_words(link))
    if titled and len(link.text_content().split()) >= _TITLE_WORDS:
        signs.teaser = True


def _text_signs(text: str | None, signs: Signs, counted: bool, in_meta: bool) -> None:
    if not text:
        return
    stripped = text.strip()
    if not stripped:
        return
    if counted and in_meta:
        signs.meta_chars += len(stripped)
    elif counted:
        signs.chars += len(stripped)
    if len(stripped) <= MAX_DATE_CHARS:
        if not signs.date and DATE_SHAPE.search(stripped):
            signs.date = True
        if not signs.author and (WROTE_AFTER.match(stripped) or WROTE_BEFORE.search(stripped)
                                 or COMMENT_SAYS.match(stripped)):
            signs.author = True


