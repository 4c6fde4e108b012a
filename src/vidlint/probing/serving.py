"""The worker's side of probe isolation: what a forked worker runs (vidlint.probing.spawn starts it).

It answers pickled calls on one pipe with pickled outcomes on another until the caller closes the
pipe, probing first the files it was started ahead for (each under an alarm). The caller's side
(calls, time limits, pools) is vidlint.probing.worker; neither imports the other's process.
"""

from __future__ import annotations

import os
import pickle
import signal
import struct
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from vidlint.errors import ProbeError, one_line
from vidlint.probing.paths import shown

if TYPE_CHECKING:
    from vidlint.model.facts import MediaFacts

# A hostile file can make libmediainfo allocate gigabytes in seconds; a worker (~90 MB) and an
# ffprobe child (~300 MB of mappings) stay far below this.
MEMORY_LIMIT_BYTES = 1024 * 1024 * 1024
_FRAME = struct.Struct("!Q")  # length prefix of one pickled call or answer


def serve(calls: int, answers: int, ahead: Sequence[tuple[str, str, float]]) -> None:
    """Answer calls until the parent closes the pipe (or exits)."""
    import gc

    gc.freeze()  # the inherited heap is never collected here: collecting it would only copy its pages
    _limit_memory(MEMORY_LIMIT_BYTES)
    warm_up()
    gc.freeze()  # the same for the probe's modules (the caller may have turned collection off meanwhile)
    gc.enable()
    early = _probe_ahead(ahead)
    while (frame := read_frame(calls)) is not None:
        write_frame(answers, _answer(frame, early))


Early = dict[tuple[Any, ...], tuple[tuple[int, ...] | None, Any]]  # probe_task args -> (file state, outcome)


def _probe_ahead(ahead: Sequence[tuple[str, str, float]]) -> Early:
    """Probe ``ahead`` before any call asks. Each under an alarm: no parent may be waiting (it can
    exit without asking), and a worker must not spin on a hostile file for ever (SIGALRM ends it).
    The alarm leaves a waiting parent's own time limit the first word (and its message)."""
    early: Early = {}
    for args in ahead:
        signal.setitimer(signal.ITIMER_REAL, args[2] + 5.0)
        early[args] = (_state(args[0]), probe_task(*args))
        signal.setitimer(signal.ITIMER_REAL, 0)
    return early


def _state(path: str) -> tuple[int, ...] | None:
    """What tells a changed file: device, inode, size and modification time (None: no such file)."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns


def _answer(frame: bytes, early: Early) -> bytes:
    try:
        function, args = pickle.loads(frame)
        known = early.pop(args, None) if function is probe_task else None
        fresh = known is not None and known[0] is not None and known[0] == _state(args[0])
        result = known[1] if known is not None and fresh else function(*args)
        return pickle.dumps(("ok", result), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # the call's own failure, reported as its result
        return pickle.dumps(("raised", f"{type(exc).__name__}: {exc}"))


def warm_up() -> None:
    """Load the probe and its native libraries before the first file arrives."""
    import io

    try:
        import vidlint.probing.local  # noqa: F401  # what probe_task imports
        from vidlint.probing import mediainfo, sniff

        sniff.mime_type(b"")
        if mediainfo.available():
            mediainfo.run(io.BytesIO(b""))
    except Exception:  # the probe itself reports what is missing
        pass


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


def write_frame(fd: int, data: bytes) -> None:
    view = memoryview(_FRAME.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view) :]


def read_frame(fd: int) -> bytes | None:
    """One length-prefixed frame; None at end-of-file (also in the middle of a frame)."""
    header = _read_exact(fd, _FRAME.size)
    return None if header is None else _read_exact(fd, _FRAME.unpack(header)[0])


def _read_exact(fd: int, size: int) -> bytes | None:
    chunks, missing = [], size
    while missing:
        chunk = os.read(fd, min(missing, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        missing -= len(chunk)
    return b"".join(chunks)


def probe_task(path: str, cwd: str, timeout_s: float) -> MediaFacts | ProbeError:
    """Runs in the worker: the outcome travels back as a value, never as a traceback.

    A relative path is resolved against the caller's working folder (``cwd``), not the folder the
    long-lived worker started in, and reported as the caller gave it.
    """
    from vidlint.probing.local import probe_path

    try:
        deadline_s = time.monotonic() + timeout_s * 0.8  # leave ffprobe's timeout inside ours
        target = os.path.join(cwd, path) if path else path  # "" stays missing, not the folder itself
        return probe_path(target, name=path, deadline_s=deadline_s)
    except ProbeError as exc:
        return exc
    except Exception as exc:  # a bug in vidlint or a backend: report it for this file, keep going
        return ProbeError(one_line(f"internal error probing {shown(path)}: {type(exc).__name__}: {exc}"))
