"""What a link points at, from the URL alone: a video platform, a media file, a web page, or unknown.

``PLATFORM_HOSTS`` is data: a rule pack (or RemoteOptions.platform_hosts) may extend it. Which of
these platforms a marketplace accepts is the rule pack's business, not this module's.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from typing import Literal
from urllib.parse import unquote, urlsplit

LinkKind = Literal["file", "platform", "page", "unknown"]

PLATFORM_HOSTS: Mapping[str, tuple[str, ...]] = {
    "youtube": ("youtube.com", "youtu.be", "youtube-nocookie.com"),
    "vimeo": ("vimeo.com",),
    "dailymotion": ("dailymotion.com", "dai.ly"),
    "tiktok": ("tiktok.com",),
    "instagram": ("instagram.com",),
    "facebook": ("facebook.com", "fb.watch"),
    "twitter": ("twitter.com", "x.com"),
    "wistia": ("wistia.com", "wistia.net", "wi.st"),
    "twitch": ("twitch.tv",),
    "loom": ("loom.com",),
    "streamable": ("streamable.com",),
    "rutube": ("rutube.ru",),
    "vk": ("vk.com", "vkvideo.ru"),
}

# Paths that name one video; any other path on these hosts is a channel, search or home page.
_VIDEO_PATHS: Mapping[str, re.Pattern[str]] = {
    "youtube": re.compile(r"^/(watch/?|(shorts|embed|live|v)/[\w-]{6,}/?)$"),
    "youtu.be": re.compile(r"^/[\w-]{6,}/?$"),
    "vimeo": re.compile(r"^/(\d+|video/\d+|channels/[\w-]+/\d+|groups/[\w-]+/videos/\d+)(/[\w-]+)?/?$"),
}

MEDIA_EXTENSIONS = frozenset(
    {".mp4", ".mov", ".m4v", ".webm", ".mkv", ".avi", ".3gp", ".mpg", ".mpeg", ".ts", ".flv", ".wmv", ".ogv"}
)
PAGE_EXTENSIONS = frozenset({".html", ".htm", ".php", ".asp", ".aspx", ".jsp"})


def platform_of(host: str, hosts: Mapping[str, tuple[str, ...]] = PLATFORM_HOSTS) -> str | None:
    """The platform whose domain (or a subdomain of it) ``host`` is, or None."""
    host = host.lower().rstrip(".")
    for platform, domains in hosts.items():
        if any(host == d or host.endswith("." + d) for d in domains):
            return platform
    return None


def url_extension(url: str) -> str:
    """Lower-case extension of the URL's path (".mp4"), "" when it has none. Query strings are ignored."""
    try:
        path = unquote(urlsplit(url).path)
    except ValueError:
        return ""
    return posixpath.splitext(posixpath.basename(path))[1].lower()


def classify_link(
    url: str, hosts: Mapping[str, tuple[str, ...]] = PLATFORM_HOSTS
) -> tuple[LinkKind, str | None]:
    """``(link_kind, platform)`` judged from the URL alone, without any network access.

    A video on a known platform is ``("platform", "youtube")``; another page on a platform host (a
    channel, a search) is ``("page", "youtube")``; a path ending in a media extension is
    ``("file", None)``; an HTML-like path or the site root is ``("page", None)``; anything else
    ``("unknown", None)``, which only fetching can settle.
    """
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return "unknown", None
    platform = platform_of(host, hosts)
    if platform is not None:
        return _platform_kind(platform, host, parts.path, parts.query), platform
    extension = url_extension(url)
    if extension in MEDIA_EXTENSIONS:
        return "file", None
    if extension in PAGE_EXTENSIONS or parts.path in ("", "/"):
        return "page", None
    return "unknown", None


def _platform_kind(platform: str, host: str, path: str, query: str) -> LinkKind:
    short_host = host.lower().rstrip(".").endswith("youtu.be")
    pattern = _VIDEO_PATHS.get("youtu.be" if short_host else platform)
    if pattern is None:
        return "platform"  # no path rules known: trust the host
    if not pattern.match(path):
        return "page"
    if path.startswith("/watch") and "v=" not in query:
        return "page"
    return "platform"
