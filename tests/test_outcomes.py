"""Page outcomes and failure reasons are enums whose values are the words stored before them
(frontier files, the shared frontier, the JSON summary and ``stats`` read them back), and every
failure raised in ``scraper/`` names one of them."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from archive import StoreOutcome
from archive.stats import FAILED_PREFIX, GONE_PREFIX
from scraper import errors
from scraper.crawl.outcomes import GONE_REASONS, Outcome, failed, gone, page_outcome
from scraper.crawl.summary import CrawlSummary
from scraper.failure_reasons import HTTP_PREFIX, FailureReason, http_reason, http_status

ROOT = Path(__file__).resolve().parent.parent

REASONS = {
    "TIMEOUT": "timeout", "CONNECT": "connect", "PROTOCOL": "protocol", "TLS": "tls",
    "BAD_URL": "bad_url", "DECODING": "decoding", "TOO_LARGE": "too_large",
    "TOO_MANY_REDIRECTS": "too_many_redirects", "REDIRECT_LOOP": "redirect_loop",
    "BAD_REDIRECT": "bad_redirect", "RETRY_AFTER_TOO_LONG": "retry_after_too_long",
    "HOST_PAUSED": "host_paused", "ROBOTS": "robots", "ROBOTS_UNAVAILABLE": "robots_unavailable",
    "CRAWL_DELAY_TOO_LONG": "crawl_delay_too_long", "NOT_HTML": "not_html",
    "EXTRACTION": "extraction", "EXTRACTION_TIMEOUT": "extraction_timeout",
    "INTERNAL": "internal", "INTERRUPTED_REPEATEDLY": "interrupted_repeatedly",
}
OUTCOMES = {
    "STORED": "stored", "UPDATED": "updated", "DUPLICATE": "duplicate",
    "UNCHANGED": "unchanged", "NOT_ARTICLE": "not_article", "DEFERRED": "deferred",
    "ALREADY_STORED": "already_stored", "REDIRECTED_AWAY": "redirected_away", "GONE": "gone",
    "FAILED": "failed", "ROBOTS": "robots", "LEASE_LOST": "lease_lost", "FEED": "feed",
    "SITEMAP": "sitemap", "NO_FEED": "no_feed", "SOURCE_OFF": "source_off",
    "DISCOVERY_ERROR": "discovery_error",
}
STORE_OUTCOMES = {"STORED": "stored", "UPDATED": "updated", "UNCHANGED": "unchanged",
                  "DUPLICATE": "duplicate"}


@pytest.mark.parametrize(("enum", "expected"), [(FailureReason, REASONS), (Outcome, OUTCOMES),
                                                (StoreOutcome, STORE_OUTCOMES)])
def test_values_are_the_words_stored_before(enum: type, expected: dict[str, str]) -> None:
    assert {member.name: member.value for member in enum} == expected
    for member in enum:  # printed, formatted and serialised as the bare word
        logged = "%s" % member  # noqa: UP031 -- the logging module formats this way
        assert str(member) == f"{member}" == logged == member.value
        assert json.dumps({member: member}) == json.dumps({member.value: member.value})


def test_composite_outcomes_keep_their_form() -> None:
    assert failed(FailureReason.TIMEOUT) == "failed:timeout"
    assert failed(FailureReason.INTERNAL, "ValueError") == "failed:internal:ValueError"
    assert failed(http_reason(500)) == "failed:http_500"
    assert gone(http_reason(404)) == "gone:http_404"
    # ``stats`` reads them back by these prefixes (archive.stats, which cannot import scraper)
    assert failed(FailureReason.TLS).startswith(FAILED_PREFIX)
    assert gone(http_reason(410)).startswith(GONE_PREFIX)
    assert sorted(GONE_REASONS) == ["http_404", "http_410"]


def test_http_reasons_are_apart_from_the_members() -> None:
    assert http_reason(404) == "http_404" and http_reason(503) == "http_503"
    assert http_status("http_429") == 429
    assert http_status("timeout") is None and http_status("http_") is None
    assert not [reason for reason in FailureReason if reason.startswith(HTTP_PREFIX)]


def test_the_archive_and_the_crawl_use_the_same_words() -> None:
    for stored in StoreOutcome:
        assert page_outcome(stored) is Outcome[stored.name]
        assert page_outcome(stored) == stored


def test_the_summary_counts_and_reports_by_member() -> None:
    summary = CrawlSummary()
    summary.count(Outcome.STORED)
    summary.count(Outcome.GONE)
    summary.fail("http://a.test/1", FailureReason.TIMEOUT, detail="slow")
    summary.fail("http://a.test/2", http_reason(500))
    report = json.loads(json.dumps(summary.to_dict()))
    assert (report["stored"], report["gone"]) == (1, 1)
    assert report["failed_by_reason"] == {"http_500": ["http://a.test/2"],
                                          "timeout": ["http://a.test/1"]}
    assert "failed (timeout): 1" in summary.render()


def test_extraction_errors_carry_a_member() -> None:
    classes = [errors.ExtractionError]
    while classes:
        cls = classes.pop()
        assert isinstance(cls.reason, FailureReason), cls
        classes += cls.__subclasses__()
    assert errors.RobotsDisallowed("http://a.test/").reason is FailureReason.ROBOTS


# --- every failure raised in scraper/ names a member (checked on the source) ---------------

FETCH_ERRORS = {"FetchError", "_BodyRefused"}  # (url, reason, ...) and (reason, detail)
EXTRACTION_ERRORS = {"ExtractionError", "ExtractionTimeout"}


def _sources() -> list[Path]:
    return sorted((ROOT / "scraper").rglob("*.py"))


def _is_member(node: ast.expr) -> bool:
    return (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
            and node.value.id == "FailureReason" and node.attr in REASONS)


def _acceptable_reason(node: ast.expr) -> bool:
    """A member, an HTTP status's ``http_reason(...)``, or the reason of another failure
    (``refused.reason``: passed on, not made here)."""
    if _is_member(node):
        return True
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return node.func.id == "http_reason"
    return isinstance(node, ast.Attribute) and node.attr == "reason"


def _reason_argument(call: ast.Call, name: str) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == "reason":
            return keyword.value
    index = 1 if name == "FetchError" else 0
    return call.args[index] if len(call.args) > index else None


def _called(call: ast.Call) -> str | None:
    func = call.func
    return func.id if isinstance(func, ast.Name) else None


def _failures_made(path: Path) -> list[tuple[int, str, ast.expr | None]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[int, str, ast.expr | None]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and (name := _called(node)) in FETCH_ERRORS:
            found.append((node.lineno, name, _reason_argument(node, name)))
        if isinstance(node, ast.ClassDef) and {getattr(base, "id", "") for base in node.bases} \
                & FETCH_ERRORS:
            found += [(call.lineno, "FetchError", _reason_argument(call, "FetchError"))
                      for call in ast.walk(node) if isinstance(call, ast.Call)
                      and isinstance(call.func, ast.Attribute) and call.func.attr == "__init__"]
    return found


def test_every_fetch_failure_names_a_member() -> None:
    made = {path: _failures_made(path) for path in _sources()}
    assert sum(len(calls) for calls in made.values()) > 25  # the check sees the raise sites
    wrong = [f"{path.relative_to(ROOT)}:{line}: {name}({ast.unparse(arg) if arg else ''})"
             for path, calls in made.items() for line, name, arg in calls
             if path.name != "errors.py" and (arg is None or not _acceptable_reason(arg))]
    assert wrong == []


def test_no_extraction_failure_sets_its_own_reason() -> None:
    """``ExtractionError`` takes only a message; its reason is its class's member."""
    for path in _sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _called(node) in EXTRACTION_ERRORS:
                assert not [kw for kw in node.keywords if kw.arg == "reason"], path
                assert len(node.args) <= 1, f"{path}:{node.lineno}"
            if isinstance(node, ast.Assign) and any(
                    isinstance(target, ast.Name) and target.id == "reason"
                    for target in node.targets) and path.name == "errors.py":
                assert _is_member(node.value), f"{path}:{node.lineno}"


