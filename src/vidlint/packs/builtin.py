"""The built-in packs, compiled: ``rules/compiled.json``, shipped beside the pack files.

Like a ``.pyc`` for the packs: ``scripts/gen_rules_doc.py`` writes it from the validated packs
(vidlint.packs.compiled), with the sha256 of each pack file it was compiled from, and a test fails when it
is stale. A run without configuration takes its Programs from here instead of importing pydantic;
the file is used only while every built-in pack file still has the digest it was compiled from
(an edited pack, or a damaged or foreign file, means None: the caller validates the packs instead).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # a cached run lists the pack folder from here, without the check kinds
    from vidlint.packs.compiled import Program

FILE_NAME = "compiled.json"
FORMAT = 1  # bumped when Program's JSON changes shape


def packs_dir() -> Path:
    """The built-in packs: inside the installed package (the wheel force-includes them as
    ``vidlint/rules``), else the repository's rules/ (an editable install)."""
    package = Path(__file__).resolve().parents[1]
    packaged = package / "rules"
    return packaged if packaged.is_dir() else package.parents[1] / "rules"


def pack_ids(folder: Path) -> list[str]:
    return sorted(e.name.removesuffix(".toml") for e in folder.iterdir() if e.name.endswith(".toml"))


def builtin_programs(folder: Path | None = None) -> dict[str, Program] | None:
    """Every built-in pack's Program by id, in id order; None when the compiled file is not current.
    ``folder``: the packs' folder (default: the built-in one)."""
    from vidlint.packs.compiled import Program

    folder = folder or packs_dir()
    try:
        data = json.loads((folder / FILE_NAME).read_text(encoding="utf-8"))
        sources = data["sources"]
        if data["format"] != FORMAT or sorted(sources) != pack_ids(folder):
            return None
        if any(_digest((folder / f"{pid}.toml").read_bytes()) != sources[pid] for pid in sources):
            return None
        return {pid: Program.from_data(data["programs"][pid]) for pid in sorted(sources)}
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
        return None


def compiled_text(folder: Path | None = None) -> str:
    """The compiled file for the packs in ``folder`` (default: the built-in ones), validated now."""
    from vidlint.packs.compiled import compile_pack
    from vidlint.packs.loader import parse_pack

    folder = folder or packs_dir()
    texts = {pid: (folder / f"{pid}.toml").read_bytes() for pid in pack_ids(folder)}
    packs = {pid: parse_pack(text.decode(), f"rules/{pid}.toml") for pid, text in texts.items()}
    programs = {pid: compile_pack(pack) for pid, pack in packs.items()}
    return json.dumps(document(programs, texts), indent=1, ensure_ascii=False) + "\n"


def document(programs: Mapping[str, Program], texts: Mapping[str, bytes]) -> dict[str, Any]:
    """The compiled file's content for ``programs``, compiled from the pack files' bytes ``texts``."""
    return {
        "format": FORMAT,
        "sources": {pid: _digest(texts[pid]) for pid in sorted(programs)},
        "programs": {pid: programs[pid].to_data() for pid in sorted(programs)},
    }


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
