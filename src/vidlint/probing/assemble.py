"""Turning the backends' parts into one MediaFacts: every decision about kind and readability lives here."""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlsplit

from vidlint.model.facts import CaptionFacts, ImageFacts, Kind, MediaFacts
from vidlint.probing.boxes import Layout
from vidlint.probing.index import IndexReport
from vidlint.probing.parts import StreamPart
from vidlint.probing.sniff import Sniff


@dataclass(frozen=True, slots=True)
class Source:
    path: str
    size_bytes: int | None

    @property
    def extension(self) -> str:
        path = urlsplit(self.path).path if "://" in self.path else self.path
        return os.path.splitext(os.path.basename(path))[1].lower()


def empty(source: Source, caption: CaptionFacts | None, image: ImageFacts | None) -> MediaFacts:
    return MediaFacts(
        path=source.path,
        size_bytes=source.size_bytes,
        extension=source.extension,
        kind="empty",
        content_type="application/x-empty",
        caption=caption,
        image=image,
        error="empty file",
    )


def caption(source: Source, sniff: Sniff, facts: CaptionFacts) -> MediaFacts:
    grammar = facts.format or ("vtt" if sniff.webvtt else None)
    return MediaFacts(
        path=source.path,
        size_bytes=source.size_bytes,
        extension=source.extension,
        kind="caption",
        content_type=sniff.content_type,
        container=grammar,
        caption=facts,
        backend="webvtt" if grammar == "vtt" else "srt",
        error=None if facts.parses else facts.error,
    )


def image(source: Source, sniff: Sniff, facts: ImageFacts) -> MediaFacts:
    is_image = sniff.image_format is not None or facts.decodes
    return MediaFacts(
        path=source.path,
        size_bytes=source.size_bytes,
        extension=source.extension,
        kind="image" if is_image else _plain_kind(sniff),
        content_type=sniff.content_type,
        container=(facts.format or sniff.image_format) if is_image else sniff.container,
        image=facts,
        backend="pillow",
        error=None if facts.decodes else facts.error,
    )


def text(source: Source, sniff: Sniff) -> MediaFacts:
    """Text that is neither a caption nor an image: nothing more to read."""
    return MediaFacts(
        path=source.path,
        size_bytes=source.size_bytes,
        extension=source.extension,
        kind="text",
        content_type=sniff.content_type,
        container=sniff.container,
        error=f"text, not a video ({sniff.content_type or 'unknown type'})",
    )


def video(
    source: Source,
    sniff: Sniff,
    layout: Layout | None,
    part: StreamPart,
    backend: str,
    index: IndexReport | None = None,
) -> MediaFacts:
    """Facts about audio/video content. ``index``: the moov's sample tables checked against the file's
    size; a broken table makes the file unreadable, data missing past the end makes it truncated, even
    where MediaInfo still reads a picture and a duration (ffprobe would say "Invalid data")."""
    container = sniff.container or part.container
    no_index = layout is not None and layout.moov is None
    broken = index.problem if index is not None else None
    readable = container is not None and part.has_picture and not no_index and broken is None
    truncation = layout.truncation if layout is not None else None
    if truncation is None and index is not None:
        truncation = index.truncation
    if truncation is None and part.truncated:
        truncation = "truncated: the data is shorter than the index declares"
    return MediaFacts(
        path=source.path,
        size_bytes=source.size_bytes,
        extension=source.extension,
        kind="video" if part.has_picture or sniff.video_container else _plain_kind(sniff),
        content_type=sniff.content_type,
        container=container,
        major_brand=sniff.major_brand,
        readable=readable,
        truncated=truncation is not None,
        fragmented=layout.fragmented if layout is not None else False,
        faststart=layout.faststart if layout is not None else None,
        edit_list=index.edit_list if index is not None and layout is not None else None,
        duration_s=part.duration_s,
        video=tuple(v for v in part.video if v.stored_width > 0 and v.stored_height > 0),
        audio=part.audio,
        backend=backend,
        error=_video_error(readable, container, part, truncation or broken, sniff),
    )


def _video_error(
    readable: bool, container: str | None, part: StreamPart, problem: str | None, sniff: Sniff
) -> str | None:
    if container is None:
        return f"unrecognised content ({sniff.content_type or 'unknown type'})"
    if not part.has_picture or not readable:
        return problem or part.error or f"no readable video track in the {container} container"
    return problem


def _plain_kind(sniff: Sniff) -> Kind:
    return "text" if sniff.text else "unknown"
