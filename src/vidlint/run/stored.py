"""A run's :class:`~vidlint.run.setup.Setup`, stored under the bytes it was resolved from.

Resolving the configuration and the rule packs costs pydantic and every pack (about 100 ms). A run
whose verdicts are all in the result cache needs only what they resolve to: the marketplaces and each
pack's digest (part of every result's cache key), the caption extensions, the exclude patterns and
``fail_on``. Its key covers the command line's choices and every configuration file that could
apply, by content; the stored setup itself lists the rule pack files it was resolved from, by content.
Any edit to any of them makes it unusable, and the full path runs (and stores a new one).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from vidlint import __version__
from vidlint.errors import read_small_file
from vidlint.packs.builtin import pack_ids
from vidlint.packs.digest import digest
from vidlint.run.configfile import NAMES, is_candidate

if TYPE_CHECKING:
    from vidlint.run.setup import Setup


class PackFiles(NamedTuple):
    """The rule pack files a resolution read: the built-in folder's listing, and each file's digest."""

    folder: str
    names: tuple[str, ...]  # the built-in pack ids
    digests: tuple[tuple[str, str | None], ...]  # (path, sha256 of its bytes; None: unreadable)

    def current(self) -> bool:
        return _pack_ids(Path(self.folder)) == self.names and all(
            _digest(Path(path)) == digest for path, digest in self.digests
        )


class StoredSetup(NamedTuple):
    """A Setup as stored, with what the cache-only path reads without building a Pack: each pack's
    digest (part of every verdict's key) and the caption extensions."""

    marketplaces: tuple[str, ...]  # selected, in order
    digests: dict[str, str]  # marketplace -> digest of its resolved pack (Pack.digest)
    packs: dict[str, dict[str, Any]]  # marketplace -> its resolved pack (Pack.to_data)
    caption_extensions: tuple[str, ...]  # of sidecars paired with videos (none: no pack judges captions)
    exclude: tuple[str, ...]
    exclude_base: str | None
    fail_on: str
    pack_files: PackFiles
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()  # glob -> ids (run/filtering.py)

    def to_json(self) -> str:
        data = {**self._asdict(), "pack_files": self.pack_files._asdict()}
        return json.dumps(data)  # key order kept: a dict parameter lists its entries in pack order

    @classmethod
    def of(cls, setup: Setup, pack_files: PackFiles) -> StoredSetup:
        from vidlint.packs.pack import caption_extensions

        packs = setup.packs
        return cls(
            marketplaces=tuple(packs),
            digests={m: pack.digest for m, pack in packs.items()},
            packs={m: pack.to_data() for m, pack in packs.items()},
            caption_extensions=tuple(caption_extensions(packs.values())),
            exclude=setup.exclude,
            exclude_base=None if setup.exclude_base is None else str(setup.exclude_base),
            fail_on=setup.fail_on,
            pack_files=pack_files,
            per_file_ignores=setup.per_file_ignores,
        )

    @classmethod
    def from_json(cls, text: str) -> StoredSetup | None:
        """The setup stored as ``text``; None when it does not parse as one."""
        try:
            data = json.loads(text)
            files = data.pop("pack_files")
            pack_files = PackFiles(
                str(files["folder"]),
                tuple(map(str, files["names"])),
                tuple((str(path), digest) for path, digest in files["digests"]),
            )
            stored = cls(
                marketplaces=tuple(map(str, data["marketplaces"])),
                digests={str(k): str(v) for k, v in data["digests"].items()},
                packs={str(k): dict(v) for k, v in data["packs"].items()},
                caption_extensions=tuple(map(str, data["caption_extensions"])),
                exclude=tuple(map(str, data["exclude"])),
                exclude_base=None if data["exclude_base"] is None else str(data["exclude_base"]),
                fail_on=str(data["fail_on"]),
                pack_files=pack_files,
                per_file_ignores=tuple(
                    (str(glob), tuple(map(str, names))) for glob, names in data.get("per_file_ignores", ())
                ),
            )
        except (ValueError, TypeError, KeyError, AttributeError):
            return None
        selected = set(stored.marketplaces)
        consistent = set(stored.digests) == selected == set(stored.packs)
        return stored if consistent and stored.fail_on in ("error", "warning") else None

    def setup(self) -> Setup | None:
        """The Setup stored; None when a pack does not rebuild."""
        from vidlint.packs.pack import Pack
        from vidlint.run.setup import Setup

        try:
            packs = {m: Pack.from_data(self.packs[m]) for m in self.marketplaces}
        except (ValueError, TypeError, KeyError, AttributeError):
            return None
        base = None if self.exclude_base is None else Path(self.exclude_base)
        return Setup(packs, self.exclude, base, self.fail_on, per_file_ignores=self.per_file_ignores)


def setup_key(explicit_config: str | None, wanted: Sequence[str]) -> str:
    """The key of the stored setup for this working folder, ``--config``, ``-m`` and config files."""
    cwd = Path.cwd()
    material: list[Any] = [__version__, str(cwd), explicit_config, list(wanted)]
    material.append(_config_files(cwd, explicit_config))
    return digest(json.dumps(material).encode("utf-8", "surrogateescape"))


def pack_files(user_packs: Sequence[Path]) -> PackFiles:
    """The pack files a resolution reads: the built-in packs and the configuration's own, and the
    compiled file (it changes with the check kinds' parameters and texts, which a stored setup holds too)."""
    from vidlint.packs.builtin import COMPILED_FILE, packs_dir

    folder = packs_dir()
    builtin = [folder / f"{pack_id}.toml" for pack_id in _pack_ids(folder)] + [folder / COMPILED_FILE]
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
            if is_candidate(candidate):
                found.append((str(candidate), _digest(candidate)))
                if name == NAMES[0]:
                    return found
    return found


def _digest(path: Path) -> str | None:
    """The sha256 of a configuration or pack file; None when it is no regular file of at most 1 MiB
    (reading it then fails with a one-line error, and nothing is answered from a stored setup).
    Remembered with the file's identity and times: the warm server's runs reuse what it read."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    state = (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
    seen = _DIGESTS.get(str(path))
    if seen is not None and seen[0] == state:
        return seen[1]
    try:
        found = digest(read_small_file(path))
    except (OSError, ValueError):
        return None
    _DIGESTS[str(path)] = (state, found)
    return found


_DIGESTS: dict[str, tuple[tuple[int, ...], str]] = {}  # path -> (file state, sha256)


def _pack_ids(folder: Path) -> tuple[str, ...]:
    try:
        return tuple(pack_ids(folder))
    except OSError:
        return ()
