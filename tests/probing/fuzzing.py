"""Mutations of real MP4 files and the ffprobe oracle behind the "no false accepts" fuzz test.

A false accept is a file that vidlint passes for every file marketplace (trendyol, samsclub, akinon)
but that ffprobe cannot open and decode the first video frame of (``opens``); the strict oracle
(``decodes_cleanly``) also counts an error message from ffmpeg decoding it. The mutations aim at the
index (boxes inside ``moov`` and ``moof``): byte flips and zeroed ranges inside one box, 32-bit fields
set to big or zero values, and truncations, most of them near the end of the moov box.

Run many cases by hand (reports false accepts with the mutation that made each one):

    .venv/bin/python tests/probing/fuzzing.py --cases 1000 [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_media"
MARKETPLACES = ["trendyol", "samsclub", "akinon"]
# Real clips that pass all three file marketplaces (faststart, moov at the end, fragmented, MP3, silent)
SEEDS = (
    "ok_h264_aac_1080p_10s.mp4",
    "moov_at_end_10s.mp4",
    "fragmented_10s.mp4",
    "no_audio_10s.mp4",
    "mp3_audio_10s.mp4",
    "hdr10_hevc_10bit_1080p_10s.mp4",  # hvcC, colr: profile, bit depth, HDR transfer
    "edit_list_1080p_10s.mp4",  # an elst that trims the start
    "vfr_1080p_10s.mp4",  # stts runs of two durations
)
_CONTAINERS = {
    b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts", b"dinf", b"mvex", b"udta", b"moof", b"traf",
}  # fmt: skip
_BIG = (0, 1, 2, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0x00FFFFFF, 0x10000)
TIMEOUT_S = 20.0


@dataclass(frozen=True)
class Node:
    kind: bytes
    offset: int
    size: int
    header: int
    depth: int


def nodes(data: bytes, start: int = 0, end: int | None = None, depth: int = 0) -> Iterator[Node]:
    """Every box from ``start`` (containers opened), in file order."""
    end = len(data) if end is None else end
    pos = start
    while pos + 8 <= end:
        size, kind = struct.unpack_from(">I4s", data, pos)
        header = 8
        if size == 1 and pos + 16 <= end:
            size, header = struct.unpack_from(">Q", data, pos + 8)[0], 16
        elif size == 0:
            size = end - pos
        if size < header or pos + size > end:
            return
        yield Node(kind, pos, size, header, depth)
        if kind in _CONTAINERS:
            yield from nodes(data, pos + header, pos + size, depth + 1)
        elif kind == b"stsd":  # full box + entry count, then sample entries
            yield from nodes(data, pos + header + 8, pos + size, depth + 1)
        pos += size


def index_boxes(data: bytes) -> list[Node]:
    """The leaf boxes of the index (inside moov or moof), where a mutation is worth trying."""
    found = list(nodes(data))
    index = [n for n in found if n.depth > 0 and n.kind not in _CONTAINERS]
    return index or [n for n in found if n.kind == b"moov"]


def codec_payloads(data: bytes) -> list[tuple[int, int]]:
    """Byte ranges of the decoder configurations (avcC, hvcC, esds payloads): codec bitstream, not
    index. A flipped bit there can leave a valid parameter set that decodes wrongly (CAVLC read as
    CABAC: "mb_type 1591 in I slice too large"), which no header check can tell."""
    ranges = []
    for kind in (b"avcC", b"hvcC", b"esds"):
        at = data.find(kind)
        while at >= 4:
            size = struct.unpack_from(">I", data, at - 4)[0]
            ranges.append((at + 4, at - 4 + size))
            at = data.find(kind, at + 4)
    return ranges


def mutate(data: bytes, rng: random.Random, *, index_only: bool = False) -> tuple[bytes, str]:
    """One mutation of ``data`` and a short description of it; ``index_only``: the bytes of the
    decoder configurations (``codec_payloads``) are left as they were."""
    mutated, how = _mutate(data, rng)
    if index_only and len(mutated) == len(data):
        kept = bytearray(mutated)
        for start, end in codec_payloads(data):
            kept[start:end] = data[start:end]
        mutated = bytes(kept)
    return mutated, how


def _mutate(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    boxes = index_boxes(data)
    roll = rng.random()
    if roll < 0.2:
        return _truncate(data, rng)
    if not boxes:
        return _truncate(data, rng)
    box = rng.choice(boxes)
    name = box.kind.decode("latin-1")
    buffer = bytearray(data)
    body_start, body_end = box.offset + box.header, box.offset + box.size
    if roll < 0.5 and body_end - body_start >= 4:  # a 32-bit field of the payload set to a big value
        at = body_start + 4 * rng.randrange((body_end - body_start) // 4)
        value = rng.choice(_BIG)
        struct.pack_into(">I", buffer, at, value)
        return bytes(buffer), f"{name}@{at}: u32 = {value:#x}"
    if roll < 0.7:  # a zeroed range
        at = rng.randrange(body_start, max(body_start + 1, body_end))
        length = rng.randint(1, max(1, min(64, body_end - at)))
        buffer[at : at + length] = bytes(length)
        return bytes(buffer), f"{name}@{at}: {length} bytes zeroed"
    flips = rng.randint(1, 8)  # byte flips inside the box, header included
    where = []
    for _ in range(flips):
        at = rng.randrange(box.offset, body_end)
        buffer[at] = rng.randrange(256)
        where.append(at)
    return bytes(buffer), f"{name}: {flips} byte(s) changed at {where}"


def _truncate(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    moov = next((n for n in nodes(data) if n.kind == b"moov"), None)
    points = [rng.randrange(1, len(data))]
    if moov is not None:
        end = moov.offset + moov.size
        points += [end, end + 8, end + rng.randrange(1, 64), moov.offset + moov.size // 2]
    cut = min(len(data) - 1, rng.choice(points))
    return data[:cut], f"cut at {cut} of {len(data)}"


def passes_everywhere(path: Path) -> bool:
    """vidlint passes the file for every file marketplace (a file it cannot probe does not pass)."""
    import vidlint

    try:
        reports = vidlint.check_all(str(path), MARKETPLACES)
    except vidlint.ProbeError:
        return False
    return all(report.passed for report in reports.values())


def opens(path: Path) -> tuple[bool, str]:
    """The oracle: ffprobe opens the file (exit 0) and decodes the first frame of a video stream
    (``-count_frames -read_intervals %+#1``: nb_read_frames >= 1), or, failing that, ffmpeg decodes
    the first video frame without an error (an edit list that starts just after the first sample
    makes ffprobe's one packet a discarded one, in a file that plays)."""
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-count_frames", "-read_intervals", "%+#1", "-select_streams", "v:0",
         "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", "file:" + str(path)],
        capture_output=True, text=True, timeout=TIMEOUT_S, check=False,
    )  # fmt: skip
    frames = probe.stdout.strip().split(",")[0]
    if probe.returncode == 0 and frames.isdigit() and int(frames) >= 1:
        return True, ""
    why = f"ffprobe rc={probe.returncode} frames={frames!r} {probe.stderr.strip()[:200]}"
    return (True, "") if probe.returncode == 0 and decodes_cleanly(path)[0] else (False, why)


