"""The warm server: load everything a check uses once, then run each request in a fork of itself.

A fork starts with every module, the builtin packs, libmagic's database and libmediainfo loaded; it
takes the caller's standard streams, folder and environment, runs ``vidlint.cli.app.main`` as the
command would, and sends back the exit code. Requests never share a process: one run's state (its
pool, its cache connection, a crash) is gone with its fork. The server exits after VIDLINT_SERVER_IDLE
seconds without a request (default 900), when ``vidlint server stop`` asks, or when a file of the
vidlint package changes under it (the run that notices is refused and runs in its own process).
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import marshal
import os
import signal
import socket
import struct
import sys
import tempfile
import time
from collections.abc import Iterator
from typing import Any

from vidlint.server import address, wire

IDLE_ENV = "VIDLINT_SERVER_IDLE"
IDLE_S = 900.0
POLL_S = 5.0  # how often an idle server wakes to reap finished runs and look at the clock
REQUEST_TIMEOUT_S = 5.0


def main() -> None:
    key = address.build_key()
    path = address.socket_path(key)
    folder = address.folder()
    if not address.usable(path) or not address.private_folder(folder, create=True):
        return
    with _lock(path + ".lock") as locked:
        if not locked:  # another server of this build is starting or running
            return
        _preload()
        stamp = package_stamp()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)  # left by a server that died: we hold the lock, so nobody listens there
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(path)
        listener.listen(64)
        try:
            _serve(listener, key, stamp, _idle_s())
        finally:
            listener.close()
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
            _reap(block=True)


@contextlib.contextmanager
def _lock(path: str) -> Iterator[bool]:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        yield True
    finally:
        os.close(fd)


def _idle_s() -> float:
    try:
        return max(0.1, float(os.environ.get(IDLE_ENV, IDLE_S)))
    except ValueError:
        return IDLE_S


def _preload() -> None:
    """Import and load what a check uses, by running checks of an empty file into /dev/null (text and
    JSON, every builtin pack, the cache written then read in a folder of its own), and warming the
    probe's native libraries."""
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from vidlint.cli.app import main as command
    from vidlint.probing import serving
    from vidlint.run.cachedir import CACHE_ENV

    serving.warm_up()
    with tempfile.TemporaryDirectory() as folder:
        empty = os.path.join(folder, "empty.mp4")
        open(empty, "wb").close()
        command(["check", "--no-cache", "--format", "json", empty])
        os.environ[CACHE_ENV] = os.path.join(folder, "cache")
        try:
            for _ in range(2):
                command(["check", empty])
        finally:
            del os.environ[CACHE_ENV]
    gc.collect()
    gc.freeze()  # a fork's collections never touch (and so never copy) the preloaded heap


def package_stamp() -> tuple[tuple[str, int, int], ...]:
    """Every source and data file of the vidlint package, with its size and modification time."""
    found = []
    for root, dirs, files in os.walk(address.package_dir()):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in files:
            if name.endswith((".py", ".toml", ".json")):
                info = os.stat(os.path.join(root, name))
                found.append((os.path.join(root, name), info.st_size, info.st_mtime_ns))
    return tuple(sorted(found))


def _serve(listener: socket.socket, key: str, stamp: tuple[Any, ...], idle_s: float) -> None:
    last = time.monotonic()
    listener.settimeout(POLL_S)
    while True:
        _reap(block=False)
        try:
            conn, _ = listener.accept()
        except TimeoutError:
            if time.monotonic() - last > idle_s and not _children:
                return
            continue
        last = time.monotonic()
        with conn:
            if not _answer(conn, listener, key, stamp):
                return


_children: set[int] = set()


