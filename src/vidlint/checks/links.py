"""URL sources: what fetching them gave (the download's outcome, the link's kind, the platform's answer).

These checks read ``MediaFacts.fetch`` (set for URL sources only) and pass for local files. Each
passes when the fetch did not get far enough for it to judge, so the order of rules never makes
one of them speak about something another rule owns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from vidlint.checks.base import Fail, MinLen, Params, check_kind
from vidlint.checks.files import unreadable_reason
from vidlint.model.facts import MediaFacts

Outcome = Literal["invalid_url", "failed", "timeout", "blocked"]


def unverifiable(facts: MediaFacts) -> bool:
    """Only part of the source could be read and it holds no readable video: its format is unknown.

    A web page is known from its first bytes, so it is never unverifiable.
    """
    page = facts.fetch is not None and facts.fetch.link_kind == "page"
    return facts.partial and not page and unreadable_reason(facts) is not None


@dataclass(frozen=True, kw_only=True)
class FetchOutcomeParams(Params):
    outcomes: Annotated[list[Outcome], MinLen(1)]
    """the outcomes that fail"""

    def describe(self, unit: str) -> str:
        return "a URL that can be downloaded (not: " + ", ".join(self.outcomes) + ")"


@check_kind("fetch_outcome", FetchOutcomeParams)
def fetch_outcome(value: object, p: FetchOutcomeParams) -> Fail | None:
    """Fails when reading the URL source ended in one of ``outcomes``, with the reason as ``actual``.

    Outcomes: "invalid_url" (not an http(s) URL vidlint can request), "failed" (refused, DNS, TLS,
    an HTTP error status, a connection that broke, too many redirects), "timeout" (the time budget,
    RemoteOptions.timeout_s, ran out) and "blocked" (a private address, when blocking is on).
    Example: ``params = {outcomes = ["failed", "blocked"]}``: a URL answering 404 fails with
    "the server answered HTTP 404 Not Found"; a URL that answers 206 passes. Field: the whole source.
    """
    if not isinstance(value, MediaFacts):
        return Fail(type(value).__name__)
    fetch = value.fetch
    if fetch is None or fetch.outcome == "ok" or fetch.outcome not in p.outcomes:
        return None
    return Fail(fetch.error or fetch.outcome)


@dataclass(frozen=True, kw_only=True)
class VideoLinkParams(Params):
    def describe(self, unit: str) -> str:
        return "a link to a video: a video page on a platform, or a video file"


@check_kind("video_link", VideoLinkParams)
def video_link(value: object, p: VideoLinkParams) -> Fail | None:
    """Passes for a link to a video: one video's page on a platform, or a file whose content is video.

    Fails for a web page (an HTML answer; a platform's channel, search or home page) and for a file
    whose content is not video (text, an image, an empty file). A fetch that failed, and a partial
    read that found no video, pass: the download and "could not verify" rules speak for them.
    Example: "https://www.youtube.com/watch?v=..." and a URL serving an MP4 pass;
    "https://www.youtube.com/@shop" and a URL serving a JPEG fail. Field: the whole source.
    """
    if not isinstance(value, MediaFacts):
        return Fail(type(value).__name__)
    fetch = value.fetch
    if fetch is not None and fetch.outcome != "ok":
        return None
    if fetch is not None and fetch.link_kind == "page":
        return Fail("a web page" + (f" on {fetch.platform}" if fetch.platform else "") + ", not a video")
    if (fetch is not None and fetch.link_kind == "platform") or unverifiable(value):
        return None
    return None if value.kind == "video" else Fail(f"{value.kind} content, not a video")


@dataclass(frozen=True, kw_only=True)
class PlatformParams(Params):
    def describe(self, unit: str) -> str:
        return "a video anyone can view"


@check_kind("platform_available", PlatformParams)
def platform_available(value: object, p: PlatformParams) -> Fail | None:
    """Fails when the video platform says the linked video is private or removed.

    The platform's public oEmbed endpoint answers (fetch.platform_available false). A link that
    could not be checked (offline, no answer) passes here: see ``verified``. Field: the whole source.
    """
    if not isinstance(value, MediaFacts):
        return Fail(type(value).__name__)
    fetch = value.fetch
    if fetch is None or fetch.outcome != "ok" or fetch.platform_available is not False:
        return None
    return Fail(fetch.error or f"{fetch.platform or 'the platform'} says the video is not available")


@dataclass(frozen=True, kw_only=True)
class VerifiedParams(Params):
    platform_links: bool = True
    """a platform link whose availability could not be checked fails"""
    partial_reads: bool = True
    """a partial read (no Range support, byte cap) without a readable video fails"""

    def describe(self, unit: str) -> str:
        checked = [
            *(["the platform answered for the link"] if self.platform_links else []),
            *(["the video's index could be read"] if self.partial_reads else []),
        ]
        return " and ".join(checked) or "nothing to verify"


@check_kind("verified", VerifiedParams)
def verified(value: object, p: VerifiedParams) -> Fail | None:
    """Fails when vidlint could not verify a URL source: meant for a warning, never a verdict.

    ``platform_links``: a video platform link whose availability could not be checked (offline,
    a timeout, an unexpected answer, no oEmbed endpoint for that platform). ``partial_reads``: only
    part of the file could be read (the server ignores Range requests, or the byte cap) and no
    readable video was found in it, so its format can be neither passed nor failed.
    Example: ``params = {platform_links = false}``: a YouTube link checked offline passes; a
    moov-at-end MP4 from a server without Range support, cut by the byte cap, fails.
    """
    if not isinstance(value, MediaFacts):
        return Fail(type(value).__name__)
    fetch = value.fetch
    if fetch is None or fetch.outcome != "ok":
        return None
    if p.platform_links and fetch.link_kind == "platform" and fetch.platform_available is None:
        return Fail(fetch.error or f"could not verify the {fetch.platform or 'platform'} link")
    if p.partial_reads and unverifiable(value):
        return Fail(value.error or "partial read: the video's index was not reached")
    return None


@dataclass(frozen=True, kw_only=True)
class NotRedirectedParams(Params):
    def describe(self, unit: str) -> str:
        return "a URL that answers without redirects"


@check_kind("not_redirected", NotRedirectedParams)
def not_redirected(value: object, p: NotRedirectedParams) -> Fail | None:
    """Fails when reading the URL source followed a redirect, with where it led as ``actual``.

    For marketplaces that fetch a URL without following redirects (a 301, 302, 303, 307 or 308
    answer is a failure to them). A fetch that failed, and a local file, pass: the download rule
    speaks for them. Example: a URL answering 302 to https://cdn.example.com/v.mp4 fails with
    "redirected to https://cdn.example.com/v.mp4"; one answering 206 at once passes.
    Field: the whole source.
    """
    if not isinstance(value, MediaFacts):
        return Fail(type(value).__name__)
    fetch = value.fetch
    if fetch is None or fetch.outcome != "ok" or fetch.final_url in (None, fetch.url):
        return None
    return Fail(f"redirected to {fetch.final_url}")
