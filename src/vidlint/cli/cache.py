"""``vidlint cache info`` and ``vidlint cache clear``: the result cache (vidlint.run.cache)."""

from __future__ import annotations

import argparse
import sys

from vidlint.cli.common import EXIT_OK, UsageError


def info(args: argparse.Namespace) -> int:
    from vidlint.run.cache import cache_dir, store_info

    found = store_info(cache_dir())
    print(f"path:   {found.path}")
    print(f"state:  {found.state}")
    if found.state != "absent":
        print(f"size:   {found.size} bytes")
    if found.state.startswith("vidlint"):
        print(f"rows:   {found.reports} results, {found.setups} setups")
    sys.stdout.flush()
    return EXIT_OK


def clear(args: argparse.Namespace) -> int:
    from vidlint.run.cache import ForeignStoreError, cache_dir, clear_store

    try:
        found = clear_store(cache_dir())
    except ForeignStoreError as exc:
        raise UsageError(f"the cache was not cleared: {exc}") from None
    except OSError as exc:
        raise UsageError(f"the cache was not cleared: {exc.strerror or exc}") from None
    if found.state == "absent":
        print(f"no cache at {found.path}")
    else:
        print(f"removed {found.path} ({found.size} bytes, {found.reports} results)")
    return EXIT_OK
