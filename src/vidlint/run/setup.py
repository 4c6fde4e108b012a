"""What a ``vidlint check`` run judges with: the compiled packs, the exclude patterns, ``fail_on``
and the limits of reading URLs. From the cheapest source that has them:

1. the stored setup of this configuration (vidlint.run.stored): nothing is validated again;
2. no configuration file at all: the built-in packs compiled beside them (vidlint.packs.builtin);
3. otherwise the configuration and the packs, validated by pydantic (vidlint.run.config), after which
   the setup is stored for the next run.

URL targets (which take the configuration's ``[remote]`` limits) always take the third. The first two
never import pydantic:
on a single file that is most of a cold check's time.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from vidlint.run.selection import selected

if TYPE_CHECKING:
    from vidlint.packs.pack import Pack
    from vidlint.run.config import RemoteTable
    from vidlint.run.stored import StoredSetup


class Setup(NamedTuple):
    packs: dict[str, Pack]  # the selected marketplaces', in order
    exclude: tuple[str, ...] = ()
    exclude_base: Path | None = None  # the folder ``exclude`` patterns are relative to
    fail_on: str = "error"
    remote: RemoteTable | None = None  # the configuration's URL limits (from a validated configuration)
    user_packs: tuple[Path, ...] = ()  # the configuration's own pack files
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()  # glob -> ids, relative to exclude_base


def quick(args: argparse.Namespace, stored: StoredSetup | None) -> Setup | None:
    """The setup from a stored one or from the compiled built-in packs, when either applies."""
    from vidlint.model.source import is_url

    if any(is_url(path) for path in args.paths):
        return None
    if stored is not None:
        return stored.setup()
    return _builtin(args)


def _builtin(args: argparse.Namespace) -> Setup | None:
    from vidlint.packs.builtin import builtin_packs
    from vidlint.run.configfile import find_config

    if args.config is not None or find_config() is not None:
        return None
    return Setup(selected(builtin_packs(), args.marketplace))


def validated(args: argparse.Namespace) -> Setup:
    """The setup from the configuration and the packs, validated."""
    from vidlint.run.config import load_config, resolve_packs

    config = load_config(explicit=args.config)
    default = None if getattr(args, "matrix", False) else config.marketplaces  # --matrix: every file pack
    packs = selected(resolve_packs(config), args.marketplace or default)
    base = config.config_file.parent if config.config_file else None
    user_packs = tuple(config.pack_paths())
    per_file = tuple((glob, tuple(names)) for glob, names in config.per_file_ignores.items())
    return Setup(packs, tuple(config.exclude), base, config.fail_on, config.remote, user_packs, per_file)
