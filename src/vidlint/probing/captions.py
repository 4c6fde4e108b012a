"""Caption backend: SRT (``srt``) and WebVTT (``webvtt-py``) documents, which must hold at least one cue."""

from __future__ import annotations

from typing import Literal

from vidlint.model.facts import CaptionFacts
from vidlint.probing.parts import one_line

CaptionFormat = Literal["srt", "vtt"]
MAX_BYTES = 8 * 1024 * 1024  # hours of captions are well under 1 MiB
_EXTENSIONS: dict[str, CaptionFormat] = {".srt": "srt", ".vtt": "vtt"}


def format_for(extension: str) -> CaptionFormat | None:
    return _EXTENSIONS.get(extension.lower())


def parse(data: bytes, fmt: CaptionFormat | None, *, sniffed_vtt: bool = False) -> CaptionFacts:
    """Facts for a caption document; ``fmt`` is the extension's format (None for WebVTT found by content)."""
    if not data:
        return CaptionFacts(format=fmt, parses=False, error="empty file: no cues")
    if b"\x00" in data:
        return CaptionFacts(format=fmt, parses=False, error="binary content, not a caption document")
    text = _decode(data)
    grammar = fmt or ("vtt" if sniffed_vtt else None)
    try:
        cues = _count_srt(text) if grammar == "srt" else _count_vtt(text)
    except Exception as exc:  # both parsers raise their own error types and ValueError on hostile text
        return CaptionFacts(format=fmt, parses=False, error=one_line(f"does not parse as {grammar}: {exc}"))
    if cues == 0:
        return CaptionFacts(format=fmt, parses=False, error=f"no cues in the {grammar} document")
    return CaptionFacts(format=fmt, parses=True, cue_count=cues)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")  # legacy 8-bit SRT files: timings are ASCII either way


def _count_srt(text: str) -> int:
    import srt

    return sum(1 for _ in srt.parse(text))


def _count_vtt(text: str) -> int:
    import webvtt

    return len(webvtt.from_string(text, strict=True).captions)
