"""Caption backend: SRT (``srt``) and WebVTT (``webvtt-py``) documents, which must hold at least one cue.

Captions are UTF-8 text. A UTF-16 or UTF-32 file (with a byte order mark, or without one: every other
byte NUL) gets a plain message saying so rather than a parser's complaint. A WebVTT file must be UTF-8
and start with its signature: an optional BOM, the six characters "WEBVTT", then the end of the line
(or of the file), a space or a tab; "WEBVTTX" is not one. An SRT file in a legacy 8-bit encoding is
still read (its timings are ASCII).
"""

from __future__ import annotations

import re
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
        return CaptionFacts(format=fmt, parses=False, error=one_line(_plain_error(text, grammar, exc)))
    if cues == 0:
        return CaptionFacts(format=fmt, parses=False, error=f"no cues in the {grammar} document")
    return CaptionFacts(format=fmt, parses=True, cue_count=cues)


_SRT_TIMING = re.compile(r"\s*\d+:\d{1,2}:\d{1,2}[,.]\d{1,3}\s*-->\s*\d+:\d{1,2}:\d{1,2}[,.]\d{1,3}(\s.*)?$")
_VTT_TIME = r"(?:\d+:)?\d{2}:\d{2}\.\d{3}"
_VTT_TIMING = re.compile(rf"\s*{_VTT_TIME}[ \t]+-->[ \t]+{_VTT_TIME}([ \t].*)?$")
_SRT_EXPECTED = "expected a cue number, then a time range like 00:00:01,000 --> 00:00:02,000"
_VTT_EXPECTED = "expected a time range like 00:00:01.000 --> 00:00:02.000"


def _plain_error(text: str, grammar: str | None, exc: Exception) -> str:
    """One plain line for a parser's complaint: the line of the first malformed cue and what was
    expected there (the parsers' own messages speak of regular expressions and character offsets)."""
    lines = text.splitlines()
    if grammar == "srt":
        start = getattr(exc, "expected_start", None)
        first = text.count("\n", 0, start) if isinstance(start, int) else 0
        number = _bad_srt_line(lines, first)
        expected = _SRT_EXPECTED
    else:
        number = _bad_vtt_line(lines)
        expected = _VTT_EXPECTED
    if number is None:
        return f"does not parse as {grammar}: {exc}"
    return f"line {number}: {expected}"


def _bad_srt_line(lines: list[str], first: int) -> int | None:
    """The 1-based number of the first line, from the 0-based ``first`` on, that breaks the SRT layout."""
    index, block = first, 0  # block: 0 before a cue number, 1 after it, 2 in the text
    while index < len(lines):
        line = lines[index].strip()
        if not line:
            if block == 1:
                return index + 1
            block = 0
        elif block == 0:
            if not line.isdigit():
                return index + 1
            block = 1
        elif block == 1:
            if not _SRT_TIMING.match(line):
                return index + 1
            block = 2
        index += 1
    return len(lines) if block == 1 else None


def _bad_vtt_line(lines: list[str]) -> int | None:
    """The 1-based number of the first cue line of a WebVTT document that is not a valid timing."""
    index = 1
    while index < len(lines) and lines[index].strip():  # the header block
        index += 1
    while index < len(lines):
        while index < len(lines) and not lines[index].strip():
            index += 1
        if index >= len(lines):
            return None
        head = lines[index].strip()
        if head.startswith(("NOTE", "STYLE", "REGION")) and "-->" not in head:
            pass
        elif not _VTT_TIMING.match(lines[index]):
            follows = index + 1 < len(lines) and lines[index + 1].strip()
            if "-->" in head or not follows or not _VTT_TIMING.match(lines[index + 1]):
                return index + 2 if ("-->" not in head and follows) else index + 1
        while index < len(lines) and lines[index].strip():
            index += 1
    return None


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
