"""A synthetic news site for the crawl benchmark, served from its own process on 127.0.0.1.

    .venv/bin/python benchmarks/news_site.py [--articles 2000] [--port 0] [--seed 7]

"The Millbrook Ledger": article pages of 45-80 KB (meta, OpenGraph, JSON-LD, navigation, byline, 6-15
paragraphs, share bar, related stories, WordPress comments on some, "most read", footer), a home page,
section pages of 20 stories with numbered and previous/next links (so links from the home page reach every
article), author, tag and static pages, and a robots.txt allowing all.  Pages are rendered once at start-up
(deterministic for a seed), kept plain and gzipped, and served with HTTP/1.1 keep-alive.  Once listening it
prints ``serving http://127.0.0.1:PORT/ articles=N pages=M``; it stops when terminated or after --lifetime.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar
from urllib.parse import quote, urlsplit

SITE = "The Millbrook Ledger"
SECTIONS = ("news", "politics", "business", "science", "culture", "sport", "world", "opinion")
STATIC = ("about", "contact", "privacy", "terms", "subscribe")
PER_PAGE = 20
_VOCABULARY = """the a of to and in that for on with as by at from was is were will would has have had said
council people city government plan year new week month residents report company workers school hospital
river harbour bridge market prices budget vote election minister board water energy project officials police
court study researchers data museum festival season team match players league fans record rise fall growth
funding rail station road housing rents tenants farmers harvest storm flood coast students library community
local national public early last first after before while because despite against between over into about
more less most many several some every other which who when where how this these there their its they not"""
_WORDS = _VOCABULARY.split()
_PLACES = ("Millbrook", "Ostmere", "Harrowgate", "Kestrel Valley", "Lindhaven", "Corrow Bay",
           "Fenwick", "Saltmarsh", "Brannock", "Wexley", "Tollcross", "Averly")
_FIRST = ("Ada", "Bram", "Celia", "Dorian", "Elin", "Farah", "Gideon", "Hana", "Ivo", "Jonna",
          "Kasim", "Lotte", "Milo", "Nadia", "Oren", "Priya", "Quentin", "Rosa", "Soren", "Talia")
_LAST = ("Achterberg", "Blackwood", "Castell", "Drummond", "Eskola", "Fairweather", "Grieve",
         "Halloran", "Ilves", "Jarrow", "Kettering", "Lowell", "Marchetti", "Nyberg", "Okafor")
_TAGS = tuple(f"{place.lower().replace(' ', '-')}-{topic}" for place in _PLACES[:8]
              for topic in ("housing", "transport", "budget", "schools", "environment"))
_CSS = "".join(f".ldg-{name}{{margin:{i % 7}px {i % 5}px;padding:{i % 9}px;color:#{i * 7919 % 4096:03x};"
               f"font:{12 + i % 9}px/1.{4 + i % 5} Georgia,serif;border-bottom:1px solid #eee}}\n"
               for i, name in enumerate(f"{part}-{n}" for part in ("hd", "nav", "art", "side", "ft")
                                        for n in range(36)))
_SCRIPT = ("window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}"
           "gtag('js',new Date());gtag('config','LDG-000000',{anonymize_ip:true});"
           + "".join(f"window.ldgSlots.push({{id:'slot-{n}',sizes:[[300,250],[728,90]],"
                     f"targeting:{{pos:'{n}',kw:['local','news']}}}});" for n in range(24)))
_ICON = ('<svg class="ldg-icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">'
         '<path d="M{0} 2h-3a5 5 0 0 0-5 5v3H7v4h3v8h4v-8h3l1-4h-4V7a1 1 0 0 1 1-1h3z"/></svg>')
_PAGE = """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>{title} | The Millbrook Ledger</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="/favicon.ico">
<link rel="canonical" href="{url}"><meta property="og:site_name" content="The Millbrook Ledger">
<meta name="twitter:site" content="@ledger">{head}<style>{css}</style>
<script>window.ldgSlots=[];{script}</script></head><body class="ldg-page">
<a class="ldg-skip" href="#main">Skip to content</a><div class="ldg-topbar"><span>{today}</span>
<a href="/subscribe/">Subscribe</a></div><header class="ldg-header"><a class="ldg-logo" href="/">
<img src="/media/logo.svg" alt="Ledger" width="240" height="40"></a></header>
<nav class="ldg-nav"><ul>{menu}</ul></nav><div class="ldg-ticker"><strong>Latest</strong> {latest}</div>
<div class="ldg-layout"><main id="main">{main}</main><aside class="ldg-sidebar">
<section class="ldg-mostread"><h2>Most read</h2><ol>{most_read}</ol></section>
<section class="ldg-newsletter"><h2>The morning Ledger</h2><p>Our editors' pick, every weekday at seven.</p>
<form action="/subscribe/" method="post"><input type="email" name="email" placeholder="Email address">
<button type="submit">Sign up</button></form></section><div class="ldg-ad" data-sizes="300x600"></div>
</aside></div><footer class="ldg-footer"><div class="ldg-ft-cols"><ul>{sections}</ul><ul>{static}</ul>
<ul>{social}</ul></div><p class="ldg-copy">&copy; 2025 Millbrook Ledger Media Ltd. All rights reserved.</p>
</footer><script id="__LEDGER_STATE__" type="application/json">{state}</script>
<script async src="/static/app.js"></script></body></html>"""
_STORY = """<nav class="ldg-crumbs"><a href="/">Home</a> &rsaquo; <a href="/{section}/">{Section}</a></nav>
<article class="ldg-story"><header><h1 class="ldg-headline">{headline}</h1>
<p class="ldg-standfirst">{standfirst}</p><div class="ldg-byline">By
<a rel="author" href="/author/{author_slug}/">{author}</a> &middot; {published}{updated}</div></header>
<figure class="ldg-lead"><img src="/media/{number}.jpg" alt="" width="1200" height="675">
<figcaption>{caption} Photo: Ledger staff</figcaption></figure><div class="ldg-share">{share}</div>
<div class="ldg-body">{body}</div><ul class="ldg-tags">{tags}</ul><div class="ldg-author-box">
<strong>{author}</strong> covers {section} for the Ledger.</div></article>
<section class="ldg-related"><h2>More in {Section}</h2>{related}</section>{comments}"""
_TEASER = """<article class="ldg-card ldg-card--{section}"><a class="ldg-art-3" href="{path}">
<img src="/media/{number}-thumb.jpg" alt="" width="320" height="180" loading="lazy"></a>
<div class="ldg-card__body"><a class="ldg-card__kicker" href="/{section}/">{Section}</a>
<h3 class="ldg-card__title"><a href="{path}">{headline}</a></h3><p class="ldg-card__summary">{standfirst}</p>
<p class="ldg-card__meta"><a href="/author/{author_slug}/">{author}</a> {published}</p></div></article>"""
_COMMENT = """<li class="comment" id="{anchor}"><article class="comment-body"><footer class="comment-meta">
<div class="comment-author vcard"><b class="fn">{author}</b> <span class="says">says:</span></div>
<div class="comment-metadata"><a href="#{anchor}">{posted}</a></div></footer><div class="comment-content">
<p>{text}</p></div><div class="reply"><a class="comment-reply-link" href="#{anchor}">Reply</a></div></article>
{replies}</li>"""


@dataclass(frozen=True, slots=True)
class Story:
    number: int
    section: str
    path: str
    headline: str
    standfirst: str
    author: str
    published: datetime
    modified: datetime
    tags: tuple[str, ...]
    paragraphs: tuple[str, ...]
    comments: tuple[str, ...]  # rendered <li> items, replies nested inside
    comment_total: int


@dataclass(frozen=True, slots=True)
class Resource:
    """One servable URL path: its body, plain and gzipped, rendered once."""

    body: bytes
    gzipped: bytes
    content_type: str
    status: int
    etag: str


class Prose:
    """Seeded filler text that reads like news copy to an extractor (sentences, names, quotes)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def name(self) -> str:
        return f"{self.rng.choice(_FIRST)} {self.rng.choice(_LAST)}"

    def sentence(self, low: int = 9, high: int = 24) -> str:
        words = self.rng.choices(_WORDS, k=self.rng.randint(low, high))
        words.insert(self.rng.randrange(len(words)), self.rng.choice(_PLACES))
        if self.rng.random() < 0.3:
            words[self.rng.randrange(2, len(words))] += ","
        text = " ".join(words).rstrip(",")
        text = text[0].upper() + text[1:]
        if self.rng.random() < 0.12:
            return f"\u201c{text},\u201d said {self.name()}, who spoke on {self.rng.choice(_PLACES)} radio."
        return text + "."

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(3, 7)))

    def comment(self, after: datetime, depth: int = 0) -> tuple[str, int]:
        """One reader comment in WordPress's markup (with replies at the top level), and how many
        comments that makes."""
        replies = [self.comment(after, depth + 1) for _ in range(self.rng.randint(0, 2))] \
            if depth == 0 and self.rng.random() < 0.3 else []
        author = f"{self.rng.choice(_FIRST)}_{self.rng.choice(_LAST)}{self.rng.randint(1, 99)}".lower()
        posted = after + timedelta(minutes=self.rng.randint(5, 3000))
        text = " ".join(self.sentence(6, 18) for _ in range(self.rng.randint(1, 3)))
        nested = f'<ol class="children">{"".join(html for html, _ in replies)}</ol>' if replies else ""
        return _COMMENT.format(anchor=f"comment-{self.rng.randrange(10**7)}", author=author, replies=nested,
                               text=escape(text), posted=_when(posted)), 1 + sum(n for _, n in replies)


