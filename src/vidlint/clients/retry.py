"""The retry policy, in one place. Each case it retries is listed with its reason.

- 429 Too Many Requests: the provider refused before doing anything, so repeating is always safe.
  Wait for its ``Retry-After`` when given (up to ``max_retry_after_s``), else back off exponentially.
- Connection refused / DNS / pool timeouts (``ConnectionFailed(maybe_processed=False)``): the request
  never left, so repeating is safe.
- 5xx answers, read timeouts and dropped connections: the request may have taken effect. Idempotent
  calls (GET, PUT of the same bytes, replacing a gallery) are repeated. A non-idempotent call (create)
  is repeated only after ``recover`` has looked for what it would have created and found nothing,
  so a retry never makes a duplicate; without a ``recover`` it is not repeated at all.
- Everything else (400, 401, 403, 404, 422) is the caller's to fix and is raised at once.

Never retried either: a request that could not be sent at all as it was built (a header value with a
line break or a non-ASCII character, an invalid URL). ``ProviderHttp.send`` raises ClientConfigError for
it, which is not a ProviderError: the same request would fail the same way, so it is raised at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from vidlint.clients.clock import Clock
from vidlint.clients.errors import ConnectionFailed, ProviderError, RateLimited, ServerError

T = TypeVar("T")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 4
    base_delay_s: float = 0.5
    max_delay_s: float = 30.0
    max_retry_after_s: float = 300.0

    def backoff_s(self, attempt: int) -> float:
        """Delay before attempt ``attempt + 1`` (attempts count from 1)."""
        return float(min(self.max_delay_s, self.base_delay_s * 2 ** (attempt - 1)))


def _classify(err: ProviderError, policy: RetryPolicy, attempt: int) -> tuple[bool, float] | None:
    """(ambiguous, delay) for a retryable error, None for one to raise at once."""
    if isinstance(err, RateLimited):
        wait = err.retry_after_s if err.retry_after_s is not None else policy.backoff_s(attempt)
        return None if wait > policy.max_retry_after_s else (False, wait)
    if isinstance(err, ConnectionFailed):
        return (err.maybe_processed, policy.backoff_s(attempt))
    if isinstance(err, ServerError):
        return (True, policy.backoff_s(attempt))
    return None


def call_with_retry(
    op: Callable[[], T],
    *,
    policy: RetryPolicy,
    clock: Clock,
    idempotent: bool,
    recover: Callable[[], T | None] | None = None,
    what: str = "request",
) -> T:
    """Run ``op`` under the policy above; ``recover`` finds the result of an attempt that may have landed."""
    attempt = 1
    while True:
        try:
            return op()
        except ProviderError as err:
            verdict = _classify(err, policy, attempt)
            if verdict is None or attempt >= policy.max_attempts:
                raise
            ambiguous, delay = verdict
            if ambiguous and not idempotent:
                if recover is None:
                    raise
                found = recover()
                if found is not None:
                    log.info("%s: the earlier attempt had succeeded; not repeating it", what)
                    return found
            log.info("%s failed (%s); retry %d in %.2f s", what, err, attempt, delay)
            clock.sleep(delay)
            attempt += 1
