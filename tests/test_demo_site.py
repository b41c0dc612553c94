"""The bundled demo news site, exercised over real HTTP on 127.0.0.1 with a plain urllib client."""

from __future__ import annotations

import gzip
import json
import re
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from email.message import Message
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from scraper.demo import DemoServer, DemoSite, expected_articles, seed_expected_record, url_variants
from scraper.demo.catalog import DemoArticle, DemoComment, DemoDataError, load_catalog
from scraper.demo.comments import comment_count_label
from scraper.demo.formats import compact_count, grouped, has_offset, parse_compact, views_label
from scraper.demo.seed import SEED_ENV, find_seed_file, parse_seed
from scraper.demo.site import default_catalog

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
CLOSES_P = {"address", "article", "aside", "blockquote", "div", "figure", "footer", "form", "h1",
            "h2", "h3", "h4", "h5", "h6", "header", "main", "nav", "ol", "p", "section", "table",
            "ul"}
SYNTHETIC_SEED = """Harbour Town Opens Its First Public Library in a Century

  • Alex Moreno
  • March 4, 2025 09:30pm
  • 1,482

The harbour town opened a public library on Saturday, the first in more than a hundred years.

Harbour Town Opens Its First Public Library in a Century

Volunteers spent two winters restoring the old customs house that now holds the books.

Residents queued from early morning, and the mayor cut the ribbon shortly after nine.

Share this Post:

Leave a comment

0 Comments

Related articles"""


