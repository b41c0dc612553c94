"""The demo site's content as typed values, loaded from ``data/*.json`` (plus the seed page).

``data/site.json`` names the site and its sections; every ``data/articles-*.json`` holds a list
of articles.  Each article's dates, counts and comments are exactly what the extractor should
output for its page; the templates derive the visible text from them.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scraper.demo.formats import has_offset, is_iso, to_utc
from scraper.errors import BroadsheetError

DATA_DIR = Path(__file__).parent / "data"
TEMPLATES = ("A", "B", "C")
COMMENT_MARKUPS = ("default", "microdata")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")


class DemoDataError(BroadsheetError):
    """The bundled demo data (or the seed page) is missing or malformed."""


def plain_text(text: str) -> str:
    """A paragraph's reader-visible text: ``[words](href)`` links become their words."""
    return _LINK.sub(r"\1", text)


def links_in(text: str) -> list[tuple[str, str]]:
    """The (words, href) pairs of a paragraph's inline links, in order."""
    return [(m.group(1), m.group(2)) for m in _LINK.finditer(text)]


def slugify(text: str) -> str:
    """ASCII URL slug: 'Nguyễn Thu Hà' -> 'nguyen-thu-ha'."""
    text = text.replace("đ", "d").replace("Đ", "D")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower().replace("'", "")).strip("-")


@dataclass(frozen=True, slots=True)
class Block:
    """One body block: 'p', 'h2', 'blockquote', 'ul', 'ol', or 'figure' (a caption, not body)."""

    kind: str
    text: str = ""
    items: tuple[str, ...] = ()

    def body_lines(self) -> list[str]:
        """The block's contribution to the expected body text (figures contribute nothing)."""
        if self.kind == "figure":
            return []
        if self.kind in ("ul", "ol"):
            return [plain_text(item) for item in self.items]
        return [plain_text(self.text)]


@dataclass(frozen=True, slots=True)
class DemoComment:
    author: str
    published: str
    text: str
    replies: tuple[DemoComment, ...] = ()

    def count(self) -> int:
        return 1 + sum(reply.count() for reply in self.replies)

    def to_dict(self) -> dict[str, Any]:
        return {"author": self.author, "published": self.published, "text": self.text,
                "replies": [reply.to_dict() for reply in self.replies]}


@dataclass(frozen=True, slots=True)
class DemoArticle:
    slug: str
    section: str
    template: str
    title: str
    authors: tuple[str, ...]
    published: str
    modified: str | None
    views: int | None
    comment_count: int | None
    comments: tuple[DemoComment, ...]
    blocks: tuple[Block, ...]
    tags: tuple[str, ...]
    description: str
    language: str
    image: str
    views_in_schema: bool = True
    comment_markup: str = "default"
    is_seed: bool = False

    @property
    def path(self) -> str:
        """The canonical path: dated for templates A and B, '.html' for C."""
        if self.template == "C":
            return f"/{self.section}/{self.slug}.html"
        return f"/{self.section}/{self.published[:4]}/{self.published[5:7]}/{self.slug}/"

    @property
    def print_path(self) -> str | None:
        return f"/print/{self.slug}/" if self.template == "A" else None

    @property
    def amp_path(self) -> str | None:
        return f"/amp{self.path}" if self.template == "B" else None

    @property
    def last_change(self) -> str:
        return self.modified or self.published

    def body_text(self) -> str:
        """The expected record body: block texts joined by blank lines, list items one each."""
        return "\n\n".join(line for block in self.blocks for line in block.body_lines())

    def lead(self) -> str:
        first = next((b for b in self.blocks if b.kind == "p"), None)
        return plain_text(first.text) if first else self.description

    def rendered_comment_total(self) -> int:
        return thread_size(self)


def thread_size(article: DemoArticle) -> int:
    """Comments rendered on the page, replies included."""
    return sum(comment.count() for comment in article.comments)


@dataclass(frozen=True, slots=True)
class Section:
    slug: str
    title: str


@dataclass(frozen=True, slots=True)
class Catalog:
    """Everything the site serves: site identity, sections and articles (newest first)."""

    name: str
    tagline: str
    sections: tuple[Section, ...]
    articles: tuple[DemoArticle, ...]
    _by_path: dict[str, DemoArticle] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for article in self.articles:
            self._by_path[article.path] = article

    def article_at(self, path: str) -> DemoArticle | None:
        return self._by_path.get(path)

    def section(self, slug: str) -> Section | None:
        return next((s for s in self.sections if s.slug == slug), None)

    def in_section(self, slug: str) -> list[DemoArticle]:
        return [a for a in self.articles if a.section == slug]

    def by_author(self, author_slug: str) -> list[DemoArticle]:
        return [a for a in self.articles if author_slug in {slugify(n) for n in a.authors}]

    def by_tag(self, tag_slug: str) -> list[DemoArticle]:
        return [a for a in self.articles if tag_slug in {slugify(t) for t in a.tags}]

    def by_slug(self, slug: str) -> DemoArticle | None:
        return next((a for a in self.articles if a.slug == slug), None)

    def others(self, article: DemoArticle | None) -> Iterator[DemoArticle]:
        return (a for a in self.articles if a is not article)

    def seed(self) -> DemoArticle | None:
        return next((a for a in self.articles if a.is_seed), None)


def _block(raw: Any, where: str) -> Block:
    if isinstance(raw, str):
        return Block("p", raw)
    if isinstance(raw, dict) and len(raw) == 1:
        kind, value = next(iter(raw.items()))
        if kind in ("ul", "ol") and isinstance(value, list):
            return Block(kind, items=tuple(str(item) for item in value))
        if kind in ("h2", "blockquote", "figure") and isinstance(value, str):
            return Block(kind, value)
    raise DemoDataError(f"{where}: bad body block {raw!r}; use a string or one of "
                        "{{h2|blockquote|figure: text}}, {{ul|ol: [items]}}")


def _comment(raw: dict[str, Any], where: str) -> DemoComment:
    try:
        return DemoComment(author=raw["author"], published=raw["published"], text=raw["text"],
                           replies=tuple(_comment(r, where) for r in raw.get("replies", [])))
    except (KeyError, TypeError) as exc:
        raise DemoDataError(f"{where}: bad comment {raw!r} ({exc})") from None


def article_from_json(raw: dict[str, Any], where: str) -> DemoArticle:
    """One article from its JSON object, checked for the rules the templates rely on."""
    try:
        article = DemoArticle(
            slug=raw["slug"], section=raw["section"], template=raw["template"],
            title=raw["title"], authors=tuple(raw["authors"]), published=raw["published"],
            modified=raw.get("modified"), views=raw.get("views"),
            comment_count=raw.get("comment_count"),
            comments=tuple(_comment(c, where) for c in raw.get("comments", [])),
            blocks=tuple(_block(b, where) for b in raw["body"]), tags=tuple(raw["tags"]),
            description=raw["description"], language=raw["language"], image=raw["image"],
            views_in_schema=raw.get("views_in_schema", True),
            comment_markup=raw.get("comment_markup", "default"))
    except (KeyError, TypeError) as exc:
        raise DemoDataError(f"{where}: article is missing or mistypes {exc}") from None
    check_article(article, where)
    return article


def check_article(article: DemoArticle, where: str) -> None:
    """Raise ``DemoDataError`` when an article breaks a rule its template depends on."""
    problems = []
    if article.template not in TEMPLATES:
        problems.append(f"template must be one of {TEMPLATES}")
    dates = [article.published] + ([article.modified] if article.modified else [])
    if not all(is_iso(d) for d in dates):
        problems.append("dates must be ISO 8601 without 'Z'")
    elif article.template == "A" and any(has_offset(d) for d in dates):
        problems.append("template A shows no UTC offset, so its dates must be naive")
    if article.comment_markup not in COMMENT_MARKUPS:
        problems.append(f"comment_markup must be one of {COMMENT_MARKUPS}")
    if article.comment_count is not None and article.comment_count < article.rendered_comment_total():
        problems.append("comment_count is smaller than the comments given")
    if article.comments and article.comment_count is None:
        problems.append("comments given but comment_count is null")
    if problems:
        raise DemoDataError(f"{where} ({article.slug}): " + "; ".join(problems))


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DemoDataError(f"cannot read demo data {path}: {exc}; reinstall broadsheet") from None


def load_catalog(seed: DemoArticle | None = None, data_dir: Path = DATA_DIR) -> Catalog:
    """Build the catalog from the data files, adding the seed article when one is given."""
    site = _read_json(data_dir / "site.json")
    articles: list[DemoArticle] = [] if seed is None else [seed]
    for path in sorted(data_dir.glob("articles-*.json")):
        for index, raw in enumerate(_read_json(path)):
            articles.append(article_from_json(raw, f"{path.name}[{index}]"))
    sections = tuple(Section(s["slug"], s["title"]) for s in site["sections"])
    known = {s.slug for s in sections}
    seen: set[str] = set()
    for article in articles:
        if article.section not in known or article.slug in seen:
            raise DemoDataError(f"{article.slug}: unknown section or duplicate slug")
        seen.add(article.slug)
    articles.sort(key=lambda a: to_utc(a.published), reverse=True)
    return Catalog(name=site["name"], tagline=site["tagline"], sections=sections,
                   articles=tuple(articles))

