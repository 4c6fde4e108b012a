"""Progress bars for the encodes, from ffmpeg's ``-progress`` output (rich, on a terminal only)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from types import TracebackType
from typing import Any


class Bars:
    """One bar per running file (its total: the output's duration), or nothing when ``enabled`` is off."""

    def __init__(self, enabled: bool) -> None:
        self._progress: Any = None
        self._lock = threading.Lock()
        if enabled:
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

            self._progress = Progress(
                TextColumn("{task.description}"), BarColumn(), TimeRemainingColumn(),
                console=Console(stderr=True), transient=True,
            )  # fmt: skip

    def __enter__(self) -> Bars:
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._progress is not None:
            self._progress.stop()

    def track(
        self, name: str, total_s: float | None
    ) -> tuple[Callable[[float], None] | None, Callable[[], None]]:
        """A callback for ffmpeg's seconds written so far, and one to call when the file is done."""
        if self._progress is None:
            return None, lambda: None
        with self._lock:
            task = self._progress.add_task(name, total=total_s or None)

        def advance(seconds: float) -> None:
            self._progress.update(task, completed=seconds)

        def done() -> None:
            self._progress.remove_task(task)

        return advance, done
