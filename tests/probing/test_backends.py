"""Small backends: sniffing, captions, images, codec names and number conversions."""

from __future__ import annotations

import importlib.metadata
import io
import struct
import subprocess
import sys
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from vidlint.probing import captions, codecs, images, sniff
from vidlint.probing.numbers import clockwise_degrees, simplest_ratio, to_float, to_int


def ftyp(brand: bytes) -> bytes:
    return struct.pack(">I4s4sI", 16, b"ftyp", brand, 0) + b"\0" * 64


@pytest.mark.parametrize(
    ("head", "container", "brand"),
    [
        (ftyp(b"isom"), "mp4", "isom"),
        (ftyp(b"mp42"), "mp4", "mp42"),
        (ftyp(b"qt  "), "mov", "qt  "),
        (struct.pack(">I4s", 8, b"wide") + b"\0" * 64, "mov", None),  # QuickTime without ftyp
        (struct.pack(">I4s", 80, b"moov") + b"\0" * 72, "mov", None),
    ],
)
def test_iso_container_by_brand(head: bytes, container: str, brand: str | None) -> None:
    found = sniff.parse(head, sniff.mime_type(head))
    assert (found.container, found.major_brand, found.iso) == (container, brand, True)


@pytest.mark.parametrize(("doctype", "container"), [(b"webm", "webm"), (b"matroska", "matroska")])
def test_matroska_and_webm_by_doctype(doctype: bytes, container: str) -> None:
    head = (
        b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82" + bytes([0x80 | len(doctype)]) + doctype + b"\0" * 32
    )
    assert sniff.parse(head, None).container == container


def test_text_and_webvtt() -> None:
    assert sniff.parse(b"hello\n", "text/plain").text
    assert sniff.parse(b"\xef\xbb\xbfWEBVTT\n\n", "text/plain").webvtt
    assert not sniff.parse(b"WEBVTTX", "text/plain").webvtt
    assert sniff.parse("plain words, é".encode(), None).text  # without libmagic: UTF-8 and no NUL
    assert not sniff.parse(b"\x00\x01\x02", None).text


def test_mime_type_comes_from_a_small_buffer() -> None:
    head = encoded("PNG")[:64]
    assert sniff.mime_type(head) == "image/png"
    assert sniff.parse(head, "image/png").image_format == "png"


# --- captions ---------------------------------------------------------------------------------

GOOD_SRT = "1\n00:00:01,000 --> 00:00:02,000\nHello\n\n2\n00:00:03,000 --> 00:00:04,000\nWorld\n"
GOOD_VTT = "WEBVTT\n\n00:01.000 --> 00:02.000\nHello\n"


@pytest.mark.parametrize(
    ("data", "fmt", "parses", "cues"),
    [
        (GOOD_SRT.encode(), "srt", True, 2),
        (GOOD_SRT.encode("utf-16"), "srt", False, 0),  # NUL bytes: not a text document
        ("\ufeff".encode() + GOOD_SRT.encode(), "srt", True, 2),
        (GOOD_SRT.replace("Hello", "Gr\xfc\xdfe").encode("latin-1"), "srt", True, 2),
        (b"1\n00:00:xx,000 -> later\nHello\n", "srt", False, 0),
        (GOOD_VTT.encode(), "vtt", True, 1),
        (GOOD_VTT.removeprefix("WEBVTT\n\n").encode(), "vtt", False, 0),  # no header
        (b"WEBVTT\n\n", "vtt", False, 0),  # a header and no cue
        (b"WEBVTT\n\nsoon --> later\nHello\n", "vtt", False, 0),
        (b"", "srt", False, 0),
    ],
)
def test_caption_documents(data: bytes, fmt: captions.CaptionFormat, parses: bool, cues: int) -> None:
    facts = captions.parse(data, fmt)
    assert (facts.format, facts.parses, facts.cue_count) == (fmt, parses, cues)
    assert facts.parses == (facts.error is None)
    assert "\n" not in (facts.error or "")


def test_vtt_found_by_content_has_no_extension_format() -> None:
    facts = captions.parse(GOOD_VTT.encode(), None, sniffed_vtt=True)
    assert (facts.format, facts.parses, facts.cue_count) == (None, True, 1)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300), st.sampled_from(["srt", "vtt"]))
def test_caption_parsers_never_raise(data: bytes, fmt: captions.CaptionFormat) -> None:
    facts = captions.parse(data, fmt)
    assert facts.parses == (facts.cue_count > 0)


# --- images -----------------------------------------------------------------------------------


def encoded(fmt: str, size: tuple[int, int] = (8, 6)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 10, 10)).save(out, fmt)
    return out.getvalue()


