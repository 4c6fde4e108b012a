"""Constants and helpers shared by the CLI tests (fixtures live in conftest.py)."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_media"
VIDLINT = str(Path(sys.executable).with_name("vidlint"))  # the installed console script
OK_CLIP = "ok_h264_aac_1080p_10s.mp4"


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


Cli = Callable[..., Run]


def copy_sample(name: str, dest: Path) -> Path:
    """A real clip from sample_media (made by ffmpeg), copied (not linked) to ``dest``."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SAMPLES / name, dest)
    return dest
