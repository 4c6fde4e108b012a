"""Calls streamed through probe workers: each call in a killable process, results as each completes.

vidlint.probing.worker's pool runs a batch and returns when its slowest call is done; a catalog needs
the streaming form: a new call starts as soon as any worker is free, and each answer comes out at
once. Everything happens on the calling thread (workers are forked from it, never from a helper
thread: a forked copy of a process with busy threads inherits their memory arenas, and a worker's
memory limit is counted from that). A call that overruns its own time limit has its worker killed and
gets the probe's "timed out" ProbeError; a worker that dies gives its call a ProbeError.
"""

from __future__ import annotations

import select
import time
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from vidlint.probing.worker import Call, _Pool, _retire, timed_out


@dataclass(frozen=True)
class Job:
    key: Hashable  # the caller's handle, handed back with the result
    call: Call
    label: str  # names the source in a ProbeError
    timeout_s: float
    group: str = ""  # jobs of one group (a host) run at most ``per_group`` at a time


@dataclass
class _Running:
    worker: Any
    job: Job
    deadline: float


def stream(
    jobs: Iterable[Job], *, size: int, per_group: int, on_idle: Callable[[], None] | None = None
) -> Iterator[tuple[Job, Any]]:
    """``(job, result)`` for every job, in completion order, at most ``size`` running at once."""
    pool = _Pool(max(1, size))
    source = iter(jobs)
    waiting: list[Job] = []  # pulled, but their group is full
    running: dict[int, _Running] = {}
    groups: dict[str, int] = {}
    exhausted = False
    try:
        while True:
            while len(running) < pool.size:
                job = _next(waiting, groups, per_group)
                if job is None and not exhausted and len(waiting) < 4 * pool.size:
                    job = next(source, None)
                    exhausted = job is None
                    if job is not None and job.group and groups.get(job.group, 0) >= per_group:
                        waiting.append(job)
                        continue
                if job is None:
                    break
                started = _start(pool, job)
                if isinstance(started, _Running):
                    running[started.worker.answers] = started
                    groups[job.group] = groups.get(job.group, 0) + 1
                else:
                    yield job, started
            if not running:
                if exhausted and not waiting:
                    return
                continue
            for job, result in _settle(pool, running):
                groups[job.group] -= 1
                yield job, result
    finally:
        for entry in running.values():
            _retire(entry.worker, kill=True)
        pool.close()


def _next(waiting: list[Job], groups: dict[str, int], per_group: int) -> Job | None:
    for index, job in enumerate(waiting):
        if not job.group or groups.get(job.group, 0) < per_group:
            return waiting.pop(index)
    return None


def _start(pool: _Pool, job: Job) -> _Running | Any:
    from vidlint.probing.worker import _failed

    worker = pool._send(job.call)
    if isinstance(worker, str):
        return _failed(job.label, worker)
    return _Running(worker, job, time.monotonic() + job.timeout_s)


def _settle(pool: _Pool, running: dict[int, _Running]) -> Iterator[tuple[Job, Any]]:
    """Wait for the first answer or the first deadline; then what is answered or overdue."""
    wait_s = max(0.0, min(entry.deadline for entry in running.values()) - time.monotonic())
    ready, _, _ = select.select(list(running), [], [], wait_s)
    for fd in ready:
        entry = running.pop(fd)
        yield entry.job, pool._receive(entry.worker, entry.job.label)
    now = time.monotonic()
    for fd, entry in list(running.items()):
        if entry.deadline <= now:
            del running[fd]
            _retire(entry.worker, kill=True)
            yield entry.job, timed_out(entry.job.label, entry.job.timeout_s)
