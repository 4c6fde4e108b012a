"""The packs a command works with, chosen by ``-m/--marketplace``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from vidlint.errors import UnknownMarketplaceError
from vidlint.packs.pack import Pack


def selected(packs: Mapping[str, Pack], wanted: Sequence[str] | None) -> dict[str, Pack]:
    """The packs to check against: ``wanted`` (ids, repeatable or comma-separated), else every pack
    that judges files."""
    if wanted is not None and any(not item.strip(", ") for item in wanted):
        known = ", ".join(sorted(packs))
        raise UnknownMarketplaceError(f"-m/--marketplace needs a marketplace id (known: {known})")
    ids = [i.strip() for item in wanted or () for i in item.split(",") if i.strip()]
    if not ids:
        return {i: p for i, p in packs.items() if p.checks_files}
    for pack_id in ids:
        if pack_id not in packs:
            from vidlint.run.suggest import did_you_mean

            known = ", ".join(sorted(packs))
            hint = did_you_mean(pack_id, packs)
            raise UnknownMarketplaceError(f"unknown marketplace {pack_id!r}{hint} (known: {known})")
    return {i: packs[i] for i in dict.fromkeys(ids)}