def build_stories(count: int, seed: int) -> list[Story]:
    """``count`` stories, newest first, every URL path unique."""
    rng = random.Random(seed)
    prose = Prose(rng)
    authors = sorted({prose.name() for _ in range(60)})[:36]
    newest = datetime(2025, 6, 30, 18, 0, tzinfo=UTC)
    stories, paths = [], set()
    for number in range(count):
        section = SECTIONS[rng.randrange(len(SECTIONS))]
        published = newest - timedelta(minutes=number * 97 + rng.randrange(60))
        headline = prose.sentence(6, 10).rstrip(".").replace(",", "")
        path = f"/{section}/{published:%Y/%m/%d}/{quote('-'.join(headline.lower().split()[:8]))}/"
        if path in paths:
            path = path[:-1] + f"-{number}/"
        paths.add(path)
        comments = [prose.comment(published) for _ in range(rng.randint(3, 25))] if rng.random() < 0.4 else []
        stories.append(Story(
            number, section, path, headline, prose.sentence(14, 28), rng.choice(authors),
            published, published + timedelta(minutes=rng.choice((0, 0, 35, 240))),
            tuple(rng.sample(_TAGS, rng.randint(2, 4))),
            tuple(prose.paragraph() for _ in range(rng.randint(6, 15))),
            tuple(html for html, _ in comments), sum(count for _, count in comments)))
    return stories


