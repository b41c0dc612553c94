"""Every HTTP exchange as WARC 1.1 records: a ``request`` record and a ``response`` record, or
a ``revisit`` record where the response repeats an earlier capture of the same URL:

- a 304 answer: profile ``server-not-modified``, referring to the URL's last full capture when
  one is known (``archive.warc.captures``);
- a 200 whose payload digest equals the URL's last full capture's: profile
  ``identical-payload-digest``, the HTTP headers only.

The response payload is kept as it came off the connection after transfer decoding: its
Content-Encoding (gzip...) is kept with the header that names it, so WARC-Payload-Digest (SHA-1,
base 32, computed by warcio) is that of the entity as sent.  The ``Transfer-Encoding`` header
is dropped, since the chunking it announces is undone, and ``Content-Length`` is then set to the
payload's length.  (warcio percent-encodes a header value that is not ASCII.)  A redirect
body cut at ``fetch.max_bytes`` is marked ``WARC-Truncated: length``.

Revisit records carry two extension fields, ``WARC-Refers-To-Filename`` and
``WARC-Refers-To-File-Offset``, naming the record they refer to (as some other crawlers do), so
that ``archive.warc.reader`` reaches the payload without an index.
"""

from __future__ import annotations

import threading
from io import BytesIO
from typing import Any

from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.utils import Digester

from archive.warc.captures import Captures, EarlierCapture
from archive.warc.exchange import Exchange
from archive.warc.pointer import WarcPointer
from archive.warc.writer import RollingWarcWriter

__all__ = ["NOT_MODIFIED_PROFILE", "REFERS_TO_FILE", "REFERS_TO_OFFSET", "WarcRecorder",
           "payload_digest"]

NOT_MODIFIED_PROFILE = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
IDENTICAL_PROFILE = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
REFERS_TO_FILE = "WARC-Refers-To-Filename"
REFERS_TO_OFFSET = "WARC-Refers-To-File-Offset"


def payload_digest(payload: bytes) -> str:
    digester = Digester("sha1")
    digester.update(payload)
    return str(digester)


class WarcRecorder:
    """The ``ExchangeRecorder`` (``archive.warc.exchange``) that writes WARC files."""

    def __init__(self, writer: RollingWarcWriter, captures: Captures) -> None:
        self.writer = writer
        self.captures = captures
        self._lock = threading.Lock()  # one URL's look-up and update stay together

    def record(self, exchange: Exchange) -> WarcPointer:
        date = datetime_to_iso_date(exchange.started.replace(tzinfo=None), use_micros=True)
        digest = payload_digest(exchange.payload)
        with self._lock:
            earlier = self.captures.earlier(exchange.url)
            response = self._answer(exchange, date, digest, earlier)
            request = self._request(exchange, date, response)
            pointer = self.writer.write([request, response])[1]
            if response.rec_type == "response" and _reusable(exchange):
                record_id = response.rec_headers.get_header("WARC-Record-ID")
                self.captures.remember(exchange.url,
                                       EarlierCapture(digest, date, record_id, pointer))
        return pointer

    def close(self) -> None:
        with self._lock:  # after a record being written in another thread
            self.writer.close()
            self.captures.close()

    def _answer(self, exchange: Exchange, date: str, digest: str,
                earlier: EarlierCapture | None) -> Any:
        http = StatusAndHeaders(f"{exchange.status} {exchange.reason}".strip(),
                                _wire_headers(exchange), protocol=exchange.http_version)
        fields = {"WARC-Date": date}
        if exchange.truncated:
            fields["WARC-Truncated"] = "length"
        builder = self.writer.builder
        if exchange.status == 304:
            record = builder.create_warc_record(exchange.url, "revisit", http_headers=http,
                                                warc_headers_dict=fields)
            record.rec_headers.add_header("WARC-Profile", NOT_MODIFIED_PROFILE)
            if earlier is not None:
                _refer(record, exchange.url, earlier)
            return record
        if earlier is not None and earlier.digest == digest and _reusable(exchange):
            record = builder.create_warc_record(exchange.url, "revisit", http_headers=http,
                                                warc_headers_dict=fields)
            record.rec_headers.add_header("WARC-Profile", IDENTICAL_PROFILE)
            record.rec_headers.add_header("WARC-Payload-Digest", digest)
            _refer(record, exchange.url, earlier)
            return record
        return builder.create_warc_record(exchange.url, "response", payload=BytesIO(
            exchange.payload), length=len(exchange.payload), http_headers=http,
            warc_headers_dict=fields)

    def _request(self, exchange: Exchange, date: str, response: Any) -> Any:
        http = StatusAndHeaders(f"GET {exchange.target} {exchange.http_version}",
                                list(exchange.request_headers), is_http_request=True)
        fields = {"WARC-Date": date,
                  "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID")}
        return self.writer.builder.create_warc_record(
            exchange.url, "request", payload=BytesIO(b""), length=0, http_headers=http,
            warc_headers_dict=fields)


def _reusable(exchange: Exchange) -> bool:
    """A whole 2xx payload: what a later identical one may refer to."""
    return 200 <= exchange.status < 300 and not exchange.truncated and bool(exchange.payload)


def _refer(record: Any, url: str, earlier: EarlierCapture) -> None:
    headers = record.rec_headers
    headers.add_header("WARC-Refers-To", earlier.record_id)
    headers.add_header("WARC-Refers-To-Target-URI", url)
    headers.add_header("WARC-Refers-To-Date", earlier.date)
    headers.add_header(REFERS_TO_FILE, earlier.pointer.file)
    headers.add_header(REFERS_TO_OFFSET, str(earlier.pointer.offset))


def _wire_headers(exchange: Exchange) -> list[tuple[str, str]]:
    """The response headers as received, but for the transfer coding undone (see above)."""
    headers = list(exchange.response_headers)
    if not any(name.lower() == "transfer-encoding" for name, _ in headers):
        return headers
    kept = [(name, value) for name, value in headers
            if name.lower() not in ("transfer-encoding", "content-length")]
    return [*kept, ("Content-Length", str(len(exchange.payload)))]
