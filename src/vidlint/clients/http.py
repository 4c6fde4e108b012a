"""One HTTP attempt and its outcome as a typed error; retries, rate limits and signing wrapped around it.

Every client talks through a ProviderHttp: it owns the httpx.Client (with its explicit timeouts and an
injectable transport), asks the provider's ``auth`` hook for fresh headers on every attempt (Walmart's
signature carries a timestamp), reopens file bodies on every attempt (so a retried upload streams the
file again instead of holding it in memory), and turns answers into the errors of ``errors.py``.

A request that cannot be sent as built (a header value with a line break or a non-ASCII character, an
invalid URL) raises ClientConfigError before anything goes out: it is never retried, since it would fail
the same way again, and its message names the header, never the value. Every message built here masks
the client's secrets and the values of the attempt's auth headers, whatever the provider or a library
echoes back.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable, Iterable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
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
from vidlint.clients.redact import install_log_filter, mask_secrets, redact_text, redact_url
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
# Raised while the request is being built or its head encoded: nothing usable went out, and a retry
# would fail the same way (h11 refuses a header value with a line break; httpx encodes headers as ASCII).
_CANNOT_SEND = (httpx.LocalProtocolError, httpx.InvalidURL, UnicodeError)
_TOKEN_CHARS = frozenset("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


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


def unsendable_header(headers: Mapping[str, str]) -> str | None:
    """The name of the first header HTTP/1.1 cannot carry as given (a bad name, or a value with a control
    character, a line break, surrounding blanks or a non-ASCII character), None when all can go."""
    for name, value in headers.items():
        if not name or not set(name) <= _TOKEN_CHARS:
            return "".join(ch if ch in _TOKEN_CHARS else "?" for ch in name) or "(empty name)"
        if value != value.strip(" \t") or any(not (" " <= ch <= "~") and ch != "\t" for ch in value):
            return name
    return None


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
        secrets: Iterable[str] = (),
    ) -> None:
        install_log_filter()
        self.provider = provider
        self.settings = settings or HttpSettings()
        self._auth = auth
        self._secrets = tuple(secrets)  # masked in every message, with each attempt's auth header values
        self._headers = dict(headers or {})
        self._parse_error = error_parser or _default_error_parser
        self._client = httpx.Client(
            base_url=base_url,
            timeout=self.settings.timeout,
            transport=self.settings.transport,
            headers=self._headers,
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
        """One attempt. A 2xx answer is returned; anything else raises a typed ProviderError, and a request
        that cannot be sent as built a ClientConfigError (before anything goes out)."""
        headers = dict(kwargs.pop("headers", None) or {})
        secrets = list(self._secrets)
        if authenticated and self._auth is not None:
            auth = dict(self._auth())
            secrets.extend(auth.values())
            headers.update(auth)
        where = f"{method.upper()} {redact_url(url)}"
        bad = unsendable_header({**self._headers, **headers})
        if bad is not None:
            raise ClientConfigError(
                f"{self.provider}: {where}: the {bad} header has a line break, control or non-ASCII "
                "character, or surrounding blanks; nothing was sent (check the credentials it is made of)"
            )
        try:
            response = self._client.request(method, url, headers=headers, **kwargs)
        except httpx.UnsupportedProtocol:
            raise ClientConfigError(f"{self.provider}: {where}: not an http(s) URL") from None
        except _CANNOT_SEND as exc:
            raise ClientConfigError(
                f"{self.provider}: {where}: the request cannot be sent as built ({type(exc).__name__}); "
                "nothing usable was sent and it is not retried"
            ) from None
        except httpx.TransportError as exc:
            detail = mask_secrets(redact_text(str(exc)), secrets) or type(exc).__name__
            raise ConnectionFailed(
                f"{self.provider}: {where}: {type(exc).__name__}: {detail}",
                provider=self.provider,
                maybe_processed=not isinstance(exc, _NEVER_SENT),
            ) from None
        if response.is_success:
            return response
        raise self._error_for(response, where, secrets)

    def _error_for(self, response: httpx.Response, where: str, secrets: Iterable[str]) -> ProviderError:
        status = response.status_code
        (code, message), findings = self._safe_parse(response)
        text = mask_secrets(f"{self.provider}: {where}: HTTP {status}: {redact_text(message)}", secrets)
        findings = tuple(replace(f, message=mask_secrets(f.message, secrets)) for f in findings)
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
