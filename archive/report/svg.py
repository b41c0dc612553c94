"""Small inline SVG line charts of an article's views and comment count over its snapshots.

One chart per article, two panels sharing the time axis (views above, comments below), each
scaled to its own range.  Every measured value is a ``<circle class="pt pt-views">`` (or
``pt-comments``) with a ``<title>`` naming time and value, so a browser shows it on hover
without any script; a snapshot without the counter (a 304, a page that shows none) gets no
point.  The ``<svg>`` carries ``data-points``: the number of snapshots on its time axis.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from archive.report.data import SnapshotPoint

WIDTH = 360
PANEL_HEIGHT = 56
LEFT = 56
RIGHT = 12
TOP = 14
GAP = 22
BOTTOM = 20
HEIGHT = TOP + 2 * PANEL_HEIGHT + GAP + BOTTOM


@dataclass(frozen=True, slots=True)
class Series:
    """One panel's values: ``name`` is its CSS class suffix and its label."""

    name: str
    label: str
    values: tuple[int | None, ...]


def chart(points: Sequence[SnapshotPoint], title: str) -> str:
    """The ``<svg>`` of ``points`` (oldest first) for the article called ``title``."""
    xs = _x_positions([point.fetched_at for point in points])
    panels = [Series("views", "views", tuple(point.views for point in points)),
              Series("comments", "comments", tuple(point.comment_count for point in points))]
    parts = [f'<svg class="chart" width="{WIDTH}" '
             f'height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             f'data-points="{len(points)}" aria-label="{escape(_label(title, len(points)))}">']
    for number, series in enumerate(panels):
        top = TOP + number * (PANEL_HEIGHT + GAP)
        parts.append(_panel(series, xs, [point.fetched_at for point in points], top))
    parts.append(_time_axis(points))
    parts.append("</svg>")
    return "".join(parts)


def _label(title: str, count: int) -> str:
    return f"views and comments of {title} over {count} snapshots"


def _x_positions(moments: Sequence[datetime.datetime]) -> list[float]:
    """x of each moment, proportional to time; a single moment (or all equal) in the middle."""
    span = WIDTH - LEFT - RIGHT
    if not moments or moments[0] == moments[-1]:
        return [LEFT + span / 2] * len(moments)
    first, total = moments[0], (moments[-1] - moments[0]).total_seconds()
    return [LEFT + span * (moment - first).total_seconds() / total for moment in moments]


def _panel(series: Series, xs: Sequence[float], moments: Sequence[datetime.datetime],
           top: int) -> str:
    known = [(x, value, moment) for x, value, moment in zip(xs, series.values, moments, strict=True)
             if value is not None]
    bottom = top + PANEL_HEIGHT
    parts = [f'<g class="series series-{series.name}">',
             f'<line class="axis" x1="{LEFT}" y1="{bottom}" x2="{WIDTH - RIGHT}" y2="{bottom}"/>',
             f'<text class="label label-{series.name}" x="{LEFT + 4}" y="{top + 2}">'
             f'{escape(series.label)}</text>']
    if not known:
        parts.append(f'<text class="none" x="{LEFT + 8}" y="{top + PANEL_HEIGHT // 2}">'
                     "not shown by the page</text></g>")
        return "".join(parts)
    low = min(value for _, value, _ in known)
    high = max(value for _, value, _ in known)

    def y(value: int) -> float:
        return bottom - 4 - (PANEL_HEIGHT - 12) * ((value - low) / (high - low) if high > low else 0.5)

    for tick in sorted({low, high}):
        parts.append(f'<text class="tick" x="{LEFT - 6}" y="{y(tick) + 3:.1f}" '
                     f'text-anchor="end">{tick:,}</text>')

    if len(known) > 1:
        line = " ".join(f"{x:.1f},{y(value):.1f}" for x, value, _ in known)
        parts.append(f'<polyline class="line line-{series.name}" points="{line}"/>')
    for x, value, moment in known:
        parts.append(f'<circle class="pt pt-{series.name}" cx="{x:.1f}" cy="{y(value):.1f}" r="3">'
                     f"<title>{escape(_when(moment))}: {value:,} {escape(series.label)}</title>"
                     "</circle>")
    parts.append("</g>")
    return "".join(parts)


def _time_axis(points: Sequence[SnapshotPoint]) -> str:
    if not points:
        return ""
    y = HEIGHT - 6
    first, last = points[0].fetched_at, points[-1].fetched_at
    shape = _axis_format(last - first)
    text = (f'<text class="tick" x="{LEFT}" y="{y}" text-anchor="start">'
            f"{escape(_utc(first, shape))}</text>")
    if first == last:
        return text
    return text + (f'<text class="tick" x="{WIDTH - RIGHT}" y="{y}" text-anchor="end">'
                   f"{escape(_utc(last, shape))}</text>")


def _when(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")


def _axis_format(span: datetime.timedelta) -> str:
    """The day; with the time of day when the axis spans under two days; with seconds too
    when it spans under an hour (UTC)."""
    if span < datetime.timedelta(hours=1):
        return "%Y-%m-%d %H:%M:%S"
    return "%Y-%m-%d %H:%M" if span < datetime.timedelta(days=2) else "%Y-%m-%d"


def _utc(moment: datetime.datetime, shape: str) -> str:
    return moment.astimezone(datetime.UTC).strftime(shape)