def slug_of(name: str) -> str:
    return name.lower().replace(" ", "-")


def _when(moment: datetime) -> str:
    return f'<time datetime="{moment.isoformat()}">{moment:%d %B %Y, %H:%M}</time>'


def _fields(story: Story) -> dict[str, str | int]:
    """What the story and teaser templates fill in, escaped."""
    return {"section": story.section, "Section": story.section.title(), "path": story.path,
            "number": story.number, "headline": escape(story.headline), "author": story.author,
            "standfirst": escape(story.standfirst), "author_slug": slug_of(story.author),
            "published": _when(story.published)}


class Renderer:
    """Turns stories into pages; ``base`` is the absolute site root (for canonical URLs)."""

    def __init__(self, stories: list[Story], base: str) -> None:
        self.stories = stories
        self.base = base.rstrip("/")
        self.by_section = {s: [x for x in stories if x.section == s] for s in SECTIONS}
        most_read = [stories[(n * 37) % len(stories)] for n in range(min(10, len(stories)))]
        self.common = {  # the parts of _PAGE that are the same on every page
            "css": _CSS, "script": _SCRIPT, "today": f"{stories[0].published:%A %d %B %Y}",
            "menu": "".join(f'<li class="ldg-nav-{n}"><a href="/{s}/">{s.title()}</a><ul class="ldg-mega">'
                            + "".join(f'<li><a href="{x.path}">{escape(x.headline)}</a></li>'
                                      for x in self.by_section[s][:3]) + "</ul></li>"
                            for n, s in enumerate(SECTIONS)),
            "latest": " ".join(f'<a href="{x.path}">{escape(x.headline)}</a>' for x in stories[:5]),
            "most_read": "".join(f'<li class="ldg-side-{n}"><a href="{x.path}">{escape(x.headline)}</a><span '
                                 f'class="ldg-side__section">{x.section}</span></li>'
                                 for n, x in enumerate(most_read)),
            "sections": "".join(f'<li><a href="/{s}/">{s.title()}</a></li>' for s in SECTIONS),
            "static": "".join(f'<li><a href="/{p}/">{p.title()}</a></li>' for p in STATIC),
            "social": "".join(f'<li><a href="https://{n}.example.net/millbrookledger" rel="noopener">'
                              f'{_ICON.format(k + 5)}{n.title()}</a></li>'
                              for k, n in enumerate(("social", "video", "photos", "chat"))),
            "state": json.dumps({"mostRead": [{"id": x.number, "url": x.path, "headline": x.headline,
                                               "section": x.section, "published": x.published.isoformat()}
                                              for x in most_read]})}

    def page(self, title: str, path: str, head: str, main: str) -> str:
        return _PAGE.format(title=escape(title), url=self.base + path, head=head, main=main, **self.common)

    def article(self, story: Story) -> str:
        url, image = self.base + story.path, f"{self.base}/media/{story.number}.jpg"
        ld = json.dumps({
            "@context": "https://schema.org", "@type": "NewsArticle", "headline": story.headline,
            "description": story.standfirst, "datePublished": story.published.isoformat(),
            "dateModified": story.modified.isoformat(), "articleSection": story.section.title(),
            "author": [{"@type": "Person", "name": story.author,
                        "url": f"{self.base}/author/{slug_of(story.author)}/"}],
            "publisher": {"@type": "NewsMediaOrganization", "name": SITE, "logo": {
                "@type": "ImageObject", "url": f"{self.base}/media/logo.svg"}},
            "image": [image], "mainEntityOfPage": url, "keywords": list(story.tags),
            "wordCount": sum(len(p.split()) for p in story.paragraphs)})
        meta = [("og:type", "article"), ("og:url", url), ("og:title", story.headline),
                ("og:description", story.standfirst), ("og:image", image),
                ("article:published_time", story.published.isoformat()),
                ("article:modified_time", story.modified.isoformat()),
                ("article:section", story.section.title()), *(("article:tag", t) for t in story.tags)]
        head = (f'<meta name="description" content="{escape(story.standfirst)}">'
                + "".join(f'<meta property="{k}" content="{escape(v)}">' for k, v in meta)
                + f'<script type="application/ld+json">{ld}</script>')
        return self.page(story.headline, story.path, head, self.story(story))

    def story(self, story: Story) -> str:
        body = []
        for n, text in enumerate(story.paragraphs):
            body.append(f'<p class="ldg-art-{n % 30}">{escape(text)}</p>')
            if n == 2:
                body.append('<div class="ldg-ad ldg-ad--inline" data-sizes="300x250">Advertisement</div>')
            if n == 4:
                other = self.stories[(story.number + 11) % len(self.stories)]
                body.append(f'<aside class="ldg-readmore">Read more: <a href="{other.path}">'
                            f'{escape(other.headline)}</a></aside><h2>{escape(text[:60])}</h2>')
        related = self.by_section[story.section]
        start = related.index(story) + 1
        share = "".join(f'<a class="ldg-share__{n}" href="https://{n}.example.net/share?u={quote(self.base)}'
                        f'{story.path}" rel="noopener">{_ICON.format(k + 9)}<span>{n.title()}</span></a>'
                        for k, n in enumerate(("social", "chat", "mail", "pin")))
        return _STORY.format(
            **_fields(story), caption=escape(story.paragraphs[0][:90]), share=share, body="".join(body),
            updated=f" &middot; Updated {_when(story.modified)}" if story.modified != story.published else "",
            tags="".join(f'<li><a href="/tag/{t}/">{t.replace("-", " ")}</a></li>' for t in story.tags),
            related="".join(_TEASER.format(**_fields(x))
                            for x in (related[start:start + 6] or related[:6]) if x != story),
            comments=f'<section id="comments" class="comments-area"><h2 class="comments-title">'
            f'{story.comment_total} comments</h2><ol class="comment-list">{"".join(story.comments)}</ol>'
            '</section>' if story.comments else '<p class="no-comments">Comments are closed.</p>')

    def listing(self, title: str, path: str, stories: list[Story], pager: str = "") -> str:
        head = ('<meta property="og:type" content="website"><script type="application/ld+json">'
                + json.dumps({"@context": "https://schema.org", "@type": "CollectionPage",
                              "name": title, "url": self.base + path}) + "</script>")
        main = (f'<h1 class="ldg-listing-title">{escape(title)}</h1><div class="ldg-grid">'
                + "".join(_TEASER.format(**_fields(s)) for s in stories) + f"</div>{pager}")
        return self.page(title, path, head, main)

    def static(self, name: str) -> str:
        main = f"<h1>{name.title()}</h1><p>{SITE} has reported on the valley towns since 1871.</p>"
        return self.page(name.title(), f"/{name}/", '<meta property="og:type" content="website">', main)


