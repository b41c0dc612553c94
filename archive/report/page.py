"""The report as one self-contained HTML page: inline CSS and SVG, no script, no request for
anything (the CSP says so to the browser too).  Every text from the archive is HTML-escaped, and
only ``http``/``https`` article URLs become links."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Sequence
from html import escape

from archive.report.crawl import CrawlRecap
from archive.report.data import ArticleRow, ReportData
from archive.report.style import CSS
from archive.report.svg import chart

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
LINKED_SCHEMES = ("http://", "https://")


def render_page(data: ReportData) -> str:
    """The whole HTML document of ``data``."""
    title = "broadsheet report"
    body = "".join([
        f"<h1>{title}</h1>",
        f'<p class="meta">Archive {escape(data.where)} · generated {_when(data.generated_at)} · '
        f"{len(data.articles)} articles</p>",
        _crawl_section(data.crawl),
        _counts_section(data),
        _articles_section(data.articles),
        _charts_section(data.charted),
    ])
    return ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{title}</title><style>{CSS}</style></head>"
            f"<body>{body}</body></html>\n")


def _crawl_section(crawl: CrawlRecap | None) -> str:
    heading = '<section id="crawl"><h2>Latest crawl</h2>'
    if crawl is None:
        return (heading + '<p class="no-crawl">No crawl state found for this archive (no crawl '
                "queue): nothing to say about fetches or failures.</p></section>")
    cards = [("URLs finished", crawl.finished, ""), ("pages fetched", crawl.fetched, ""),
             ("articles stored", crawl.stored, ""), ("failures", crawl.failed,
                                                     " bad" if crawl.failed else ""),
             ("gone (404, 410)", crawl.gone, ""), ("still queued", crawl.queued, "")]
    ended = f", ended {escape(crawl.ended_at)}" if crawl.ended_at else ""
    parts = [heading, f'<p class="meta">started {escape(crawl.started_at or "at an unknown time")}'
             f'{ended}</p><div class="cards">']
    parts += [f'<div class="card{extra}"><b>{value:,}</b>{label}</div>'
              for label, value, extra in cards]
    parts.append("</div>")
    if crawl.failed:
        parts.append('<div class="columns">')
        parts.append(_count_table("failures-by-reason", "Failures by reason", "reason",
                                  crawl.by_reason))
        parts.append(_count_table("failures-by-host", "Failures by host", "host", crawl.by_host))
        parts.append("</div>")
    else:
        parts.append('<p class="no-failures">No page failed.</p>')
    parts.append("</section>")
    return "".join(parts)


def _counts_section(data: ReportData) -> str:
    by_day = sorted(data.by_day.items(), reverse=True)
    return ('<section id="counts"><h2>Articles per site and per day</h2><div class="columns">'
            + _count_table("per-site", "Per site", "site", data.by_site)
            + '<div class="scroll">'
            + _count_table("per-day", "Per day (published, else fetched)", "day",
                           data.by_day, order=by_day)
            + "</div></div></section>")


def _count_table(table_id: str, caption: str, key: str, counts: Counter[str],
                 order: Sequence[tuple[str, int]] | None = None) -> str:
    rows = order if order is not None else sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    most = max(counts.values(), default=0)
    body = "".join(
        f"<tr><td>{escape(name)}</td><td class=\"num\">{count:,}"
        f'<span class="bar" style="width:{_bar(count, most)}px"></span></td></tr>'
        for name, count in rows)
    return (f'<table id="{table_id}"><caption>{escape(caption)}</caption><thead><tr>'
            f'<th>{key}</th><th class="num">count</th></tr></thead><tbody>{body}</tbody></table>')


def _bar(count: int, most: int) -> int:
    return round(80 * count / most) if most else 0


def _articles_section(articles: Iterable[ArticleRow]) -> str:
    rows = "".join(_article_row(row) for row in articles)
    return ('<section id="articles-section"><h2>Articles</h2><table class="articles" '
            'id="articles"><thead><tr><th>title</th><th>site</th><th>published</th>'
            '<th class="num">views</th><th class="num">comments</th>'
            '<th class="num">versions</th></tr></thead>'
            f"<tbody>{rows}</tbody></table></section>")


def _article_row(row: ArticleRow) -> str:
    title = escape(row.title)
    if row.url.startswith(LINKED_SCHEMES):
        title = f'<a href="{escape(row.url)}" rel="noreferrer">{title}</a>'
    if row.charted:
        title += f' <a class="to-chart" href="#chart-{escape(row.id)}">chart</a>'
    return (f'<tr class="article" data-id="{escape(row.id)}"><td class="title">{title}</td>'
            f"<td>{escape(row.site)}</td><td>{escape(row.published or '–')}</td>"
            f'<td class="num">{_number(row.views)}</td>'
            f'<td class="num">{_number(row.comment_count)}</td>'
            f'<td class="num">{row.versions}</td></tr>')


def _charts_section(charted: Sequence[ArticleRow]) -> str:
    parts = ['<section id="charts"><h2>Views and comments over snapshots</h2>']
    if not charted:
        parts.append('<p class="muted">No article has two snapshots yet.</p></section>')
        return "".join(parts)
    parts.append('<div class="charts">')
    for row in charted:
        parts.append(f'<figure class="article-chart" id="chart-{escape(row.id)}" '
                     f'data-id="{escape(row.id)}"><figcaption>{escape(row.title)} '
                     f'<span class="muted">({escape(row.site)}, {len(row.snapshots)} '
                     f"snapshots)</span></figcaption>{chart(row.snapshots, row.title)}</figure>")
    parts.append("</div></section>")
    return "".join(parts)


def _number(value: int | None) -> str:
    return "–" if value is None else f"{value:,}"


def _when(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
