"""Issue 11, "no false accepts": a file vidlint passes must play. Each class of file that used to pass
although ffprobe cannot open it (or decode its first frame) is made here from a real sample, and must
now be unreadable or truncated, so that every pack's own "readable video" rule rejects it; real
files of every layout ffmpeg writes must still pass."""

from __future__ import annotations

import gzip
import struct
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import vidlint
from vidlint.model.facts import MediaFacts
from vidlint.probing import index, probe
from vidlint.probing.local import probe_path

from .fuzzing import MARKETPLACES, Node, nodes, opens
from .support import SAMPLES

FASTSTART = "ok_h264_aac_1080p_10s.mp4"
MOOV_AT_END = "moov_at_end_10s.mp4"
FRAGMENTED = "fragmented_10s.mp4"
FORMAT_CODES = {
    "trendyol": ["seller.integration.video.format.invalid"],
    "samsclub": ["E_FILE_FORMAT"],
    "akinon": ["video.invalid_format"],
}


def boxes_of(data: bytes, kind: bytes) -> list[Node]:
    return [node for node in nodes(data) if node.kind == kind]


def made(tmp_path: Path, sample: str, change: Callable[[bytearray], bytes | bytearray | None]) -> Path:
    """``sample`` changed by ``change`` (in place, or returning new bytes), written under tmp_path."""
    data = bytearray((SAMPLES / sample).read_bytes())
    changed = change(data)
    path = tmp_path / sample
    path.write_bytes(bytes(data if changed is None else changed))
    return path


def u32_at(data: bytearray, node: Node, field: int, value: int) -> None:
    """Sets the ``field``-th u32 of a full box's payload (0: version and flags)."""
    struct.pack_into(">I", data, node.offset + node.header + 4 * field, value)


def rejected_everywhere(path: Path, *, ffprobe_agrees: bool = True) -> None:
    """Every file marketplace rejects the file with its own format code alone, and (unless the file
    only breaks the spec) ffprobe cannot open it or decode its first frame either."""
    reports = vidlint.check_all(str(path), MARKETPLACES)
    assert {m: [f.code for f in r.findings] for m, r in reports.items()} == FORMAT_CODES
    if ffprobe_agrees:
        assert not opens(path)[0]


def test_faststart_cut_right_after_its_moov(tmp_path: Path) -> None:
    def cut(data: bytearray) -> bytes:
        (moov,) = boxes_of(bytes(data), b"moov")
        return bytes(data[: moov.offset + moov.size])

    path = made(tmp_path, FASTSTART, cut)
    facts = probe(path)
    assert facts.truncated and facts.error is not None
    assert facts.error.startswith("truncated: chunk 1 of track 1 (vide)"), facts.error
    assert "past the end of the file" in facts.error
    rejected_everywhere(path)


def test_chunk_offsets_past_the_end(tmp_path: Path) -> None:
    def far(data: bytearray) -> None:
        stco = boxes_of(bytes(data), b"stco")[0]
        u32_at(data, stco, 2, len(data) + 1000)  # the first chunk of the video track

    path = made(tmp_path, FASTSTART, far)
    facts = probe(path)
    assert facts.truncated and "past the end of the file" in (facts.error or "")
    rejected_everywhere(path)


def test_zeroed_sample_description(tmp_path: Path) -> None:
    def zero(data: bytearray) -> None:
        stsd = boxes_of(bytes(data), b"stsd")[0]
        start = stsd.offset + stsd.header + 8
        data[start : stsd.offset + stsd.size] = bytes(stsd.offset + stsd.size - start)

    path = made(tmp_path, FASTSTART, zero)
    facts = probe(path)
    assert not facts.readable
    assert (facts.error or "").startswith("broken index: the sample descriptions (stsd) of track 1")
    rejected_everywhere(path)


def test_sample_count_that_does_not_fit(tmp_path: Path) -> None:
    path = made(
        tmp_path, FASTSTART, lambda data: u32_at(data, boxes_of(bytes(data), b"stsz")[0], 2, 0x7FFFFFFF)
    )
    facts = probe(path)
    assert not facts.readable and "do not fit" in (facts.error or ""), facts.error
    rejected_everywhere(path)


