"""URL canonical form: one key per page, so each page is fetched and stored once.

The canonical form lower-cases scheme and host, drops default ports and fragments, resolves dot
segments, normalises percent-encoding and sorts the query (w3lib, Scrapy's URL library), and
removes tracking parameters (``utm_*``, ``fbclid``, ``gclid`` ...; the list is data below).
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

TRACKING_PARAMETERS = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid",
    "igshid", "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id",
    "oly_enc_id", "vero_id", "ref_src", "ref_url", "cmpid", "ncid", "sr_share", "spm",
})
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "at_", "__hs")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical_url(url: str, base: str | None = None) -> str | None:
    """The canonical form of an http(s) URL (resolved against ``base``), or None if it is not one."""
    url = url.strip()
    if not url:
        return None
    if base is not None:
        url = urljoin(base, url)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    host = _host(parts.hostname)
    if host is None:
        return None
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    query = _without_tracking(parts.query)
    rebuilt = urlunsplit((scheme, netloc, parts.path or "/", query, ""))
    return canonicalize_url(rebuilt, keep_fragments=False)


def _host(hostname: str) -> str | None:
    host = hostname.rstrip(".").lower()
    if not host:
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
    """``host[:port]``: the unit politeness limits apply to."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return f"{host}:{parts.port}" if parts.port else host


def site_of(url: str) -> str:
    """The host without a leading ``www.``: what "same site" compares."""
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


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
    path = urlsplit(url).path.lower()
    dot = path.rfind(".")
    return dot <= path.rfind("/") or path[dot:] not in NON_PAGE_EXTENSIONS
