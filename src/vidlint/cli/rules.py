"""``vidlint rules list`` and ``vidlint rules show``: the rules as a check would apply them."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, TextIO

from vidlint.cli.common import EXIT_OK
from vidlint.errors import UnknownMarketplaceError
from vidlint.run.selection import selected

if TYPE_CHECKING:
    from vidlint.packs.pack import Pack


def list_rules(args: argparse.Namespace) -> int:
    from vidlint.packs import docs as rulesdoc

    packs = _configured_packs(args)
    chosen = selected(packs, args.marketplace) if args.marketplace else packs
    if getattr(args, "format", "text") == "json":
        _write(sys.stdout, rules_json(chosen))
    else:
        _write(sys.stdout, rulesdoc.render_list(chosen))
    return EXIT_OK


def rules_json(packs: Mapping[str, Pack]) -> str:
    """Every rule of ``packs`` as JSON: what a finding of it would say, and where it is explained."""
    import json

    from vidlint import __version__
    from vidlint.model.report import doc_url

    rules = [
        {
            "marketplace": pack.id,
            "id": rule.id,
            "code": rule.code,
            "severity": rule.severity,
            "documented": rule.documented,
            "applies_to": rule.applies_to,
            "expected": rule.expected,
            "enabled": rule.enabled,
            "doc": doc_url(rule.id),
        }
        for pack in packs.values()
        for rule in pack.rules
    ]
    return json.dumps({"vidlint": __version__, "rules": rules}, indent=2, ensure_ascii=False)


def show_rule(args: argparse.Namespace) -> int:
    from vidlint.packs import docs as rulesdoc

    packs = _configured_packs(args)
    try:
        text = rulesdoc.render_show(args.rule_id, packs)
    except UnknownMarketplaceError as exc:
        from vidlint.run.suggest import did_you_mean

        names = {name for pack in packs.values() for rule in pack.rules for name in (rule.id, rule.code)}
        hint = did_you_mean(args.rule_id, names | set(packs))
        raise UnknownMarketplaceError(f"{exc}{hint}") from None
    _write(sys.stdout, text)
    return EXIT_OK


def _configured_packs(args: argparse.Namespace) -> dict[str, Pack]:
    """Every pack (built-in and the config's own) with the config's overrides: what a check would use."""
    from vidlint.run.config import load_config, resolve_packs

    return resolve_packs(load_config(explicit=args.config))


def _write(out: TextIO, text: str) -> None:
    out.write(text if text.endswith("\n") else text + "\n")
