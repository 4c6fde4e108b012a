"""Downloads the sandboxes make when a provider takes a URL (Trendyol, Ecwid, Akinon's ERP images)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urlsplit

import httpx

Failure = Literal["invalid_url", "timeout", "failed", "unavailable", "too_large"]


@dataclass(frozen=True)
class Download:
    path: Path | None
    failure: Failure | None = None
    status: int | None = None
    content_type: str | None = None


def is_http_url(url: object) -> bool:
    if not isinstance(url, str):
        return False
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in url


def file_name(url: str, default: str = "download") -> str:
    """The URL's last path segment, made safe to use as a local file name."""
    name = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
    name = re.sub(r"[^A-Za-z0-9._-]", "_", name).lstrip(".")
    return name or default


def download(url: str, target_dir: Path, *, timeout_s: float, max_bytes: int) -> Download:
    """GET ``url`` into ``target_dir``. A size header over ``max_bytes`` stops it before the body."""
    if not is_http_url(url):
        return Download(None, "invalid_url")
    target = target_dir / file_name(url)
    try:
        with httpx.stream("GET", url, timeout=timeout_s, follow_redirects=True) as response:
            kind = response.headers.get("Content-Type")
            if response.status_code in (401, 403, 404, 410):
                return Download(None, "unavailable", response.status_code, kind)
            if not response.is_success:
                return Download(None, "failed", response.status_code, kind)
            if int(response.headers.get("Content-Length") or 0) > max_bytes:
                return Download(None, "too_large", response.status_code, kind)
            with target.open("wb") as out:
                for chunk in response.iter_bytes():
                    out.write(chunk)
                    if out.tell() > max_bytes:
                        return Download(None, "too_large", response.status_code, kind)
            return Download(target, None, response.status_code, kind)
    except httpx.TimeoutException:
        return Download(None, "timeout")
    except httpx.HTTPError:
        return Download(None, "failed")
