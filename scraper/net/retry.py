"""When and how long to retry a download: the policy as data, run by tenacity's AsyncRetrying.

Retried: transport failures (``timeout``, ``connect``, ``protocol``) and HTTP 408, 429, 500, 502,
503, 504.  Never other 4xx.  The wait is exponential backoff with jitter (capped by
``backoff_max``) but never shorter than the server's Retry-After.  A Retry-After above
``max_retry_after`` ends the attempts at once with reason ``retry_after_too_long``.
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC

from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    retry_if_result,
    stop_after_attempt,
)

from scraper.config import FetchConfig
from scraper.errors import FetchError
from scraper.failure_reasons import FailureReason, Reason, http_reason
from scraper.net.fetch import Response

__all__ = [
    "RETRYABLE_REASONS",
    "RETRYABLE_STATUSES",
    "RETRY_AFTER_CEILING",
    "RetryPolicy",
    "call_with_retries",
    "parse_retry_after",
    "retry_after",
]

RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
RETRYABLE_REASONS: frozenset[Reason] = frozenset(
    {FailureReason.TIMEOUT, FailureReason.CONNECT, FailureReason.PROTOCOL})


RETRY_AFTER_CEILING = 86_400.0
"""The longest wait a Retry-After can ask for: a larger (or 1,000-digit) value reads as this.
Any value above ``fetch.max_retry_after`` gives up on the URL and pauses its host for that long,
so the ceiling only bounds how long one answer can keep a host paused in a ``watch``."""
_MAX_DIGITS = len(str(int(RETRY_AFTER_CEILING)))


def parse_retry_after(value: str, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After value (delta seconds or HTTP-date), at most
    ``RETRY_AFTER_CEILING``.

    An unparsable value is ignored (``None``), as HTTP clients do: that includes digits other
    than ASCII ``0-9`` (``²``, Arabic-Indic digits...).  The digit count is checked before
    ``int()``, so a value of thousands of digits costs nothing; a date in the past is 0.
    """
    text = value.strip()
    if text.isascii() and text.isdigit():
        if len(text.lstrip("0")) > _MAX_DIGITS:
            return RETRY_AFTER_CEILING
        return min(float(int(text)), RETRY_AFTER_CEILING)
    if not text.isascii() or len(text) > 64:
        return None
    try:
        when = email.utils.parsedate_to_datetime(text)
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = when.timestamp() - (time.time() if now is None else now)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return min(max(0.0, seconds), RETRY_AFTER_CEILING)


def retry_after(response: Response) -> float | None:
    value = response.headers.get("retry-after")
    return parse_retry_after(value) if value else None


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    retries: int = 3
    backoff_base: float = 0.5
    backoff_max: float = 30.0
    max_retry_after: float = 300.0
    statuses: frozenset[int] = RETRYABLE_STATUSES
    reasons: frozenset[Reason] = RETRYABLE_REASONS

    @classmethod
    def from_config(cls, fetch: FetchConfig) -> RetryPolicy:
        return cls(retries=fetch.retries, backoff_base=fetch.backoff_base,
                   backoff_max=fetch.backoff_max, max_retry_after=fetch.max_retry_after)

    def retryable_error(self, error: BaseException) -> bool:
        return isinstance(error, FetchError) and error.reason in self.reasons

    def retryable_response(self, response: Response) -> bool:
        if response.status not in self.statuses:
            return False
        delay = retry_after(response)
        return delay is None or delay <= self.max_retry_after

    def backoff(self, attempt: int) -> float:
        """Wait after failed attempt number ``attempt`` (1-based): equal jitter, capped."""
        step = min(self.backoff_max, self.backoff_base * 2.0 ** min(attempt - 1, 30))
        return step / 2 + random.uniform(0, step / 2)

    def wait(self, state: RetryCallState) -> float:
        """tenacity ``wait``: the backoff, or the last response's Retry-After if longer."""
        delay = self.backoff(state.attempt_number)
        outcome = state.outcome
        if outcome is not None and not outcome.failed:
            asked = retry_after(outcome.result())
            if asked is not None:
                delay = max(delay, asked)
        return delay

    def accept(self, url: str, response: Response) -> Response:
        """The final response: 2xx and 304 pass, anything else becomes a FetchError."""
        status = response.status
        if 200 <= status < 300 or status == 304:
            return response
        asked = retry_after(response)
        if status in self.statuses and asked is not None and asked > self.max_retry_after:
            wait = "a day or more" if asked >= RETRY_AFTER_CEILING else f"{asked:.0f} s"
            raise FetchError(url, FailureReason.RETRY_AFTER_TOO_LONG,
                             f"HTTP {status} asks to wait {wait}, more than "
                             f"fetch.max_retry_after={self.max_retry_after:g} s; try later")
        tried = f" after {self.retries + 1} attempts" if status in self.statuses else ""
        raise FetchError(url, http_reason(status), f"HTTP {status} from {response.final_url}{tried}")


def _last_outcome(state: RetryCallState) -> Response:
    """Out of attempts: hand back the last response (or raise the last error) as it was."""
    assert state.outcome is not None
    result: Response = state.outcome.result()
    return result


async def call_with_retries(policy: RetryPolicy, url: str,
                            attempt: Callable[[], Awaitable[Response]], *,
                            on_retry: Callable[[RetryCallState], None] | None = None) -> Response:
    """Run ``attempt`` until it gives an acceptable response or the policy gives up."""
    retrying = AsyncRetrying(
        stop=stop_after_attempt(policy.retries + 1),
        wait=policy.wait,
        retry=(retry_if_exception(policy.retryable_error)
               | retry_if_result(policy.retryable_response)),
        before_sleep=on_retry,
        retry_error_callback=_last_outcome,
        reraise=True,
    )
    response: Response = await retrying(attempt)
    return policy.accept(url, response)