class Page(HTMLParser):
    """Checks tag balance the way a browser would break it, and collects the visible text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.text: list[str] = []
        self.feed(html)
        self.close()
        if self.stack:
            self.errors.append(f"unclosed: {self.stack}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in CLOSES_P and "p" in self.stack[-1:]:
            self.errors.append(f"<{tag}> inside <p>")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:]}")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not {"script", "style"} & set(self.stack[-1:]):
            self.text.append(data)

    def visible(self) -> str:
        return " ".join(" ".join(self.text).split())


def flat(text: str) -> str:
    return " ".join(text.split())


def get(url: str, headers: dict[str, str] | None = None,
        method: str = "GET") -> tuple[int, Message, bytes]:
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    with DemoServer() as running:
        yield running


@pytest.fixture(scope="module")
def pages(server: DemoServer) -> dict[str, str]:
    """Every canonical article page, fetched once."""
    out = {}
    for item in expected_articles(server.base_url):
        status, _, body = get(item.path)
        assert status == 200, item.path
        out[item.path] = body.decode("utf-8")
    return out


def every_comment(comments: tuple[DemoComment, ...]) -> Iterator[DemoComment]:
    for comment in comments:
        yield comment
        yield from every_comment(comment.replies)


def articles() -> list[DemoArticle]:
    return list(default_catalog().articles)


# --- content rules ------------------------------------------------------------------------

def test_content_has_the_promised_variety() -> None:
    own = [a for a in articles() if not a.is_seed]
    assert len(own) >= 30
    assert len({a.section for a in own}) >= 4
    assert sum(a.language == "vi" for a in own) >= 4
    assert {"A", "B", "C"} == {a.template for a in own}
    assert any(len(a.authors) >= 2 for a in own) and any(not a.authors for a in own)
    assert len({name for a in own for name in a.authors}) >= 8
    assert any(has_offset(a.published) for a in own) and any("T" not in a.published for a in own)
    assert all(4 <= sum(b.kind == "p" for b in a.blocks) <= 9 for a in own)
    kinds = {b.kind for a in own for b in a.blocks}
    assert {"h2", "ul", "ol", "blockquote", "figure"} <= kinds
    threaded = [a for a in own if a.comments and any(c.replies for c in a.comments)]
    assert len(threaded) >= 5 and any(a.comment_count == 0 for a in own)
    assert any(r.replies for a in own for c in a.comments for r in c.replies)  # three levels


def test_counts_and_dates_match_what_each_template_can_show() -> None:
    for article in articles():
        shown = article.rendered_comment_total()
        if article.template != "B":
            assert article.comment_count in (None, shown), article.slug
        if article.views is not None and not article.views_in_schema:
            assert parse_compact(compact_count(article.views)) == article.views, article.slug
        if article.template == "C":
            stamps = [c.published for c in every_comment(article.comments)]
            assert not any(has_offset(s) for s in stamps), article.slug
            if article.language == "en":  # dd/mm/yyyy must not read as a valid mm/dd/yyyy
                assert all(int(s[8:10]) > 12 for s in [article.published, *stamps]), article.slug


# --- discovery files ----------------------------------------------------------------------

def test_robots_txt_disallows_search_and_names_the_sitemap(server: DemoServer) -> None:
    status, headers, body = get(server.base_url + "/robots.txt")
    text = body.decode()
    assert status == 200 and headers["Content-Type"] == "text/plain; charset=utf-8"
    assert "User-agent: *" in text and "Disallow: /search/" in text
    assert f"Sitemap: {server.base_url}/sitemap.xml" in text


def test_sitemap_lists_every_canonical_article(server: DemoServer) -> None:
    status, _, body = get(server.base_url + "/sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    root = ET.fromstring(body)
    locs = [url.findtext("s:loc", namespaces=ns) or "" for url in root.findall("s:url", ns)]
    assert status == 200 and all(url.find("s:lastmod", ns) is not None
                                 for url in root.findall("s:url", ns))
    assert sorted(locs) == sorted(item.path for item in expected_articles(server.base_url))


def test_feed_lists_every_article_with_tracking_links(server: DemoServer, pages: dict[str, str]
                                                      ) -> None:
    status, headers, body = get(server.base_url + "/feed.xml")
    channel = ET.fromstring(body).find("channel")
    assert status == 200 and "rss" in headers["Content-Type"] and channel is not None
    links = [item.findtext("link") or "" for item in channel.findall("item")]
    assert all("utm_source=rss" in link for link in links)
    assert sorted(link.split("?")[0] for link in links) == sorted(pages)
    home = get(server.base_url + "/")[2].decode()
    assert 'type="application/rss+xml"' in home and f"{server.base_url}/feed.xml" in home


# --- article pages ------------------------------------------------------------------------

def test_every_article_page_is_well_formed_and_holds_its_text(server: DemoServer,
                                                              pages: dict[str, str]) -> None:
    for item in expected_articles(server.base_url):
        page = Page(pages[item.path])
        assert page.errors == [], (item.path, page.errors[:3])
        text = page.visible()
        assert item.record["title"] in text
        for line in item.record["body"].split("\n\n"):
            assert flat(line) in text, (item.path, line[:60])
        assert f'<link rel="canonical" href="{item.path}">' in pages[item.path]


def wordpress_forms(article: DemoArticle, html: str) -> set[str]:
    assert "ld+json" not in html and 'class="entry-title"' in html
    assert html.count('<li class="comment ') == article.rendered_comment_total()
    if article.views is None:
        return set()
    assert f'fa-eye"></i> {grouped(article.views, ",")}</li>' in html
    return {"eye"}


def newsroom_forms(article: DemoArticle, html: str) -> set[str]:
    graph = json.loads(re.findall(r"ld\+json\">\n(.*?)\n</script>", html, re.S)[0])
    news = graph["@graph"][0]
    assert news["datePublished"] == article.published
    assert news.get("dateModified") == article.modified
    assert news.get("commentCount") == article.comment_count
    counters = html.count("data-comment-id=") + html.count('itemprop="comment"')
    assert counters == article.rendered_comment_total()
    forms = set()
    if any(c["userInteractionCount"] == article.views
           for c in news.get("interactionStatistic", [])):
        forms.add("schema")
    if article.views is not None:
        forms.add("compact")
        assert f"{compact_count(article.views)} views" in html
    return forms


def drupal_forms(article: DemoArticle, html: str) -> set[str]:
    assert "node--type-article" in html
    assert html.count("js-comment") == article.rendered_comment_total()
    text = Page(html).visible()
    forms = {"C-plain"}
    if 'itemprop="articleBody"' in html:
        forms = {"C-microdata"}
        assert f'itemprop="datePublished" datetime="{article.published}"' in html
    if article.views is not None:
        forms.add(f"C-{article.language}")
        assert views_label(article.views, article.language) in text
    if article.comment_count is not None:
        assert flat(comment_count_label(article)) in text
    return forms


def test_templates_show_views_and_comments_in_their_own_forms(server: DemoServer,
                                                              pages: dict[str, str]) -> None:
    checks = {"A": wordpress_forms, "B": newsroom_forms, "C": drupal_forms}
    forms: set[str] = set()
    for article in articles():
        forms |= checks[article.template](article, pages[server.base_url + article.path])
    assert {"eye", "compact", "schema", "C-vi", "C-en", "C-microdata", "C-plain"} <= forms


def test_amp_copy_points_back_with_canonical(server: DemoServer, pages: dict[str, str]) -> None:
    for article in (a for a in articles() if a.template == "B"):
        main = server.base_url + article.path
        assert f'<link rel="amphtml" href="{server.base_url}{article.amp_path}">' in pages[main]
        status, _, body = get(server.base_url + str(article.amp_path))
        html = body.decode()
        assert status == 200 and f'<link rel="canonical" href="{main}">' in html
        assert Page(html).errors == []


def test_print_copy_has_no_canonical_and_is_noindex(server: DemoServer,
                                                    pages: dict[str, str]) -> None:
    for article in (a for a in articles() if a.template == "A"):
        assert f'href="{article.print_path}"' in pages[server.base_url + article.path]
        status, _, body = get(server.base_url + str(article.print_path))
        html = body.decode()
        assert status == 200 and 'rel="canonical"' not in html and "og:url" not in html
        assert '<meta name="robots" content="noindex' in html and Page(html).errors == []
        assert flat(article.body_text().split("\n\n")[-1]) in Page(html).visible()


def test_every_variant_serves_its_article(server: DemoServer) -> None:
    variants = url_variants(server.base_url)
    assert len(variants) >= 5 * len(articles())
    for variant, canonical in variants.items():
        status, _, body = get(variant)
        title = next(a.title for a in articles() if server.base_url + a.path == canonical)
        assert status == 200 and title in Page(body.decode()).visible(), variant


def test_every_internal_link_resolves(server: DemoServer, pages: dict[str, str]) -> None:
    listing = ["/", "/section/world/", "/section/world/page/2/", "/about/", "/contact/"]
    sources = dict(pages)
    for path in listing:
        status, _, body = get(server.base_url + path)
        assert status == 200 and Page(body.decode()).errors == [], path
        sources[path] = body.decode()
    links = {href for html in sources.values() for href in re.findall(r'href="(/[^"#]*)"', html)}
    assert any(link.startswith("/search/?q=") for link in links)
    for link in sorted(links):
        assert get(server.base_url + link.replace("&amp;", "&"))[0] == 200, link


# --- HTTP behaviour -----------------------------------------------------------------------

def test_etag_and_last_modified_give_304(server: DemoServer) -> None:
    url = server.base_url + articles()[0].path
    status, headers, _ = get(url)
    etag, modified = headers["ETag"], headers["Last-Modified"]
    assert status == 200 and etag.startswith('"') and modified.endswith("GMT")
    assert get(url, {"If-None-Match": etag})[0] == 304
    assert get(url, {"If-Modified-Since": modified})[0] == 304
    assert get(url, {"If-None-Match": '"stale"', "If-Modified-Since": modified})[0] == 200
    assert get(url, {"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"})[0] == 200


def test_gzip_and_head(server: DemoServer) -> None:
    url = server.base_url + articles()[1].path
    _, plain_headers, plain = get(url)
    status, headers, packed = get(url, {"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed) == plain and headers["ETag"] != plain_headers["ETag"]
    assert plain_headers["Content-Type"] == "text/html; charset=utf-8"
    status, head_headers, body = get(url, method="HEAD")
    assert status == 200 and body == b"" and head_headers["Content-Length"] == str(len(plain))


def test_unknown_paths_404_and_slashless_paths_redirect(server: DemoServer) -> None:
    status, _, body = get(server.base_url + "/no/such/page/")
    assert status == 404 and b"Page not found" in body
    article = next(a for a in articles() if a.template == "A")
    request = urllib.request.urlopen(server.base_url + article.path.rstrip("/"), timeout=10)
    assert request.status == 200 and urlsplit(request.url).path == article.path


def test_request_log_records_method_path_and_headers(server: DemoServer) -> None:
    get(server.base_url + "/about/?probe=1", {"User-Agent": "demo-test/1.0"})
    entry = server.requests[-1]
    assert (entry.method, entry.path, entry.status) == ("GET", "/about/?probe=1", 200)
    assert entry.headers["User-Agent"] == "demo-test/1.0" and entry.time > 0


# --- the seed page ------------------------------------------------------------------------

def test_seed_format_is_parsed_and_rendered_like_the_original(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    seed_file = tmp_path / "article.txt"
    seed_file.write_text(SYNTHETIC_SEED, encoding="utf-8")
    monkeypatch.setenv(SEED_ENV, str(seed_file))
    assert find_seed_file() == seed_file
    monkeypatch.setenv(SEED_ENV, str(tmp_path / "missing.txt"))
    with pytest.raises(DemoDataError, match=SEED_ENV):
        find_seed_file()
    seed = parse_seed(SYNTHETIC_SEED)
    assert (seed.authors, seed.published, seed.views) == (("Alex Moreno",), "2025-03-04T21:30",
                                                          1482)
    assert seed.body_text().count("\n\n") == 2 and "Share this" not in seed.body_text()
    with DemoServer(DemoSite(load_catalog(seed))) as local:
        html = get(local.base_url + seed.path)[2].decode()
    text = Page(html).visible()
    for phrase in ("March 4, 2025 09:30pm", "Share this Post:", "Leave a comment", "0 Comments",
                   "Chưa có bình luận nào", "Related articles"):
        assert phrase in text, phrase
    assert html.count(f"<figcaption>{seed.title}</figcaption>") == 1
    assert '<i class="fa fa-eye"></i> 1,482' in html


def test_real_seed_record_matches_the_specification() -> None:
    record = seed_expected_record()
    if find_seed_file() is None:
        assert record is None and default_catalog().seed() is None
        return
    assert record is not None
    assert record["authors"] == ["Laurine Ortiz"] and record["published"] == "2024-05-13T04:00"
    assert (record["views"], record["comment_count"], record["comments"]) == (337, 0, [])
    assert record["title"] not in record["body"] and len(record["body"].split("\n\n")) >= 8
