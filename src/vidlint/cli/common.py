"""What every command shares: exit codes, the usage error, warnings, and the end of start-up."""

from __future__ import annotations

import gc
import sys

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
