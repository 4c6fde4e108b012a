"""Paths and the sparse-file maker the URL tests share."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_media"
OVER_LIMIT = "over_limit_4s.mp4"
MARKETPLACES = ("trendyol", "samsclub", "akinon", "ecwid", "shoplive")


def make_sparse(path: Path, size_bytes: int, *, duration_s: float) -> None:
    """sample_media/make_samples.py's make_sparse_faststart (the script is not a package)."""
    spec = importlib.util.spec_from_file_location("make_samples", SAMPLES / "make_samples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_samples"] = module  # its dataclasses look their module up here
    spec.loader.exec_module(module)
    module.make_sparse_faststart(path, size_bytes, duration_s=duration_s)