def pager(prefix: str, page: int, pages: int) -> str:
    """Numbered pagination: first, last, a window of two each side, previous and next."""
    def href(n: int) -> str:
        return prefix if n == 1 else f"{prefix}page/{n}/"
    shown = sorted({1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)})
    links = [f'<a rel="prev" href="{href(page - 1)}">Previous</a>'] if page > 1 else []
    links += [f'<span aria-current="page">{n}</span>' if n == page else f'<a href="{href(n)}">{n}</a>'
              for n in shown]
    links += [f'<a rel="next" href="{href(page + 1)}">Next</a>'] if page < pages else []
    return f'<nav class="ldg-pager" aria-label="Pages">{" ".join(links)}</nav>'


def render_site(stories: list[Story], base: str) -> dict[str, str]:
    """Every HTML path of the site and its page."""
    view = Renderer(stories, base)
    pages = {"/": view.listing(f"{SITE}: news from Millbrook and the valley", "/", stories[:30])}
    for section, items in view.by_section.items():
        count = max(1, -(-len(items) // PER_PAGE))
        for page in range(1, count + 1):
            path = f"/{section}/" if page == 1 else f"/{section}/page/{page}/"
            pages[path] = view.listing(f"{section.title()} - page {page}", path,
                                       items[(page - 1) * PER_PAGE:page * PER_PAGE],
                                       pager(f"/{section}/", page, count))
    for author in sorted({s.author for s in stories}):
        path = f"/author/{slug_of(author)}/"
        pages[path] = view.listing(author, path, [s for s in stories if s.author == author][:PER_PAGE])
    for tag in sorted({t for s in stories for t in s.tags}):
        pages[f"/tag/{tag}/"] = view.listing(tag.replace("-", " ").title(), f"/tag/{tag}/",
                                             [s for s in stories if tag in s.tags][:PER_PAGE])
    pages.update({f"/{name}/": view.static(name) for name in STATIC})
    pages.update({story.path: view.article(story) for story in stories})
    return pages


def build(articles: int, seed: int, base: str) -> dict[str, Resource]:
    """The whole site, ready to serve: every path and its resource."""
    pages = render_site(build_stories(articles, seed), base)
    resources = {path: _resource(html.encode()) for path, html in pages.items()}
    resources["/robots.txt"] = _resource(b"User-agent: *\nAllow: /\n", "text/plain")
    return resources


def _resource(body: bytes, content_type: str = "text/html; charset=utf-8", status: int = 200) -> Resource:
    return Resource(body, gzip.compress(body, compresslevel=6, mtime=0), content_type, status,
                    hashlib.blake2b(body, digest_size=8).hexdigest())


NOT_FOUND = _resource(b'<!DOCTYPE html><html><head><title>Not found</title></head><body><h1>Not '
                      b'found</h1><p><a href="/">Home</a></p></body></html>', status=404)


class SiteHandler(BaseHTTPRequestHandler):
    """GET and HEAD from the pre-rendered ``resources``; HTTP/1.1 keep-alive, gzip when asked."""

    protocol_version = "HTTP/1.1"
    server_version = "ledger-bench"
    disable_nagle_algorithm = True  # header and body go out in two writes: no 40 ms stalls
    resources: ClassVar[dict[str, Resource]] = {}

    def do_GET(self) -> None:
        self.answer(send_body=True)

    def do_HEAD(self) -> None:
        self.answer(send_body=False)

    def answer(self, *, send_body: bool) -> None:
        resource = self.resources.get(urlsplit(self.path).path, NOT_FOUND)
        gzipped = "gzip" in self.headers.get("Accept-Encoding", "")
        body = resource.gzipped if gzipped else resource.body
        self.send_response(resource.status)
        headers = {"Content-Type": resource.content_type, "Content-Length": str(len(body)),
                   "Vary": "Accept-Encoding", "ETag": f'"{resource.etag}"'}
        for name, value in (headers | ({"Content-Encoding": "gzip"} if gzipped else {})).items():
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """No access log: writing it would cost more than answering."""


def serve(articles: int, seed: int, port: int, lifetime: float) -> None:
    """Bind first (the pages' canonical URLs need the port), render, then announce and serve."""
    server = ThreadingHTTPServer(("127.0.0.1", port), SiteHandler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    SiteHandler.resources = build(articles, seed, base)
    stopper = threading.Timer(lifetime, server.shutdown)
    stopper.daemon = True
    stopper.start()
    print(f"serving {base}/ articles={articles} pages={len(SiteHandler.resources)}", flush=True)
    with server:
        server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve the synthetic news site on 127.0.0.1.")
    parser.add_argument("--articles", type=int, default=2000, help="article pages (default 2000)")
    parser.add_argument("--seed", type=int, default=7, help="text and layout seed (default 7)")
    parser.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    parser.add_argument("--lifetime", type=float, default=3600.0, help="stop after N s (default 3600)")
    args = parser.parse_args()
    if args.articles < 1:
        parser.error("--articles must be at least 1")
    serve(args.articles, args.seed, args.port, args.lifetime)


if __name__ == "__main__":
    main()
