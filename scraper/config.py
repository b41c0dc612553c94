"""Configuration: ``config.yaml`` parsed and validated once, at the edge, into frozen values.

Every section is a small frozen dataclass whose fields carry the defaults.  ``load_config``
reports any problem as a ``ConfigError`` naming the file and line.
"""

from __future__ import annotations

import dataclasses
import math
import re
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union, get_args, get_origin, get_type_hints

import yaml

from scraper.config_backend import BackendConfig
from scraper.config_warc import MIN_FILE_SIZE, WarcConfig
from scraper.errors import ConfigError


def site_name(text: str) -> str:
    """A site as the crawler compares sites: lower-case host, no ``www.``, IDNA-encoded."""
    host = text.strip().lower().rstrip(".").removeprefix("www.")
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        raise ValueError(f"{text!r} is not a host name") from None
    if not re.fullmatch(r"[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?", host):
        raise ValueError(f"{text!r} is not a host name (write the bare host, e.g. example.com)")
    return host


@dataclass(frozen=True, slots=True)
class SiteRules:
    """URL patterns for one site and its subdomains (``crawl.sites.<site>``)."""

    site: str
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CrawlConfig:
    seeds: tuple[str, ...] = ()
    max_pages: int = 1000
    max_depth: int = 3
    same_site: bool = True
    follow_links: bool = True
    follow_nofollow: bool = False
    use_sitemaps: bool = True
    use_feeds: bool = True
    sitemap_max_age_days: int = 0
    max_sitemaps_per_site: int = 1000
    sitemap_max_depth: int = 3
    max_feeds_per_site: int = 50
    extract_workers: int = 1
    extraction_timeout: float = 30.0
    capture_assets: bool = False  # same-site img/css of article pages, to WARC only
    # When a page is an article (see scraper.extract.verdict; these are its defaults).
    article_min_chars: int = 500
    article_min_paragraphs: int = 3
    article_paragraph_min_chars: int = 81
    article_declared_min_chars: int = 200
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    # Written as a mapping from site to rules; each value's key fills its ``site`` field.
    sites: tuple[SiteRules, ...] = field(
        default=(), metadata={"keyed_by": "site", "key": site_name})


@dataclass(frozen=True, slots=True)
class FetchConfig:
    user_agent: str = "broadsheet/0.1 (+https://example.org/broadsheet; crawler-admin@example.org)"
    timeout: float = 30.0
    connect_timeout: float = 10.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    retries: int = 3
    backoff_base: float = 0.5
    backoff_max: float = 30.0
    max_retry_after: float = 300.0


@dataclass(frozen=True, slots=True)
class PolitenessConfig:
    obey_robots: bool = True
    delay: float = 1.0
    per_host_concurrency: int = 2
    concurrency: int = 16
    max_crawl_delay: float = 120.0


@dataclass(frozen=True, slots=True)
class ArchiveConfig:
    directory: str = "data"


_DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def duration(value: object) -> float:
    """Seconds from a number of seconds or a text like ``90s``, ``30m``, ``1h``, ``1d``, ``2w``
    or ``1h30m``; more than zero."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = float(value)
    elif isinstance(value, str) and re.fullmatch(r"(?:\d+(?:\.\d+)?[smhdw])+", value.strip()):
        seconds = sum(float(number) * _DURATION_UNITS[unit]
                      for number, unit in re.findall(r"(\d+(?:\.\d+)?)([smhdw])", value))
    else:
        raise ValueError(f"{value!r} is not a duration (seconds, or e.g. 30m, 1h, 1d, 1w)")
    if not math.isfinite(seconds):
        raise ValueError(f"{value!r} is not a finite duration")
    if seconds <= 0:
        raise ValueError(f"{value!r} is not a duration above zero")
    return seconds


@dataclass(frozen=True, slots=True)
class ScheduleStep:
    """Re-visit an article every ``every`` seconds while it is younger than ``age`` seconds
    (``None``: at any age; only the last step of a schedule may leave ``age`` out)."""

    every: float | None = field(default=None, metadata={"parse": duration})
    age: float | None = field(default=None, metadata={"parse": duration})


def check_step(earlier: tuple[ScheduleStep, ...], step: ScheduleStep) -> None:
    """A schedule's steps must each give 'every' and go from young to old articles
    (ValueError otherwise)."""
    if step.every is None:
        raise ValueError("each step needs 'every' (how often to re-visit)")
    if earlier and earlier[-1].age is None:
        raise ValueError("only the last step may leave out 'age'")
    if earlier and step.age is not None and step.age <= (earlier[-1].age or 0):
        raise ValueError("each step's 'age' must be larger than the one before")


DEFAULT_SCHEDULE = (ScheduleStep(every=3600.0, age=86400.0),
                    ScheduleStep(every=86400.0, age=30 * 86400.0),
                    ScheduleStep(every=7 * 86400.0))


@dataclass(frozen=True, slots=True)
class SiteSchedule:
    """A site's own re-visit schedule (``snapshot.sites.<site>``); covers its subdomains.
    ``None`` = the global schedule; empty = never re-visit the site."""

    site: str
    schedule: tuple[ScheduleStep, ...] | None = field(
        default=None, metadata={"items": ScheduleStep, "check": check_step})


@dataclass(frozen=True, slots=True)
class SnapshotConfig:
    """When ``broadsheet snapshot``/``watch`` re-visit archived articles (see scraper.schedule.planner)."""

    schedule: tuple[ScheduleStep, ...] = field(
        default=DEFAULT_SCHEDULE, metadata={"items": ScheduleStep, "check": check_step})
    max_articles: int = 0
    sites: tuple[SiteSchedule, ...] = field(
        default=(), metadata={"keyed_by": "site", "key": site_name})


@dataclass(frozen=True, slots=True)
class Config:
    crawl: CrawlConfig = field(default_factory=CrawlConfig)
    fetch: FetchConfig = field(default_factory=FetchConfig)
    politeness: PolitenessConfig = field(default_factory=PolitenessConfig)
    archive: ArchiveConfig = field(default_factory=ArchiveConfig)
    snapshot: SnapshotConfig = field(default_factory=SnapshotConfig)
    backend: BackendConfig = field(default_factory=BackendConfig)
    warc: WarcConfig = field(default_factory=WarcConfig)

    def replace(self, section: str, **changes: Any) -> Config:
        """A copy with some keys of one section changed (used for command-line overrides)."""
        current = getattr(self, section)
        return dataclasses.replace(self, **{section: dataclasses.replace(current, **changes)})


_MINIMUMS: dict[str, float] = {
    "max_pages": 0, "max_depth": 0, "extract_workers": 0, "extraction_timeout": 0.001,
    "timeout": 0.001, "connect_timeout": 0.001,
    "max_bytes": 1, "max_redirects": 0, "retries": 0, "backoff_base": 0, "backoff_max": 0,
    "max_retry_after": 0, "delay": 0, "per_host_concurrency": 1, "concurrency": 1,
    "max_crawl_delay": 0,
    "max_articles": 0,
    "max_sitemaps_per_site": 1, "sitemap_max_depth": 0, "max_feeds_per_site": 1,
    "lease_seconds": 1, "max_file_size": MIN_FILE_SIZE,
}
_HEADER_VALUES = frozenset({"user_agent"})
"""String keys sent as an HTTP header value: printable ASCII only (no CR, LF or other control
character that could end the header or smuggle another, nothing the HTTP client cannot encode)."""
_HEADER_TEXT = re.compile(r"[\t\x20-\x7e]*")


def load_config(path: str | Path | None = None) -> Config:
    """Read and validate a config file; ``None`` gives the built-in defaults."""
    if path is None:
        return Config()
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("config file not found; pass --config with an existing file",
                          path=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config file: {exc}", path=str(path)) from None
    return parse_config(text, source=str(path))


def parse_config(text: str, source: str = "<config>") -> Config:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise ConfigError(f"invalid YAML: {problem}", path=source, line=line) from None
    if root is None:
        return Config()
    config: Config = _build(Config, root, source, "")
    return config


def _build(cls: type[Any], node: yaml.Node, source: str, prefix: str,
           preset: dict[str, Any] | None = None) -> Any:
    """One dataclass from a mapping node; ``preset`` holds fields filled from outside (the
    key of a keyed collection), which the mapping itself may not set."""
    if not isinstance(node, yaml.MappingNode):
        raise ConfigError(f"'{prefix or 'top level'}' must be a mapping", path=source,
                          line=node.start_mark.line + 1)
    hints = get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    values: dict[str, Any] = dict(preset or {})
    for key_node, value_node in node.value:
        key = str(key_node.value)
        dotted = f"{prefix}.{key}" if prefix else key
        line = key_node.start_mark.line + 1
        if key not in fields or key in (preset or {}):
            allowed = ", ".join(sorted(set(fields) - set(preset or {})))
            raise ConfigError(f"unknown key '{dotted}' (expected one of: {allowed})",
                              path=source, line=line)
        if key in values:
            raise ConfigError(f"key '{dotted}' given twice", path=source, line=line)
        expected = hints[key]
        metadata = fields[key].metadata
        if "keyed_by" in metadata:
            values[key] = _keyed(fields[key], _item_type(expected), value_node, source, dotted)
        elif "items" in metadata:
            values[key] = _listed(fields[key], value_node, source, dotted)
        elif "parse" in metadata:
            values[key] = _parsed(metadata["parse"], value_node, source, dotted)
        elif dataclasses.is_dataclass(expected):
            values[key] = _build(expected, value_node, source, dotted)  # type: ignore[arg-type]
        else:
            values[key] = _scalar(expected, value_node, source, dotted)
    try:
        return cls(**values)
    except ValueError as exc:  # a rule across keys (``__post_init__``)
        raise ConfigError(f"'{prefix or 'top level'}': {exc}", path=source,
                          line=node.start_mark.line + 1) from None


def _item_type(expected: Any) -> type[Any]:
    item: type[Any] = get_args(expected)[0]
    return item


def _keyed(spec: dataclasses.Field[Any], item: type[Any], node: yaml.Node, source: str,
           dotted: str) -> tuple[Any, ...]:
    """A mapping whose keys name the items (``sites: {example.com: {...}}``) as a tuple of
    ``item`` dataclasses, each with its key in the field ``spec.metadata["keyed_by"]``."""
    line = node.start_mark.line + 1
    if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null"):
        return ()
    if not isinstance(node, yaml.MappingNode):
        raise ConfigError(f"'{dotted}' must be a mapping", path=source, line=line)
    normalise: Callable[[str], str] = spec.metadata["key"]
    items: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key_line = key_node.start_mark.line + 1
        try:
            key = normalise(str(key_node.value))
        except ValueError as exc:
            raise ConfigError(f"'{dotted}': {exc}", path=source, line=key_line) from None
        if key in items:
            raise ConfigError(f"'{dotted}.{key}' given twice", path=source, line=key_line)
        preset = {spec.metadata["keyed_by"]: key}
        if isinstance(value_node, yaml.ScalarNode) and value_node.tag.endswith(":null"):
            items[key] = item(**preset)
        else:
            items[key] = _build(item, value_node, source, f"{dotted}.{key}", preset)
    return tuple(items.values())


def _listed(spec: dataclasses.Field[Any], node: yaml.Node, source: str,
            dotted: str) -> tuple[Any, ...]:
    """A list of mappings (``schedule: [{age: 1d, every: 1h}, ...]``) as a tuple of
    ``spec.metadata["items"]`` dataclasses; ``spec.metadata["check"](earlier, item)`` may reject
    an item (ValueError) given the ones before it."""
    if not isinstance(node, yaml.SequenceNode):
        raise ConfigError(f"'{dotted}' must be a list", path=source, line=node.start_mark.line + 1)
    items: tuple[Any, ...] = ()
    for number, item_node in enumerate(node.value, 1):
        item = _build(spec.metadata["items"], item_node, source, f"{dotted}[{number}]")
        try:
            spec.metadata["check"](items, item)
        except ValueError as exc:
            raise ConfigError(f"'{dotted}[{number}]': {exc}", path=source,
                              line=item_node.start_mark.line + 1) from None
        items += (item,)
    return items


def _parsed(parse: Callable[[object], Any], node: yaml.Node, source: str, dotted: str) -> Any:
    """A scalar read by its field's own ``parse`` function (ValueError: a ConfigError)."""
    try:
        return parse(yaml.safe_load(yaml.serialize(node)))
    except ValueError as exc:
        raise ConfigError(f"'{dotted}': {exc}", path=source,
                          line=node.start_mark.line + 1) from None


