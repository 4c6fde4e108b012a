"""``vidlint fix`` against a naive full re-encode of the same files, in the same run; and the quality
of a scaled and of a padded output against its input (PSNR and SSIM from ffmpeg's own filters).

    .venv/bin/python benchmarks/fix_bench.py [--seconds 20] [--repeat 3]

Re-mux-only cases (the container, extension or brand is wrong, the streams are fine): a Matroska file
named .mp4, a QuickTime file named .mp4, an MP4 named .mov, each a busy 1080p clip made by ffmpeg.
vidlint's plan (stream copy, re-checked) is timed whole (checking, planning, ffmpeg, re-check) against
the one generic command a seller would otherwise run on every file (``-c:v libx264 -preset medium
-crf 20 -c:a aac -b:a 128k -movflags +faststart``), on the same files, taking turns; the medians of
``--repeat`` runs, and the output sizes.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import vidlint

NAIVE = ["-c:v", "libx264", "-preset", "medium", "-crf", "20", "-pix_fmt", "yuv420p",
         "-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart"]  # fmt: skip
REMUX_CASES = (("matroska", "mkv_named.mp4"), ("mov", "qt_named.mp4"), ("mp4", "mp4_named.mov"))


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", *args], check=True)


def busy_clip(path: Path, size: str, seconds: float, muxer: str = "mp4") -> Path:
    """A clip with moving detail and a tone (testsrc2), x264 CRF 18: a stand-in for a product video."""
    ffmpeg("-f", "lavfi", "-i", f"testsrc2=size={size}:rate=25", "-f", "lavfi", "-i", "sine=frequency=440",
           "-t", str(seconds), "-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-pix_fmt", "yuv420p",
           "-c:a", "aac", "-shortest", "-f", muxer, str(path))  # fmt: skip
    return path


def remux_bench(folder: Path, seconds: float, repeat: int) -> None:
    files = [busy_clip(folder / name, "1920x1080", seconds, muxer) for muxer, name in REMUX_CASES]
    for path in files:
        assert not vidlint.check(path, "samsclub").passed, path
    plan_s, naive_s = [], []
    plan_size = naive_size = 0
    for turn in range(repeat):
        out = folder / f"plan{turn}"
        started = time.perf_counter()
        result = vidlint.fix([str(p) for p in files], ["samsclub", "trendyol"], out_dir=out)
        plan_s.append(time.perf_counter() - started)
        assert all(f.status == "fixed" and f.stream_copy for f in result.files), result
        plan_size = sum(Path(f.output or "").stat().st_size for f in result.files)
        started = time.perf_counter()
        naive_out = folder / f"naive{turn}"
        naive_out.mkdir()
        for path in files:
            ffmpeg("-i", str(path), *NAIVE, str(naive_out / (path.stem + ".mp4")))
        naive_s.append(time.perf_counter() - started)
        naive_size = sum(p.stat().st_size for p in naive_out.iterdir())
    plan, naive = statistics.median(plan_s), statistics.median(naive_s)
    print(f"re-mux only, {len(files)} files of {seconds:g} s 1080p25 (medians of {repeat}):")
    print(f"  vidlint fix (stream copy + re-check): {plan:.2f} s, {plan_size:,} bytes")
    print(f"  naive full re-encode:                 {naive:.2f} s, {naive_size:,} bytes")
    ratio = plan_size / naive_size
    print(f"  vidlint is {naive / plan:.1f}x faster; output {ratio:.2f}x the naive size (original streams)")


def quality(output: Path, reference: Path, prepare: str) -> tuple[float, float]:
    """SSIM (All) and PSNR (average, dB) of ``output`` (after ``prepare``) against ``reference``."""
    graph = f"[0:v]{prepare}split[a][b];[1:v]split[c][d];[a][c]ssim;[b][d]psnr"
    run = subprocess.run(["ffmpeg", "-hide_banner", "-i", str(output), "-i", str(reference), "-lavfi", graph,
                          "-f", "null", "-"], capture_output=True, text=True, check=True)  # fmt: skip
    ssim = float(re.findall(r"SSIM .* All:([\d.]+)", run.stderr)[-1])
    psnr = float(re.findall(r"PSNR .* average:([\d.inf]+)", run.stderr)[-1])
    return ssim, psnr


def quality_bench(folder: Path, seconds: float) -> None:
    hd = busy_clip(folder / "hd720.mp4", "1280x720", seconds)
    tall = busy_clip(folder / "vertical.mp4", "1080x1920", seconds)
    result = vidlint.fix([str(hd), str(tall)], ["samsclub"], out_dir=folder / "quality")
    scaled, padded = (Path(f.output or "") for f in result.files)
    assert all(f.status == "fixed" for f in result.files), result
    # scaled 1280x720 -> 1920x1080: scaled back down to the input's size, then compared
    ssim, psnr = quality(scaled, hd, "scale=1280:720:flags=bicubic,")
    print(f"scaled 1280x720 -> 1920x1080 (x264 medium, CRF 20), scaled back and compared: SSIM {ssim:.4f}, "
          f"PSNR {psnr:.2f} dB")  # fmt: skip
    frame = vidlint.probe(padded).main_video
    assert frame is not None
    left = (frame.stored_width - 1080) // 2
    ssim, psnr = quality(padded, tall, f"crop=1080:1920:{left}:0,")
    print(f"padded 1080x1920 -> {frame.stored_width}x{frame.stored_height} (content kept 1:1), content "
          f"compared: SSIM {ssim:.4f}, PSNR {psnr:.2f} dB")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="length of the re-mux test clips")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quality-seconds", type=float, default=6.0, help="length of the quality clips")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        remux_bench(Path(folder), args.seconds, args.repeat)
        quality_bench(Path(folder), args.quality_seconds)


if __name__ == "__main__":
    main()