def test_stts_and_stsz_disagree(tmp_path: Path) -> None:
    def fewer(data: bytearray) -> None:
        stts = boxes_of(bytes(data), b"stts")[0]
        u32_at(data, stts, 2, 19)  # one run: 19 samples timed, 20 sized

    path = made(tmp_path, FASTSTART, fewer)
    assert "the stts box times 19 samples" in (probe(path).error or "")
    rejected_everywhere(path, ffprobe_agrees=False)  # ffmpeg guesses the last sample's time


def test_a_time_scale_ffmpeg_reads_as_negative(tmp_path: Path) -> None:
    """ffmpeg reads mdhd's time scale signed ("Invalid mdhd time scale -1, defaulting to 1")."""
    path = made(
        tmp_path, FASTSTART, lambda data: u32_at(data, boxes_of(bytes(data), b"mdhd")[0], 3, 0xFFFFFFFF)
    )
    assert "the media time scale is 4,294,967,295" in (probe(path).error or "")
    rejected_everywhere(path, ffprobe_agrees=False)


def test_chunks_outside_the_media_data(tmp_path: Path) -> None:
    """moov at the end: chunk offsets zeroed point into ftyp, inside the file but not into any mdat."""

    def zero(data: bytearray) -> None:
        stco = boxes_of(bytes(data), b"stco")[0]  # the video track's
        start = stco.offset + stco.header + 8
        data[start : stco.offset + stco.size] = bytes(stco.offset + stco.size - start)

    path = made(tmp_path, MOOV_AT_END, zero)
    assert "is not inside a media data box (mdat)" in (probe(path).error or "")
    rejected_everywhere(path)


def test_first_sample_that_is_not_whole_nal_units(tmp_path: Path) -> None:
    """Sizes that are wrong but inside the file: only the first sample's NAL framing tells."""

    def smaller(data: bytearray) -> None:
        stsz = boxes_of(bytes(data), b"stsz")[0]
        at = stsz.offset + stsz.header + 12
        (first,) = struct.unpack_from(">I", data, at)
        struct.pack_into(">I", data, at, first - 108)

    path = made(tmp_path, MOOV_AT_END, smaller)
    assert "is not made of whole NAL units" in (probe(path).error or "")
    rejected_everywhere(path)


@pytest.mark.parametrize(
    ("what", "old", "new", "ffprobe_agrees"),
    [
        ("no PPS", "01000568ce013720", "00000568ce013720", True),  # the PPS count zeroed
        ("aspect_ratio_idc 200 (reserved)", "e0089f9701100000", "e0089f97c8100000", True),
        # ffmpeg says "Overread VUI by 1 bits" and decodes anyway: the SPS is still malformed
        ("a VUI that runs past the SPS", "9f97011000", "9f97018800", False),
    ],
)
def test_decoder_configuration_that_does_not_decode(
    tmp_path: Path, what: str, old: str, new: str, ffprobe_agrees: bool
) -> None:
    """An avcC box without a picture parameter set, or whose SPS a decoder refuses."""

    def edit(data: bytearray) -> bytes:
        assert bytes(data).count(bytes.fromhex(old)) == 1, what
        return bytes(data).replace(bytes.fromhex(old), bytes.fromhex(new))

    path = made(tmp_path, "no_audio_10s.mp4", edit)
    facts = probe(path)
    assert not facts.readable and "the avcC box of track 1 (vide)" in (facts.error or ""), (what, facts.error)
    rejected_everywhere(path, ffprobe_agrees=ffprobe_agrees)


def test_aac_configuration_that_does_not_decode(tmp_path: Path) -> None:
    def zero(data: bytearray) -> None:
        at = bytes(data).index(bytes.fromhex("0580808005")) + 5  # the AudioSpecificConfig (5 bytes)
        data[at + 1 : at + 5] = bytes(4)  # channel configuration 0, then no program config element

    path = made(tmp_path, FASTSTART, zero)
    assert "AudioSpecificConfig" in (probe(path).error or "")
    rejected_everywhere(path)


