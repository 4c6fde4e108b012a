"""The backends' pure parsers on recorded raw outputs (tests/probing/data, see record_raw.py).

Expected values come from how the samples were generated (expected.toml), so these tests need no
native library and check the conversions: codec names, SAR, rotation sign, durations.
"""

from __future__ import annotations

import json

import pytest

from vidlint.probing import ffprobe, mediainfo
from vidlint.probing.parts import StreamPart

from .support import DATA, DURATION_TOL_S, expected_table

EXPECTED = expected_table()
RECORDED = sorted(p.name for p in DATA.glob("*.json"))


def _recorded(name: str, backend: str) -> StreamPart:
    text = (DATA / f"{name}.{backend}.json").read_text()
    return mediainfo.parse(text) if backend == "mediainfo" else ffprobe.parse(text)


def _cases(backend: str) -> list[str]:
    suffix = f".{backend}.json"
    return [
        n.removesuffix(suffix) for n in RECORDED if n.endswith(suffix) and n.removesuffix(suffix) in EXPECTED
    ]


@pytest.mark.parametrize(
    ("name", "backend"),
    [(n, "mediainfo") for n in _cases("mediainfo")] + [(n, "ffprobe") for n in _cases("ffprobe")],
)
def test_recorded_report_parses_to_generated_facts(name: str, backend: str) -> None:
    part = _recorded(name, backend)
    want = EXPECTED[name]
    video = part.video[0]
    assert video.codec == want["video_codec"]
    assert (video.stored_width, video.stored_height) == (want["stored_width"], want["stored_height"])
    assert video.sample_aspect_ratio == pytest.approx(want["sar"], abs=1e-3)
    assert video.rotation_cw == want["rotation_cw"]
    assert (video.display_width, video.display_height) == (want["display_width"], want["display_height"])
    assert part.duration_s == pytest.approx(want["duration_s"], abs=DURATION_TOL_S)
    assert [a.codec for a in part.audio] == ([] if want["audio_codec"] == "none" else [want["audio_codec"]])


def test_mediainfo_and_ffprobe_agree_on_rotation_despite_opposite_signs() -> None:
    raw = json.loads((DATA / "rotated_90_10s.mp4.ffprobe.json").read_text())
    ccw = raw["streams"][0]["side_data_list"][0]["rotation"]
    assert ccw == -90  # ffprobe: counter-clockwise, signed
    assert _recorded("rotated_90_10s.mp4", "ffprobe").video[0].rotation_cw == 90
    assert _recorded("rotated_90_10s.mp4", "mediainfo").video[0].rotation_cw == 90


def test_ffprobe_picture_size_is_not_the_coded_size() -> None:
    raw = json.loads((DATA / "rotated_90_10s.mp4.ffprobe.json").read_text())
    raw["streams"][0]["coded_height"] = 1088  # what H.264 1080p codes: 68 macroblock rows
    video = ffprobe.parse(json.dumps(raw)).video[0]
    assert (video.stored_width, video.stored_height) == (1920, 1080)


def test_mediainfo_flags_truncation() -> None:
    assert _recorded("truncated_tail.mp4", "mediainfo").truncated
    assert not _recorded("rotated_90_10s.mp4", "mediainfo").truncated


def test_mediainfo_reads_fragment_durations() -> None:
    part = _recorded("fragmented_10s.mp4", "mediainfo")
    assert part.duration_s == pytest.approx(EXPECTED["fragmented_10s.mp4"]["duration_s"], abs=DURATION_TOL_S)


def test_random_bytes_give_an_empty_part_not_an_error() -> None:
    part = _recorded("random", "mediainfo")
    assert part == StreamPart()
    assert not part.has_picture


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not json",
        "[]",
        "null",
        '{"media": null}',
        '{"media": {"track": "x"}}',
        '{"media": {"track": [1]}}',
    ],
)
def test_mediainfo_parse_never_raises(text: str) -> None:
    part = mediainfo.parse(text)
    assert not part.video and not part.audio


@pytest.mark.parametrize(
    "text", ["", "garbage", "[]", '{"streams": null}', '{"streams": [{"codec_type": "video", "width": "x"}]}']
)
def test_ffprobe_parse_never_raises(text: str) -> None:
    part = ffprobe.parse(text)
    assert not part.video and not part.audio


def test_mediainfo_odd_values_are_dropped_not_trusted() -> None:
    report = {
        "media": {
            "track": [
                {"@type": "General", "Format": "MPEG-4", "CodecID": "qt  ", "Duration": "nan"},
                {"@type": "Video", "Format": "AVC", "Width": "-5", "Height": "10"},
                {"@type": "Video", "Format": "HEVC", "Width": "64", "Height": "48", "Rotation": "-90.000"},
                {"@type": "Audio", "Format": "MPEG Audio", "Format_Profile": "Layer 2", "Duration": "3.5"},
            ]
        }
    }
    part = mediainfo.parse(json.dumps(report))
    assert part.container == "mov"
    assert [(v.codec, v.stored_width, v.rotation_cw) for v in part.video] == [("hevc", 64, 270)]
    assert [a.codec for a in part.audio] == ["mp2"]
    assert part.duration_s == 3.5  # the container's NaN is ignored; the longest stream stands in


def test_ffprobe_legacy_rotate_tag_is_clockwise_and_cover_art_is_not_video() -> None:
    report = {
        "streams": [
            {
                "codec_type": "video",
                "codec_name": "h264",
                "width": 1920,
                "height": 1080,
                "tags": {"rotate": "90"},
            },
            {
                "codec_type": "video",
                "codec_name": "mjpeg",
                "width": 600,
                "height": 600,
                "disposition": {"attached_pic": 1},
            },
            {"codec_type": "audio", "codec_name": "pcm_s24le"},
        ],
        "format": {"format_name": "mov,mp4,m4a,3gp,3g2,mj2", "duration": "N/A"},
    }
    part = ffprobe.parse(json.dumps(report))
    assert [(v.codec, v.rotation_cw) for v in part.video] == [("h264", 90)]
    assert [a.codec for a in part.audio] == ["pcm"]
    assert part.duration_s is None and part.container is None  # MP4 vs QuickTime is the brand's call


def test_mediainfo_format_that_is_not_text_is_no_codec() -> None:
    """A damaged Matroska file made MediaInfo print an object as a track's Format (found by fuzzing)."""
    report = {
        "media": {
            "track": [
                {"@type": "Video", "Format": {"x": "1"}, "Width": "64", "Height": "48"},
                {"@type": "Audio", "Format": ["AAC"], "Format_Profile": {"y": 2}},
            ]
        }
    }
    part = mediainfo.parse(json.dumps(report))
    assert [(v.codec, v.stored_width) for v in part.video] == [(None, 64)]
    assert [a.codec for a in part.audio] == [None]
