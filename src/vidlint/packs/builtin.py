"""The built-in packs: the one place run-time packs come from for a marketplace id.

They ship inside the wheel as ``vidlint/rules`` (read from the repository's ``rules/`` in an editable
install), each as TOML and all compiled in ``rules/compiled.json``: like a ``.pyc`` for the packs,
written by ``scripts/gen_rules_doc.py`` from the validated files with the sha256 of each, and used
only while every pack file still has the digest it was compiled from. Otherwise (an edited pack, a
damaged or foreign compiled file) the TOML files are validated instead (pydantic), so the answer is
the same either way; a test fails when the compiled file is stale.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidlint.errors import RulePackError, UnknownMarketplaceError
from vidlint.packs.digest import digest

if TYPE_CHECKING:  # a cached run lists the pack folder from here, without loading the check kinds
    from vidlint.packs.pack import Pack

COMPILED_FILE = "compiled.json"
FORMAT = 3  # bumped when Pack's JSON changes shape


def packs_dir() -> Path:
    """The built-in packs' folder: inside the installed package (the wheel force-includes them as
    ``vidlint/rules``), else the repository's rules/ (an editable install)."""
    package = Path(__file__).resolve().parents[1]
    packaged = package / "rules"
    return packaged if packaged.is_dir() else package.parents[1] / "rules"


def pack_ids(folder: Path | None = None) -> list[str]:
    """The ids of the packs in ``folder`` (default: the built-in ones), sorted."""
    entries = (folder or packs_dir()).iterdir()
    return sorted(e.name.removesuffix(".toml") for e in entries if e.name.endswith(".toml"))


@cache
def builtin_packs() -> Mapping[str, Pack]:
    """Every built-in pack by id, in id order, each built when first asked for (a run judges with the
    packs it selects, and building one costs up to ~2 ms): from the compiled file while the pack file
    still has the digest it was compiled from, else validated from its TOML (pydantic)."""
    return _BuiltinPacks(packs_dir())


class _BuiltinPacks(Mapping[str, "Pack"]):
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._ids = pack_ids(folder)
        self._built: dict[str, Pack] = {}
        self._compiled: dict[str, Any] | None = None

    def __getitem__(self, pack_id: str) -> Pack:
        pack = self._built.get(pack_id)
        if pack is None:
            if pack_id not in self._ids:
                raise KeyError(pack_id)
            text = (self.folder / f"{pack_id}.toml").read_bytes()
            pack = self._built[pack_id] = self._from_compiled(pack_id, text) or _parse(pack_id, text)
        return pack

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def _from_compiled(self, pack_id: str, text: bytes) -> Pack | None:
        from vidlint.packs.pack import Pack

        if self._compiled is None:
            self._compiled = _compiled_file(self.folder)
        entry = self._compiled.get(pack_id)
        if entry is None or entry[0] != digest(text):
            return None
        try:
            return Pack.from_data(entry[1])
        except (ValueError, KeyError, TypeError, AttributeError):  # a damaged or foreign file
            return None


def _compiled_file(folder: Path) -> dict[str, Any]:
    """pack id -> (digest compiled from, the pack's data); empty when the file is unreadable or of
    another format."""
    try:
        data = json.loads((folder / COMPILED_FILE).read_text(encoding="utf-8"))
        if data["format"] != FORMAT:
            return {}
        return {pid: (source, data["packs"][pid]) for pid, source in data["sources"].items()}
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def load_pack(pack_id: str) -> Pack:
    """A built-in pack by id."""
    packs = builtin_packs()
    if pack_id not in packs:
        raise UnknownMarketplaceError(f"unknown marketplace {pack_id!r} (known: {', '.join(packs)})")
    return packs[pack_id]


def list_marketplaces() -> list[str]:
    """Ids of the built-in packs."""
    return pack_ids()


def file_marketplaces() -> list[str]:
    """Marketplaces whose packs judge files (the default for a folder of videos)."""
    return [pack_id for pack_id, pack in builtin_packs().items() if pack.checks_files]


def compiled_packs(folder: Path | None = None) -> dict[str, Pack] | None:
    """The packs of ``folder``'s compiled file; None when it is not current for the pack files."""
    from vidlint.packs.pack import Pack

    folder = folder or packs_dir()
    try:
        data = json.loads((folder / COMPILED_FILE).read_text(encoding="utf-8"))
        sources = data["sources"]
        if data["format"] != FORMAT or sorted(sources) != pack_ids(folder):
            return None
        if any(digest((folder / f"{pid}.toml").read_bytes()) != sources[pid] for pid in sources):
            return None
        return {pid: Pack.from_data(data["packs"][pid]) for pid in sorted(sources)}
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _validated(folder: Path) -> dict[str, Pack]:
    return {pid: _parse(pid, (folder / f"{pid}.toml").read_bytes()) for pid in pack_ids(folder)}


def _parse(pack_id: str, text: bytes) -> Pack:
    from vidlint.packs.loader import parse_pack  # pydantic: only when the compiled file is not current

    try:
        pack = parse_pack(text.decode("utf-8"), f"rules/{pack_id}.toml", builtin=True)
    except UnicodeDecodeError as exc:
        raise RulePackError(f"rules/{pack_id}.toml: not UTF-8 text ({exc.reason})") from None
    if pack.id != pack_id:
        raise RulePackError(f"rules/{pack_id}.toml: id {pack.id!r} does not match the file name")
    return pack


def compiled_text(folder: Path | None = None) -> str:
    """The compiled file for the packs in ``folder`` (default: the built-in ones), validated now."""
    folder = folder or packs_dir()
    texts = {pid: (folder / f"{pid}.toml").read_bytes() for pid in pack_ids(folder)}
    return json.dumps(document(_validated(folder), texts), indent=1, ensure_ascii=False) + "\n"


def document(packs: Mapping[str, Pack], texts: Mapping[str, bytes]) -> dict[str, Any]:
    """The compiled file's content for ``packs``, compiled from the pack files' bytes ``texts``."""
    return {
        "format": FORMAT,
        "sources": {pid: digest(texts[pid]) for pid in sorted(packs)},
        "packs": {pid: packs[pid].to_data() for pid in sorted(packs)},
    }
