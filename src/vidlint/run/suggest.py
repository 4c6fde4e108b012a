"""Hints of "did you mean" for for a misspelt name (difflib, imported only when a name is unknown)."""

from __future__ import annotations

from collections.abc import Iterable


def did_you_mean(word: str, candidates: Iterable[str], prefix: str = "") -> str:
    """`` (did you mean 'x'?)`` for the closest candidate to ``word`` (named with ``prefix``), or ""
    when none is close."""
    import difflib

    close = difflib.get_close_matches(word, sorted(set(candidates)), n=1, cutoff=0.6)
    if not close:
        return ""
    return f" (did you mean {prefix + close[0]!r}?)"
