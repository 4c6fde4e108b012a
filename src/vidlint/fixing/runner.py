"""Running ffmpeg: a time limit, progress from ``-progress pipe:1``, and a kill switch for Ctrl-C.

Each ffmpeg runs in its own session (a Ctrl-C on the terminal reaches vidlint, which then kills every
running ffmpeg itself, so that the clean-up of their temporary files happens in one place).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import tempfile
import threading
from collections.abc import Callable

ProgressCallback = Callable[[float], None]  # seconds of output written so far


class FfmpegError(Exception):
    """ffmpeg failed, was killed, or ran out of its time limit: the message says which (one line)."""


class Running:
    """The ffmpeg processes running now, so that an interruption can stop them all."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._processes: set[subprocess.Popen[bytes]] = set()
        self.cancelled = threading.Event()

    def add(self, process: subprocess.Popen[bytes]) -> None:
        with self._lock:
            self._processes.add(process)
        if self.cancelled.is_set():
            _kill(process)

    def discard(self, process: subprocess.Popen[bytes]) -> None:
        with self._lock:
            self._processes.discard(process)

    def cancel(self) -> None:
        self.cancelled.set()
        with self._lock:
            for process in list(self._processes):
                _kill(process)


def _kill(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):  # it has ended already
        os.killpg(process.pid, signal.SIGKILL)


def run_ffmpeg(
    args: list[str], *, timeout_s: float, running: Running, on_progress: ProgressCallback | None = None
) -> None:
    """Run ``args`` to the end; raises FfmpegError (a missing binary, a failure, a kill, the time limit)."""
    if running.cancelled.is_set():
        raise FfmpegError("interrupted")
    with tempfile.TemporaryFile() as errors:
        try:
            process = subprocess.Popen(
                args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=errors, start_new_session=True
            )
        except OSError as exc:
            raise FfmpegError(f"cannot run {args[0]}: {exc.strerror or exc}") from None
        running.add(process)
        timed_out = threading.Event()

        def expire() -> None:
            timed_out.set()
            _kill(process)

        timer = threading.Timer(timeout_s, expire)
        timer.start()
        try:
            _read_progress(process, on_progress)
            code = process.wait()
        finally:
            timer.cancel()
            if process.poll() is None:
                _kill(process)
            process.wait()
            running.discard(process)
        errors.seek(0)
        tail = errors.read()[-2000:].decode("utf-8", errors="replace")
    if code != 0:
        raise FfmpegError(_why(code, tail, timed_out.is_set(), running.cancelled.is_set(), timeout_s))


def _read_progress(process: subprocess.Popen[bytes], on_progress: ProgressCallback | None) -> None:
    assert process.stdout is not None
    for raw in process.stdout:
        key, _, value = raw.decode("ascii", errors="replace").strip().partition("=")
        if key == "out_time_us" and on_progress is not None and value.strip().isdigit():
            on_progress(int(value) / 1_000_000)


def _why(code: int, tail: str, timed_out: bool, cancelled: bool, timeout_s: float) -> str:
    if timed_out:
        return f"ffmpeg ran out of its time limit ({timeout_s:g} s) and was stopped"
    if cancelled:
        return "interrupted"
    if code < 0:
        name = signal.Signals(-code).name if -code in signal.valid_signals() else str(-code)
        return f"ffmpeg was killed ({name})"
    last = [line.strip() for line in tail.splitlines() if line.strip()]
    return f"ffmpeg failed (exit {code})" + (f": {last[-1][:300]}" if last else "")
