"""``vidlint sandbox ID``: run a provider's local fake (vidlint.sandbox) until stopped.

It prints its address on stdout first (``--port 0`` picks a free port), then serves until Ctrl-C,
SIGTERM or ``--for`` seconds. Exit codes: 0 stopped, 2 bad settings, a port outside 0-65535 or an address
it cannot listen on (in use, not this machine's): one line each, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading
from typing import Any, TextIO

from vidlint.cli.upload import parse_pairs
from vidlint.providers import PROVIDERS  # names only: no sandbox is imported to list them


def add_sandbox_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser("sandbox", help="run a local fake provider for integration tests")
    parser.add_argument("provider", choices=tuple(PROVIDERS), metavar="ID")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument(
        "--port", type=port_number, default=0, help="0 picks a free port (the address is printed)"
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a sandbox setting, e.g. processing_delay_s=0.5 (repeatable)",
    )
    parser.add_argument(
        "--for", dest="seconds", type=float, metavar="S", help="stop by itself after S seconds"
    )
    parser.set_defaults(handler=run_sandbox)


def port_number(text: str) -> int:
    """An argparse type: a TCP port, 0-65535."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"a port is from 0 to 65535 (0 picks a free one), not {port}")
    return port


def run_sandbox(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    from pydantic import ValidationError

    from vidlint.clients.errors import ClientConfigError
    from vidlint.sandbox import start

    out, err = out or sys.stdout, err or sys.stderr
    if not isinstance(args.port, int) or not 0 <= args.port <= 65535:
        raise ClientConfigError(f"--port: a port is from 0 to 65535 (0 picks a free one), not {args.port}")
    settings = parse_pairs(args.set, "--set")
    try:
        server = start(args.provider, host=args.host, port=args.port, **settings)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ClientConfigError(f"sandbox settings: {problems}") from None
    except (OSError, OverflowError, UnicodeError) as exc:
        why = getattr(exc, "strerror", None) or " ".join(str(exc).split()) or type(exc).__name__
        raise ClientConfigError(f"cannot listen on {args.host}:{args.port}: {why}") from None
    print(server.url, file=out, flush=True)
    env = f"VIDLINT_{args.provider.upper()}_BASE_URL={server.url}"
    print(
        f"vidlint: {args.provider} sandbox at {server.url} (clients: {env}); Ctrl-C stops it",
        file=err,
        flush=True,
    )
    try:
        _serve_until_stopped(args.seconds)
    finally:
        server.stop()
    return 0


def _serve_until_stopped(seconds: float | None) -> None:
    stop = threading.Event()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with contextlib.suppress(KeyboardInterrupt):
        stop.wait(seconds)
