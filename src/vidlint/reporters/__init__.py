"""Output formats: each module turns the same Reports into one text, and nothing else."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from vidlint.model.report import Report
    from vidlint.reporters.sarif import RuleDoc

FORMATS = ("text", "json", "sarif", "junit", "github")


def write(
    fmt: str,
    reports: Sequence[Report],
    out: TextIO,
    *,
    fail_on: str = "error",
    quiet: bool = False,
    stats: str = "",
    docs: Mapping[str, RuleDoc] | None = None,
    color: bool = False,
    started: tuple[float, float] | None = None,
) -> None:
    """Render ``reports`` in ``fmt`` onto ``out`` (colour only for text, only when asked).
    ``started``: the run's start as (``time.time()``, ``time.perf_counter()``), for JUnit's times."""
    if fmt == "text":
        from vidlint.reporters import text

        text.write(reports, out, fail_on=fail_on, quiet=quiet, stats=stats, color=color)
    elif fmt == "json":
        from vidlint.reporters import json

        out.write(json.render(reports))
    elif fmt == "sarif":
        from vidlint.reporters import sarif

        out.write(sarif.render(reports, docs=docs))
    elif fmt == "junit":
        from vidlint.reporters import junit

        out.write(junit.render(reports, fail_on=fail_on, started=started))
    elif fmt == "github":
        from vidlint.reporters import github

        out.write(github.render(reports))
    else:
        raise ValueError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