def decodes_cleanly(path: Path) -> tuple[bool, str]:
    """The stricter oracle: ffmpeg decodes the first video frame without a single error message."""
    decode = subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-i", "file:" + str(path), "-map", "0:v:0", "-frames:v", "1",
         "-f", "null", "-"],
        capture_output=True, text=True, timeout=TIMEOUT_S, check=False,
    )  # fmt: skip
    if decode.returncode != 0 or decode.stderr.strip():
        return False, f"ffmpeg rc={decode.returncode} {decode.stderr.strip()[:200]}"
    return True, ""


@dataclass
class Tally:
    cases: int = 0
    passed: int = 0  # vidlint passed all three marketplaces
    false_accepts: int = 0  # ... and ffprobe cannot open the file or decode its first frame
    strict_false_accepts: int = 0  # ... or ffmpeg prints an error decoding its first video frame
    slowest_s: float = 0.0  # the slowest vidlint check of one case


def cases(count: int, seed: int, *, index_only: bool = False) -> Iterator[tuple[str, bytes, str]]:
    """``count`` mutated files (seed clip name, bytes, how), the same for the same ``seed``."""
    rng = random.Random(seed)
    seeds = {name: (SAMPLES / name).read_bytes() for name in SEEDS}
    for _ in range(count):
        name = rng.choice(SEEDS)
        data, how = mutate(seeds[name], rng, index_only=index_only)
        yield name, data, how


def run(count: int, seed: int, work: Path, *, index_only: bool = False, verbose: bool = True) -> Tally:
    tally = Tally()
    for case, (name, data, how) in enumerate(cases(count, seed, index_only=index_only)):
        path = work / f"case{case % 2}.mp4"
        path.write_bytes(data)
        tally.cases += 1
        started = time.monotonic()
        accepted = passes_everywhere(path)
        elapsed = time.monotonic() - started
        tally.slowest_s = max(tally.slowest_s, elapsed)
        if verbose and elapsed > 1:
            print(f"SLOW #{case} {name} {how}: {elapsed:.1f} s", flush=True)
        if not accepted:
            continue
        tally.passed += 1
        ok, why = opens(path)
        if ok:
            ok, why = decodes_cleanly(path)
            kind = "STRICT FALSE ACCEPT"
        else:
            tally.false_accepts += 1
            kind = "FALSE ACCEPT"
        if not ok:
            tally.strict_false_accepts += 1
            if verbose:
                print(f"{kind} #{case} {name} {how}: {' '.join(why.split())}", flush=True)
    return tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--index-only", action="store_true", help="leave avcC / esds payloads alone")
    parser.add_argument("--save", type=int, metavar="N", help="write case N to ./fuzz_case_N.mp4 and stop")
    args = parser.parse_args(argv)
    if args.save is not None:
        *_, (name, data, how) = cases(args.save + 1, args.seed, index_only=args.index_only)
        Path(f"fuzz_case_{args.save}.mp4").write_bytes(data)
        print(f"case {args.save}: {name} {how}")
        return 0
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        tally = run(args.cases, args.seed, Path(tmp), index_only=args.index_only)
    print(
        f"{tally.cases} cases (seed {args.seed}{', index only' if args.index_only else ''}), "
        f"{tally.passed} passed by vidlint, "
        f"{tally.false_accepts} false accepts (ffprobe cannot open it or decode a first frame), "
        f"{tally.strict_false_accepts} by the strict oracle (ffmpeg also prints an error), "
        f"slowest check {tally.slowest_s:.2f} s, "
        f"{time.monotonic() - started:.0f} s in all"
    )
    return 1 if tally.false_accepts else 0


if __name__ == "__main__":
    sys.exit(main())
