"""Check kinds: the only code behind the rule packs.

A rule pack names a kind, a field and parameters; the kind is a small function with a frozen
dataclass for its parameters, registered in ``KINDS`` by the ``@check_kind`` decorator on the function
itself (so the registry cannot drift from the functions; an unknown kind in a pack is a load error).
Importing this package imports every module of kinds, which fills ``KINDS``. Every limit lives in
the packs, never here. Each function's docstring is the user documentation (docs/rules.md is
generated from it).
"""

from __future__ import annotations

from vidlint.checks import files, links, numbers, requests, strings
from vidlint.checks.base import KINDS, Bound, Bounds, CheckKind, Fail, Params, fmt_number, with_unit
from vidlint.checks.files import unreadable_reason
from vidlint.checks.links import unverifiable

__all__ = [
    "KINDS",
    "Bound",
    "Bounds",
    "CheckKind",
    "Fail",
    "Params",
    "files",
    "fmt_number",
    "links",
    "numbers",
    "requests",
    "strings",
    "unreadable_reason",
    "unverifiable",
    "with_unit",
]