def test_fragment_of_an_unknown_track(tmp_path: Path) -> None:
    path = made(tmp_path, FRAGMENTED, lambda data: u32_at(data, boxes_of(bytes(data), b"tfhd")[0], 1, 7))
    assert "fragment of track 7, which the moov does not declare" in (probe(path).error or "")
    rejected_everywhere(path)


def test_fragment_data_before_the_file(tmp_path: Path) -> None:
    path = made(
        tmp_path, FRAGMENTED, lambda data: u32_at(data, boxes_of(bytes(data), b"trun")[0], 2, 0x80000000)
    )
    assert "starts before the file" in (probe(path).error or "")
    rejected_everywhere(path)


def test_fragment_with_a_sample_of_zero_bytes(tmp_path: Path) -> None:
    def zero(data: bytearray) -> None:
        trun = boxes_of(bytes(data), b"trun")[1]  # flags 0x201: data offset, then a size per sample
        u32_at(data, trun, 4, 0)

    path = made(tmp_path, FRAGMENTED, zero)
    assert "a sample of 0 bytes" in (probe(path).error or "")
    rejected_everywhere(path)


@pytest.mark.parametrize("kind", [b"sbgp", b"stts"])
def test_counts_that_made_mediainfo_spin_are_answered_at_once(tmp_path: Path, kind: bytes) -> None:
    """A count of 0x7fffffff in a sample group or time table kept libmediainfo busy past any time
    limit (a ProbeError on every run); the index check answers first, without running it."""
    field = 2 if kind == b"sbgp" else 1  # sbgp: version, grouping type, count; stts: version, count
    path = made(
        tmp_path, FASTSTART, lambda data: u32_at(data, boxes_of(bytes(data), kind)[-1], field, 0x7FFFFFFF)
    )
    started = time.monotonic()
    facts = probe(path, timeout_s=10)
    assert time.monotonic() - started < 2
    assert (facts.readable, facts.backend) == (False, "index")
    assert "do not fit" in (facts.error or "")


def test_a_box_that_runs_past_its_parent(tmp_path: Path) -> None:
    path = made(
        tmp_path,
        FASTSTART,
        lambda data: struct.pack_into(">I", data, boxes_of(bytes(data), b"stts")[0].offset, 0x55002418),
    )
    assert "runs" in (probe(path).error or "") and "past its end" in (probe(path).error or "")


def test_the_gate_keeps_every_packs_own_code(tmp_path: Path) -> None:
    """No new rule: the facts (readable, truncated, error) trip each pack's existing format rule."""
    path = made(
        tmp_path, FASTSTART, lambda data: bytes(data[: boxes_of(bytes(data), b"moov")[0].offset + 100])
    )
    reports = vidlint.check_all(str(path), MARKETPLACES)
    assert {m: [f.code for f in r.findings] for m, r in reports.items()} == FORMAT_CODES


# --- what must still pass ---------------------------------------------------------------------

