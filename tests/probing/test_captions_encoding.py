"""Captions are UTF-8, and a WebVTT file starts with its signature: plain messages, not parser internals."""

from __future__ import annotations

from pathlib import Path

import pytest

import vidlint
from vidlint.engine import evaluate
from vidlint.packs.builtin import builtin_packs
from vidlint.probing import captions

from .support import SAMPLES

VTT = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nGrüße\n"
SRT = "1\n00:00:01,000 --> 00:00:02,000\nGrüße\n"


@pytest.mark.parametrize(
    ("first_line", "parses"),
    [
        ("WEBVTT", True),
        ("\ufeffWEBVTT", True),
        ("WEBVTT - Product video", True),
        ("WEBVTT\tProduct video", True),
        ("WEBVTTX", False),
        ("WEBVTT-1", False),
        ("webvtt", False),
        (" WEBVTT", False),
    ],
)
def test_webvtt_signature(first_line: str, parses: bool) -> None:
    facts = captions.parse(VTT.replace("WEBVTT", first_line, 1).encode(), "vtt")
    assert facts.parses is parses, facts.error
    if not parses:
        assert (facts.error or "").startswith('no WebVTT signature: the first line must be "WEBVTT"')


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-be"])
@pytest.mark.parametrize(("text", "fmt"), [(VTT, "vtt"), (SRT, "srt")])
def test_wide_encodings_say_so(text: str, fmt: captions.CaptionFormat, encoding: str) -> None:
    facts = captions.parse(text.encode(encoding), fmt)
    name = "UTF-32" if "32" in encoding else "UTF-16"
    assert (facts.parses, facts.error) == (
        False,
        f"{name} text: captions must be UTF-8 (save the file as UTF-8)",
    )


def test_webvtt_must_be_utf8_while_a_legacy_srt_still_reads() -> None:
    vtt = captions.parse(VTT.encode("latin-1"), "vtt")
    assert not vtt.parses and (vtt.error or "").startswith("not UTF-8 text (byte 0xfc at ")
    assert captions.parse(SRT.encode("latin-1"), "srt").parses


def test_a_utf16_caption_gets_the_plain_message_in_the_finding(tmp_path: Path) -> None:
    caption = tmp_path / "clip.srt"
    caption.write_bytes(SRT.encode("utf-16"))
    facts = vidlint.probe(caption)
    video = vidlint.probe(SAMPLES / "ok_h264_aac_1080p_10s.mp4")
    (finding,) = evaluate(video, builtin_packs()["samsclub"], caption=facts)
    assert finding.code == "E_CAPTION_FORMAT"
    assert finding.actual == "does not parse: UTF-16 text: captions must be UTF-8 (save the file as UTF-8)"


@pytest.mark.parametrize(
    ("text", "fmt", "error"),
    [
        (
            "1\n00:00:xx,500 -> later\nLightweight steel frame.\n",
            "srt",
            "line 2: expected a cue number, then a time range like 00:00:01,000 --> 00:00:02,000",
        ),
        (
            "1\n00:00:01,000 --> 00:00:02,000\nFirst.\n\n2\n00:00:03 --> soon\nSecond.\n",
            "srt",
            "line 6: expected a cue number, then a time range like 00:00:01,000 --> 00:00:02,000",
        ),
        (
            "WEBVTT\n\n00:01.000 --> 00:02.000\nFirst.\n\n00:0x --> soon\nSecond.\n",
            "vtt",
            "line 6: expected a time range like 00:00:01.000 --> 00:00:02.000",
        ),
        (
            "WEBVTT\n\nintro\n00:01.000 --> 00:02.000\nFirst.\n\nsecond\n00:0x.000 --> 00:04.000\nSecond.\n",
            "vtt",
            "line 8: expected a time range like 00:00:01.000 --> 00:00:02.000",
        ),
    ],
)
def test_parser_errors_become_one_plain_line_with_its_number(
    text: str, fmt: captions.CaptionFormat, error: str
) -> None:
    facts = captions.parse(text.encode(), fmt)
    assert (facts.parses, facts.error) == (False, error)


def test_the_broken_sample_srt_names_its_line() -> None:
    report = vidlint.check(SAMPLES / "captions" / "broken.srt", "samsclub")
    (finding,) = report.findings
    assert finding.actual == (
        "does not parse: line 2: expected a cue number, then a time range like 00:00:01,000 --> 00:00:02,000"
    )
