"""The one network seam: a single HTTP GET attempt through httpx, body bounded, redirects visible.

No other module imports httpx.  Given a ``recorder`` (``archive.warc.exchange``), the client hands
it every exchange that got an answer, each redirect hop and error status included, with the
request as sent and the payload as received (see ``Exchange``); the pointer of the final
answer's record comes back as ``Response.capture``.  An exchange that ended without a complete
answer (timeout, reset, a body refused as too large or undecodable) is not recorded.
  ``HttpClient.get`` makes ONE attempt (retries live in
``scraper.net.retry``), never parses HTML and never sleeps for politeness: callers that need a gate
around each request (including each redirect hop) pass a ``hop`` guard.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import ssl
import time
import zlib
from collections.abc import Callable, Mapping
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType

import httpx

from archive.warc.exchange import Exchange, ExchangeRecorder
from archive.warc.pointer import WarcPointer
from scraper.config import FetchConfig
from scraper.errors import FetchError, InvalidUrl
from scraper.failure_reasons import FailureReason
from scraper.urls import split_url

__all__ = ["HopGuard", "HttpClient", "Response", "Transport", "parse_content_type",
           "sniffs_as_html"]

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_NO_BODY_STATUSES = frozenset({204, 304})
_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
_ACCEPT_LANGUAGE = "en;q=0.9,*;q=0.5"
_ACCEPT_ENCODING = "gzip, deflate"  # only what _BoundedDecoder can undo
_SNIFF_BYTES = 1024

HopGuard = Callable[[str, int], AbstractAsyncContextManager[object]]
"""Called with (url, hop index) around every request ``get`` sends; index 0 is the first."""

Transport = httpx.AsyncBaseTransport
"""What tests may inject (e.g. ``httpx.MockTransport``) where a real server cannot misbehave."""


@dataclass(frozen=True, slots=True)
class Response:
    """One fetched resource.  ``body`` has its Content-Encoding removed; charset is untouched."""

    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    body: bytes
    content_type: str = ""
    charset: str | None = None
    elapsed: float = 0.0
    redirects: tuple[str, ...] = ()
    capture: WarcPointer | None = None  # the WARC record of this answer, when recorded

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def is_html(self) -> bool:
        if self.content_type:
            return self.content_type in HTML_TYPES
        return sniffs_as_html(self.body)


def parse_content_type(value: str) -> tuple[str, str | None]:
    """``'Text/HTML; charset="UTF-8"'`` -> ``('text/html', 'utf-8')``."""
    media_type, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, raw = param.partition("=")
        if name.strip().lower() == "charset":
            charset = raw.strip().strip("\"'").lower() or None
    return media_type.strip().lower(), charset


def sniffs_as_html(body: bytes) -> bool:
    """A body without a Content-Type that opens like an HTML document."""
    head = body[:_SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n\f").lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return True
    return head.startswith(b"<") and any(tag in head for tag in (b"<html", b"<head", b"<body"))


class _BodyRefused(Exception):
    """Raised inside body reading; turned into a FetchError that names the URL."""

    def __init__(self, reason: FailureReason, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


class _BoundedDecoder:
    """Undo identity/gzip/deflate incrementally, refusing once the decoded size passes ``limit``.

    zlib's ``max_length`` bounds every step, so a compression bomb never inflates to more than
    ``limit + 1`` bytes in memory.
    """

    def __init__(self, content_encoding: str, limit: int) -> None:
        self._limit = limit
        self._size = 0
        self._started = False
        codings = [c.strip().lower() for c in content_encoding.split(",")]
        codings = [c for c in codings if c and c != "identity"]
        self._deflate = codings == ["deflate"]
        self._inflater: zlib._Decompress | None = None
        if codings in (["gzip"], ["x-gzip"]):
            self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif self._deflate:
            self._inflater = zlib.decompressobj()
        elif codings:
            raise _BodyRefused(FailureReason.DECODING, f"unsupported Content-Encoding {content_encoding!r}")

    def feed(self, data: bytes) -> bytes:
        out = data if self._inflater is None else self._inflate(data)
        self._started = True
        return self._counted(out)

    def flush(self) -> bytes:
        return self._counted(self._inflater.flush() if self._inflater is not None else b"")

    def _inflate(self, data: bytes) -> bytes:
        assert self._inflater is not None
        room = self._limit - self._size + 1
        try:
            return self._inflater.decompress(data, room)
        except zlib.error as exc:
            if self._deflate and not self._started:  # some servers send raw deflate
                self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)
                self._deflate = False
                return self._inflate(data)
            raise _BodyRefused(FailureReason.DECODING, f"corrupt compressed body: {exc}") from None

    def _counted(self, out: bytes) -> bytes:
        self._size += len(out)
        if self._size > self._limit:
            raise _BodyRefused(FailureReason.TOO_LARGE, f"body passes fetch.max_bytes={self._limit} bytes "
                                            "once decoded; raise fetch.max_bytes to accept it")
        return out


@dataclass(frozen=True, slots=True)
class _Exchange:
    status: int
    headers: dict[str, str]
    body: bytes
    location: str | None  # set only for a redirect to follow
    captured: Exchange | None = None  # for the recorder
    capture: WarcPointer | None = None


class HttpClient:
    """One pooled ``httpx.AsyncClient``: HTTP/1.1, TLS always verified, redirects followed here."""

    def __init__(self, fetch: FetchConfig, *, max_connections: int = 32,
                 transport: Transport | None = None,
                 recorder: ExchangeRecorder | None = None) -> None:
        self._config = fetch
        self._recorder = recorder
        self._client = httpx.AsyncClient(
            http1=True, http2=False, verify=True, trust_env=False, follow_redirects=False,
            timeout=httpx.Timeout(fetch.timeout, connect=fetch.connect_timeout),
            limits=httpx.Limits(max_connections=max_connections,
                                max_keepalive_connections=max_connections),
            headers={"User-Agent": fetch.user_agent, "Accept": _ACCEPT,
                     "Accept-Language": _ACCEPT_LANGUAGE, "Accept-Encoding": _ACCEPT_ENCODING},
            transport=transport,
        )

    async def __aenter__(self) -> HttpClient:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, tb: TracebackType | None) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    async def get(self, url: str, *, headers: Mapping[str, str] | None = None,
                  hop: HopGuard | None = None) -> Response:
        """One GET attempt, following up to ``max_redirects`` redirects; non-2xx come back too."""
        started = time.monotonic()
        current, seen = url, {_without_fragment(url)}
        redirects: list[str] = []
        for index in range(self._config.max_redirects + 1):
            guard = hop(current, index) if hop is not None else contextlib.nullcontext()
            async with guard:
                exchange = await self._exchange(url, current, headers)
            exchange = await self._record(exchange)
            if exchange.location is None:
                return _response(url, current, exchange, tuple(redirects), started)
            current = _redirect_target(url, current, exchange.location, seen)
            redirects.append(current)
            seen.add(_without_fragment(current))
        raise FetchError(url, FailureReason.TOO_MANY_REDIRECTS,
                         f"more than fetch.max_redirects={self._config.max_redirects} redirects, "
                         f"last to {current}")

    async def _exchange(self, url: str, current: str,
                        headers: Mapping[str, str] | None) -> _Exchange:
        try:
            async with asyncio.timeout(self._config.timeout):
                return await self._send(current, headers)
        except TimeoutError:
            raise FetchError(url, FailureReason.TIMEOUT, f"no complete response from {current} within "
                                             f"fetch.timeout={self._config.timeout} s") from None
        except _BodyRefused as refused:
            raise FetchError(url, refused.reason, refused.detail) from None
        except httpx.InvalidURL as exc:
            raise FetchError(url, FailureReason.BAD_URL, f"{current}: {exc}") from None
        except httpx.HTTPError as exc:
            raise _transport_failure(url, current, exc) from exc

    async def _record(self, exchange: _Exchange) -> _Exchange:
        """The exchange written by the recorder (in a thread: it fsyncs), with its pointer."""
        if self._recorder is None or exchange.captured is None:
            return exchange
        pointer = await asyncio.to_thread(self._recorder.record, exchange.captured)
        return dataclasses.replace(exchange, captured=None, capture=pointer)

    async def _send(self, current: str, headers: Mapping[str, str] | None) -> _Exchange:
        request = self._client.build_request("GET", current, headers=headers)
        started = datetime.now(UTC)
        response = await self._client.send(request, stream=True)
        try:
            status, response_headers = response.status_code, dict(response.headers.items())
            location = response_headers.get("location", "").strip()
            follow = location if status in REDIRECT_STATUSES and location else None
            wire: list[bytes] | None = None if self._recorder is None else []
            truncated = False
            if follow is not None:
                body = b""
                if wire is not None:
                    truncated = await self._read_redirect_body(response, wire)
            else:
                body = b"" if status in _NO_BODY_STATUSES else await self._read_body(response, wire)
            captured = None if wire is None else _captured(request, response, b"".join(wire),
                                                           started, truncated)
            return _Exchange(status, response_headers, body, follow, captured)
        finally:
            await response.aclose()

    async def _read_redirect_body(self, response: httpx.Response, wire: list[bytes]) -> bool:
        """A redirect's body as sent, for the record only: at most ``max_bytes`` (True when
        cut there); it is never decoded, so a broken one fails nothing."""
        size = 0
        async for raw in response.aiter_raw():
            wire.append(raw[:self._config.max_bytes - size])
            size += len(raw)
            if size > self._config.max_bytes:
                return True
        return False

    async def _read_body(self, response: httpx.Response, wire: list[bytes] | None) -> bytes:
        limit = self._config.max_bytes
        declared = response.headers.get("content-length", "").strip()
        if declared.isdigit() and int(declared) > limit:
            raise _BodyRefused(FailureReason.TOO_LARGE, f"Content-Length {declared} passes fetch.max_bytes="
                                            f"{limit}; raise fetch.max_bytes to accept it")
        decoder = _BoundedDecoder(response.headers.get("content-encoding", ""), limit)
        chunks = []
        async for raw in response.aiter_raw():
            chunks.append(decoder.feed(raw))
            if wire is not None:
                wire.append(raw)
        chunks.append(decoder.flush())
        return b"".join(chunks)


def _captured(request: httpx.Request, response: httpx.Response, payload: bytes,
              started: datetime, truncated: bool) -> Exchange:
    """The exchange for the recorder: headers as they went over the wire (order and case)."""
    return Exchange(
        url=str(request.url), target=request.url.raw_path.decode("ascii"),
        http_version=response.http_version,
        request_headers=[(name.decode("latin-1"), value.decode("latin-1"))
                         for name, value in request.headers.raw],
        status=response.status_code, reason=response.reason_phrase,
        response_headers=[(name.decode("latin-1"), value.decode("latin-1"))
                          for name, value in response.headers.raw],
        payload=payload, started=started, truncated=truncated)


def _response(url: str, final_url: str, exchange: _Exchange, redirects: tuple[str, ...],
              started: float) -> Response:
    content_type, charset = parse_content_type(exchange.headers.get("content-type", ""))
    return Response(url=url, final_url=final_url, status=exchange.status,
                    headers=exchange.headers, body=exchange.body, content_type=content_type,
                    charset=charset, elapsed=time.monotonic() - started, redirects=redirects,
                    capture=exchange.capture)


def _redirect_target(url: str, current: str, location: str, seen: set[str]) -> str:
    try:
        target = httpx.URL(current).join(location)
    except httpx.InvalidURL as exc:
        raise FetchError(url, FailureReason.BAD_REDIRECT, f"unusable Location {location!r}: {exc}") from None
    if target.scheme not in ("http", "https"):
        raise FetchError(url, FailureReason.BAD_REDIRECT, f"redirect to a non-HTTP URL {target}")
    try:
        split_url(str(target))
    except InvalidUrl as exc:
        raise FetchError(url, FailureReason.BAD_REDIRECT, f"redirect to {target}: {exc.problem}") from None
    if _without_fragment(str(target)) in seen:
        raise FetchError(url, FailureReason.REDIRECT_LOOP, f"{current} redirects back to {target}")
    return str(target)


def _without_fragment(url: str) -> str:
    return url.partition("#")[0]


def _transport_failure(url: str, current: str, exc: httpx.HTTPError) -> FetchError:
    """Map an httpx exception to a FetchError with a stable reason token."""
    what = (f"at {current}: " if current != url else "") + _describe(exc)
    if isinstance(exc, httpx.TimeoutException):
        return FetchError(url, FailureReason.TIMEOUT, what)
    if any(isinstance(cause, ssl.SSLError) for cause in _chain(exc)):
        return FetchError(url, FailureReason.TLS,
                          f"{what}; the certificate must verify, there is no fallback")
    if isinstance(exc, httpx.NetworkError | httpx.ProxyError):
        return FetchError(url, FailureReason.CONNECT, what)
    if isinstance(exc, httpx.UnsupportedProtocol):
        return FetchError(url, FailureReason.BAD_URL, what)
    if isinstance(exc, httpx.DecodingError):
        return FetchError(url, FailureReason.DECODING, what)
    return FetchError(url, FailureReason.PROTOCOL, what)


def _describe(exc: BaseException) -> str:
    """The innermost cause, which names what really happened (e.g. connection reset by peer)."""
    for cause in reversed(_chain(exc)):
        if str(cause):
            return f"{type(cause).__name__}: {cause}"
    return type(exc).__name__


def _chain(exc: BaseException) -> list[BaseException]:
    """``exc`` and its causes/contexts, outermost first (cycles cut)."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and all(current is not seen for seen in chain):
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain
