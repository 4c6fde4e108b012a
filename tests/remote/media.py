"""Media for the remote tests: the shared samples, and big files made once per session."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_media"
SPARSE_SIZE = 500_000_000


def make_sparse(path: Path, size_bytes: int) -> None:
    """sample_media/make_samples.py's make_sparse_faststart (the script is not a package)."""
    spec = importlib.util.spec_from_file_location("make_samples", SAMPLES / "make_samples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_samples"] = module  # its dataclasses look their module up here
    spec.loader.exec_module(module)
    module.make_sparse_faststart(path, size_bytes)


def encode(out: Path, *movflags: str) -> None:
    """A 5 s 720p clip at a real bitrate (~6 Mb/s): a few MB, so the index is a small part of it."""
    subprocess.run(
        ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
         "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25:duration=5",
         "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=5",
         "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "6M", "-pix_fmt", "yuv420p", "-threads", "2",
         "-c:a", "aac", "-b:a", "96k", *movflags, str(out)],
        check=True, timeout=120,
    )  # fmt: skip
