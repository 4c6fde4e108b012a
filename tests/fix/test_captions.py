"""Caption repair and SRT <-> WebVTT conversion, on real caption files (and with their videos)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import srt
import webvtt
from hypothesis import given, settings
from hypothesis import strategies as st

import vidlint
from vidlint.fixing.captions import CaptionUnrepairable, repair

from .conftest import FAST, SAMPLES

CUES = [
    ("00:00:00,500", "00:00:03,000", "Lightweight steel frame."),
    ("00:00:03,500", "00:00:06,250", "Çok hafif."),
]


def _srt_text(sep: str = ",") -> str:
    return "".join(f"{i}\n{a.replace(',', sep)} --> {b.replace(',', sep)}\n{t}\n\n" for i, (a, b, t) in
                   enumerate(CUES, start=1))  # fmt: skip


def _vtt_parsed(text: str) -> list[tuple[str, str, str]]:
    return [(c.start, c.end, c.text) for c in webvtt.from_string(text).captions]


def _srt_parsed(text: str) -> list[tuple[float, float, str]]:
    return [(s.start.total_seconds(), s.end.total_seconds(), s.content) for s in srt.parse(text)]


@pytest.mark.parametrize(
    ("data", "change"),
    [
        (b"\xef\xbb\xbf" + _srt_text().encode(), "byte order mark"),
        (_srt_text().encode("utf-16"), "UTF-16 -> UTF-8"),
        (_srt_text().encode("utf-16-le"), "UTF-16-LE -> UTF-8"),
        (_srt_text().encode("cp1252", errors="replace").replace(b"?", b"c"), "Windows-1252 -> UTF-8"),
        (_srt_text().replace("\n", "\r\n").encode(), "line ends"),
    ],
    ids=["bom", "utf16-bom", "utf16-no-bom", "cp1252", "crlf"],
)
def test_encodings_and_line_ends_are_repaired(data: bytes, change: str) -> None:
    fixed = repair(data, ".srt")
    assert change in fixed.changes
    parsed = _srt_parsed(fixed.text)
    assert [(a, b) for a, b, _ in parsed] == [(0.5, 3.0), (3.5, 6.25)]
    assert parsed[0][2] == "Lightweight steel frame."


def test_vtt_without_header_and_with_commas_is_repaired() -> None:
    broken = _srt_text(",").encode()  # SRT-style numbers and commas in a .vtt file, no WEBVTT line
    fixed = repair(broken, ".vtt")
    assert "WEBVTT header" in fixed.changes
    assert _vtt_parsed(fixed.text)[0] == ("00:00:00.500", "00:00:03.000", "Lightweight steel frame.")


def test_srt_with_periods_and_short_stamps_is_repaired() -> None:
    broken = b"1\n00:00.5 -> 00:03\nshort stamps\n\n2\n0:00:04.000 --> 0:00:05.1\nperiods\n"
    parsed = _srt_parsed(repair(broken, ".srt").text)
    assert parsed == [(0.5, 3.0, "short stamps"), (4.0, 5.1, "periods")]


@pytest.mark.parametrize("source", ["captions/good.srt", "captions/good.vtt"])
@pytest.mark.parametrize("target", [".srt", ".vtt"])
def test_conversion_keeps_every_cue(source: str, target: str) -> None:
    original = (SAMPLES / source).read_bytes()
    text = repair(original, target).text
    before = _cue_times(original.decode(), Path(source).suffix)
    assert _cue_times(text, target) == before and before


def _cue_times(text: str, kind: str) -> list[tuple[float, float, str]]:
    if kind == ".srt":
        return _srt_parsed(text)
    return [(_seconds(c.start), _seconds(c.end), c.text) for c in webvtt.from_string(text).captions]


def _seconds(stamp: str) -> float:
    return float(sum(float(part) * 60**i for i, part in enumerate(reversed(stamp.split(":")))))


@pytest.mark.parametrize(
    ("data", "why"),
    [
        ((SAMPLES / "captioned_badcap.vtt").read_bytes(), "block 2"),
        ((SAMPLES / "captions/broken.srt").read_bytes(), "block"),
        (b"", "no cue"),
        (b"WEBVTT\n\n00:00:05.000 --> 00:00:01.000\nbackwards\n", "ends before it starts"),
    ],
    ids=["badcap", "broken-srt", "empty", "backwards"],
)
def test_what_cannot_be_read_is_not_guessed(data: bytes, why: str) -> None:
    with pytest.raises(CaptionUnrepairable, match=why):
        repair(data, ".vtt")


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=400), st.sampled_from([".srt", ".vtt"]))
def test_hostile_bytes_are_repaired_into_a_file_that_parses_or_refused(data: bytes, target: str) -> None:
    try:
        fixed = repair(data, target)
    except CaptionUnrepairable:
        return
    parsed = _srt_parsed(fixed.text) if target == ".srt" else _vtt_parsed(fixed.text)
    assert len(parsed) == fixed.cues >= 1


def test_a_repaired_sidecar_makes_the_video_pass(tmp_path: Path) -> None:
    video = tmp_path / "promo.mp4"
    shutil.copyfile(SAMPLES / "ok_h264_aac_1080p_10s.mp4", video)
    (tmp_path / "promo.vtt").write_bytes(b"\xef\xbb\xbf" + _srt_text().encode())  # no header, commas
    assert not vidlint.check(video, "samsclub").passed
    result = vidlint.fix(video, ["samsclub"], out_dir=tmp_path / "out", quality=FAST)
    (item,) = result.files
    assert item.status == "fixed" and item.command is None, item  # the video needed nothing
    assert item.caption == str(tmp_path / "out" / "promo.vtt")
    assert vidlint.check(tmp_path / "out" / "promo.mp4", "samsclub").passed
    assert (tmp_path / "promo.vtt").read_bytes().startswith(b"\xef\xbb\xbf")  # the input is untouched


def test_a_caption_is_converted_when_its_format_is_not_allowed(tmp_path: Path) -> None:
    """A pack of the user's that pairs SRT and WebVTT sidecars but takes WebVTT only: the good SRT
    sidecar is converted (in place: written beside it, the SRT is left as it was)."""
    pack = tmp_path / "vttonly.toml"
    pack.write_text(
        'id = "vttonly"\nname = "WebVTT only"\n[inputs.caption]\nextensions = [".srt", ".vtt"]\n'
        '[[rules]]\nid = "vttonly.caption"\ncode = "CAPTION"\ndocumented = false\napplies_to = "caption"\n'
        'message = "WebVTT only."\n[rules.check]\nkind = "caption_valid"\n'
        'params = { extensions = [".vtt"] }\n'
        '[[fixes]]\nkind = "caption_valid"\naction = "caption_convert"\nhint = "convert to {extensions}"\n'
    )
    video = tmp_path / "clip.mp4"
    shutil.copyfile(SAMPLES / "captioned_good.mp4", video)
    shutil.copyfile(SAMPLES / "captioned_good.srt", tmp_path / "clip.srt")
    packs = [vidlint.load_pack_file(pack)]
    result = vidlint.fix(video, packs, in_place=True, quality=FAST)
    (item,) = result.files
    assert item.status == "fixed", item
    converted = tmp_path / "clip.vtt"
    assert item.caption == str(converted) and converted.is_file()
    assert _cue_times(converted.read_text(), ".vtt") == _srt_parsed((tmp_path / "clip.srt").read_text())
    assert vidlint.check(video, packs[0], caption=converted).passed
