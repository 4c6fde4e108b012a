"""Keep secrets out of logs, reprs and exceptions.

Signed upload URLs carry their credential in the query string (Azure SAS ``sig=``), so every URL that
reaches a message or a log record goes through :func:`redact_url` first. httpx logs each request's
URL at INFO level: :func:`install_log_filter` rewrites those records before any handler sees them.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_SENSITIVE = re.compile(r"sig|sign|token|key|secret|pass|auth|cred|session|code", re.IGNORECASE)
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
