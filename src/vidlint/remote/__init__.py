"""Checking a video by URL before a marketplace downloads it.

Entry points:

- ``fetch_facts(url, options=None) -> MediaFacts``: the same facts as a local probe, read through
  HTTP Range requests (a few hundred KiB for a faststart MP4 whatever its size), with
  ``facts.fetch`` saying what happened (outcome ok | invalid_url | failed | timeout | blocked).
- ``RemoteOptions``: time budget, byte cap, redirects, private-address blocking, oEmbed endpoints.
  ``RemoteOptions.server_side()`` turns private-address blocking on, for servers that check URLs
  submitted by users.
- ``classify_link(url) -> (link_kind, platform)``: file | platform | page | unknown, from the URL alone.
- ``is_url(source)``: whether a CLI/API source string should go to this layer rather than to the file probe.
"""

from __future__ import annotations

from vidlint.remote.fetch import fetch_facts
from vidlint.remote.links import MEDIA_EXTENSIONS, PLATFORM_HOSTS, LinkKind, classify_link, url_extension
from vidlint.remote.options import DEFAULT_OEMBED_ENDPOINTS, RemoteOptions
from vidlint.remote.reader import RangeReader
from vidlint.remote.urls import is_url, url_problem

__all__ = [
    "DEFAULT_OEMBED_ENDPOINTS",
    "MEDIA_EXTENSIONS",
    "PLATFORM_HOSTS",
    "LinkKind",
    "RangeReader",
    "RemoteOptions",
    "classify_link",
    "fetch_facts",
    "is_url",
    "url_extension",
    "url_problem",
]
