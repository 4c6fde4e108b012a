"""Where the result cache lives, known without opening it (sqlite3 costs ~3 ms to import, which a
``--no-cache`` run need not pay to keep the folder out of its walk)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

CACHE_ENV = "VIDLINT_CACHE_DIR"


def cache_dir() -> Path:
    """$VIDLINT_CACHE_DIR, else the user's cache folder."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override)
    if sys.platform == "linux" and "ANDROID_DATA" not in os.environ:
        # platformdirs' answer on Linux (XDG), without its import (~10 ms of every start)
        base = os.environ.get("XDG_CACHE_HOME", "")
        return Path(base if base.strip() else os.path.expanduser("~/.cache"), "vidlint")
    import platformdirs

    return Path(platformdirs.user_cache_dir("vidlint", appauthor=False))
