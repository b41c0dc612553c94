"""URL canonical form: one key per page, so each page is fetched and stored once.

The canonical form lower-cases scheme and host, drops default ports and fragments, resolves dot
segments, normalises percent-encoding and sorts the query (w3lib, Scrapy's URL library), and
removes tracking parameters (``utm_*``, ``fbclid``, ``gclid`` ...; the list is data below).
"""

from __future__ import annotations

import ipaddress
import logging
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

from scraper.errors import InvalidUrl

log = logging.getLogger(__name__)

TRACKING_PARAMETERS = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid",
    "igshid", "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id",
    "oly_enc_id", "vero_id", "ref_src", "ref_url", "cmpid", "ncid", "sr_share", "spm",
})
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "at_", "__hs")
_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True, slots=True)
class UrlParts:
    """An http(s) URL read safely (see ``split_url``).  ``host`` is lower-case IDNA, an IPv6
    literal without its brackets; ``port`` is None when the URL names none."""

    scheme: str
    host: str
    port: int | None
    path: str
    query: str

    @property
    def netloc(self) -> str:
        """``host[:port]`` with an IPv6 literal in brackets; a default port is left out."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        if self.port is None or self.port == _DEFAULT_PORTS[self.scheme]:
            return host
        return f"{host}:{self.port}"


def split_url(url: str) -> UrlParts:
    """The parts of an absolute http(s) URL, or ``InvalidUrl`` naming what is wrong with it:
    never the bare ValueError that ``urlsplit`` raises for a bad port or IPv6 literal."""
    try:
        parts = urlsplit(url.strip())
        port, hostname = parts.port, parts.hostname
    except ValueError as exc:
        raise InvalidUrl(url, _problem(exc)) from None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise InvalidUrl(url, "only http:// and https:// URLs can be crawled")
    if port == 0:
        raise InvalidUrl(url, "the port must be in 1-65535")
    host = _host(hostname or "")
    if host is None:
        raise InvalidUrl(url, "it names no usable host")
    return UrlParts(scheme, host, port, parts.path, parts.query)


def _problem(exc: ValueError) -> str:
    text = str(exc)
    if "port" in text.lower():
        return "the port must be a number in 1-65535"
    if "ipv6" in text.lower() or "bracket" in text.lower():
        return "the IPv6 address in brackets is broken"
    return text


def join_url(base: str | None, href: str) -> str | None:
    """``href`` resolved against ``base`` (as ``urljoin``), or None when either is unusable."""
    try:
        return urljoin(base, href) if base else href
    except ValueError:
        log.debug("dropped %r: cannot be joined to %r", href, base)
        return None


def canonical_form(url: str, base: str | None = None) -> str:
    """The canonical form of an http(s) URL (resolved against ``base``); ``InvalidUrl`` if it
    is not one."""
    joined = join_url(base, url.strip())
    if joined is None:
        raise InvalidUrl(url, f"it cannot be resolved against {base!r}")
    parts = split_url(joined)
    query = _without_tracking(parts.query)
    rebuilt = urlunsplit((parts.scheme, parts.netloc, parts.path or "/", query, ""))
    try:
        return canonicalize_url(rebuilt, keep_fragments=False)
    except ValueError as exc:
        raise InvalidUrl(url, str(exc)) from None


def canonical_url(url: str, base: str | None = None) -> str | None:
    """The canonical form of an http(s) URL, or None (logged at debug level) if it is not one:
    what links, canonicals and sitemap entries go through, so that a hostile one is dropped."""
    if not url.strip():
        return None
    try:
        return canonical_form(url, base)
    except InvalidUrl as exc:
        log.debug("dropped a URL: %s", exc)
        return None


def _host(hostname: str) -> str | None:
    host = hostname.rstrip(".").lower()
    if not host:
        return None
    if ":" in host:  # urlsplit took it from brackets: an IPv6 literal
        try:
            return str(ipaddress.IPv6Address(host.partition("%")[0]))
        except ValueError:
            return None
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host if host.isascii() else None


def _without_tracking(query: str) -> str:
    if not query:
        return ""
    pairs = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if not is_tracking(k)]
    return urlencode(pairs)


def is_tracking(parameter: str) -> bool:
    name = parameter.lower()
    return name in TRACKING_PARAMETERS or name.startswith(TRACKING_PREFIXES)


def host_key(url: str) -> str:
    """``host[:port]`` (an IPv6 literal in brackets): the unit politeness limits apply to.
    Raises ``InvalidUrl`` for a URL that could not be fetched anyway."""
    parts = split_url(url)
    host = f"[{parts.host}]" if ":" in parts.host else parts.host
    return f"{host}:{parts.port}" if parts.port else host


def site_of(url: str) -> str:
    """The host without a leading ``www.``: what "same site" compares ("" for a bad URL)."""
    try:
        return split_url(url).host.removeprefix("www.")
    except InvalidUrl:
        return ""


def same_site(url: str, sites: frozenset[str]) -> bool:
    """True if ``url``'s host is one of ``sites`` or a subdomain of one."""
    host = site_of(url)
    return any(host == site or host.endswith("." + site) for site in sites)


def one_site(url: str, other: str) -> bool:
    """Whether two URLs are on one site: the same host (without ``www.``), or one a subdomain of
    the other (``amp.example.com`` and ``example.com``), whatever their schemes and ports.  What
    a page may speak for: a rel=canonical or a redirect across sites is not trusted to file it."""
    first, second = site_of(url), site_of(other)
    return first == second or first.endswith("." + second) or second.endswith("." + first)


NON_PAGE_EXTENSIONS = frozenset({
    ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".ico", ".bmp", ".tif", ".tiff", ".avif",
    ".mp3", ".mp4", ".m4a", ".m4v", ".mov", ".avi", ".webm", ".ogg", ".wav", ".flac",
    ".pdf", ".zip", ".gz", ".tgz", ".rar", ".7z", ".exe", ".dmg", ".apk", ".iso",
    ".css", ".js", ".json", ".woff", ".woff2", ".ttf", ".eot", ".doc", ".docx", ".xls",
    ".xlsx", ".ppt", ".pptx", ".csv",
})


def looks_like_page(url: str) -> bool:
    """False for URLs whose extension says they are media, archives, scripts or documents."""
    try:
        path = urlsplit(url).path.lower()
    except ValueError:
        return False
    dot = path.rfind(".")
    return dot <= path.rfind("/") or path[dot:] not in NON_PAGE_EXTENSIONS
