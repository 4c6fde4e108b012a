"""The nine packs of issue 14 on real media: sample_media/, clips made here with ffmpeg, sparse
files where the size is the point, URLs over real HTTP on 127.0.0.1, and the CLI as a subprocess.

Each case names a clip, a marketplace and the exact codes written from the pack's provider page
(rules/<id>.toml); the limits' both sides are in tests/engine/cases/<id>.toml.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.engine import LATER_MARKETPLACES, SAMPLES
from support.media import make_sparse
from support.server import LocalFileServer

import vidlint
from vidlint.engine import INTERNAL_ERROR, evaluate
from vidlint.packs.builtin import load_pack
from vidlint.remote import RemoteOptions

# name -> (width, height, frame rate, seconds, extra ffmpeg output options)
CLIPS: dict[str, tuple[int, int, int, float, tuple[str, ...]]] = {
    "h720.mp4": (1280, 720, 25, 8, ()),
    "v360x640_12s.mp4": (360, 640, 25, 12, ()),
    "v480x854.mp4": (480, 854, 25, 10, ()),
    "h720_20fps.mp4": (1280, 720, 20, 8, ()),
    "h720_10fps.mp4": (1280, 720, 10, 8, ()),
    "h1440_2s.mp4": (2560, 1440, 25, 2, ()),
    "h720_5s.mp4": (1280, 720, 25, 5, ()),
    "v360x640_8s.mp4": (360, 640, 25, 8, ()),
    "v480x854_31s.mp4": (480, 854, 5, 31, ()),
    "v352x640_12s.mp4": (352, 640, 25, 12, ()),
    "s320.mp4": (320, 320, 25, 4, ()),
    "v464x824.mp4": (464, 824, 25, 10, ()),
    "h640x360_12s.mp4": (640, 360, 25, 12, ()),
    "h720_hevc.mp4": (1280, 720, 25, 8, ("-c:v", "libx265", "-tag:v", "hvc1",
                                         "-x265-params", "log-level=error")),
    "h720_mpeg4.mp4": (1280, 720, 25, 8, ("-c:v", "mpeg4")),
    "h720_vp9.webm": (1280, 720, 25, 8, ("-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8",
                                         "-c:a", "libopus")),
    "h720_h264.mkv": (1280, 720, 25, 8, ()),
    "h720_moov_at_end.mp4": (1280, 720, 25, 8, ("-movflags", "0")),
    "h960x720.mp4": (960, 720, 25, 8, ()),
}  # fmt: skip


def _encode(out: Path, width: int, height: int, rate: int, seconds: float, extra: tuple[str, ...]) -> None:
    """A small real clip: testsrc2 and a tone, H.264/AAC faststart unless ``extra`` says otherwise."""
    subprocess.run(
        ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
         "-f", "lavfi", "-i", f"testsrc2=size={width}x{height}:rate={rate}:duration={seconds}",
         "-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:duration={seconds}",
         "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "200k", "-pix_fmt", "yuv420p", "-threads", "1",
         "-c:a", "aac", "-b:a", "48k", "-movflags", "+faststart", *extra, str(out)],
        check=True, timeout=120,
    )  # fmt: skip


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("new_packs")
    for name, spec in CLIPS.items():
        _encode(folder / name, *spec)
    return folder


PASSING = [  # every file-judging pack has a clip it takes
    ("h720.mp4", ["ebay", "google-merchant", "meta-catalog", "tiktok", "amazon-video-ads", "walmart-supplier",
                  "shopify"]),
    ("v360x640_12s.mp4", ["mercadolibre", "tiktok"]),
    ("v480x854.mp4", ["wish", "tiktok", "shopify", "walmart-supplier"]),
]  # fmt: skip


@pytest.mark.parametrize(("name", "marketplaces"), PASSING, ids=[name for name, _ in PASSING])
def test_a_good_clip_passes(made: Path, name: str, marketplaces: list[str]) -> None:
    for market in marketplaces:
        report = vidlint.check(made / name, market)
        assert (market, report.findings) == (market, ()), [f.actual for f in report.findings]
        assert report.passed


def test_every_file_judging_new_pack_has_a_passing_clip() -> None:
    covered = {market for _, markets in PASSING for market in markets}
    assert covered == {m for m in LATER_MARKETPLACES if load_pack(m).checks_files}


# Mercado Libre's codes are messages (the one its page shows, and vidlint's in that style)
ML_FORMAT = "Video format is not supported. Use MP4, MOV, MPEG or AVI."
ML_DURATION = "Video duration must be between 10 and 61 seconds."
ML_VERTICAL = "Video must be vertical."
ML_RESOLUTION = "Video resolution is lower than 360x640 pixels."
FAILING = [  # (clip, marketplace, exact codes): one limit kind at a time
    # duration
    ("h720_5s.mp4", "google-merchant", {"video_link_invalid_length"}),
    ("v360x640_8s.mp4", "mercadolibre", {ML_DURATION}),
    ("v480x854_31s.mp4", "wish", {"VIDEO_TOO_LONG"}),
    # resolution
    ("h1440_2s.mp4", "ebay", {"MAX_RESOLUTION_EXCEEDED"}),
    ("v352x640_12s.mp4", "mercadolibre", {ML_RESOLUTION}),
    ("s320.mp4", "tiktok", {"picture_size_check_failed"}),
    ("v464x824.mp4", "wish", {"VIDEO_RESOLUTION_TOO_LOW"}),
    # frame rate
    ("h720_20fps.mp4", "tiktok", {"frame_rate_check_failed"}),
    ("h720_10fps.mp4", "amazon-video-ads", {"FRAME_RATE_TOO_LOW"}),
    # codec
    ("h720_hevc.mp4", "ebay", {"UNSUPPORTED_VIDEO_CODEC"}),
    ("h720_hevc.mp4", "amazon-video-ads", {"VIDEO_CODEC_NOT_PREFERRED"}),
    ("h720_hevc.mp4", "tiktok", set()),
    ("h720_mpeg4.mp4", "tiktok", {"codec_check_failed"}),
    # container
    ("h720_vp9.webm", "ebay", {"INVALID_FILE_FORMAT", "UNSUPPORTED_VIDEO_CODEC"}),
    ("h720_vp9.webm", "mercadolibre", {ML_FORMAT, ML_DURATION, ML_VERTICAL}),
    ("h720_vp9.webm", "google-merchant", {"video_link_unsupported_format"}),
    ("h720_vp9.webm", "meta-catalog", {"VIDEO_FORMAT_UNSUPPORTED"}),
    ("h720_vp9.webm", "tiktok", set()),
    ("h720_vp9.webm", "shopify", set()),
    ("h720_vp9.webm", "amazon-video-ads", {"VIDEO_CODEC_NOT_PREFERRED", "AUDIO_CODEC_NOT_PREFERRED"}),
    ("h720_h264.mkv", "tiktok", {"file_format_check_failed"}),
    ("h720_h264.mkv", "shopify", {"VIDEO_INVALID_FILETYPE_ERROR"}),
    ("h720_h264.mkv", "meta-catalog", set()),
    # orientation
    ("h640x360_12s.mp4", "mercadolibre", {ML_VERTICAL, ML_RESOLUTION}),
    ("h640x360_12s.mp4", "wish", {"VIDEO_NOT_9_16", "VIDEO_RESOLUTION_TOO_LOW"}),
    ("v480x854.mp4", "amazon-video-ads", {"ASPECT_RATIO_NOT_RECOMMENDED"}),
    ("h960x720.mp4", "google-merchant", {"video_link_invalid_aspect_ratio"}),  # 4:3 (secondary: a warning)
    # streamability (a secondary figure: a warning)
    ("h720_moov_at_end.mp4", "meta-catalog", {"VIDEO_NOT_STREAMABLE"}),
    ("h720_moov_at_end.mp4", "ebay", set()),
]  # fmt: skip


@pytest.mark.parametrize(("name", "market", "codes"), FAILING, ids=[f"{n}-{m}" for n, m, _ in FAILING])
def test_a_clip_over_one_limit_gets_that_code(made: Path, name: str, market: str, codes: set[str]) -> None:
    report = vidlint.check(made / name, market)
    assert report.codes() == codes, [f.actual for f in report.findings]
    errors = {f.code for f in report.findings if f.severity == "error"}
    assert report.passed is (not errors)


SAMPLED = [  # sample_media/ clips (2 fps, so TikTok's and Amazon's frame rates fail)
    ("vertical_1080x1920_10s.mp4", "mercadolibre", set()),
    ("vertical_1080x1920_10s.mp4", "wish", set()),
    ("square_1080x1080_10s.mp4", "mercadolibre", {ML_VERTICAL}),
    ("square_1080x1080_10s.mp4", "wish", {"VIDEO_NOT_9_16"}),
    ("square_1080x1080_10s.mp4", "google-merchant", set()),  # 1:1, 9:16 and 16:9 are Google's ratios
    ("vertical_1080x1920_10s.mp4", "google-merchant", set()),
    ("rotated_90_10s.mp4", "google-merchant", set()),
    ("dci4k_4096x2160_6s.mp4", "google-merchant", {"video_link_invalid_aspect_ratio"}),
    ("rotated_90_10s.mp4", "wish", set()),
    ("edit_list_1080p_10s.mp4", "meta-catalog", {"VIDEO_HAS_EDIT_LIST"}),
    ("moov_at_end_10s.mp4", "meta-catalog", {"VIDEO_NOT_STREAMABLE"}),
    ("dci4k_4096x2160_6s.mp4", "shopify", set()),
    ("dci4k_4096x2160_6s.mp4", "ebay", {"MAX_RESOLUTION_EXCEEDED"}),
    ("long_125s.mp4", "wish", {"VIDEO_TOO_LONG", "VIDEO_NOT_9_16"}),
    ("ok_h264_aac_1080p_10s.mp4", "tiktok", {"frame_rate_check_failed"}),
    ("ok_h264_aac_1080p_10s.mp4", "amazon-video-ads", {"FRAME_RATE_TOO_LOW"}),
    ("ac3_audio_10s.mp4", "amazon-video-ads", {"FRAME_RATE_TOO_LOW", "AUDIO_CODEC_NOT_PREFERRED"}),
    ("ok_hevc_aac_1080p_10s.mov", "ebay", {"INVALID_FILE_FORMAT", "UNSUPPORTED_VIDEO_CODEC"}),
    ("mkv_named.mp4", "ebay", {"INVALID_FILE_FORMAT"}),
    ("truncated_tail.mp4", "google-merchant", {"video_link_unsupported_format"}),
    ("text_named.mp4", "shopify", {"VIDEO_METADATA_READ_ERROR"}),
    ("empty.mp4", "walmart-supplier", {"VIDEO_UNREADABLE"}),
    ("empty.mp4", "wish", {"VIDEO_UNREADABLE"}),
    ("mpeg4_video_10s.mp4", "amazon-video-ads", {"FRAME_RATE_TOO_LOW"}),
]


@pytest.mark.parametrize(("name", "market", "codes"), SAMPLED, ids=[f"{n}-{m}" for n, m, _ in SAMPLED])
def test_sample_clips(name: str, market: str, codes: set[str]) -> None:
    report = vidlint.check(SAMPLES / name, market)
    assert report.codes() == codes, [f.actual for f in report.findings]


SIZES = [  # a real 1080p faststart clip grown to the size with a file hole (sparse)
    ("ebay", 157_286_400, set()),
    ("ebay", 157_286_401, {"MAX_SIZE_EXCEEDED"}),
    ("meta-catalog", 200_000_000, set()),
    ("meta-catalog", 200_000_001, {"VIDEO_TOO_LARGE"}),
    ("mercadolibre", 280_000_001, {"Video size exceeds the maximum of 280 MB.", ML_VERTICAL}),
    ("wish", 50_000_000, {"VIDEO_TOO_LARGE", "VIDEO_NOT_9_16"}),
    ("google-merchant", 500_000_001, {"video_link_file_too_large"}),
]


@pytest.mark.parametrize(("market", "size", "codes"), SIZES, ids=[f"{m}-{s}" for m, s, _ in SIZES])
def test_size_limits_on_sparse_files(tmp_path: Path, market: str, size: int, codes: set[str]) -> None:
    clip = tmp_path / "big.mp4"
    make_sparse(clip, size)
    report = vidlint.check(clip, market)
    assert report.facts is not None and report.facts.size_bytes == size
    assert report.codes() == codes, [f.actual for f in report.findings]


@pytest.fixture(scope="module")
def server(made: Path) -> Iterator[LocalFileServer]:
    with LocalFileServer(made) as srv:
        yield srv


# Walmart's port rule would refuse the server's random port before anything is fetched
ANY_PORT = {"walmart-supplier.url-port": {"enabled": False}}


def test_walmart_refuses_a_redirect_that_google_follows(server: LocalFileServer) -> None:
    direct, hop = server.url("files/h720.mp4"), server.url("redirect/1/files/h720.mp4")
    assert vidlint.check(direct, "walmart-supplier", overrides=ANY_PORT).findings == ()
    redirected = vidlint.check(hop, "walmart-supplier", overrides=ANY_PORT)
    assert redirected.codes() == {"VIDEO_URL_REDIRECTS"}
    assert redirected.findings[0].actual == f"redirected to {direct}"
    assert vidlint.check(hop, "google-merchant").findings == ()
    assert vidlint.check(direct, "walmart-supplier").codes() == {"VIDEO_URL_PORT_NOT_ALLOWED"}


def test_url_sources_are_judged_like_their_files(server: LocalFileServer) -> None:
    assert vidlint.check(server.url("files/h720_5s.mp4"), "google-merchant").codes() == {
        "video_link_invalid_length"
    }
    assert vidlint.check(server.url("files/h720_vp9.webm"), "meta-catalog").codes() == {
        "VIDEO_FORMAT_UNSUPPORTED"
    }
    missing = vidlint.check(server.url("files/nothing.mp4"), "tiktok", remote=RemoteOptions(timeout_s=5.0))
    assert missing.codes() == {"video_pull_failed"}


GOOGLE = load_pack("google-merchant")
WALMART = load_pack("walmart-supplier")


@settings(max_examples=200, deadline=None)
@given(path=st.text(max_size=120))
def test_any_path_percent_encoded_is_a_valid_google_link(path: str) -> None:
    """RFC 3986 encoding of any text (commas included) satisfies Google's URL rules."""
    url = "https://cdn.example.com/" + quote(path, safe="/-._~")
    assert evaluate(None, GOOGLE, source_url=url) == ()