LAYOUTS = {
    "b-frames and an edit list": ("-c:v", "libx264", "-bf", "3", "-c:a", "aac"),
    "audio priming (-ss)": ("-ss", "0.3", "-c:v", "libx264", "-c:a", "aac"),
    "several slices": ("-c:v", "libx264", "-x264-params", "slices=8", "-c:a", "aac"),
    "scaling matrices, high 4:4:4": ("-c:v", "libx264", "-pix_fmt", "yuv444p", "-x264-params", "cqm=jvt"),
    "interlaced, HRD": ("-c:v", "libx264", "-flags", "+ildct+ilme", "-x264-params", "nal-hrd=vbr",
                        "-b:v", "300k", "-maxrate", "300k", "-bufsize", "600k"),
    "HEVC hev1": ("-c:v", "libx265", "-x265-params", "log-level=error", "-tag:v", "hev1", "-c:a", "aac"),
    "dash fragments": ("-c:v", "libx264", "-c:a", "aac", "-g", "10",
                       "-movflags", "+dash+frag_keyframe+empty_moov"),
    "cmaf, separate moofs": ("-c:v", "libx264", "-c:a", "aac", "-g", "10",
                             "-movflags", "+cmaf+frag_keyframe+empty_moov+separate_moof+omit_tfhd_offset"),
    "5.1 AAC": ("-c:v", "libx264", "-c:a", "aac", "-ac", "6"),
    "MP2 audio": ("-c:v", "libx264", "-c:a", "mp2"),
    "a text track": ("-c:v", "libx264", "-c:a", "aac", "-f", "mov", "-timecode", "01:00:00:00"),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_real_layouts_still_pass(tmp_path: Path, name: str) -> None:
    path = tmp_path / "clip.mp4"
    command = ["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=s=320x240:r=25:d=1",
               "-f", "lavfi", "-i", "sine=d=1", "-shortest", *LAYOUTS[name], str(path)]  # fmt: skip
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    facts = probe_path(str(path))
    assert (facts.readable, facts.truncated, facts.error) == (True, False, None), facts.error
    assert opens(path)[0]


@pytest.mark.parametrize(
    "name", sorted(p.name for p in SAMPLES.iterdir() if p.suffix.lower() in (".mp4", ".mov"))
)
def test_every_sample_index_is_consistent_or_says_why(name: str) -> None:
    facts: MediaFacts = probe_path(str(SAMPLES / name))
    if facts.kind == "video" and facts.container in ("mp4", "mov") and not facts.truncated:
        assert facts.readable and facts.error is None, facts.error


def test_the_moov_is_read_once(tmp_path: Path) -> None:
    """MediaInfo is served the moov the index check read: a probe reads what it read before (the
    16 KiB head, box headers) plus the first sample's NAL headers, a few bytes."""
    from .support import rchar

    path = SAMPLES / FASTSTART
    probe_path(str(path))
    before = rchar()
    probe_path(str(path))
    assert rchar() - before < 17_000


# --- the index check on its own -----------------------------------------------------------------


def test_index_report_of_a_sound_file() -> None:
    data = (SAMPLES / FASTSTART).read_bytes()
    (moov,) = boxes_of(data, b"moov")
    report = index.check(data[moov.offset : moov.offset + moov.size], moov.offset, len(data))
    assert (report.problem, report.truncation) == (None, None)
    video, audio = report.tracks
    assert (video.track_id, video.handler, video.codec_tag, video.pixel_aspect) == (1, "vide", "avc1", (1, 1))
    assert (audio.handler, audio.codec_tag, audio.object_type, audio.mpeg_audio) == (
        "soun",
        "mp4a",
        0x40,
        False,
    )
    assert video.sample_count == 20 and video.nal_length_size == 4


def test_compact_sample_sizes() -> None:
    """stz2 with 4-, 8- and 16-bit sizes (no ffmpeg writes it; the spec allows it)."""
    for field_size, raw, sizes in (
        (4, bytes([0x12, 0x30]), [1, 2, 3]),
        (8, bytes([7, 8, 9]), [7, 8, 9]),
        (16, struct.pack(">3H", 700, 800, 900), [700, 800, 900]),
    ):
        payload = struct.pack(">II", field_size, 3) + raw
        box = struct.pack(">I4s", 12 + len(payload), b"stz2") + b"\x00\x00\x00\x00" + payload
        found = index._sizes(box, ("stz2", 8, len(box)), "track 1")
        assert found[:2] == (0, 3) and list(found[2] or []) == sizes


def test_a_gzip_file_named_mp4_gets_no_second_opinion(tmp_path: Path) -> None:
    """libmagic says gzip: ffprobe is not run (its game-music demuxer inflated such a file: 813 MiB)."""
    path = tmp_path / "archive.mp4"
    path.write_bytes(gzip.compress(bytes(4 * 1024 * 1024)))
    facts = probe_path(str(path))
    assert facts.backend == "mediainfo" and not facts.readable
