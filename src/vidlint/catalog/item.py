"""One source of a catalog and the request metadata its row carries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from vidlint.errors import VidlintError


class SourceListError(VidlintError):
    """A source list that cannot be read: one line naming the file and the row."""


@dataclass(frozen=True)
class Item:
    """One source to check, and the request metadata its row carries (None: none)."""

    source: str
    metadata: dict[str, Any] | None = field(default=None, hash=False, compare=True)