def _answer(conn: socket.socket, listener: socket.socket, key: str, stamp: tuple[Any, ...]) -> bool:
    """Start the run a request asks for; False when this server must stop (stop asked, or stale)."""
    request = _request(conn)
    if request is None:
        return True
    doc, fds = request
    try:
        if doc.get("stop"):
            conn.sendall(wire.frame(wire.CODE, 0))
            return False
        stale = package_stamp() != stamp
        if doc.get("key") != key or stale or not doc.get("cwd"):
            conn.sendall(wire.frame(wire.REFUSED, 0))
            return not stale
        if doc.get("status"):
            conn.sendall(wire.frame(wire.CODE, os.getpid()))
            return True
        pid = os.fork()
        if pid == 0:
            _run(conn, listener, fds, doc)
        _children.add(pid)
        return True
    finally:
        for fd in fds:
            os.close(fd)


def _request(conn: socket.socket) -> tuple[dict[str, Any], list[int]] | None:
    """The request and its descriptors; None (descriptors closed) for anything malformed, or a caller
    that is not this user."""
    conn.settimeout(REQUEST_TIMEOUT_S)
    fds: list[int] = []
    try:
        if not _same_user(conn):
            return None
        data, fds, _, _ = socket.recv_fds(conn, 65536, 3)
        while data and len(data) < 4:
            data += conn.recv(4 - len(data))
        size = wire.request_size(data)
        if size > wire.MAX_REQUEST:
            raise ValueError("request too large")
        while len(data) < 4 + size:
            chunk = conn.recv(min(1 << 20, 4 + size - len(data)))
            if not chunk:
                raise ValueError("request cut short")
            data += chunk
        doc = marshal.loads(data[4 : 4 + size])
        if not isinstance(doc, dict):
            raise ValueError("not a request")
        return doc, fds
    except (OSError, ValueError, EOFError, TypeError):
        for fd in fds:
            os.close(fd)
        return None


def _same_user(conn: socket.socket) -> bool:
    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:  # not Linux: the private folder is the only guard
        return True
    _, uid, _ = struct.unpack("3i", conn.getsockopt(socket.SOL_SOCKET, option, struct.calcsize("3i")))
    return bool(uid == os.getuid())


def _run(conn: socket.socket, listener: socket.socket, fds: list[int], doc: dict[str, Any]) -> None:
    """In the fork: become the caller's command, then report its exit code. Never returns."""
    code = 1
    try:
        listener.close()
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        for target, fd in enumerate(fds[:3]):
            os.dup2(fd, target)
        _streams(doc.get("encodings") or [])
        os.environ.clear()
        os.environ.update(doc["env"])
        os.chdir(doc["cwd"])
        argv = [str(word) for word in doc["argv"]]
        sys.argv = ["vidlint", *argv]
        conn.sendall(wire.frame(wire.PID, os.getpid()))
        from vidlint.cli.app import main as command

        gc.disable()  # as the console script: a run's objects live until it exits
        code = command(argv)
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:  # a bug: shown as the command would show it, the code says so
        import traceback

        with contextlib.suppress(Exception):
            traceback.print_exc()
            sys.stderr.flush()
    finally:
        with contextlib.suppress(OSError):
            conn.sendall(wire.frame(wire.CODE, code))
        os._exit(0)


def _streams(encodings: list[str]) -> None:
    """New stdin, stdout and stderr on the caller's descriptors: buffering, and whether each is a
    terminal, are the caller's (the server's own were /dev/null)."""
    names = [*encodings, "utf-8", "utf-8", "utf-8"][:3]
    sys.stdin = open(0, encoding=names[0], errors="surrogateescape", closefd=False)  # noqa: SIM115
    sys.stdout = open(1, "w", encoding=names[1], errors="backslashreplace", closefd=False)  # noqa: SIM115
    sys.stderr = open(2, "w", encoding=names[2], errors="backslashreplace", closefd=False, buffering=1)  # noqa: SIM115


def _reap(*, block: bool) -> None:
    for pid in list(_children):
        try:
            done, _ = os.waitpid(pid, 0 if block else os.WNOHANG)
        except ChildProcessError:
            done = pid
        if done:
            _children.discard(pid)


if __name__ == "__main__":
    main()
