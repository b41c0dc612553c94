"""Pages that are costly to extract, served by ``misbehaving_server`` under ``/costly/<name>``
(issue 13, part C) and used by the extractor tests."""

from __future__ import annotations

from collections.abc import Callable

PARAGRAPH = ("The council met on Tuesday evening to debate the new budget, and after four hours "
             "of discussion the members agreed on a compromise that funds the libraries. ")


def article(title: str, extra: str = "", attributes: str = "") -> str:
    body = "".join(f"<p>{title}: {PARAGRAPH * 2} Point {n}.</p>" for n in range(6))
    return (f"<!doctype html><html lang='en'><head><title>{title}</title>"
            f"<meta property='og:type' content='article'></head><body><article><h1>{title}</h1>"
            f"<div {attributes}>{body}</div>{extra}</article></body></html>")


def quoted_gt_attributes(count: int) -> str:
    """``count`` attributes with a ``>`` in every hundredth value: past the attribute cap's
    cheap scan, still quadratic in libxml2 (seconds for 60,000)."""
    return " ".join(f'a{i}=">"' if i % 100 == 0 else f"a{i}" for i in range(count))


PAGES: dict[str, Callable[[], str]] = {
    "slow-extract": lambda: article("Slow to read", attributes=quoted_gt_attributes(150_000)),
    "article-1": lambda: article("Council agrees budget"),
    "article-2": lambda: article("Libraries keep their hours"),
}
