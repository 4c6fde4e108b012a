"""Isolation: every path probe runs in a worker process that is killed when it overruns its time.

A native library can spin for a minute on a hostile file (measured: 70 s in libmediainfo) and
cannot be interrupted in process. A worker is a plain forked child that takes pickled calls on one
pipe and answers on another: ``probe`` reuses one lazily started worker (a call costs a round trip,
not a fork), ``probe_many`` starts up to ``jobs`` of its own, and ``prestart`` starts one ahead of
need (vidlint.probing.spawn forks them, importing nothing: the CLI starts one first thing). A worker
reads end-of-file when its parent closes the pipe or exits, and then exits itself, so nothing waits
for workers at exit (pebble's pool cost ~85 ms to shut down, and polled every 0.1 s).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from vidlint.errors import ProbeError, one_line
from vidlint.probing.paths import shown
from vidlint.probing.serving import probe_task as _probe_task
from vidlint.probing.serving import read_frame as _read_frame
from vidlint.probing.serving import write_frame as _write_frame
from vidlint.probing.spawn import PARENT_FDS, SPARES, Worker, spawn
from vidlint.probing.spawn import TIMEOUT_S as TIMEOUT_S  # the callers' default time limit

if TYPE_CHECKING:
    from vidlint.model.facts import MediaFacts

T = TypeVar("T")
Call = tuple[Callable[..., Any], tuple[Any, ...]]
MAX_TASKS_PER_WORKER = 1000  # recycle a worker now and then, whatever native code leaks
_lock = threading.Lock()
_shared: _Pool | None = None
_spares: list[Worker] = SPARES  # started ahead by ``prestart``, taken by the first pool that needs one
_parent_fds: set[int] = PARENT_FDS  # our ends of every live worker's pipes


def probe(source: str | os.PathLike[str], *, timeout_s: float = TIMEOUT_S) -> MediaFacts:
    """Facts about a local file, read header-only in a worker killed after ``timeout_s`` seconds.

    Raises ProbeError (one line) when the path is missing, a directory, not a regular file,
    unreadable, or the probe timed out or crashed; any content at all yields MediaFacts.
    """
    path = os.fsdecode(source)
    facts: MediaFacts = call_isolated(
        _probe_task, path, os.getcwd(), timeout_s, timeout_s=timeout_s, label=path
    )
    return facts


def probe_many(
    paths: Sequence[str | os.PathLike[str]], *, jobs: int | None = None, timeout_s: float = TIMEOUT_S
) -> list[MediaFacts | ProbeError]:
    """``probe`` over ``jobs`` workers (default: one per CPU), in order; a failure costs only its own file."""
    pool = ProbePool(jobs)
    try:
        return pool.probe_many(paths, timeout_s=timeout_s)
    finally:
        pool.close()


class ProbePool:
    """Probe workers kept across batches (a pipeline's chunks): each starts once, all stop at ``close``."""

    def __init__(self, jobs: int | None = None) -> None:
        self._pool = _Pool(max(1, jobs or os.cpu_count() or 1))

    def probe_many(
        self, paths: Sequence[str | os.PathLike[str]], *, timeout_s: float = TIMEOUT_S
    ) -> list[MediaFacts | ProbeError]:
        """As :func:`probe_many`, on this pool's workers."""
        names = [os.fsdecode(p) for p in paths]
        cwd = os.getcwd()
        calls: list[Call] = [(_probe_task, (name, cwd, timeout_s)) for name in names]
        return self._pool.run(calls, names, timeout_s) if calls else []

    def close(self) -> None:
        self._pool.close()


def prestart(ahead: Sequence[str] = ()) -> None:
    """Start a worker now, so that its own start (the probe's modules and native libraries, ~25 ms)
    overlaps the caller's work until the first probe; any pool takes it before starting its own.

    ``ahead``: files the caller is about to ``probe``. The worker probes them as soon as it is up and
    answers those calls from what it found, unless the file changed meanwhile: the probe of a single
    file (a pre-commit run) then overlaps the caller's work too. Nothing happens once the shared worker
    exists (a later ``probe`` goes to it: a spare would only sit idle)."""
    with _lock:
        if not _spares and _shared is None:
            cwd = os.getcwd()
            _spares.append(spawn([(os.path.abspath(path), cwd, TIMEOUT_S) for path in ahead]))


def run_many(
    calls: Sequence[Call], *, labels: Sequence[str], jobs: int | None, timeout_s: float
) -> list[Any]:
    """Each ``function(*args)`` in workers of their own, each under its own time limit, results in order;
    a call that overran, crashed its worker or raised gives a ProbeError in its place."""
    if not calls:
        return []
    pool = _Pool(max(1, min(jobs or os.cpu_count() or 1, len(calls))))
    try:
        return pool.run(calls, labels, timeout_s)
    finally:
        pool.close()


def call_isolated(function: Callable[..., T | ProbeError], *args: Any, timeout_s: float, label: str) -> T:
    """Run ``function(*args)`` in the shared worker; ProbeError when it overruns, the worker dies,
    or the function raises or returns a ProbeError."""
    global _shared
    with _lock:
        if _shared is None:
            _shared = _Pool(1)
        outcome = _shared.run([(function, args)], [label], timeout_s)[0]
    if isinstance(outcome, ProbeError):
        raise outcome
    result: T = outcome
    return result


class _Pool:
    """Up to ``size`` workers, started when needed and kept between runs until closed."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._idle: list[Worker] = []

    def run(self, calls: Sequence[Call], labels: Sequence[str], timeout_s: float) -> list[Any]:
        results: list[Any] = [None] * len(calls)
        queue = deque(range(len(calls)))
        running: dict[int, tuple[Worker, int, float]] = {}  # answers fd -> (worker, call index, deadline)
        try:
            while queue or running:
                while queue and len(running) < self.size:
                    index = queue.popleft()
                    worker = self._send(calls[index])
                    if isinstance(worker, Worker):
                        running[worker.answers] = (worker, index, time.monotonic() + timeout_s)
                    else:
                        results[index] = _failed(labels[index], worker)
                self._collect(running, results, labels, timeout_s)
        except BaseException:
            for worker, _, _ in running.values():
                _retire(worker, kill=True)
            raise
        return results

    def close(self) -> None:
        """Stop the idle workers (they read end-of-file and exit)."""
        idle, self._idle = self._idle, []
        for worker in idle:
            _retire(worker, kill=False)

    def _send(self, call: Call) -> Worker | str:
        """The worker now running ``call``, or why the call could not be sent."""
        try:
            frame = pickle.dumps(call, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # an argument that cannot travel: this call's failure
            return f"{type(exc).__name__}: {exc}"
        for _ in range(2):  # an idle worker may have died meanwhile (OOM killer): then a fresh one
            worker = self._idle.pop() if self._idle else _spare_or_new()
            try:
                _write_frame(worker.calls, frame)
                return worker
            except OSError:
                _retire(worker, kill=True)
        return "cannot reach a probe worker"

    def _collect(
        self,
        running: dict[int, tuple[Worker, int, float]],
        results: list[Any],
        labels: Sequence[str],
        timeout_s: float,
    ) -> None:
        """Wait for the first answer or the first deadline, then settle what is done or overdue."""
        if not running:
            return
        wait_s = max(0.0, min(deadline for _, _, deadline in running.values()) - time.monotonic())
        ready, _, _ = select.select(list(running), [], [], wait_s)
        for fd in ready:
            worker, index, _ = running.pop(fd)
            results[index] = self._receive(worker, labels[index])
        now = time.monotonic()
        for fd, (worker, index, deadline) in list(running.items()):
            if deadline <= now:
                del running[fd]
                _retire(worker, kill=True)
                results[index] = timed_out(labels[index], timeout_s)

    def _receive(self, worker: Worker, label: str) -> Any:
        frame = _read_frame(worker.answers)
        if frame is None:  # the answer pipe closes only when the worker has exited
            code = _retire(worker, kill=False)
            if code == -signal.SIGALRM:  # its own alarm: a file probed ahead ran out of time there
                return timed_out(label, worker.alarm_s or TIMEOUT_S)
            return ProbeError(f"probe worker died ({_exit_reason(code)}): {shown(label)}")
        worker.served += 1
        if worker.served >= MAX_TASKS_PER_WORKER:
            _retire(worker, kill=False)
        else:
            self._idle.append(worker)
        try:
            status, value = pickle.loads(frame)
        except Exception as exc:  # an answer this process cannot rebuild: this call's failure
            return _failed(label, f"{type(exc).__name__}: {exc}")
        return _failed(label, value) if status == "raised" else value


def timed_out(label: str, timeout_s: float) -> ProbeError:
    """The one wording of a probe that ran out of time, which names the limit: "probe timed out after
    10 s: PATH" (vidlint.run keeps such a verdict by its prefix, "probe timed out after ")."""
    return ProbeError(f"probe timed out after {timeout_s:g} s: {shown(label)}")


def _failed(label: str, reason: str) -> ProbeError:
    return ProbeError(one_line(f"probe failed for {shown(label)}: {reason}"))


def _spare_or_new() -> Worker:
    try:
        return _spares.pop()
    except IndexError:
        return spawn()


def _retire(worker: Worker, *, kill: bool) -> int | None:
    """Close our ends (an idle worker then exits), kill it first if asked, reap it: its exit code
    (negative: the signal that ended it), None when it was already gone."""
    for fd in (worker.calls, worker.answers):
        _parent_fds.discard(fd)
        os.close(fd)
    if kill:  # not reaped yet, so the pid cannot have been reused
        with contextlib.suppress(ProcessLookupError):
            os.kill(worker.pid, signal.SIGKILL)
    try:
        _, status = os.waitpid(worker.pid, 0)
    except ChildProcessError:
        return None
    return os.waitstatus_to_exitcode(status)


def _exit_reason(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            pass
    return f"exit code {code}"


def _forget_after_fork() -> None:
    """A forked child (a worker, or the caller's own) owns none of the parent's workers."""
    global _shared, _lock
    _shared, _lock = None, threading.Lock()
    _spares.clear()  # a list a test put in place of spawn.SPARES (which clears itself)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_after_fork)
