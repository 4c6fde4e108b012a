"""Constants and helpers shared by the CLI tests (fixtures live in conftest.py)."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

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


def without_root_powers() -> list[str]:
    """A command prefix under which permission bits apply: as root, drop the capabilities that
    bypass them (setpriv, util-linux); otherwise nothing is needed."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: permission bits cannot be enforced")
    return [setpriv, "--bounding-set", "-dac_override,-dac_read_search", "--"]


def deep_folder(top: Path, levels: int = 18) -> Path:
    """``top`` / ``levels`` folders of 250-character names (more than PATH_MAX, 4096, in all), made one
    step at a time through folder descriptors, since no system call takes the whole path; returns the
    path as a string would name it (unusable whole). A clip is left at the bottom."""
    top.mkdir(parents=True, exist_ok=True)
    fd = os.open(top, os.O_RDONLY | os.O_DIRECTORY)
    path = top
    try:
        for level in range(levels):
            name = chr(ord("a") + level % 26) * 250
            os.mkdir(name, dir_fd=fd)
            inner = os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
            os.close(fd)
            fd, path = inner, path / name
        out = os.open("deep.mp4", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        try:
            os.write(out, (SAMPLES / "dur_7s.mp4").read_bytes())
        finally:
            os.close(out)
    finally:
        os.close(fd)
    return path
