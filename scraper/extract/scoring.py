"""Finding the container that holds the article text: readability-style candidate scoring.

Each paragraph-like element scores by its length and punctuation, discounted by its link
density, and passes the score up to five ancestors.  The best-scoring ancestor, adjusted for
its own link density and class/id hints, is the content; good siblings join it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from scraper.extract.article_lists import lead_article
from scraper.extract.document import HtmlElement
from scraper.extract.marks import is_hidden
from scraper.extract.measure import link_length, text_length, text_length_of, visible_text
from scraper.extract.patterns import (
    ARTICLE_CONTAINER_CLASS,
    BLOCK_TAGS,
    COMMENT_CONTAINER,
    NEGATIVE_CANDIDATE,
    POSITIVE_CANDIDATE,
    SCORED_TAGS,
)

_MIN_PARAGRAPH = 25
_MIN_DIRECT_TEXT = 100
_ANCESTOR_LEVELS = 5
_TOP_CANDIDATES = 8
_READ = 5  # candidates _promote reads: the best and four runners-up
_COMMENT_PENALTY = 0.2
_HIDDEN_WEIGHT = 0.3
_STREAMED = 4.0  # hidden paragraph text over visible: the page is all in hidden chunks
_CLOSE_MASS = 0.3  # a runner-up holds at least this share of the best one's paragraph text
_WIDEN_GAIN = 1.5  # an ancestor must hold this much more paragraph text to be the content
_WIDEN_DENSITY = 0.7  # ... and stay nearly as dense in paragraph text as the best candidate
_TAG_WEIGHT = {"div": 5, "article": 8, "main": 5, "section": 3, "pre": 3, "td": 3,
               "blockquote": 3, "address": -3, "ol": -3, "ul": -3, "dl": -3, "dd": -3,
               "dt": -3, "li": -3, "form": -3, "th": -5, "h1": -5, "h2": -5, "h3": -5,
               "h4": -5, "h5": -5, "h6": -5}
_BREAKING_TAGS = BLOCK_TAGS - {"br"}
_WIDE_PUNCTUATION = ("，", "、", "،", "。")


@dataclass(slots=True)
class Candidate:
    element: HtmlElement
    score: float


def find_content(body: HtmlElement, hint: HtmlElement | None = None,
                 headed: HtmlElement | None = None) -> list[HtmlElement]:
    """The elements (in document order) whose text is the article; empty when none scores.
    ``headed``: the article element holding the page's headline, the page's own among
    several."""
    tally = _paragraph_scores(body, _HIDDEN_WEIGHT)
    if tally.hidden > tally.visible * _STREAMED:  # a page streamed in hidden chunks (React)
        tally = _paragraph_scores(body, 1.0)
    scores, mass = tally.scores, tally.mass
    if hint is not None:
        scores[hint] = scores.get(hint, 0.0) + 50.0  # [itemprop=articleBody] and friends
    if not scores:
        return []
    ranked = _adjust_for_links(scores)
    if not ranked:
        return []
    lead = lead_article(ranked[0].element, mass, headed)
    top = _outermost_wrapper(_widen(_promote(ranked, scores, mass), mass))
    if lead is not None and not _contains(lead, top):
        return [lead]  # one of several articles, standing on its own: nothing joins it
    return _with_siblings(top, scores)


@dataclass(slots=True)
class _Tally:
    """Candidate scores, paragraph text under each element (``mass``), and how much paragraph
    text is visible and hidden.  ``chains`` keeps each parent's ancestors and whether they
    hide it: sibling paragraphs share them; ``hides`` whether an element is hidden or inside a
    hidden one."""

    hidden_weight: float
    scores: dict[HtmlElement, float] = field(default_factory=dict)
    mass: dict[HtmlElement, float] = field(default_factory=dict)
    chains: dict[HtmlElement | None, tuple[list[HtmlElement], bool]] = field(default_factory=dict)
    hides: dict[HtmlElement, bool] = field(default_factory=dict)
    visible: float = 0.0
    hidden: float = 0.0


def _paragraph_scores(body: HtmlElement, hidden_weight: float) -> _Tally:
    tally = _Tally(hidden_weight)
    scores, mass = tally.scores, tally.mass
    for element in body.iter(*SCORED_TAGS):
        if element.tag not in ("p", "pre") and _has_block_child(element):
            direct = _direct_text(element)
            if len(direct) >= _MIN_DIRECT_TEXT:  # text loose in a container, as in old CMSs
                scores.setdefault(element, _initial_score(element))
                scores[element] += _paragraph_score(direct, 0.0)
                amount = text_length_of(direct)
                _add_mass(element, amount, mass)
                tally.visible += amount
            continue
        branches = len(element)  # none: the text is the element's own, and no link is inside
        text = visible_text(element) if branches else element.text or ""
        if len(text) < _MIN_PARAGRAPH or len(text.strip()) < _MIN_PARAGRAPH:
            continue
        links = link_length(element) if branches and next(element.iter("a"), None) is not None \
            else 0
        characters = text_length_of(text)  # the unit of text_length: whitespace not counted
        density = min(links / max(characters, 1), 1.0)
        if density > 0.5:
            continue
        _spread(element, _paragraph_score(text, density), characters * (1.0 - density), tally)
    return tally


def _add_mass(element: HtmlElement, amount: float, mass: dict[HtmlElement, float]) -> None:
    """Paragraph text (links discounted) under every ancestor: how much article each holds."""
    mass[element] = mass.get(element, 0.0) + amount
    for ancestor in element.iterancestors():
        mass[ancestor] = mass.get(ancestor, 0.0) + amount


def _paragraph_score(text: str, link_density: float) -> float:
    length = len(text.strip())
    marks = text.count(",") + text.count(".")
    if not text.isascii():
        marks += sum(text.count(mark) for mark in _WIDE_PUNCTUATION)
    score = 1.0 + marks + min(length / 100, 3.0)
    return score * (1.0 - link_density)


def _direct_text(element: HtmlElement) -> str:
    """Text directly inside ``element`` (not in its children); "" when it is only whitespace."""
    parts = [element.text or ""]
    parts.extend(child.tail or "" for child in element)
    joined = "".join(parts)
    if len(joined) < _MIN_DIRECT_TEXT or joined.isspace():
        return ""
    return " ".join(joined.split())


def _has_block_child(element: HtmlElement) -> bool:
    for child in element:  # noqa: SIM110 (twice as fast as any(): runs for every candidate)
        if child.tag in _BREAKING_TAGS:
            return True
    return False


def _spread(element: HtmlElement, score: float, amount: float, tally: _Tally) -> None:
    """A paragraph's score to its five nearest ancestors; its text ``amount`` to all of them.
    Hidden text weighs little (other stories' full texts in teaser cards, though also the
    paywalled rest of the article)."""
    parent = element.getparent()
    known = tally.chains.get(parent)
    if known is None:
        chain = list(element.iterancestors())
        known = tally.chains[parent] = chain, _under_hidden(parent, tally.hides)
    chain, hidden = known
    if hidden or is_hidden(element):
        tally.hidden += amount
        score *= tally.hidden_weight
        amount *= tally.hidden_weight
    else:
        tally.visible += amount
    scores, mass = tally.scores, tally.mass
    mass[element] = mass.get(element, 0.0) + amount
    for level, ancestor in enumerate(chain):
        mass[ancestor] = mass.get(ancestor, 0.0) + amount
        if level >= _ANCESTOR_LEVELS:
            continue
        if ancestor not in scores:
            scores[ancestor] = _initial_score(ancestor)
        divider = 1 if level == 0 else 2 if level == 1 else level * 3
        scores[ancestor] += score / divider


def _under_hidden(element: HtmlElement | None, hides: dict[HtmlElement, bool]) -> bool:
    """Whether ``element`` or an ancestor is hidden; ``hides`` remembers the answer for each
    element seen, so each is asked once."""
    path: list[HtmlElement] = []
    while element is not None and element not in hides:
        path.append(element)
        element = element.getparent()
    state = hides[element] if element is not None else False
    for node in reversed(path):
        state = state or is_hidden(node)
        hides[node] = state
    return state


def _initial_score(element: HtmlElement) -> float:
    return _TAG_WEIGHT.get(element.tag, 0) + class_weight(element)


def class_weight(element: HtmlElement) -> float:
    """The hint of the class and id names, read together: one piece of evidence however many
    names repeat it (``class="widget_text" id="text-31"`` says "text" once)."""
    names = element.get("class")
    ident = element.get("id")
    if ident:
        names = f"{names} {ident}" if names else ident
    weight = _weight_of(names) if names else 0.0
    if element.get("itemprop") == "articleBody":
        weight += 25
    return weight


@functools.lru_cache(maxsize=4096)
def _weight_of(value: str) -> float:
    """+25 for a content-like class or id, -25 for a furniture-like one (cached: they repeat)."""
    weight = 0.0
    if NEGATIVE_CANDIDATE.search(value):
        weight -= 25
    if POSITIVE_CANDIDATE.search(value):
        weight += 25
    return weight


def _adjust_for_links(scores: dict[HtmlElement, float]) -> list[Candidate]:
    """The best candidates by their score adjusted for link density and comment areas, best
    first: those ``_promote`` reads, and perhaps some after them."""
    raw = sorted(scores.items(), key=lambda item: item[1], reverse=True)[:_TOP_CANDIDATES]
    ranked: list[Candidate] = []
    for element, score in raw:
        if len(ranked) >= _READ and score <= sorted(c.score for c in ranked)[-_READ]:
            break  # adjusting only lowers a score: the rest would rank after those read
        length = text_length(element)
        density = link_length(element) / length if length else 1.0
        score *= 1.0 - min(density, 1.0)
        if _inside_comments(element):
            score *= _COMMENT_PENALTY
        ranked.append(Candidate(element, score))
    ranked.sort(key=lambda c: c.score, reverse=True)
    return [c for c in ranked if c.score > 0]


def _inside_comments(element: HtmlElement) -> bool:
    for ancestor in element.iterancestors():
        for name in ("class", "id"):
            value = ancestor.get(name)
            if value and _is_comment_mark(value):
                return True
    return False


@functools.lru_cache(maxsize=4096)
def _is_comment_mark(value: str) -> bool:
    """A class or id of the comment area (cached: the candidates share their ancestors)."""
    return COMMENT_CONTAINER.search(value) is not None


def _promote(ranked: list[Candidate], scores: dict[HtmlElement, float],
             mass: dict[HtmlElement, float]) -> HtmlElement:
    """Climb from the best candidate to an ancestor that holds more of the article: the
    nearest one holding two close runners-up that hold text of their own (not a header
    scored by its class name alone)."""
    top = ranked[0].element
    least = mass.get(top, 0.0) * _CLOSE_MASS
    close = [c.element for c in ranked[1:_READ] if c.score >= ranked[0].score * 0.75
             and mass.get(c.element, 0.0) >= least
             and not _contains(top, c.element) and not _contains(c.element, top)]
    if len(close) >= 2:
        for ancestor in top.iterancestors():
            if ancestor.tag in ("body", "html"):
                break
            shared = sum(1 for other in close if _contains(ancestor, other))
            if shared >= 2:
                top = ancestor
                break
    last = scores.get(top, 0.0)
    threshold = last / 3
    for parent in top.iterancestors():
        if parent.tag in ("body", "html"):
            break
        if parent not in scores:
            continue
        parent_score = scores[parent]
        if parent_score < threshold:
            break
        if parent_score > last:
            top = parent
            break
        last = parent_score
    return top


def _outermost_wrapper(top: HtmlElement) -> HtmlElement:
    """``top`` or the outermost ancestor wrapping nothing else."""
    while (parent := top.getparent()) is not None and parent.tag not in ("body", "html") \
            and len(parent) == 1:
        top = parent
    return top


def _widen(top: HtmlElement, mass: dict[HtmlElement, float]) -> HtmlElement:
    """An article split into sections scored apart: climb to the ancestor holding them all,
    while each step adds much paragraph text and little else (menus, link lists)."""
    best, best_mass = top, mass.get(top, 0.0)
    if best_mass <= 0 or _named_content(top):
        return top
    density = best_mass / max(text_length(top), 1)
    for ancestor in top.iterancestors():
        if ancestor.tag in ("body", "html"):
            break
        held = mass.get(ancestor, 0.0)
        if held >= best_mass * _WIDEN_GAIN:
            if held / max(text_length(ancestor), 1) < density * _WIDEN_DENSITY:
                break
            best, best_mass = ancestor, held
        if _named_content(ancestor):
            break  # never past the container the page itself calls the article
    return best


def _named_content(element: HtmlElement) -> bool:
    """Whether the class/id says "this is the article text" (then it is trusted whole)."""
    if element.get("itemprop") in ("articleBody", "articlebody"):
        return True
    return any(ARTICLE_CONTAINER_CLASS.search(element.get(name) or "") for name in ("class", "id"))


def _contains(ancestor: HtmlElement, element: HtmlElement) -> bool:
    return any(node is ancestor for node in element.iterancestors())


def _with_siblings(top: HtmlElement, scores: dict[HtmlElement, float]) -> list[HtmlElement]:
    parent = top.getparent()
    if parent is None:
        return [top]
    chunks = _same_class_chunks(top, scores)
    if chunks:
        return chunks
    top_score = scores.get(top, 0.0)
    threshold = max(10.0, top_score * 0.2)
    top_class = top.get("class")
    chosen = []
    for sibling in parent:
        if sibling is top:
            chosen.append(sibling)
            continue
        if not isinstance(sibling.tag, str):
            continue
        bonus = top_score * 0.2 if top_class and sibling.get("class") == top_class else 0.0
        # its paragraphs' score: a header is not article text for being called "article-header"
        good_score = sibling in scores and \
            scores[sibling] - _initial_score(sibling) + bonus >= threshold
        if good_score or (sibling.tag == "p" and _is_good_paragraph(sibling)):
            chosen.append(sibling)
    return chosen


def _same_class_chunks(top: HtmlElement, scores: dict[HtmlElement, float]) -> list[HtmlElement]:
    """An article split into several containers of one class (between ads): all of them."""
    top_class = top.get("class")
    if not top_class:
        return []
    threshold = scores.get(top, 0.0) * 0.2
    home = _grandparent(top)
    if home is None:
        return []
    chunks = [element for element, score in scores.items()
              if score >= threshold and element.get("class") == top_class
              and element.tag == top.tag and _grandparent(element) is home]
    if len(chunks) < 2 or any(_contains(a, b) for a in chunks for b in chunks if a is not b):
        return []
    position = {element: index for index, element in enumerate(top.getroottree().iter())
                if element in chunks}
    return sorted(chunks, key=lambda element: position.get(element, 0))


def _grandparent(element: HtmlElement) -> HtmlElement | None:
    parent = element.getparent()
    return parent.getparent() if parent is not None else None


def _is_good_paragraph(element: HtmlElement) -> bool:
    text = visible_text(element).strip()
    length = text_length_of(text)
    if length == 0:
        return False
    density = link_length(element) / length
    if length > 80:
        return density < 0.25
    return density == 0 and text.endswith(".")
