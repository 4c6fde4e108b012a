"""Keep secrets out of logs, reprs and exceptions.

Signed upload URLs carry their credential in the query string (Azure SAS ``sig=``), so every URL that
reaches a message or a log record goes through :func:`redact_url` first. httpx logs each request's
URL at INFO level: :func:`install_log_filter` rewrites those records before any handler sees them.
Text that might echo a known secret (an exception's message, a provider's error body) goes through
:func:`mask_secrets`; header names that carry credentials are recognised by :func:`secret_header`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_SENSITIVE = re.compile(r"sig|sign|token|key|secret|pass|auth|cred|session|code", re.IGNORECASE)
# Header names whose values are credentials (Authorization, WM_SEC.AUTH_SIGNATURE, X-Api-Key, Cookie...).
_SECRET_HEADER = re.compile(r"auth|token|secret|sig|pass|cookie|session|cred|api[-_.]?key", re.IGNORECASE)
_MIN_SECRET = 4  # a shorter "secret" (a placeholder) is not masked: it would hit ordinary words
_MIN_PIECE = 8  # the same for the words of a secret masked on their own
_URL_IN_TEXT = re.compile(r"https?://[^\s\"'<>]+")
_QUERY_PAIR = re.compile(r"([?&])([^=&\s\"'#]+)=([^&\s\"'#]*)")
REDACTED = "***"


def redact_url(url: object) -> str:
    """The URL with user-info dropped and the values of credential-like query parameters masked."""
    parts = urlsplit(str(url))
    host = parts.netloc.rsplit("@", 1)[-1]
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    query = urlencode([(k, REDACTED if _SENSITIVE.search(k) else v) for k, v in pairs], safe="*")
    return urlunsplit((parts.scheme, host, parts.path, query, ""))


def redact_text(text: str) -> str:
    """Every URL inside ``text`` redacted, and credential-like query pairs of bare request targets."""
    text = _URL_IN_TEXT.sub(lambda m: redact_url(m.group(0)), text)
    return _QUERY_PAIR.sub(lambda m: f"{m[1]}{m[2]}={REDACTED}" if _SENSITIVE.search(m[2]) else m[0], text)


def sensitive_name(name: str) -> bool:
    """Whether a query parameter of this name carries a credential (its value is masked)."""
    return _SENSITIVE.search(name) is not None


def secret_header(name: str) -> bool:
    """Whether a header of this name carries a credential (its value is masked)."""
    return _SECRET_HEADER.search(name) is not None


def mask_secrets(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every occurrence of each secret, and of each long word of one, replaced by ``***``.

    The words catch a token quoted without its scheme (``Bearer``) and the lines of a PEM key."""
    pieces: set[str] = set()
    for secret in secrets:
        if len(secret) < _MIN_SECRET:
            continue
        pieces.add(secret)
        pieces.update(word for word in secret.split() if len(word) >= _MIN_PIECE)
        pieces.update(repr(word)[1:-1] for word in list(pieces) if len(word) >= _MIN_PIECE)  # escaped forms
    for piece in sorted(pieces, key=len, reverse=True):
        text = text.replace(piece, REDACTED)
    return text


class _RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact_text(str(a)) if "://" in str(a) else a for a in record.args)
        elif isinstance(record.msg, str):
            record.msg = redact_text(record.msg)
        return True


_FILTER = _RedactingFilter()


def install_log_filter() -> None:
    """Attach the redacting filter to httpx's logger (idempotent)."""
    # httpx logs every request on the "httpx" logger itself (filters do not apply to child loggers'
    # records, and vidlint's own messages redact their URLs where they are built).
    logger = logging.getLogger("httpx")
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)
