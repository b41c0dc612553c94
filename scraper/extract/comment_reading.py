"""One structurally found comment read: who (a name-like element or "Name schrieb:"), when (a
``time``, a date-like element or text, a permalink's text) and the text (the element whose
name says text, else the comment without its name, date, header line and buttons).  Then the
comments threaded by nesting and by level classes ("depth-2", "wc_comment_level-2")."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from scraper.extract.comment_structure import Found
from scraper.extract.comment_systems import indent_levels, render_text, thread_items
from scraper.extract.comment_words import class_words, is_hidden, roles_of
from scraper.extract.dates import parse_date
from scraper.extract.document import HtmlElement
from scraper.extract.meta_area import short_text
from scraper.extract.patterns import (
    AUTHOR_NOISE,
    CHROME_TAGS,
    COMMENT_ACTION_TEXT,
    COMMENT_LEVEL,
    COMMENT_SAYS,
    COMMENT_ZERO_PHRASE,
    DATE_SHAPE,
    HEADER_NAME_END,
    LETTER_WORD,
    MAX_DATE_CHARS,
    PERMALINK,
    PROFILE_LINK,
    WROTE_AFTER,
    WROTE_BEFORE,
)
from scraper.extract.record import Comment

_MAX_NAME = 60
_MAX_NOTICE = 160
_MAX_NAME_WORDS = 6
_NAME_WORDS = frozenset({"name", "fn", "username", "nick", "nickname", "displayname"})
_DATE_PROPS = ("dateCreated", "datePublished", "commentTime")
_DATE_ATTRIBUTES = ("datetime", "content", "title", "data-content", "data-date", "data-time")
_DATE_LINE_WORDS = 2  # words a date line may hold besides the date ("um", "Uhr")
_MAX_HEADER_LINE = 160  # characters of a pair's header line
_ACTION_TAGS = frozenset({"a", "button"})
_MAX_ACTION_TEXT = 24  # "Reply", "Trả lời", "Like (3)"
_HEADER_EXTRA = 25  # characters a header line may hold besides the name and the date
_LINE_TAGS = frozenset({"h2", "h3", "h4", "h5", "h6", "p", "div", "span", "strong", "b", "td",
                        "dt", "em", "small", "cite", "header"})


def read_found(found: Found, day_first: bool | None) -> tuple[tuple[Comment, ...],
                                                               list[HtmlElement]]:
    """The comments (threaded) and the elements of the top-level ones."""
    members = set(found.items)
    for header in found.headers.values():
        members.add(header)
    parents = _parents(found.items, members, set(found.lists))
    read = [(element, parents.get(element),
             read_comment(element, found.headers.get(element), members, day_first))
            for element in found.items]
    return thread_items(read)


def _parents(items: Sequence[HtmlElement], members: Collection[HtmlElement],
             lists: Collection[HtmlElement]) -> dict[HtmlElement, HtmlElement]:
    """Each item's parent: the nearest item it is nested in, or the item right before the
    replies container it sits in, or (flat lists) the last item one level up."""
    parents: dict[HtmlElement, HtmlElement] = {}
    last_at_level: dict[int, HtmlElement] = {}
    indents = indent_levels(items, lists)
    for item in items:
        parent = _nesting_parent(item, members, lists)
        level = _level(item) or indents.get(item)
        if parent is None and level is not None and level > 1:
            parent = last_at_level.get(level - 1)
        if parent is not None:
            parents[item] = parent
        if level is not None:
            last_at_level[level] = item
    return parents


def _nesting_parent(item: HtmlElement, members: Collection[HtmlElement],
                    lists: Collection[HtmlElement]) -> HtmlElement | None:
    """The nearest comment the item is nested in, or the comment right before the replies
    container it sits in; None at the top level (the walk stops at the comment lists)."""
    node = item.getparent()
    while node is not None and node not in lists:
        if node in members:
            return node
        previous = node.getprevious()
        while previous is not None and (not isinstance(previous.tag, str) or (
                previous.tag == "a" and len(previous) == 0 and not (previous.text or "").strip())):
            previous = previous.getprevious()
        if previous is not None and previous in members:
            return previous
        node = node.getparent()
    return None


def _level(item: HtmlElement) -> int | None:
    match = COMMENT_LEVEL.search(item.get("class") or "")
    return int(match[1]) if match else None


def read_comment(item: HtmlElement, header: HtmlElement | None,
                 members: Collection[HtmlElement], day_first: bool | None) -> Comment | None:
    own = own_elements(item, members)
    scope = [header, *own_elements(header, members), *own] if header is not None else own
    author, author_element = _author(scope, item)
    if author is None and header is not None:
        author = _header_name(header)
    published, date_element = _date(scope, day_first)
    used = {author_element, date_element} - {None}
    line = _header_line(item, author_element, date_element, author)
    if line is not None:
        used.add(line)
    kept = set(own)

    def skip(element: HtmlElement) -> bool:
        return element not in kept or element in used or _is_chrome(element)

    text = ""
    for element in own:
        if "text" in roles_of(element) and not skip(element) and not _inside(element, used):
            text = render_text(element, skip)
            if text:
                break
    if not text:
        text = render_text(item, skip)
    text = _clean(text, author, published is not None)
    if not text or (len(text) <= _MAX_NOTICE and COMMENT_ZERO_PHRASE.search(text)):
        return None  # "No comments yet - be the first": a notice, not a comment
    return Comment(text, author, published)


def own_elements(item: HtmlElement, members: Collection[HtmlElement]) -> list[HtmlElement]:
    """The item's descendants in page order, not entering other comments."""
    found: list[HtmlElement] = []
    left_out: set[HtmlElement] = set()
    for node in item.iterdescendants():
        if not isinstance(node.tag, str):
            continue
        if (left_out and node.getparent() in left_out) or node in members:
            left_out.add(node)
        else:
            found.append(node)
    return found


