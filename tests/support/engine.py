"""Helpers of the rule tests (tests/engine, api, checks, packs, run): facts built directly (no probe),
the shared data files, TOML tables.

The data stays beside the engine tests (tests/engine/data, spec_cases.toml, sample_codes.toml);
every folder reaches it through the paths below (``from support.engine import ...``: pytest puts
``tests/`` on ``sys.path``, see support/__init__.py).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from support.media import MARKETPLACES as MARKETPLACES
from support.media import ROOT as ROOT
from support.media import SAMPLES as SAMPLES
from vidlint.model.facts import MediaFacts, adapter

ENGINE_TESTS = ROOT / "tests" / "engine"
DATA = ENGINE_TESTS / "data"
CUSTOM_PACK = DATA / "custom_pack.toml"  # a user's own pack ("shopfast")
SPEC_CASES = ENGINE_TESTS / "spec_cases.toml"
SAMPLE_CODES = ENGINE_TESTS / "sample_codes.toml"
RULES = ROOT / "rules"

GOOD_TRACK: dict[str, Any] = {
    "codec": "h264",
    "stored_width": 1920,
    "stored_height": 1080,
    "sample_aspect_ratio": 1.0,
    "rotation_cw": 0,
    "frame_rate": 25.0,
}
GOOD_VIDEO: dict[str, Any] = {
    "path": "clip.mp4",
    "size_bytes": 8_000_000,
    "extension": ".mp4",
    "kind": "video",
    "content_type": "video/mp4",
    "container": "mp4",
    "major_brand": "isom",
    "readable": True,
    "truncated": False,
    "fragmented": False,
    "faststart": True,
    "duration_s": 10.0,
    "backend": "test",
}


def video_facts(spec: Mapping[str, Any] | None = None, **changes: Any) -> MediaFacts:
    """A passing 1080p H.264/AAC 10 s MP4, changed by ``spec``/``changes``.

    Special keys: ``video`` (a dict merged into the one video track, or false for no track) and
    ``audio`` (a list of codec names; [] for no audio track).
    """
    wanted = {**(spec or {}), **changes}
    video = wanted.pop("video", {})
    audio = wanted.pop("audio", ["aac"])
    data = {**GOOD_VIDEO, **wanted}
    data["video"] = [] if video is False else [{**GOOD_TRACK, **video}]
    data["audio"] = [{"codec": codec} for codec in audio]
    return facts_of(**data)


def facts_of(**data: Any) -> MediaFacts:
    """MediaFacts from plain data (nested dicts and lists), validated as data from outside is."""
    return adapter(MediaFacts).validate_python(data)


def caption_facts(
    extension: str = ".srt", *, parses: bool = True, cues: int = 2, size_bytes: int = 120
) -> MediaFacts:
    fmt = extension.lower().lstrip(".")
    return facts_of(
        path=f"clip{extension}",
        size_bytes=size_bytes,
        extension=extension.lower(),
        kind="caption" if size_bytes else "empty",
        container=fmt if fmt in ("srt", "vtt") else None,
        caption=None
        if not size_bytes
        else {"format": fmt if fmt in ("srt", "vtt") else None, "parses": parses, "cue_count": cues},
    )


def image_facts(extension: str = ".png", *, fmt: str | None = "png", decodes: bool = True) -> MediaFacts:
    return facts_of(
        path=f"picture{extension}",
        size_bytes=4096,
        extension=extension,
        kind="image" if fmt else "text",
        container=fmt,
        image={"format": fmt, "decodes": decodes, "width": 64, "height": 64} if fmt else None,
    )


def read_toml(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


URL = "https://cdn.example.com/clip.mp4"
GOOD_FETCH: dict[str, Any] = {
    "url": URL,
    "outcome": "ok",
    "http_status": 206,
    "content_length": 8_000_000,
    "bytes_transferred": 40_000,
    "range_supported": True,
    "link_kind": "file",
}


def url_facts(
    spec: Mapping[str, Any] | None = None, *, fetch: Mapping[str, Any] | None = None, **changes: Any
) -> MediaFacts:
    """The passing clip of ``video_facts``, read from a URL; ``fetch`` changes the fetch facts."""
    return video_facts(spec, **{"path": URL, **changes, "fetch": {**GOOD_FETCH, **(fetch or {})}})


def unread_url(outcome: str, error: str = "the server answered HTTP 404", **fetch: Any) -> MediaFacts:
    """A URL that could not be read: what the remote layer gives (no tracks, kind unknown)."""
    return facts_of(
        path=URL,
        size_bytes=fetch.get("content_length"),
        extension=".mp4",
        kind="unknown",
        error=error,
        fetch={"url": URL, "outcome": outcome, "error": error, "link_kind": "file", **fetch},
    )


def platform_link(
    available: bool | None, platform: str = "youtube", link_kind: str = "platform"
) -> MediaFacts:
    """A video platform link: never downloaded, availability from the platform's oEmbed answer."""
    url = "https://www.youtube.com/watch?v=abcdefgh"
    notes = {True: None, False: f"{platform} says the video is private", None: "could not verify"}
    note = notes[available]
    return facts_of(
        path=url,
        size_bytes=None,
        extension="",
        kind="unknown",
        fetch={
            "url": url,
            "outcome": "ok",
            "link_kind": link_kind,
            "platform": platform,
            "platform_available": available,
            "error": note,
        },
    )
