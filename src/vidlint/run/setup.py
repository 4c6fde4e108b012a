"""What a ``vidlint check`` run judges with: the compiled packs, the exclude patterns, ``fail_on``
and the limits of reading URLs. From the cheapest source that has them:

1. the stored plan of this configuration (vidlint.run.stored): nothing is validated again;
2. no configuration file at all: the built-in packs compiled beside them (vidlint.packs.builtin);
3. otherwise the configuration and the packs, validated by pydantic (vidlint.run.config), after which
   the plan is stored for the next run.

SARIF output (which describes every rule from its pack) and URL targets (which take the
configuration's ``[remote]`` limits) always take the third. The first two never import pydantic:
on a single file that is most of a cold check's time.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from vidlint.run.selection import selected

if TYPE_CHECKING:
    from vidlint.packs.compiled import Program
    from vidlint.packs.loader import Pack
    from vidlint.run.config import RemoteTable
    from vidlint.run.stored import Plan


class Setup(NamedTuple):
    programs: dict[str, Program]  # the selected marketplaces', in order
    exclude: tuple[str, ...] = ()
    exclude_base: Path | None = None  # the folder ``exclude`` patterns are relative to
    fail_on: str = "error"
    remote: RemoteTable | None = None  # the configuration's URL limits (validated sources only)
    packs: Mapping[str, Pack] | None = None  # the validated packs (validated sources only)
    user_packs: tuple[Path, ...] = ()  # the configuration's own pack files


def quick(args: argparse.Namespace, plan: Plan | None) -> Setup | None:
    """The setup from a stored plan or from the compiled built-in packs, when either applies."""
    from vidlint.run.targets import is_url

    if args.format == "sarif" or any(is_url(path) for path in args.paths):
        return None
    if plan is not None:
        programs = plan.compiled()
        base = None if plan.exclude_base is None else Path(plan.exclude_base)
        return None if programs is None else Setup(programs, plan.exclude, base, plan.fail_on)
    return _builtin(args)


def _builtin(args: argparse.Namespace) -> Setup | None:
    from vidlint.packs.builtin import builtin_programs
    from vidlint.run.configfile import find_config

    if args.config is not None or find_config() is not None:
        return None
    programs = builtin_programs()
    return None if programs is None else Setup(selected(programs, args.marketplace))


def validated(args: argparse.Namespace) -> Setup:
    """The setup from the configuration and the packs, validated."""
    from vidlint.packs.compiled import compile_pack
    from vidlint.run.config import load_config, resolve_packs

    config = load_config(explicit=args.config)
    packs = selected(resolve_packs(config), args.marketplace or config.marketplaces)
    base = config.config_file.parent if config.config_file else None
    programs = {m: compile_pack(pack) for m, pack in packs.items()}
    user_packs = tuple(config.pack_paths())
    return Setup(programs, tuple(config.exclude), base, config.fail_on, config.remote, packs, user_packs)
