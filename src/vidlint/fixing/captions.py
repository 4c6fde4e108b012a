"""Caption repair and conversion: SRT <-> WebVTT, as UTF-8.

Repairs what is mechanical: a byte order mark, a UTF-16/32 or legacy 8-bit encoding, Windows or old
Mac line ends, a missing or misspelt ``WEBVTT`` header, a comma where WebVTT wants a period (and the
other way round for SRT), minutes-only or short timestamps, a ``->`` arrow. A cue whose timing line
cannot be read at all is not guessed: the caption is then reported as not repairable, naming the cue.
The output is written by the ``srt`` library (SRT) and webvtt-py (WebVTT).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from datetime import timedelta

_STAMP = r"(?:(\d+):)?(\d{1,2}):(\d{1,2})(?:[.,](\d{1,3}))?"
_TIMING = re.compile(rf"^\s*{_STAMP}\s*-{{1,2}}>\s*{_STAMP}(.*)$")
_HEADER_BLOCKS = ("WEBVTT", "NOTE", "STYLE", "REGION")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class CaptionUnrepairable(Exception):
    """The caption cannot be repaired mechanically: the message names the cue or the problem."""


@dataclass(frozen=True)
class Cue:
    start: timedelta
    end: timedelta
    text: str


@dataclass(frozen=True)
class Repaired:
    text: str  # the caption in the target format, UTF-8 ready
    cues: int
    changes: tuple[str, ...]  # what was repaired, in words


def repair(data: bytes, target: str) -> Repaired:
    """``data`` (an SRT or WebVTT file in any of the usual encodings) as a clean ``target`` file
    (".srt" or ".vtt"); raises CaptionUnrepairable."""
    text, changes = _decode(data)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        changes.append("line ends")
    cues = _cues(text)
    if not cues:
        raise CaptionUnrepairable("no cue with a timing line: nothing to repair")
    if target.lower() == ".srt":
        return Repaired(_srt(cues), len(cues), tuple(changes))
    if target.lower() == ".vtt":
        if not text.lstrip().startswith("WEBVTT"):
            changes.append("WEBVTT header")
        return Repaired(_vtt(cues), len(cues), tuple(changes))
    raise CaptionUnrepairable(f"cannot write a {target} caption (only .srt and .vtt)")


def _decode(data: bytes) -> tuple[str, list[str]]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            changes = [] if encoding == "utf-8-sig" else [f"{encoding.upper()} -> UTF-8"]
            return data.decode(encoding, errors="strict").lstrip("\ufeff"), ["byte order mark", *changes]
    if data[:200].count(b"\x00") > 20:  # UTF-16 without a byte order mark: every other byte is 0
        encoding = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        return data.decode(encoding, errors="strict"), [f"{encoding.upper()} -> UTF-8"]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), ["Windows-1252 -> UTF-8"]


def _cues(text: str) -> list[Cue]:
    cues: list[Cue] = []
    for number, block in enumerate(re.split(r"\n\s*\n", text.strip()), start=1):
        lines = [line for line in block.split("\n") if line.strip()]
        if not lines or lines[0].lstrip().upper().startswith(_HEADER_BLOCKS):
            continue
        timing = next((i for i, line in enumerate(lines) if "->" in line), None)
        if timing is None:
            if len(lines) == 1 and lines[0].strip().isdigit():
                continue  # a lone cue number
            raise CaptionUnrepairable(f"block {number} has no timing line: {lines[0].strip()[:60]!r}")
        match = _TIMING.match(lines[timing])
        if match is None:
            raise CaptionUnrepairable(
                f"block {number}: unreadable timing line {lines[timing].strip()[:60]!r}"
            )
        groups = match.groups()
        start, end = _stamp(groups[0:4]), _stamp(groups[4:8])
        if end <= start:
            raise CaptionUnrepairable(
                f"block {number}: the cue ends before it starts ({lines[timing].strip()})"
            )
        cues.append(Cue(start, end, "\n".join(lines[timing + 1 :]).strip()))
    return cues


def _stamp(parts: tuple[str | None, ...]) -> timedelta:
    hours, minutes, seconds, millis = parts
    fraction = int((millis or "0").ljust(3, "0"))
    return timedelta(hours=int(hours or 0), minutes=int(minutes or 0), seconds=int(seconds or 0),
                     milliseconds=fraction)  # fmt: skip


def _srt(cues: list[Cue]) -> str:
    import srt

    subtitles = [srt.Subtitle(i, c.start, c.end, c.text) for i, c in enumerate(cues, start=1)]
    return str(srt.compose(subtitles, reindex=True))


def _vtt(cues: list[Cue]) -> str:
    import webvtt

    captions = [webvtt.Caption(_vtt_stamp(c.start), _vtt_stamp(c.end), c.text) for c in cues]
    return str(webvtt.WebVTT(captions=captions).content)


def _vtt_stamp(value: timedelta) -> str:
    millis = round(value.total_seconds() * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"
