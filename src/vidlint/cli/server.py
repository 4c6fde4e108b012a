"""``vidlint server start|stop|status``: the warm server behind ``vidlint check --server``
(vidlint.server; docs/server.md)."""

from __future__ import annotations

import argparse
import time
from typing import Any

from vidlint.cli.common import EXIT_OK, UsageError
from vidlint.server import address, client

EXIT_NOT_RUNNING = 3  # status: no server of this build (as ``systemctl status`` says for a stopped unit)
START_WAIT_S = 30.0


def add_server_parser(commands: Any) -> None:
    parser = commands.add_parser("server", help="start, stop or ask the warm server of check --server")
    actions = parser.add_subparsers(title="actions", metavar="ACTION", required=True)
    actions.add_parser("start", help="start it in the background and wait until it answers").set_defaults(
        handler=start
    )
    actions.add_parser("stop", help="stop it (runs it started finish first)").set_defaults(handler=stop)
    actions.add_parser("status", help="whether it runs (exit 0) or not (exit 3), and where").set_defaults(
        handler=status
    )


def start(args: argparse.Namespace) -> int:
    pid = client.control({"status": True})
    if pid is None:
        client.start()
        deadline = time.monotonic() + START_WAIT_S
        while (pid := client.control({"status": True})) is None and time.monotonic() < deadline:
            time.sleep(0.02)
    if pid is None:
        raise UsageError(f"the server did not start within {START_WAIT_S:.0f} s (socket: {_socket()})")
    print(f"running: pid {pid}, socket {_socket()}")
    return EXIT_OK


def stop(args: argparse.Namespace) -> int:
    if client.control({"stop": True}) is None:
        print("not running")
    else:
        print("stopped")
    return EXIT_OK


def status(args: argparse.Namespace) -> int:
    pid = client.control({"status": True})
    if pid is None:
        print(f"not running (socket: {_socket()})")
        return EXIT_NOT_RUNNING
    print(f"running: pid {pid}, socket {_socket()}")
    return EXIT_OK


def _socket() -> str:
    return address.socket_path(address.build_key())
