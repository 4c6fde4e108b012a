"""Progress of a catalog run on a terminal (count, rate, ETA, failures so far), and its summary line."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Tally:
    """What a run has done so far."""

    total: int | None = None  # sources listed, when known (a file's rows)
    done: int = 0
    failed: int = 0  # sources with an error in some marketplace
    unreadable: int = 0  # sources that could not be read at all
    skipped: int = 0  # done by a previous run (--resume)
    started: float = field(default_factory=time.perf_counter)

    def rate(self) -> float:
        elapsed = time.perf_counter() - self.started
        return self.done / elapsed if elapsed > 0 else 0.0

    def summary(self) -> str:
        elapsed = time.perf_counter() - self.started
        resumed = f", {self.skipped} skipped (done before)" if self.skipped else ""
        return (
            f"{self.done} sources checked in {elapsed:.1f} s ({self.rate():.1f}/s): "
            f"{self.done - self.failed} passed, {self.failed} failed ({self.unreadable} unreadable){resumed}"
        )


@contextmanager
def shown(tally: Tally, *, enabled: bool) -> Iterator[Any]:
    """Yields ``update()`` (call after each source) while a rich bar is shown on stderr, else a no-op."""
    if not enabled or not sys.stderr.isatty():
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (
        TextColumn("checking"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[rate]}/s"),
        TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
        TextColumn("{task.fields[failed]} failed"),
    )  # fmt: skip
    with Progress(*columns, console=Console(file=sys.stderr), transient=True) as bar:
        task = bar.add_task("check", total=tally.total, rate="0.0", failed=0)

        def update() -> None:
            bar.update(task, completed=tally.done, rate=f"{tally.rate():.1f}", failed=tally.failed)

        yield update
