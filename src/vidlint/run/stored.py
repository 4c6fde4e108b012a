"""What a ``vidlint check`` run's configuration resolves to, remembered under the bytes it came from.

Resolving the configuration and the rule packs costs pydantic and every pack (about 100 ms). A run
whose verdicts are all in the result cache needs only what they resolve to: the marketplaces and each
pack's digest (part of every result's cache key), the caption extensions, the exclude patterns and
``fail_on``. The plan's key covers the command line's choices and every configuration file that could
apply, by content; the plan itself lists the rule pack files it was resolved from, by content. Any edit
to any of them makes the plan unusable, and the full path runs (and stores a new plan).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from vidlint import __version__
from vidlint.run.configfile import NAMES

if TYPE_CHECKING:
    from vidlint.packs.compiled import Program



class PackFiles(NamedTuple):
    """The rule pack files a resolution read: the built-in folder's listing, and each file's digest."""

    folder: str
    names: tuple[str, ...]  # the built-in pack ids
    digests: tuple[tuple[str, str | None], ...]  # (path, sha256 of its bytes; None: unreadable)

    def current(self) -> bool:
        return _pack_ids(Path(self.folder)) == self.names and all(
            _digest(Path(path)) == digest for path, digest in self.digests
        )


class Plan(NamedTuple):
    marketplaces: tuple[str, ...]  # selected, in order
    digests: dict[str, str]  # marketplace -> digest of its resolved pack (Program.digest)
    programs: dict[str, dict[str, Any]]  # marketplace -> its compiled pack (Program.to_data)
    caption_extensions: tuple[str, ...]  # of sidecars paired with videos (none: no pack judges captions)
    exclude: tuple[str, ...]
    exclude_base: str | None
    fail_on: str
    pack_files: PackFiles

    def to_json(self) -> str:
        data = {**self._asdict(), "pack_files": self.pack_files._asdict()}
        return json.dumps(data, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Plan | None:
        """The plan stored as ``text``; None when it does not parse as one."""
        try:
            data = json.loads(text)
            files = data.pop("pack_files")
            pack_files = PackFiles(
                str(files["folder"]),
                tuple(map(str, files["names"])),
                tuple((str(path), digest) for path, digest in files["digests"]),
            )
            plan = cls(
                marketplaces=tuple(map(str, data["marketplaces"])),
                digests={str(k): str(v) for k, v in data["digests"].items()},
                programs={str(k): dict(v) for k, v in data["programs"].items()},
                caption_extensions=tuple(map(str, data["caption_extensions"])),
                exclude=tuple(map(str, data["exclude"])),
                exclude_base=None if data["exclude_base"] is None else str(data["exclude_base"]),
                fail_on=str(data["fail_on"]),
                pack_files=pack_files,
            )
        except (ValueError, TypeError, KeyError, AttributeError):
            return None
        selected = set(plan.marketplaces)
        consistent = set(plan.digests) == selected == set(plan.programs)
        return plan if consistent and plan.fail_on in ("error", "warning") else None

    def compiled(self) -> dict[str, Program] | None:
        """The selected marketplaces' Programs, in order; None when one does not rebuild."""
        from vidlint.packs.compiled import Program

        try:
            return {m: Program.from_data(self.programs[m]) for m in self.marketplaces}
        except (ValueError, TypeError, KeyError, AttributeError):
            return None


def plan_key(explicit_config: str | None, wanted: Sequence[str]) -> str:
    """The key of the plan for this working folder, ``--config`` and ``-m`` choices and config files."""
    cwd = Path.cwd()
    material: list[Any] = [__version__, str(cwd), explicit_config, list(wanted)]
    material.append(_config_files(cwd, explicit_config))
    return hashlib.sha256(json.dumps(material).encode("utf-8", "surrogateescape")).hexdigest()


def pack_files(user_packs: Sequence[Path]) -> PackFiles:
    """The pack files a resolution reads: the built-in packs and the configuration's own, and the
    compiled file (it changes with the check kinds' parameters and texts, which a plan holds too)."""
    from vidlint.packs.builtin import FILE_NAME, packs_dir

    folder = packs_dir()
    builtin = [folder / f"{pack_id}.toml" for pack_id in _pack_ids(folder)] + [folder / FILE_NAME]
    paths = builtin + list(user_packs)
    digests = tuple((str(path), _digest(path)) for path in paths)
    return PackFiles(str(folder), _pack_ids(folder), digests)


def _config_files(cwd: Path, explicit: str | None) -> list[tuple[str, str | None]]:
    """Every file vidlint.run.config may read, upwards from ``cwd`` to the first vidlint.toml (a superset
    of the one it picks: which pyproject.toml has a [tool.vidlint] table is not decided here)."""
    if explicit is not None:
        return [(explicit, _digest(Path(explicit)))]
    found = []
    folder = cwd.resolve()
    for directory in (folder, *folder.parents):
        for name in NAMES:
            candidate = directory / name
            if candidate.is_file():
                found.append((str(candidate), _digest(candidate)))
                if name == NAMES[0]:
                    return found
    return found


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _pack_ids(folder: Path) -> tuple[str, ...]:
    from vidlint.packs.builtin import pack_ids

    try:
        return tuple(pack_ids(folder))
    except OSError:
        return ()
