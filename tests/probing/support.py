"""Shared constants and helpers of the probe tests (fixtures live in conftest.py)."""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path
from typing import Any

# tests/support/media.py (pytest puts tests/ on sys.path): the sample paths every suite shares.
from support.media import SAMPLES as SAMPLES

DATA = Path(__file__).resolve().parent / "data"
SPARSE_SIZE = 500_000_001
DURATION_TOL_S = 0.15
MIB = 1024 * 1024


def expected_table() -> dict[str, dict[str, Any]]:
    path = SAMPLES / "expected.toml"
    if not path.exists():
        return {}
    files: dict[str, dict[str, Any]] = tomllib.loads(path.read_text())["files"]
    return files


def make_clip(path: Path, *args: str, seconds: float = 2.0, size: str = "320x240") -> Path:
    """A small real clip made by ffmpeg; ``args`` are output options (codecs, muxer flags, ...)."""
    source = ["-f", "lavfi", "-i", f"testsrc2=s={size}:r=10:d={seconds}"]
    audio = ["-f", "lavfi", "-i", f"sine=d={seconds}"]
    command = ["ffmpeg", "-v", "error", "-y", *source, *audio, "-shortest", *args, str(path)]
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    return path


def rchar() -> int:
    """Bytes this process has read through read() calls so far (Linux /proc/self/io)."""
    with open("/proc/self/io") as io_stats:
        for line in io_stats:
            if line.startswith("rchar:"):
                return int(line.split()[1])
    raise RuntimeError("no rchar in /proc/self/io")
