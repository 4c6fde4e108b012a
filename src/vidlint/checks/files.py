"""Whole files: format and content, readable videos, images and captions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from vidlint.checks.base import Fail, Ge, MinLen, Params, check_kind
from vidlint.model.facts import MediaFacts

_BROKEN_INDEX = "broken index:"  # how the probe words an index that contradicts itself or its file
_TRUNCATED = "truncated: the data is shorter than its index declares"


def unreadable_reason(facts: MediaFacts) -> str | None:
    """Why a file is not a readable, complete video (None when it is one).

    The spec's gate: such a file gets the format error alone. A video whose index is broken (sample
    tables that do not fit, data outside the file) or whose data is cut short is neither readable nor
    complete, however much of its header reads: ffprobe cannot open it or decode its first frame.
    """
    if (page := _web_page(facts)) is not None:
        return page
    if facts.kind == "empty" or facts.size_bytes == 0:
        return "empty file (0 bytes)"
    if facts.kind != "video":
        return f"{facts.kind} content, not a video"
    error = facts.error or ""
    if not facts.readable and error.startswith(_BROKEN_INDEX):
        return error  # "broken index: the stts box of track 1 (vide) times 20 samples, ..."
    if not facts.readable or facts.main_video is None:
        return "no readable video track" + (f" ({error})" if error else "")
    if facts.truncated:  # the probe says where when it knows ("truncated: chunk 10 of track 1 ...")
        return error if error.startswith("truncated") else _TRUNCATED
    return None


def _web_page(facts: MediaFacts) -> str | None:
    """A URL source that led to a web page (a platform's video page, an HTML answer) rather than a file."""
    fetch = facts.fetch
    if fetch is None or fetch.outcome != "ok" or fetch.link_kind not in ("platform", "page"):
        return None
    what = "a video page" if fetch.link_kind == "platform" else "a web page"
    return what + (f" on {fetch.platform}" if fetch.platform else "") + ", not a video file"


@dataclass(frozen=True, kw_only=True)
class ExtensionContentParams(Params):
    allowed: Annotated[dict[str, list[str]], MinLen(1)]
    """extension -> containers, e.g. {".mp4" = ["mp4"], ".mov" = ["mov"]}"""

    def __post_init__(self) -> None:
        lowered = {ext.lower(): containers for ext, containers in self.allowed.items()}
        object.__setattr__(self, "allowed", lowered)

    def describe(self, unit: str) -> str:
        pairs = " or ".join(f"{ext} with {'/'.join(kinds)} content" for ext, kinds in self.allowed.items())
        return f"{pairs}; readable and complete"


@check_kind("extension_content_match", ExtensionContentParams)
def extension_content_match(value: object, p: ExtensionContentParams) -> Fail | None:
    """Passes for a readable, complete video whose extension is allowed and whose content matches it.

    Extensions compare case-insensitively; ``allowed`` maps each extension to the containers it
    may hold (the probe's names: "mp4" is ISO BMFF with a major brand other than "qt  ", "mov"
    is QuickTime). Empty, text and truncated files, and files without a readable video track,
    fail. Field: the whole file (leave ``field`` out).
    """
    if not isinstance(value, MediaFacts):
        return Fail(type(value).__name__)
    reason = unreadable_reason(value)
    problems = [reason] if reason else []
    containers = p.allowed.get(value.extension.lower())
    content = value.container or "unknown"
    if containers is None:
        problems.insert(0, f"extension {value.extension or '(none)'} with {content} content")
    elif not reason and value.container not in containers:
        problems.append(f"{value.extension} file with {content} content")
    return Fail("; ".join(problems)) if problems else None


@dataclass(frozen=True, kw_only=True)
class ContainerParams(Params):
    containers: Annotated[list[str], MinLen(1)]

    def describe(self, unit: str) -> str:
        return "a readable, complete " + "/".join(self.containers) + " video"


@check_kind("readable_video", ContainerParams)
def readable_video(value: object, p: ContainerParams) -> Fail | None:
    """Passes for a readable, complete video in one of ``containers``, whatever its extension.

    Example: ``params = {containers = ["mp4"]}``: MPEG-4 content passes (even named .mov);
    QuickTime, Matroska, text, empty and truncated files fail. Field: the whole file.
    """
    if not isinstance(value, MediaFacts):
        return Fail(type(value).__name__)
    if reason := unreadable_reason(value):
        return Fail(reason)
    return None if value.container in p.containers else Fail(f"{value.container or 'unknown'} content")


@dataclass(frozen=True, kw_only=True)
class ImageParams(Params):
    formats: Annotated[list[str], MinLen(1)]

    def describe(self, unit: str) -> str:
        return "a " + " or ".join(self.formats) + " image that decodes"


@check_kind("image_valid", ImageParams)
def image_valid(value: object, p: ImageParams) -> Fail | None:
    """Passes for an image that decodes and is in one of ``formats`` (the probe's names: png, jpeg).

    Judged by content, not by extension. Field: the whole file.
    """
    if not isinstance(value, MediaFacts):
        return Fail(type(value).__name__)
    image = value.image
    if value.size_bytes == 0 or value.kind == "empty":
        return Fail("empty file (0 bytes)")
    if image is None or image.format is None:
        return Fail(f"{value.kind} content, not an image")
    if not image.decodes:
        return Fail(f"{image.format} that does not decode" + (f" ({image.error})" if image.error else ""))
    return None if image.format in p.formats else Fail(f"{image.format} image")


@dataclass(frozen=True, kw_only=True)
class CaptionParams(Params):
    extensions: Annotated[list[str], MinLen(1)]
    min_cues: Annotated[int, Ge(0)] = 1

    def describe(self, unit: str) -> str:
        return " or ".join(self.extensions) + f" that parses, with at least {self.min_cues} cue(s)"


@check_kind("caption_valid", CaptionParams)
def caption_valid(value: object, p: CaptionParams) -> Fail | None:
    """Passes for a caption file with one of ``extensions`` that parses, with at least ``min_cues``.

    Example: ``params = {extensions = [".srt", ".vtt"], min_cues = 1}``: a good SRT passes; a
    WebVTT file without its header, an empty .srt or a .txt fail. Field: the caption file.
    """
    if not isinstance(value, MediaFacts):
        return Fail(type(value).__name__)
    if value.extension.lower() not in [e.lower() for e in p.extensions]:
        return Fail(f"extension {value.extension or '(none)'}")
    caption = value.caption
    if value.size_bytes == 0 or value.kind == "empty":
        return Fail("empty file (0 bytes)")
    if caption is None:
        return Fail(f"{value.kind} content, not a caption")
    if not caption.parses:
        return Fail("does not parse" + (f": {caption.error}" if caption.error else ""))
    return None if caption.cue_count >= p.min_cues else Fail(f"{caption.cue_count} cues")
