"""Isolation: every path probe runs in a worker process that is killed when it overruns its time.

A native library can spin for a minute on a hostile file (measured: 70 s in libmediainfo) and
cannot be interrupted in process. ``probe`` reuses one lazily started pebble worker, so a call costs
a round trip over a pipe, not a fork; ``probe_many`` runs a pool of its own.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, TypeVar

from vidlint.errors import ProbeError
from vidlint.facts import MediaFacts
from vidlint.probe.parts import one_line
from vidlint.probe.paths import shown

if TYPE_CHECKING:
    from pebble import ProcessPool

T = TypeVar("T")
MAX_TASKS_PER_WORKER = 1000  # recycle a worker now and then, whatever native code leaks
# A hostile file can make libmediainfo allocate gigabytes in seconds; a worker (~90 MB) and an
# ffprobe child (~300 MB of mappings) stay far below this.
MEMORY_LIMIT_BYTES = 1024 * 1024 * 1024
_lock = threading.Lock()
_shared: ProcessPool | None = None
_exit_hook_registered = False


def probe(source: str | os.PathLike[str], *, timeout_s: float = 30.0) -> MediaFacts:
    """Facts about a local file, read header-only in a worker killed after ``timeout_s`` seconds.

    Raises ProbeError (one line) when the path is missing, a directory, not a regular file,
    unreadable, or the probe timed out or crashed; any content at all yields MediaFacts.
    """
    path = os.fsdecode(source)
    return call_isolated(_probe_task, path, os.getcwd(), timeout_s, timeout_s=timeout_s, label=path)


def probe_many(
    paths: Sequence[str | os.PathLike[str]], *, jobs: int | None = None, timeout_s: float = 30.0
) -> list[MediaFacts | ProbeError]:
    """``probe`` over ``jobs`` workers (default: one per CPU), in order; a failure costs only its own file."""
    names = [os.fsdecode(p) for p in paths]
    cwd = os.getcwd()
    calls = [(_probe_task, (name, cwd, timeout_s)) for name in names]
    return run_many(calls, labels=names, jobs=jobs, timeout_s=timeout_s)


def run_many(
    calls: Sequence[tuple[Callable[..., T | ProbeError], tuple[Any, ...]]],
    *,
    labels: Sequence[str],
    jobs: int | None,
    timeout_s: float,
) -> list[T | ProbeError]:
    """Each ``function(*args)`` in a pool of its own, each under its own time limit, results in order."""
    if not calls:
        return []
    pool = _new_pool(max(1, min(jobs or os.cpu_count() or 1, len(calls))))
    try:
        futures = [pool.schedule(function, args, timeout=timeout_s) for function, args in calls]
        return [_settle(future, label, timeout_s) for future, label in zip(futures, labels, strict=True)]
    finally:
        pool.stop()  # type: ignore[no-untyped-call]  # pebble leaves stop() unannotated
        pool.join()


def call_isolated(function: Callable[..., T | ProbeError], *args: Any, timeout_s: float, label: str) -> T:
    """Run ``function(*args)`` in the shared worker; ProbeError when it overruns, the worker dies,
    or the function returns a ProbeError."""
    outcome = _settle(_schedule_shared(function, args, timeout_s), label, timeout_s)
    if isinstance(outcome, ProbeError):
        raise outcome
    return outcome


def _schedule_shared(function: Callable[..., T], args: tuple[Any, ...], timeout_s: float) -> Future[T]:
    try:
        return _shared_pool().schedule(function, args, timeout=timeout_s)
    except RuntimeError:  # the pool broke (every worker died at once): start a fresh one
        _shutdown()
        return _shared_pool().schedule(function, args, timeout=timeout_s)


def _probe_task(path: str, cwd: str, timeout_s: float) -> MediaFacts | ProbeError:
    """Runs in the worker: the outcome travels back as a value, never as a traceback.

    A relative path is resolved against the caller's working folder (``cwd``), not the folder the
    long-lived worker started in, and reported as the caller gave it.
    """
    from vidlint.probe.local import probe_path

    try:
        deadline_s = time.monotonic() + timeout_s * 0.8  # leave ffprobe's timeout inside ours
        target = os.path.join(cwd, path) if path else path  # "" stays missing, not the folder itself
        return probe_path(target, name=path, deadline_s=deadline_s)
    except ProbeError as exc:
        return exc
    except Exception as exc:  # a bug in vidlint or a backend: report it for this file, keep going
        return ProbeError(one_line(f"internal error probing {shown(path)}: {type(exc).__name__}: {exc}"))


def _settle(future: Future[T], label: str, timeout_s: float) -> T | ProbeError:
    from pebble import ProcessExpired

    try:
        return future.result()
    except TimeoutError:
        return ProbeError(f"probe timed out after {timeout_s:g} s: {shown(label)}")
    except ProcessExpired as exc:
        return ProbeError(f"probe worker died ({_exit_reason(exc.exitcode)}): {shown(label)}")
    except Exception as exc:  # the pool itself broke (e.g. could not start a worker)
        return ProbeError(one_line(f"probe failed for {shown(label)}: {type(exc).__name__}: {exc}"))


def _exit_reason(code: int | None) -> str:
    import signal

    if code is not None and code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            pass
    return f"exit code {code}"


def _warm_up() -> None:
    """Worker initializer: cap memory, and load the native libraries before the first file arrives."""
    import io

    from vidlint.probe import mediainfo, sniff

    _limit_memory(MEMORY_LIMIT_BYTES)
    sniff.mime_type(b"")
    if mediainfo.available():
        mediainfo.run(io.BytesIO(b""))


def _limit_memory(limit: int) -> None:
    try:
        import resource
    except ImportError:  # not POSIX: no limit, the time limit still applies
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    if soft == resource.RLIM_INFINITY or soft > limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _new_pool(workers: int) -> ProcessPool:
    import multiprocessing

    from pebble import ProcessPool

    # fork is the cheap start on Linux (a worker is ready in milliseconds); elsewhere keep the default
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else None)
    return ProcessPool(
        max_workers=workers, max_tasks=MAX_TASKS_PER_WORKER, initializer=_warm_up, context=context
    )


def _shared_pool() -> ProcessPool:
    global _shared, _exit_hook_registered
    with _lock:
        if _shared is None:
            _shared = _new_pool(1)
        if not _exit_hook_registered:
            # pool workers are not daemons: stop them before multiprocessing's own exit hook joins them
            atexit.register(_shutdown)
            _exit_hook_registered = True
        return _shared


def _shutdown() -> None:
    global _shared
    with _lock:
        pool, _shared = _shared, None
    if pool is not None:
        pool.stop()  # type: ignore[no-untyped-call]  # pebble leaves stop() unannotated
        pool.join()


def _forget_after_fork() -> None:
    """A forked child owns none of the parent's workers or pool threads."""
    global _shared, _lock
    _shared, _lock = None, threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_after_fork)
