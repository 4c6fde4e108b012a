"""The clients' exceptions: a small typed tree, each with the provider's own code where it gave one.

Messages never contain credentials, signatures or signed URLs: they are built from redacted parts only.
"""

from __future__ import annotations

from vidlint.errors import ConfigError, VidlintError
from vidlint.model.report import Finding, Report


class PreflightFailed(VidlintError):
    """The file fails the marketplace's rules, so nothing was sent. ``report`` holds the findings."""

    def __init__(self, report: Report) -> None:
        self.report = report
        codes = ", ".join(sorted(f.code for f in report.findings if f.severity == "error"))
        super().__init__(f"{report.source} fails {report.marketplace} pre-flight ({codes}); nothing was sent")


class ProviderError(VidlintError):
    """The provider answered with an error (or could not be reached). ``code`` is the provider's own."""

    def __init__(
        self,
        message: str,
        *,
        provider: str,
        code: str | None = None,
        status: int | None = None,
        findings: tuple[Finding, ...] = (),
    ) -> None:
        self.provider = provider
        self.code = code
        self.status = status
        self.findings = findings
        super().__init__(message)


class ValidationFailed(ProviderError):
    """The provider rejected the request's content (HTTP 400/422, or a FAILED processing verdict)."""


class AuthError(ProviderError):
    """Credentials missing, wrong, or without the needed permission (HTTP 401/403)."""


class RateLimited(ProviderError):
    """HTTP 429. ``retry_after_s`` is the provider's Retry-After, when it sent one."""

    def __init__(self, message: str, *, provider: str, retry_after_s: float | None = None) -> None:
        super().__init__(message, provider=provider, code="RATE_LIMITED", status=429)
        self.retry_after_s = retry_after_s


class ServerError(ProviderError):
    """HTTP 5xx: the provider failed; the request may or may not have taken effect."""


class ConnectionFailed(ProviderError):
    """No usable answer. ``maybe_processed`` is False only when the request surely never left."""

    def __init__(self, message: str, *, provider: str, maybe_processed: bool) -> None:
        super().__init__(message, provider=provider, code="CONNECTION_FAILED")
        self.maybe_processed = maybe_processed


class NotFound(ProviderError):
    """HTTP 404 for a resource the caller named."""


class LimitExceeded(ProviderError):
    """An account limit the provider documents (e.g. Sam's Club's 10 pending uploads, 200 videos)."""


class NotOffered(ProviderError):
    """The provider's API has no such operation (e.g. uploads to Shoplive)."""


class ClientConfigError(ConfigError):
    """Missing or malformed client configuration (credentials, base URL, publisher)."""
