"""What every command shares: exit codes, the usage error, warnings, and the end of start-up."""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
from collections.abc import Sequence

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2  # 130: interrupted


class UsageError(Exception):
    """Bad arguments or configuration: reported on one line, exit code 2."""


def settled() -> None:
    """Start-up is over: what it built lives until exit and is never collected again (gc.freeze);
    collection goes back on for what a long run allocates."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def warn(message: str) -> None:
    print(f"vidlint: warning: {message}", file=sys.stderr)


def prestart_probe(paths: Sequence[str]) -> None:
    """``vidlint check`` on local files: start a probe worker now, so that its start (the probe's
    modules and native libraries) overlaps loading the packs; a few files (pre-commit's common case)
    are probed ahead. Called once the cache has not answered (or with --no-cache, before anything
    else: it pays ~5 ms of imports that a cached answer need not pay); a second call does nothing."""
    from vidlint.model.source import is_url

    if not paths or not all(is_url(p) for p in paths):
        from vidlint.probing.spawn import FEW_FILES, prestart

        few = len(paths) <= FEW_FILES and all(os.path.isfile(path) for path in paths)
        with contextlib.suppress(OSError):  # no process can be started now: the pipeline says so per file
            prestart(ahead=paths if few else ())


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1 (--jobs and the like)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text!r}")
    return value
