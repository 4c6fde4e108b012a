"""Is a string an http(s) URL a marketplace could download? Syntax and scheme only, no network."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import SplitResult, urlsplit

import httpx

from vidlint.model.source import is_url as is_url

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def url_problem(url: str) -> str | None:
    """One line saying why ``url`` is not a valid http(s) URL, or None when it is."""
    if not url.strip():
        return "the URL is empty"
    if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in url):
        return "the URL contains spaces or control characters"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError as exc:
        return f"the URL is malformed ({exc})"
    if parts.scheme.lower() not in ("http", "https"):
        return "the URL must start with http:// or https://"
    return _host_problem(parts) or _httpx_problem(url)


def _host_problem(parts: SplitResult) -> str | None:
    host = parts.hostname
    if not host:
        return "the URL has no host name"
    try:
        ipaddress.ip_address(host)
        return None
    except ValueError:
        pass
    try:
        ascii_host = host.rstrip(".").encode("idna").decode("ascii")
    except UnicodeError:
        return f"the host name {host!r} is not valid"
    labels = ascii_host.split(".")
    if len(ascii_host) > 253 or not all(_LABEL.match(label) for label in labels):
        return f"the host name {host!r} is not valid"
    return None


def _httpx_problem(url: str) -> str | None:
    try:
        httpx.URL(url)
    except (httpx.InvalidURL, ValueError) as exc:
        return f"the URL is malformed ({exc})"
    return None
