"""``vidlint fix``: turn a failing video into one that every chosen marketplace accepts, and prove it.

The limits are the intersection of the chosen packs' rules (:mod:`vidlint.fixing.limits`); the plan is
the cheapest ffmpeg job that meets them (:mod:`vidlint.fixing.plan`; frame rate, profile, bit depth
and HDR in :mod:`vidlint.fixing.video`; built with ffmpeg-python in :mod:`vidlint.fixing.command`);
every output is re-checked with the same packs before it is reported as fixed and moved into place
(:mod:`vidlint.fixing.fixer`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from vidlint.fixing.options import FixOptions, Quality
from vidlint.fixing.result import FileFix, FixResult

if TYPE_CHECKING:
    from vidlint.packs.overrides import Overrides
    from vidlint.packs.pack import Pack

__all__ = ["FileFix", "FixOptions", "FixResult", "Quality", "fix"]


def fix(
    source: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    marketplaces: Iterable[str | Pack],
    *,
    out_dir: str | os.PathLike[str] | None = None,
    in_place: bool = False,
    dry_run: bool = False,
    crop: bool = False,
    overwrite: bool = False,
    jobs: int = 1,
    timeout_s: float = 600.0,
    quality: Quality | None = None,
    overrides: Overrides | None = None,
) -> FixResult:
    """Fix ``source`` (a path, or several) so that it passes every marketplace of ``marketplaces`` at
    once; each output is re-checked with the same packs before it counts as fixed.

    Outputs go to ``out_dir`` (default ``vidlint-fixed`` in the working folder) under the input's name
    (the extension changed when the container must); ``in_place`` replaces the input atomically
    instead. An input is never overwritten otherwise, nor an existing output unless ``overwrite``.
    ``dry_run`` plans and writes nothing. Raises UnknownMarketplaceError / ConfigError like ``check``.
    """
    from vidlint.api import _packs
    from vidlint.fixing.fixer import fix_sources

    sources = [os.fspath(source)] if isinstance(source, str | os.PathLike) else [os.fspath(s) for s in source]
    packs = _packs(marketplaces, overrides)
    options = FixOptions(
        out_dir=Path(out_dir) if out_dir is not None else None,
        in_place=in_place,
        dry_run=dry_run,
        crop=crop,
        overwrite=overwrite,
        jobs=jobs,
        timeout_s=timeout_s,
        quality=quality or Quality(),
    )
    return fix_sources(sources, packs, options)