def _is_chrome(element: HtmlElement) -> bool:
    tag = element.tag
    if not isinstance(tag, str) or tag in CHROME_TAGS:
        return True
    if "chrome" in roles_of(element) or is_hidden(element):
        return True
    if tag not in _ACTION_TAGS:
        return False
    text = short_text(element, _MAX_ACTION_TEXT)
    return text is not None and COMMENT_ACTION_TEXT.match(text) is not None


def _inside(element: HtmlElement, used: set[HtmlElement]) -> bool:
    return any(ancestor in used for ancestor in element.iterancestors())


def _author(scope: Sequence[HtmlElement], item: HtmlElement
            ) -> tuple[str | None, HtmlElement | None]:
    """A name-like element (one that is no label or badge first), else a link to the
    person's page, else "Name schrieb:", "Kommentar von Name" in a short line or the comment's
    aria-label."""
    named = [element for element in scope if _names_author(element)]
    named.sort(key=lambda element: "chrome" in roles_of(element))
    for element in named:
        inner = next((node for node in element.iterdescendants() if isinstance(node.tag, str)
                      and any(not _NAME_WORDS.isdisjoint(words) for words in class_words(node))),
                     None)
        if inner is None:
            inner = _emphasised(element)
        for candidate in (inner, element):
            if candidate is not None and (name := _name(candidate)):
                return name, candidate
    for element in scope:
        if element.tag == "a" and PROFILE_LINK.search(element.get("href") or "") \
                and (name := _name(element)):
            return name, element
    for element in scope:
        if element.tag not in _LINE_TAGS:
            continue
        text = short_text(element, MAX_DATE_CHARS)
        if not text:
            continue
        match = WROTE_AFTER.match(text) or WROTE_BEFORE.search(text)
        if match and (name := _clean_name(match["name"])):
            return name, None
    label = item.get("aria-label") or ""
    match = WROTE_BEFORE.search(label) if label else None
    if match and (name := _clean_name(match["name"])):
        return name, None
    bold = _emphasised(item)  # "<li><strong>Ana</strong> <time>...</time><p>...</p></li>"
    if bold is not None and not _is_label(bold) and (name := _name(bold)):
        return name, bold
    return None, None


def _emphasised(element: HtmlElement) -> HtmlElement | None:
    """The bold name that opens a sender line ("<strong>Ana Kurz</strong>, Nordstadt")."""
    first = next((child for child in element if isinstance(child.tag, str)), None)
    if first is None or first.tag not in ("strong", "b") or (element.text or "").strip():
        return None
    return first


def _header_name(header: HtmlElement) -> str | None:
    """The name before the date in a pair's header line ("Ana Lima on 5 May 2024")."""
    text = short_text(header, _MAX_HEADER_LINE)
    match = DATE_SHAPE.search(text) if text else None
    if text is None or match is None:
        return None
    return _clean_name(HEADER_NAME_END.sub("", text[:match.start()]))


def _is_label(bold: HtmlElement) -> bool:
    """A bold label, not a name: "<b>Update:</b>", "<b>Update</b>: ..."."""
    return bold.text_content().rstrip().endswith(":") or (bold.tail or "").lstrip().startswith(":")


