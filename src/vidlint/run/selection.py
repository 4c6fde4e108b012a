"""The packs a command works with, chosen by ``-m/--marketplace``: validated packs (vidlint.packs.loader.Pack)
or compiled ones (vidlint.packs.compiled.Program) alike."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol, TypeVar


class _Selectable(Protocol):
    @property
    def checks_files(self) -> bool: ...


P = TypeVar("P", bound=_Selectable)


def selected(packs: Mapping[str, P], wanted: Sequence[str] | None) -> dict[str, P]:
    """The packs to check against: ``wanted`` (ids, repeatable or comma-separated), else every pack
    that judges files."""
    from vidlint.errors import UnknownMarketplaceError

    ids = [i.strip() for item in wanted or () for i in item.split(",") if i.strip()]
    if not ids:
        return {i: p for i, p in packs.items() if p.checks_files}
    for pack_id in ids:
        if pack_id not in packs:
            known = ", ".join(sorted(packs))
            raise UnknownMarketplaceError(f"unknown marketplace {pack_id!r} (known: {known})")
    return {i: packs[i] for i in dict.fromkeys(ids)}
