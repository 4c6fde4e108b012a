"""What a user hands vidlint to check: a local path or a URL, told apart in one place."""

from __future__ import annotations

import os
import re

Source = str | os.PathLike[str]
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def is_url(source: object) -> bool:
    """True when ``source`` is a string written as a URL (``scheme://...``, leading blanks ignored):
    it goes to the remote layer. Any scheme counts, so ``ftp://host/a.mp4`` is judged as an invalid
    URL rather than as a missing file."""
    return isinstance(source, str) and bool(_SCHEME.match(source.strip()))
