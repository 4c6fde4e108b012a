"""``python -m vidlint.sandbox ID --port 0``: the same as ``vidlint sandbox ID --port 0``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn

from vidlint.cli.sandbox import add_sandbox_parser
from vidlint.errors import VidlintError


class _OneLineParser(argparse.ArgumentParser):
    """Usage errors as one line and exit 2, like ``vidlint``'s own parser."""

    def error(self, message: str) -> NoReturn:
        print(f"vidlint: error: {message}", file=sys.stderr)
        raise SystemExit(2)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _OneLineParser(prog="python -m vidlint.sandbox")
    add_sandbox_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["sandbox", *(sys.argv[1:] if argv is None else argv)])
    try:
        code: int = args.handler(args)
    except VidlintError as exc:
        print(f"vidlint: error: {exc}", file=sys.stderr)
        return 2
    return code


if __name__ == "__main__":
    raise SystemExit(main())
