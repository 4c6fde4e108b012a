"""Media the tests share: the sample paths, sample_media/make_samples.py, and big files made on demand."""

from __future__ import annotations

import functools
import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_media"
MARKETPLACES = ("trendyol", "samsclub", "akinon", "ecwid", "shoplive")
# issue 14's packs (spec cases in tests/engine/cases/<id>.toml, real clips in tests/packs/test_new_packs.py)
LATER_MARKETPLACES = (
    "ebay", "mercadolibre", "google-merchant", "meta-catalog", "tiktok",
    "amazon-video-ads", "walmart-supplier", "shopify", "wish",
)  # fmt: skip
NO_FILE_RULES = ("ecwid", "shoplive")  # packs that judge URLs or objects only
SPARSE_SIZE = 500_000_000  # big/sparse_500mb.mp4: a 10 s faststart clip grown with a file hole
OVER_LIMIT = "over_limit_4s.mp4"  # big/over_limit_4s.mp4: a 4 s sparse faststart clip of ...
OVER_LIMIT_SIZE = 500_000_001  # ... this many bytes, one over the largest limit


@functools.cache
def make_samples_module() -> ModuleType:
    """sample_media/make_samples.py, loaded once (the script is not a package)."""
    spec = importlib.util.spec_from_file_location("make_samples", SAMPLES / "make_samples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_samples"] = module  # its dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


def make_sparse(path: Path, size_bytes: int, *, duration_s: float = 10.0) -> None:
    """make_samples.py's make_sparse_faststart: a real faststart clip of exactly ``size_bytes`` bytes."""
    make_samples_module().make_sparse_faststart(path, size_bytes, duration_s=duration_s)


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
