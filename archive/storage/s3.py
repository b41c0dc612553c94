"""S3-compatible object storage as a ``BlobStore``, through fsspec/s3fs (the ``s3`` extra).

``s3://bucket/prefix`` holds the archive's files under ``prefix/`` with the keys of a local
archive (``articles/...``, ``raw/...``, ``versions/...``), so DuckDB, pandas or any S3 client
read the JSON exactly as on disk.  Options (``backend.storage_options``): ``endpoint_url``,
``key``, ``secret``, ``region``, ``anon`` (``true``: unsigned requests, a public bucket),
``conditional_put`` (``false`` for a server that ignores
``If-None-Match``: HEAD then PUT from the start); without them botocore's usual environment
(``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``, ``AWS_ENDPOINT_URL``, ...) applies.

- Atomic overwrite is a single PUT: S3 replaces an object atomically, a reader sees the old
  object or the new one.
- Create-if-absent is a conditional PUT (``If-None-Match: *``; AWS S3, SeaweedFS, MinIO and
  Ceph answer 412 when the key exists).  A server that does not implement it (501) is told
  once in the log and then served best-effort: HEAD, then PUT.  That is safe only for
  content-addressed keys (same key, same bytes), which is what the archive creates.

Listings are never cached: other workers write the same bucket.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, TypeVar, cast

import s3fs
from botocore.exceptions import BotoCoreError, ClientError
from fsspec.asyn import sync

from archive.errors import ArchiveError
from archive.storage.base import BlobNotFound, check_key, check_prefix

_log = logging.getLogger(__name__)
_T = TypeVar("_T")
_OPTIONS = ("endpoint_url", "key", "secret", "region", "anon", "conditional_put")
_NOT_IMPLEMENTED = ("NotImplemented", "501")
_PRECONDITION = ("PreconditionFailed", "412", "ConditionalRequestConflict", "409")
_PAGE_KEYS = 1000
_CLIENT_LOCK = threading.Lock()
_INHERITED: list[Any] = []
"""Clients a forked process inherited: kept, never closed (their sockets are the parent's)."""


def split_url(url: str) -> tuple[str, str]:
    """``s3://bucket/some/prefix`` -> (bucket, ``some/prefix/``); ArchiveError when malformed."""
    rest = url.removeprefix("s3://")
    bucket, _, prefix = rest.partition("/")
    prefix = prefix.strip("/")
    if not url.startswith("s3://") or not bucket:
        raise ArchiveError(f"storage URL {url!r} is not s3://bucket[/prefix]; check "
                           "backend.storage")
    if prefix:
        check_key(prefix)
    return bucket, f"{prefix}/" if prefix else ""


@dataclass(slots=True)
class S3Staged:
    """A create waiting for the archive's lock: nothing to prepare for a single PUT."""

    store: S3Store
    key: str
    data: bytes | None

    def commit(self) -> bool:
        if self.data is None:
            return False
        data, self.data = self.data, None
        return self.store.create(self.key, data)

    def discard(self) -> None:
        self.data = None


class S3Store:
    """Keys as objects under ``s3://bucket/prefix/`` (see the module docstring)."""

    def __init__(self, url: str, options: Mapping[str, str] | None = None) -> None:
        self.bucket, self.prefix = split_url(url)
        settings = dict(options or {})
        unknown = sorted(set(settings) - set(_OPTIONS))
        if unknown:
            raise ArchiveError(f"unknown storage option {unknown[0]!r} (known: "
                               f"{', '.join(_OPTIONS)}); check backend.storage_options")
        client: dict[str, Any] = {}
        if settings.get("endpoint_url"):
            client["endpoint_url"] = settings["endpoint_url"]
        if settings.get("region"):
            client["region_name"] = settings["region"]
        self._settings = {"key": settings.get("key") or None,
                          "secret": settings.get("secret") or None, "client_kwargs": client,
                          "anon": _flag(settings.get("anon", "false"), "anon")}
        self._conditional = _flag(settings.get("conditional_put", "true"), "conditional_put")
        self._pid = -1
        self._filesystem: s3fs.S3FileSystem | None = None

    @property
    def _fs(self) -> s3fs.S3FileSystem:
        """This process's client: s3fs's is not fork-safe, so a forked worker makes its own."""
        with _CLIENT_LOCK:
            if self._filesystem is None or self._pid != os.getpid():
                if self._filesystem is not None:  # the parent's: closing it here would shut
                    _INHERITED.append(self._filesystem)  # down the parent's pooled sockets
                self._filesystem = s3fs.S3FileSystem(
                    **self._settings, skip_instance_cache=True, use_listings_cache=False,
                    config_kwargs={"connect_timeout": 10, "read_timeout": 60})
                self._pid = os.getpid()
            return self._filesystem

    @property
    def url(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}".rstrip("/")

    def where(self, key: str) -> str:
        return f"s3://{self.bucket}/{self.prefix}{check_key(key)}"

    def read(self, key: str) -> bytes:
        data: bytes = self._call(key, lambda path: self._fs.cat_file(path))
        return data

    def write(self, key: str, data: bytes) -> None:
        self._call(key, lambda path: self._fs.pipe_file(path, data))

    def create(self, key: str, data: bytes) -> bool:
        return self._create(key, lambda path, **mode: self._fs.pipe_file(path, data, **mode))

    def create_from_file(self, key: str, path: Path) -> bool:
        """A streamed upload of ``path`` (multipart when large), create-if-absent as
        ``create``."""
        return self._create(key, lambda target, **mode: self._fs.put_file(str(path), target,
                                                                         **mode))

    def _create(self, key: str, upload: Callable[..., object]) -> bool:
        """Create-if-absent: a conditional upload (``mode="create"``, If-None-Match), else,
        on a store that does not support it, a check first."""
        if self._conditional:
            try:
                self._call(key, lambda path: upload(path, mode="create"))
                return True
            except _Refused as refused:
                if refused.code in _PRECONDITION:
                    return False
                _log.warning("storage %s does not support conditional writes (If-None-Match); "
                             "creating content-addressed objects with a check first", self.url)
                self._conditional = False
        if self.exists(key):
            return False
        self._call(key, upload)
        return True

    def open_file(self, key: str) -> BinaryIO:
        """s3fs's seekable file: each read fetches a byte range (with read-ahead)."""
        size = self.size(key)  # BlobNotFound now rather than at the first read
        handle = self._call(key, lambda path: self._fs.open(path, "rb", block_size=1 << 20,
                                                            size=size))
        return cast(BinaryIO, handle)

    def stage(self, key: str, data: bytes) -> S3Staged:
        return S3Staged(self, check_key(key), data)

    def exists(self, key: str) -> bool:
        try:
            self.size(key)
        except BlobNotFound:
            return False
        return True

    def size(self, key: str) -> int:
        head = self._call(key, lambda path: self._head(path))
        return int(head["ContentLength"])

    def delete(self, key: str) -> None:
        try:
            self._call(key, lambda path: self._fs.rm_file(path))
        except BlobNotFound:
            return

    def list(self, prefix: str) -> Iterator[str]:
        """Keys under ``prefix`` in S3's (byte) order, a page of 1,000 at a time."""
        full = f"{self.prefix}{check_prefix(prefix)}"
        token: str | None = None
        while True:
            page = self._list_page(full, token, _PAGE_KEYS)
            for item in page.get("Contents", []):
                key = str(item["Key"])[len(self.prefix):]
                if not any(part.startswith(".") for part in key.split("/")):
                    yield key
            token = page.get("NextContinuationToken")
            if not page.get("IsTruncated") or not token:
                return

    def has_any(self, prefix: str) -> bool:
        page = self._list_page(f"{self.prefix}{check_prefix(prefix)}", None, 1)
        return bool(page.get("Contents"))

    def _head(self, path: str) -> dict[str, Any]:
        bucket, key, _ = self._fs.split_path(path)
        head: dict[str, Any] = sync(self._fs.loop, self._fs._call_s3, "head_object",
                                    Bucket=bucket, Key=key)
        return head

    def _list_page(self, full: str, token: str | None, limit: int) -> dict[str, Any]:
        extra = {"ContinuationToken": token} if token else {}

        def page(_: str) -> dict[str, Any]:
            found: dict[str, Any] = sync(self._fs.loop, self._fs._call_s3, "list_objects_v2",
                                         Bucket=self.bucket, Prefix=full, MaxKeys=limit,
                                         **extra)
            return found

        return self._call(full, page, listing=True)

    def _call(self, key: str, action: Callable[[str], _T], *, listing: bool = False) -> _T:
        """``action`` on the object's full path, its failures as ArchiveError (see ``_failure``)."""
        path = f"{self.bucket}/{key}" if listing else f"{self.bucket}/{self.prefix}{check_key(key)}"
        try:
            return action(path)
        except FileNotFoundError:
            raise BlobNotFound(f"s3://{path}") from None
        except FileExistsError:  # s3fs's reading of a 412 that names If-None-Match
            raise _Refused("412", f"s3://{path} exists") from None
        except (OSError, BotoCoreError, ClientError) as error:
            raise self._failure(error, f"s3://{path}") from error

    def _failure(self, error: BaseException, where: str) -> ArchiveError:
        code = _error_code(error)
        if code in _PRECONDITION or code in _NOT_IMPLEMENTED:
            return _Refused(code, f"storage {self.url} refused the conditional write of {where}")
        if isinstance(error, PermissionError) or code in ("AccessDenied", "403",
                                                          "InvalidAccessKeyId",
                                                          "SignatureDoesNotMatch"):
            return ArchiveError(f"storage {self.url} denied access to {where} ({_one_line(error)})"
                                "; check the key and secret in backend.storage_options")
        if code in ("NoSuchBucket",):
            return ArchiveError(f"storage {self.url}: bucket {self.bucket} does not exist; "
                                "create it or check backend.storage")
        return ArchiveError(f"storage {self.url} unreachable or failing at {where} "
                            f"({_one_line(error)}); check backend.storage and its endpoint")


class _Refused(ArchiveError):
    """A conditional PUT was refused: the key exists (412) or the server cannot do it (501)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def _flag(value: str, name: str) -> bool:
    text = str(value).strip().lower()
    if text not in ("true", "false"):
        raise ArchiveError(f"storage option {name} must be true or false, not {value!r}; check "
                           "backend.storage_options")
    return text == "true"


def _error_code(error: BaseException) -> str:
    """The S3 error code of ``error`` or of the botocore error s3fs translated it from."""
    for candidate in (error, error.__cause__, error.__context__):
        response = getattr(candidate, "response", None)
        if isinstance(response, dict):
            details = response.get("Error", {})
            code = str(details.get("Code", ""))
            status = str(response.get("ResponseMetadata", {}).get("HTTPStatusCode", ""))
            return code or status
    return ""


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split())[:300] or type(error).__name__
