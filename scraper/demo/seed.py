"""The seed page: the article the product was specified from, read at run time, never copied.

The file is a page as a reader sees it: a title line, bullet lines (author, date, views), body
paragraphs with the headline repeated as image captions, then a boilerplate tail (share bar,
comment form, related articles).  It becomes a template-A article of the demo site.
"""

from __future__ import annotations

import os
import re
from datetime import datetime
from pathlib import Path

from scraper.demo.catalog import Block, DemoArticle, DemoDataError, slugify

SEED_ENV = "BROADSHEET_SEED"
SEED_RELATIVE = Path("..") / "shared" / "seed" / "article.txt"
REPO_ROOT = Path(__file__).resolve().parents[2]
_BULLET = re.compile(r"^\s*[•*\-]\s+(.*\S)\s*$")
_COUNT = re.compile(r"^\d[\d,.]*$")
_DATE_FORMATS = (("%B %d, %Y %I:%M%p", True), ("%B %d, %Y", False))
_SENTENCE_END = (".", "!", "?", '"', "”", "’", ")")


def find_seed_file() -> Path | None:
    """``$BROADSHEET_SEED``, else ``../shared/seed/article.txt`` from the working directory,
    else the same path beside the repository root; ``None`` when none exists.  A variable that
    names a missing file is an error, not a silent fallback."""
    override = os.environ.get(SEED_ENV)
    if override:
        if not Path(override).is_file():
            raise DemoDataError(f"{SEED_ENV}={override} is not a file; point it at the seed "
                                "article.txt or unset it")
        return Path(override)
    for base in (Path.cwd(), REPO_ROOT):
        candidate = base / SEED_RELATIVE
        if candidate.is_file():
            return candidate
    return None


def load_seed() -> DemoArticle | None:
    """The seed as a demo article, or ``None`` when the file is not there."""
    path = find_seed_file()
    if path is None:
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DemoDataError(f"cannot read seed page {path}: {exc}; fix the file or unset "
                            f"{SEED_ENV}") from None
    return parse_seed(text, source=str(path))


def parse_seed(text: str, source: str = "<seed>") -> DemoArticle:
    lines = [line.strip() for line in text.splitlines()]
    content = [line for line in lines if line]
    if len(content) < 3:
        raise DemoDataError(f"{source}: too short to be an article page")
    title = content[0]
    bullets = [m.group(1) for line in text.splitlines() if (m := _BULLET.match(line))]
    published, views, author = _read_bullets(bullets, source)
    paragraphs = _strip_tail([line for line in content[1:] if not _BULLET.match(line)])
    blocks = tuple(Block("figure", line) if line == title else Block("p", line)
                   for line in paragraphs)
    if not any(block.kind == "p" for block in blocks):
        raise DemoDataError(f"{source}: no body paragraphs found")
    slug = slugify(title)
    lead = next(block.text for block in blocks if block.kind == "p")
    return DemoArticle(
        slug=slug, section="world", template="A", title=title,
        authors=(author,) if author else (), published=published, modified=None,
        views=views, comment_count=0, comments=(), blocks=blocks,
        tags=(), description=_first_sentence(lead),
        language="en", image=f"/media/{published[:4]}/{published[5:7]}/{slug}.png",
        is_seed=True)


def _read_bullets(bullets: list[str], source: str) -> tuple[str, int | None, str | None]:
    published: str | None = None
    views: int | None = None
    author: str | None = None
    for bullet in bullets:
        if _COUNT.match(bullet):
            views = int(re.sub(r"[,.]", "", bullet))
        elif (stamp := _parse_date(bullet)) is not None:
            published = stamp
        elif author is None:
            author = bullet
    if published is None:
        raise DemoDataError(f"{source}: no date line like 'May 13, 2024 04:00am' found")
    return published, views, author


def _parse_date(text: str) -> str | None:
    for pattern, timed in _DATE_FORMATS:
        try:
            moment = datetime.strptime(text, pattern)
        except ValueError:
            continue
        return moment.strftime("%Y-%m-%dT%H:%M" if timed else "%Y-%m-%d")
    return None


def _strip_tail(lines: list[str]) -> list[str]:
    """Drop the trailing boilerplate: short lines that do not end a sentence."""
    end = len(lines)
    while end > 0 and len(lines[end - 1]) < 80 and not lines[end - 1].endswith(_SENTENCE_END):
        end -= 1
    return lines[:end]


def _first_sentence(text: str) -> str:
    match = re.match(r"(.+?[.!?])(\s|$)", text)
    return match.group(1) if match else text

