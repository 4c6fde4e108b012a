"""The console script's first step with ``--server``: hand the command to the warm server, or start
one in the background and let this process run the check itself.

Imports only what is loaded already or costs nothing (``_socket``, ``_signal``, ``marshal``): this is
the whole cost of a served run besides Python's own start.
"""

from __future__ import annotations

import _socket
import os
import sys

from vidlint.server import address, wire

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

ENV = "VIDLINT_SERVER"  # 1: use the server for every check (as --server), 0: never (wins over --server)
SERVED = ("check",)
NOT_SERVED = ("--from", "--scheduler", "-h", "--help")  # catalog runs (threads, clients), and help


def wanted(argv: Sequence[str]) -> bool:
    """``vidlint check --server ...`` or VIDLINT_SERVER=1, for a check the server runs."""
    setting = os.environ.get(ENV, "")
    if setting == "0" or argv[:1] != ["check"] or any(a in NOT_SERVED for a in argv):
        return False
    return setting == "1" or "--server" in argv


def run(argv: Sequence[str]) -> int | None:
    """The served run's exit code; None when this process must run the check itself (no server yet,
    another build's, or none can be used here: one is then started for the next run)."""
    key = address.build_key()
    path = address.socket_path(key)
    if not address.usable(path) or not address.private_folder(address.folder(), create=False):
        _start_server(path)
        return None
    sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        sock.connect(path)
    except OSError:  # none listening (or a stale socket file): start one for the next run
        sock.close()
        _start_server(path)
        return None
    try:
        return _served(sock, key, argv)
    finally:
        sock.close()


def _served(sock: _socket.socket, key: str, argv: Sequence[str]) -> int | None:
    data = wire.request(
        {
            "key": key,
            "cwd": _cwd(),
            "argv": list(argv),
            "env": dict(os.environ),
            "encodings": [_encoding(stream) for stream in (sys.stdin, sys.stdout, sys.stderr)],
        }
    )
    fds = b"".join(fd.to_bytes(4, sys.byteorder, signed=True) for fd in (0, 1, 2))
    try:
        sent = sock.sendmsg([data], [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS, fds)])
        sock.sendall(data[sent:])
    except OSError:  # the server went away between connect and send: run here
        return None
    return _answers(sock)


def _answers(sock: _socket.socket) -> int | None:
    """Read frames until the exit code; forward SIGINT and SIGTERM to the run meanwhile."""
    import _signal  # type: ignore[import-not-found]  # signal itself imports enum (~1 ms)

    pid = 0

    def forward(signum: int, _frame: object) -> None:
        if pid > 0:
            os.kill(pid, signum)

    for signum in (_signal.SIGINT, _signal.SIGTERM):
        _signal.signal(signum, forward)
    while (data := _read_frame(sock)) is not None:
        tag, number = wire.unframe(data)
        if tag == wire.REFUSED:
            return None
        if tag == wire.PID:
            pid = number
        elif tag == wire.CODE:
            return number
    if pid == 0:  # the server closed before starting the run: nothing was written, run here
        return None
    os.write(2, b"vidlint: error: the server's run ended without an exit code\n")
    return 2


def _read_frame(sock: _socket.socket) -> bytes | None:
    data = b""
    while len(data) < wire.FRAME_BYTES:
        try:
            chunk = sock.recv(wire.FRAME_BYTES - len(data))
        except InterruptedError:
            continue
        except OSError:
            return None
        if not chunk:
            return None
        data += chunk
    return data


def _cwd() -> str:
    try:
        return os.getcwd()
    except OSError:  # deleted under the shell: the served run reports it as the command would
        return ""


def _encoding(stream: object) -> str:
    return str(getattr(stream, "encoding", None) or "utf-8")


def _start_server(path: str) -> None:
    """Start the server for the next run, detached: its own session, no inherited descriptor (a hook
    runner reading this process's output must not wait for it), nothing waited for but a first fork."""
    folder = address.folder()
    if not address.usable(path) or not address.private_folder(folder, create=True):
        return
    try:
        pid = os.fork()
    except OSError:
        return
    if pid == 0:
        try:
            os.setsid()
            if os.fork() == 0:
                _exec_daemon()
        finally:
            os._exit(0)
    try:  # noqa: SIM105 (contextlib is not imported here)
        os.waitpid(pid, 0)
    except OSError:
        pass


def _exec_daemon() -> None:
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.closerange(3, 1 << 16)
    os.chdir("/")  # neither hold the caller's folder nor import from it
    os.execv(sys.executable, [sys.executable, "-c", "from vidlint.server.daemon import main; main()"])


def control(doc: dict[str, object]) -> int | None:
    """Ask the running server (``{"status": True}``: its pid, ``{"stop": True}``: 0); None when no
    server of this build answers."""
    key = address.build_key()
    path = address.socket_path(key)
    if not address.usable(path) or not address.private_folder(address.folder(), create=False):
        return None
    sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        sock.settimeout(10.0)
        sock.connect(path)
        sock.sendall(wire.request({"key": key, "cwd": "/", **doc}))
        data = _read_frame(sock)
    except OSError:
        return None
    finally:
        sock.close()
    if data is None:
        return None
    tag, number = wire.unframe(data)
    return number if tag == wire.CODE else None


def start() -> None:
    """Start a server of this build in the background (nothing when one runs or is starting)."""
    _start_server(address.socket_path(address.build_key()))