@settings(max_examples=300, deadline=None)
@given(url=st.text(max_size=300))
def test_hostile_link_text_gets_one_line_findings_never_an_internal_error(url: str) -> None:
    for pack in (GOOGLE, WALMART):
        findings = evaluate(None, pack, source_url=url)
        assert INTERNAL_ERROR not in {f.code for f in findings}
        assert all(f.message and "\n" not in f.message for f in findings)
        if url.strip() and not url.isascii() and pack is GOOGLE:  # a blank link is no link
            assert findings, url  # a non-ASCII link never passes Google's rules


def _vidlint(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "vidlint", *args], capture_output=True, text=True, timeout=120, check=False
    )


def test_upload_to_a_pack_without_a_client_is_a_one_line_usage_error(made: Path) -> None:
    done = _vidlint("upload", str(made / "h720.mp4"), "-m", "ebay")
    assert done.returncode == 2 and done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr
    assert "ebay" in lines[0] and "invalid choice" in lines[0]


def test_cli_check_reports_a_new_packs_code(made: Path) -> None:
    done = _vidlint("check", str(made / "h720_hevc.mp4"), "-m", "ebay", "--format", "json")
    assert done.returncode == 1, done.stderr
    assert "UNSUPPORTED_VIDEO_CODEC" in done.stdout and "ebay.video-codec" in done.stdout
    shown = _vidlint("rules", "show", "google-merchant.min-resolution")
    assert shown.returncode == 0 and "[secondary source]" in shown.stdout


def test_a_secondary_figure_warns_until_the_user_raises_it(tmp_path: Path) -> None:
    clip = tmp_path / "big.mp4"
    make_sparse(clip, 1_000_000_001)  # over Shopify's 1 GB, a secondary figure
    warned = vidlint.check(clip, "shopify")
    assert warned.codes() == {"GENERIC_FILE_INVALID_SIZE"} and warned.passed
    raised = vidlint.check(clip, "shopify", overrides={"shopify.size": {"severity": "error"}})
    assert raised.codes() == {"GENERIC_FILE_INVALID_SIZE"} and not raised.passed