def _names_author(element: HtmlElement) -> bool:
    if element.tag == "cite" or element.get("itemprop") in ("author", "creator"):
        return True
    return "author" in roles_of(element)


def _name(element: HtmlElement) -> str | None:
    """The element's name text, without the parts that say something else (a rating, a date,
    a badge: ``<p class="review-name">Ana <span class="rating">5/10</span> ...</p>``)."""
    if len(element) and any(roles_of(child) or child.tag in CHROME_TAGS or child.tag == "time"
                            for child in element if isinstance(child.tag, str)):
        parts = [element.text or ""]
        for child in element:
            if isinstance(child.tag, str) and not (roles_of(child) - {"author"}) \
                    and child.tag not in CHROME_TAGS and child.tag != "time":
                parts.append(child.text_content())
            parts.append(child.tail or "")
        joined = " ".join("".join(parts).split())
        return _clean_name(joined) if joined else None
    text = short_text(element, _MAX_NAME * 2)
    return _clean_name(text) if text else None


def _clean_name(raw: str) -> str | None:
    name = " ".join(raw.split())
    while name:
        cleaned = AUTHOR_NOISE.sub("", name)
        if cleaned == name:
            break
        name = cleaned
    match = WROTE_AFTER.match(name + " :") if name.endswith(("schrieb", "says", "wrote")) else None
    if match:
        name = match["name"]
    if not name or len(name) > _MAX_NAME or len(name.split()) > _MAX_NAME_WORDS:
        return None
    if DATE_SHAPE.fullmatch(name) or not any(char.isalpha() for char in name):
        return None
    return name


def _date(scope: Sequence[HtmlElement], day_first: bool | None
          ) -> tuple[str | None, HtmlElement | None]:
    for element in scope:
        if (element.tag == "time" or element.get("datetime")) \
                and (date := _element_date(element, day_first)):
            return date, element
    for element in scope:
        if ("date" in roles_of(element) or element.get("itemprop") in _DATE_PROPS) \
                and (date := _element_date(element, day_first)):
            return date, element
    for element in scope:
        for text in (element.text, element.tail):
            stripped = (text or "").strip()
            if stripped and len(stripped) <= MAX_DATE_CHARS and DATE_SHAPE.search(stripped) \
                    and (date := parse_date(stripped, day_first)):
                owner = element if text is element.text else element.getparent()
                return date, owner if owner in scope else element
    for element in scope:
        if element.tag == "a" and PERMALINK.search(element.get("href") or "") \
                and (date := _element_date(element, day_first)):
            return date, element
    return None, None


def _element_date(element: HtmlElement, day_first: bool | None) -> str | None:
    for attribute in _DATE_ATTRIBUTES:
        value = element.get(attribute)
        if value and (date := parse_date(value, day_first)):
            return date
    text = short_text(element, MAX_DATE_CHARS)
    return parse_date(text, day_first) if text else None


def _header_line(item: HtmlElement, author_element: HtmlElement | None,
                 date_element: HtmlElement | None, author: str | None) -> HtmlElement | None:
    """The smallest element holding both the name and the date when it holds little else
    ("<p class=info>Ana schrieb: 05.11.2014</p>"): the header line, not text."""
    if author_element is None or date_element is None:
        return None
    ancestors = set(author_element.iterancestors())
    node: HtmlElement | None = date_element
    while node is not None and node is not item and node not in ancestors:
        node = node.getparent()
    if node is None or node is item:
        return None
    shown_date = short_text(date_element, MAX_DATE_CHARS) or ""
    limit = len(author or "") + len(shown_date) + _HEADER_EXTRA
    return node if short_text(node, limit) is not None else None


def _clean(text: str, author: str | None, dated: bool) -> str:
    """The text without "says:", the name before it, and (a ``dated`` comment) a first line
    that is only its date: loose text after its header ("26. März 2004, 16:19")."""
    text = COMMENT_SAYS.sub("", text, count=1).strip()
    first, _, rest = text.partition("\n\n")
    if dated and rest and len(first) <= MAX_DATE_CHARS and DATE_SHAPE.search(first) \
            and len(LETTER_WORD.findall(DATE_SHAPE.sub(" ", first))) <= _DATE_LINE_WORDS:
        text = rest.strip()
    if author and text.startswith(author):
        rest = COMMENT_SAYS.sub("", text[len(author):], count=1)
        if rest != text[len(author):]:
            text = rest.strip()
    return text
