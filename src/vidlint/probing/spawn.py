"""Starting a probe worker: a plain fork with two pipes, and nothing imported but ``os``.

The console script forks the worker of ``vidlint check --no-cache`` before it imports anything else
(vidlint.cli.run): the worker's own start (the probe's modules, libmagic, libmediainfo: most of a
cold check) then overlaps all of the command's. A worker holds none of the caller's standard streams
and leaves when the caller's end of its pipe closes. vidlint.probing.worker holds the rest (the
calls, time limits, pools).
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing itself costs a cold start ~3 ms; mypy reads the block below
if TYPE_CHECKING:
    from collections.abc import Sequence

    Ahead = Sequence[tuple[str, str, float]]  # (absolute path, caller's folder, time limit) to probe first

# A probe's time limit, unless the caller gives one. A header-only probe takes milliseconds: over 76
# files (every sample, 1-hour clips with an 880 KB moov, moov at the end or fragmented, a 500 MB
# sparse file, ffmpeg's other layouts, NUT and Ogg that get the ffprobe second opinion) the slowest
# took 0.13 s (NUT, on a 2-core machine busy with another job), a fresh worker's first probe 0.09 s.
# Ten seconds is ~80x that, room for a loaded CI machine; a probe that needs more is a hostile file
# spinning a native library (70 s measured in libmediainfo), and waiting 30 s for it bought nothing.
TIMEOUT_S = 10.0
# Up to this many files go one after the other to the one shared worker (which may have probed them
# ahead): a warm worker reads a header in ~3 ms, while starting another costs ~25 ms of CPU.
FEW_FILES = 4
SPARES: list[Worker] = []  # started ahead, taken by the first pool that needs a worker
PARENT_FDS: set[int] = set()  # our ends of every live worker's pipes: a forked child closes them


class Worker:
    """Our side of one worker: its pid, the pipe we write calls to and the pipe we read answers from."""

    __slots__ = ("alarm_s", "answers", "calls", "pid", "served")

    def __init__(self, pid: int, calls: int, answers: int, *, alarm_s: float | None = None) -> None:
        self.pid = pid
        self.calls = calls
        self.answers = answers
        self.served = 0
        self.alarm_s = alarm_s  # the time limit of the files it probes ahead, under SIGALRM


def prestart(ahead: Sequence[str] = ()) -> None:
    """Start a spare worker now, probing ``ahead`` (paths) as soon as it is up; nothing when a spare
    is waiting already. Raises OSError when no process can be started."""
    if not SPARES:
        cwd = os.getcwd()
        SPARES.append(spawn([(os.path.abspath(path), cwd, TIMEOUT_S) for path in ahead]))


def spawn(ahead: Ahead = ()) -> Worker:
    calls_r, calls_w = os.pipe()
    answers_r, answers_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker: never returns into the caller's code
        code = 1
        try:
            os.close(calls_w)
            os.close(answers_r)
            _detach_standard_streams()
            from vidlint.probing.serving import serve

            serve(calls_r, answers_w, ahead)
            code = 0
        finally:
            os._exit(code)
    os.close(calls_r)
    os.close(answers_w)
    PARENT_FDS.update((calls_w, answers_r))
    return Worker(pid, calls_w, answers_r, alarm_s=max((args[2] for args in ahead), default=None))


def _detach_standard_streams() -> None:
    """A worker talks through its pipes only. Holding the caller's stdout or stderr would keep them
    open after the caller exits: whoever reads its output (pre-commit, a CI step, a shell's
    ``$(...)``) would wait for a worker still probing ahead. They point at /dev/null instead."""
    try:
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        if null > 2:
            os.close(null)
    except OSError:
        pass


def _forget_after_fork() -> None:
    """A forked child (a worker, or the caller's own) owns none of the parent's workers."""
    SPARES.clear()
    for fd in list(PARENT_FDS):
        try:  # noqa: SIM105 (contextlib is not imported yet, and need not be)
            os.close(fd)
        except OSError:
            pass
    PARENT_FDS.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_after_fork)
