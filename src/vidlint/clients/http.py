"""One HTTP attempt and its outcome as a typed error; retries, rate limits and signing wrapped around it.

Every client talks through a ProviderHttp: it owns the httpx.Client (with its explicit timeouts and an
injectable transport), asks the provider's ``auth`` hook for fresh headers on every attempt (Walmart's
signature carries a timestamp), reopens file bodies on every attempt (so a retried upload streams the
file again instead of holding it in memory), and turns answers into the errors of ``errors.py``.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx
from pydantic import TypeAdapter, ValidationError

from vidlint.clients.clock import Clock, SystemClock
from vidlint.clients.errors import (
    AuthError,
    ClientConfigError,
    ConnectionFailed,
    NotFound,
    ProviderError,
    RateLimited,
    ServerError,
    ValidationFailed,
)
from vidlint.clients.ratelimit import RateLimiter
from vidlint.clients.redact import install_log_filter, redact_text, redact_url
from vidlint.clients.retry import RetryPolicy, call_with_retry
from vidlint.model.report import Finding
from vidlint.remote.options import RemoteOptions

T = TypeVar("T")
AuthHook = Callable[[], Mapping[str, str]]
# Turns an error answer into (code, message) pairs in the provider's own words, and findings.
ErrorParser = Callable[[httpx.Response], tuple[tuple[str | None, str], tuple[Finding, ...]]]

DEFAULT_TIMEOUT = httpx.Timeout(connect=10.0, read=60.0, write=120.0, pool=10.0)
_SAFE_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
_NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


@dataclass(frozen=True)
class Upload:
    """A file part of a multipart body: opened afresh on every attempt and streamed by httpx."""

    path: Path
    content_type: str
    filename: str | None = None


@dataclass
class HttpSettings:
    """Everything about how requests are made, independent of the provider."""

    timeout: httpx.Timeout = field(default_factory=lambda: DEFAULT_TIMEOUT)
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    clock: Clock = field(default_factory=SystemClock)
    transport: httpx.BaseTransport | None = None
    # How the pre-flight reads a URL source. Clients run server-side, on URLs their users submit:
    # private, loopback and link-local addresses are refused unless the caller opts out
    # (e.g. RemoteOptions() for a sandbox on 127.0.0.1).
    url_check: RemoteOptions = field(default_factory=RemoteOptions.server_side)


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header: delta-seconds (fractions accepted) or an HTTP-date."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _part(up: Upload, stack: ExitStack) -> tuple[str, Any, str]:
    return (up.filename or up.path.name, stack.enter_context(up.path.open("rb")), up.content_type)


def _default_error_parser(response: httpx.Response) -> tuple[tuple[str | None, str], tuple[Finding, ...]]:
    return (None, response.reason_phrase or f"HTTP {response.status_code}"), ()


class ProviderHttp:
    def __init__(
        self,
        provider: str,
        base_url: str,
        *,
        auth: AuthHook | None = None,
        settings: HttpSettings | None = None,
        error_parser: ErrorParser | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        install_log_filter()
        self.provider = provider
        self.settings = settings or HttpSettings()
        self._auth = auth
        self._parse_error = error_parser or _default_error_parser
        self._client = httpx.Client(
            base_url=base_url,
            timeout=self.settings.timeout,
            transport=self.settings.transport,
            headers=dict(headers or {}),
        )

    @property
    def clock(self) -> Clock:
        return self.settings.clock

    def close(self) -> None:
        self._client.close()

    def same_origin(self, url: str) -> bool:
        """Whether ``url`` (a link the provider handed back) points at the provider's own host."""
        other, base = httpx.URL(url), self._client.base_url
        return (other.scheme, other.host, other.port) == (base.scheme, base.host, base.port)

    def __repr__(self) -> str:
        return f"ProviderHttp({self.provider!r}, {redact_url(self._client.base_url)!r})"

    def call(self, method: str, url: str, *, idempotent: bool | None = None, **kwargs: Any) -> httpx.Response:
        """:meth:`attempt` under the retry policy. Non-idempotent calls that need a duplicate check
        use :meth:`retrying` with their own ``recover`` instead."""
        safe = method.upper() in _SAFE_METHODS if idempotent is None else idempotent
        what = f"{self.provider} {method.upper()} {redact_url(url)}"
        return self.retrying(lambda: self.attempt(method, url, **kwargs), idempotent=safe, what=what)

    def retrying(
        self,
        op: Callable[[], T],
        *,
        idempotent: bool,
        recover: Callable[[], T | None] | None = None,
        what: str = "request",
    ) -> T:
        policy, clock = self.settings.retry, self.clock
        return call_with_retry(
            op, policy=policy, clock=clock, idempotent=idempotent, recover=recover, what=what
        )

    def attempt(
        self,
        method: str,
        url: str,
        *,
        limiter: RateLimiter | None = None,
        body_path: Path | None = None,
        files: Mapping[str, Upload] | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        """One request, after the rate limiter; ``body_path`` and ``files`` are streamed from disk."""
        if limiter is not None:
            limiter.acquire()
        with ExitStack() as stack:
            if body_path is not None:
                kwargs["content"] = stack.enter_context(body_path.open("rb"))
            if files is not None:
                kwargs["files"] = {name: _part(up, stack) for name, up in files.items()}
            return self.send(method, url, **kwargs)

    def send(self, method: str, url: str, *, authenticated: bool = True, **kwargs: Any) -> httpx.Response:
        """One attempt. A 2xx answer is returned; anything else raises a typed ProviderError."""
        headers = dict(kwargs.pop("headers", None) or {})
        if authenticated and self._auth is not None:
            headers.update(self._auth())
        where = f"{method.upper()} {redact_url(url)}"
        try:
            response = self._client.request(method, url, headers=headers, **kwargs)
        except httpx.UnsupportedProtocol:
            raise ClientConfigError(f"{self.provider}: {where}: not an http(s) URL") from None
        except httpx.TransportError as exc:
            detail = redact_text(str(exc)) or type(exc).__name__
            raise ConnectionFailed(
                f"{self.provider}: {where}: {type(exc).__name__}: {detail}",
                provider=self.provider,
                maybe_processed=not isinstance(exc, _NEVER_SENT),
            ) from None
        if response.is_success:
            return response
        raise self._error_for(response, where)

    def _error_for(self, response: httpx.Response, where: str) -> ProviderError:
        status = response.status_code
        (code, message), findings = self._safe_parse(response)
        text = f"{self.provider}: {where}: HTTP {status}: {message}"
        kw: dict[str, Any] = {"provider": self.provider, "code": code, "status": status, "findings": findings}
        if status == 429:
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            return RateLimited(text, provider=self.provider, retry_after_s=retry_after)
        if status in (401, 403):
            return AuthError(text, **kw)
        if status == 404:
            return NotFound(text, **kw)
        if status >= 500:
            return ServerError(text, **kw)
        if status in (400, 409, 413, 415, 422):
            return ValidationFailed(text, **kw)
        return ProviderError(text, **kw)

    def _safe_parse(self, response: httpx.Response) -> tuple[tuple[str | None, str], tuple[Finding, ...]]:
        try:
            response.read()
            return self._parse_error(response)
        except (ValueError, ValidationError, httpx.HTTPError):
            return _default_error_parser(response)


def decode(adapter: TypeAdapter[T], response: httpx.Response, provider: str) -> T:
    """The response body as a typed model; a malformed answer is a ProviderError, never a traceback."""
    try:
        return adapter.validate_json(response.content)
    except ValidationError as exc:
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid"}
        where = ".".join(str(p) for p in first["loc"]) or "body"
        raise ProviderError(
            f"{provider}: unexpected answer from {redact_url(response.request.url)}: {where}: {first['msg']}",
            provider=provider,
            code="UNEXPECTED_RESPONSE",
            status=response.status_code,
        ) from None
