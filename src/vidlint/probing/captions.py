"""Caption backend: SRT (``srt``) and WebVTT (``webvtt-py``) documents, which must hold at least one cue.

Captions are UTF-8 text. A UTF-16 or UTF-32 file (with a byte order mark, or without one: every other
byte NUL) gets a plain message saying so rather than a parser's complaint. A WebVTT file must be UTF-8
and start with its signature: an optional BOM, the six characters "WEBVTT", then the end of the line
(or of the file), a space or a tab; "WEBVTTX" is not one. An SRT file in a legacy 8-bit encoding is
still read (its timings are ASCII).
"""

from __future__ import annotations

from typing import Literal

from vidlint.model.facts import CaptionFacts
from vidlint.probing.parts import one_line

CaptionFormat = Literal["srt", "vtt"]
MAX_BYTES = 8 * 1024 * 1024  # hours of captions are well under 1 MiB
_EXTENSIONS: dict[str, CaptionFormat] = {".srt": "srt", ".vtt": "vtt"}
_BOMS = (  # UTF-32 first: its little-endian mark starts with UTF-16's
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)
_SIGNATURE_ENDS = ("", " ", "\t", "\n", "\r")


def format_for(extension: str) -> CaptionFormat | None:
    return _EXTENSIONS.get(extension.lower())


def parse(data: bytes, fmt: CaptionFormat | None, *, sniffed_vtt: bool = False) -> CaptionFacts:
    """Facts for a caption document; ``fmt`` is the extension's format (None for WebVTT found by content)."""
    if not data:
        return CaptionFacts(format=fmt, parses=False, error="empty file: no cues")
    if (wide := _wide_encoding(data)) is not None:
        error = f"{wide} text: captions must be UTF-8 (save the file as UTF-8)"
        return CaptionFacts(format=fmt, parses=False, error=error)
    if b"\x00" in data:
        return CaptionFacts(format=fmt, parses=False, error="binary content, not a caption document")
    grammar = fmt or ("vtt" if sniffed_vtt else None)
    if grammar == "vtt" and (problem := _webvtt_problem(data)) is not None:
        return CaptionFacts(format=fmt, parses=False, error=problem)
    text = _decode(data)
    try:
        cues = _count_srt(text) if grammar == "srt" else _count_vtt(text)
    except Exception as exc:  # both parsers raise their own error types and ValueError on hostile text
        return CaptionFacts(format=fmt, parses=False, error=one_line(f"does not parse as {grammar}: {exc}"))
    if cues == 0:
        return CaptionFacts(format=fmt, parses=False, error=f"no cues in the {grammar} document")
    return CaptionFacts(format=fmt, parses=True, cue_count=cues)


def _wide_encoding(data: bytes) -> str | None:
    """ "UTF-16" or "UTF-32" when the text is in one of them (by its byte order mark, or, without one,
    by NUL bytes in every other position of its start, as ASCII text in UTF-16 has); else None."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    start = data[:512]
    groups = len(start) // 4
    if groups >= 2 and sum(start[i : i + 4].count(0) == 3 for i in range(0, groups * 4, 4)) >= groups * 0.75:
        return "UTF-32"
    pairs = len(start) // 2
    if pairs < 2:
        return None
    even, odd = start[0 : pairs * 2 : 2].count(0), start[1 : pairs * 2 : 2].count(0)
    return "UTF-16" if max(even, odd) >= pairs * 0.75 and min(even, odd) <= pairs * 0.25 else None


def _webvtt_problem(data: bytes) -> str | None:
    """Why ``data`` is not a WebVTT file by its first bytes (UTF-8, then the signature), or None."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"not UTF-8 text (byte {data[exc.start]:#04x} at {exc.start:,}): WebVTT files must be UTF-8"
    body = text.removeprefix("\ufeff")
    if not body.startswith("WEBVTT") or body[6:7] not in _SIGNATURE_ENDS:
        first = one_line(body.splitlines()[0] if body else "", 40)
        expected = '"WEBVTT" (or "WEBVTT", a space and text)'
        return f'no WebVTT signature: the first line must be {expected}, not "{first}"'
    return None


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