def _scalar(expected: Any, node: yaml.Node, source: str, dotted: str) -> Any:
    line = node.start_mark.line + 1
    value = yaml.safe_load(yaml.serialize(node))
    origin = get_origin(expected)
    if origin is tuple:
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"'{dotted}' must be a list of strings", path=source, line=line)
        if dotted.endswith(("include", "exclude")):
            for pattern in value:
                _check_regex(pattern, source, dotted, line)
        return tuple(value)
    if origin in (Union, types.UnionType):
        if value is None and type(None) in get_args(expected):
            return None
        expected = next(a for a in get_args(expected) if a is not type(None))
    if expected is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"'{dotted}' must be true or false", path=source, line=line)
        return value
    if expected in (int, float):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"'{dotted}' must be a number", path=source, line=line)
        if expected is int and not isinstance(value, int):
            raise ConfigError(f"'{dotted}' must be a whole number", path=source, line=line)
        if not math.isfinite(value):
            raise ConfigError(f"'{dotted}' must be a finite number, not {value}", path=source,
                              line=line)
        minimum = _MINIMUMS.get(dotted.rsplit(".", 1)[-1], 0)
        if value < minimum:
            raise ConfigError(f"'{dotted}' must be at least {minimum}", path=source, line=line)
        return expected(value)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"'{dotted}' must be a non-empty string", path=source, line=line)
    if dotted.rsplit(".", 1)[-1] in _HEADER_VALUES and not _HEADER_TEXT.fullmatch(value):
        raise ConfigError(f"'{dotted}' is sent as an HTTP header: printable ASCII only, no line "
                          "breaks or other control characters", path=source, line=line)
    return value


def _check_regex(pattern: str, source: str, dotted: str, line: int) -> None:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ConfigError(f"'{dotted}': bad regular expression {pattern!r}: {exc}",
                          path=source, line=line) from None