def _stored_words() -> set[str]:
    return (set(REASONS.values()) | set(OUTCOMES.values())) - {"feed", "sitemap", "robots"}


def test_no_outcome_or_reason_is_spelled_as_a_string() -> None:
    """No comparison with, return of, or failure built from the bare word of a member
    outside the enums' own modules (``feed``, ``sitemap`` and ``robots`` are also the words
    of a frontier kind and of ``<meta name="robots">``, so they are left out)."""
    words = _stored_words()
    owners = {"failure_reasons.py", "outcomes.py"}
    wrong: list[str] = []
    for path in _sources():
        if path.name in owners:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            constants: list[ast.expr] = []
            if isinstance(node, ast.Compare):
                constants = [node.left, *node.comparators]
            elif isinstance(node, ast.Return) and node.value is not None:
                constants = [node.value]
            elif isinstance(node, ast.Set | ast.Tuple):
                constants = list(node.elts)
            wrong += [f"{path.relative_to(ROOT)}:{node.lineno}: {constant.value!r}"
                      for constant in constants if isinstance(constant, ast.Constant)
                      and constant.value in words]
    assert wrong == []


def test_the_reasons_sit_below_the_network_and_the_extractor() -> None:
    """The extractor raises ``ExtractionError`` (with its reason) and must not load
    ``scraper.net``; the reasons module imports nothing of broadsheet's."""
    source = (ROOT / "scraper" / "failure_reasons.py").read_text(encoding="utf-8")
    modules = {node.module for node in ast.walk(ast.parse(source))
               if isinstance(node, ast.ImportFrom)}
    assert modules <= {"__future__", "enum", "typing"}