def test_images_decode() -> None:
    facts = images.parse(encoded("PNG"), "png")
    assert (facts.format, facts.decodes, facts.width, facts.height) == ("png", True, 8, 6)
    assert images.parse(encoded("JPEG"), "jpeg").decodes


def test_truncated_jpeg_is_caught_by_the_real_decode() -> None:
    jpeg = encoded("JPEG", (64, 64))
    facts = images.parse(jpeg[: len(jpeg) // 2], "jpeg")  # verify() alone passes a cut JPEG
    assert not facts.decodes and facts.error


def test_not_an_image() -> None:
    assert images.parse(b"just text", None) == images.parse(b"just text", None)
    facts = images.parse(b"just text", None)
    assert (facts.format, facts.decodes, facts.error) == (None, False, "not an image")
    png = encoded("PNG")
    assert not images.parse(png[:8] + b"garbage" * 4, "png").decodes


# --- names and numbers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "extra", "name"),
    [
        ("AVC", None, "h264"),
        ("HEVC", None, "hevc"),
        ("MPEG-4 Visual", None, "mpeg4"),
        ("VP9", None, "vp9"),
        ("AV1", None, "av1"),
        ("ProRes", None, "prores"),
        ("MPEG Video", "Version 2", "mpeg2video"),
        ("Weird X", None, "weird-x"),
    ],
)
def test_mediainfo_video_names(fmt: str, extra: str | None, name: str) -> None:
    assert codecs.mediainfo_video(fmt, extra) == name


@pytest.mark.parametrize(
    ("fmt", "profile", "name"),
    [
        ("AAC", None, "aac"),
        ("MPEG Audio", "Layer 3", "mp3"),
        ("MPEG Audio", "Layer 2", "mp2"),
        ("PCM", None, "pcm"),
        ("AC-3", None, "ac3"),
        ("E-AC-3", None, "eac3"),
        ("Opus", None, "opus"),
        ("MPEG Audio", None, "mp3"),
    ],
)
def test_mediainfo_audio_names(fmt: str, profile: str | None, name: str) -> None:
    assert codecs.mediainfo_audio(fmt, profile) == name


def test_ffprobe_names() -> None:
    assert [codecs.ffprobe_codec(n) for n in ("h264", "pcm_s16le", "adpcm_ima_qt", "AAC", None)] == [
        "h264",
        "pcm",
        "adpcm",
        "aac",
        None,
    ]


def test_number_conversions() -> None:
    assert to_float("10.000") == 10.0 and to_float("25/1") == 25.0 and to_float(12) == 12.0
    assert [to_float(v) for v in ("0/0", "N/A", None, True, "inf", "")] == [None] * 6
    assert to_int("1920") == 1920 and to_int("1 920") is None and to_int("19.5") is None
    assert [clockwise_degrees(v) for v in (None, 90.0, -90.0, 450.0, 359.6)] == [0, 90, 270, 90, 0]


# H.264 / HEVC sample aspect ratios (Table E-1) and common anamorphic ones
SARS = [
    "1:1",
    "12:11",
    "10:11",
    "16:11",
    "40:33",
    "24:11",
    "20:11",
    "32:11",
    "80:33",
    "18:11",
    "15:11",
    "64:33",
    "4:3",
    "3:2",
    "2:1",
    "8:9",
    "32:27",
    "64:45",
]


@pytest.mark.parametrize("sar", SARS)
def test_simplest_ratio_recovers_sample_aspect_ratios_from_three_decimals(sar: str) -> None:
    exact = float(Fraction(sar.replace(":", "/")))
    assert simplest_ratio(round(exact, 3)) == pytest.approx(exact, abs=1e-6)


@settings(max_examples=200, deadline=None)
@given(st.floats(0.01, 100.0))
def test_simplest_ratio_stays_within_the_printed_precision(value: float) -> None:
    assert abs(simplest_ratio(value) - value) <= 0.0005 + 1e-6


def test_loading_mediainfo_leaves_the_real_importlib_metadata_behind() -> None:
    """pymediainfo is imported with a stand-in for importlib.metadata (its version lookup costs ~15 ms):
    afterwards the real module is what everyone gets, and MediaInfo works."""
    code = (
        "import sys\nfrom vidlint.probing import mediainfo\n"
        "assert mediainfo.available()\n"
        "assert 'importlib.metadata' not in sys.modules\n"
        "import importlib.metadata\n"
        "print(importlib.metadata.version('pymediainfo'))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert run.stdout.strip() == importlib.metadata.version("pymediainfo")
