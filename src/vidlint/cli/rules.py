"""``vidlint rules list`` and ``vidlint rules show``: the rules as a check would apply them."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, TextIO

from vidlint.cli.common import EXIT_OK
from vidlint.run.selection import selected

if TYPE_CHECKING:
    from vidlint.packs.pack import Pack


def list_rules(args: argparse.Namespace) -> int:
    from vidlint.packs import docs as rulesdoc

    packs = _configured_packs(args)
    chosen = selected(packs, args.marketplace) if args.marketplace else packs
    _write(sys.stdout, rulesdoc.render_list(chosen))
    return EXIT_OK


def show_rule(args: argparse.Namespace) -> int:
    from vidlint.packs import docs as rulesdoc

    _write(sys.stdout, rulesdoc.render_show(args.rule_id, _configured_packs(args)))
    return EXIT_OK


def _configured_packs(args: argparse.Namespace) -> dict[str, Pack]:
    """Every pack (built-in and the config's own) with the config's overrides: what a check would use."""
    from vidlint.run.config import load_config, resolve_packs

    return resolve_packs(load_config(explicit=args.config))


def _write(out: TextIO, text: str) -> None:
    out.write(text if text.endswith("\n") else text + "\n")
