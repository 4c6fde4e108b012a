"""Find the videos to check: explicit files, folders walked recursively, URLs passed through.

A folder yields the files whose extension is a video one or whose first bytes are a video container's;
caption files (.srt / .vtt) are never targets themselves: one named explicitly brings in the video of the
same stem beside it (a sidecar is paired with its video when the video is checked, as the API does).
Hidden files and folders, the cache folder, ``.vidlintignore`` patterns and config ``exclude`` patterns
are skipped.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from vidlint.errors import VidlintError
from vidlint.model.source import is_url

# ".ts" is left out on purpose (TypeScript sources): MPEG-TS files are found by their sync bytes.
VIDEO_EXTENSIONS = frozenset(
    {
        ".mp4",
        ".mov",
        ".m4v",
        ".mkv",
        ".webm",
        ".avi",
        ".3gp",
        ".3g2",
        ".mpg",
        ".mpeg",
        ".m2ts",
        ".mts",
        ".wmv",
        ".asf",
        ".flv",
        ".ogv",
        ".mxf",
        ".qt",
    }
)
CAPTION_EXTENSIONS = frozenset({".srt", ".vtt"})
# Never opened to sniff: common files that are certainly not videos (sniffing costs one small read).
_NOT_VIDEO = CAPTION_EXTENSIONS | {
    ".txt",
    ".md",
    ".json",
    ".toml",
    ".yaml",
    ".yml",
    ".py",
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".webp",
    ".xml",
    ".html",
    ".csv",
    ".pdf",
    ".zip",
}
IGNORE_FILE = ".vidlintignore"
_ISO_BOXES = {b"ftyp", b"moov", b"mdat", b"free", b"wide", b"skip", b"pnot"}


class MissingPathError(VidlintError):
    """A path named on the command line does not exist."""


# NamedTuples, not dataclasses: a run answered from the cache never imports dataclasses (~5 ms).
class Target(NamedTuple):
    """One video to check: a local file or a URL, and the caption file given for it, if any."""

    source: str
    caption: str | None = None

    @property
    def is_url(self) -> bool:
        return is_url(self.source)


class Discovery(NamedTuple):
    targets: tuple[Target, ...]
    warnings: tuple[str, ...] = ()


class _Ignore(NamedTuple):
    """gitignore-like patterns, each relative to the folder that declared it."""

    rules: tuple[tuple[Path, str], ...] = ()

    def extended(self, base: Path, patterns: Iterable[str]) -> _Ignore:
        added = tuple((base, p.strip()) for p in patterns if p.strip() and not p.strip().startswith("#"))
        return _Ignore(self.rules + added) if added else self

    def with_folder(self, folder: Path) -> _Ignore:
        return self.extended(folder, _read_ignore_file(folder))

    def matches(self, path: Path, *, is_dir: bool) -> bool:
        return any(_match(base, pattern, path, is_dir) for base, pattern in self.rules)


def discover(
    paths: Sequence[str],
    *,
    exclude: Sequence[str] = (),
    exclude_base: Path | None = None,
    skip: Sequence[Path] = (),
) -> Discovery:
    """Targets for ``paths`` in the order given (folders walked in sorted order), without duplicates.

    ``exclude``: glob patterns relative to ``exclude_base`` (the config file's folder; default: the working
    folder). ``skip``: folders never entered (the cache). Raises MissingPathError, before looking at
    anything else, when a named path does not exist.
    """
    missing = [p for p in paths if not is_url(p) and not os.path.lexists(p)]
    if missing:
        raise MissingPathError(f"no such file or folder: {missing[0]!r}")
    base = _Ignore().extended(exclude_base or Path.cwd(), exclude)
    skipped = frozenset(_real(d) for d in skip)
    found: dict[str, Target] = {}
    warnings: list[str] = []
    for raw in paths:
        for target in _expand(raw, base, skipped, warnings):
            found.setdefault(target.source if target.is_url else os.path.normpath(target.source), target)
    return Discovery(tuple(found.values()), tuple(warnings))


def _expand(raw: str, base: _Ignore, skip: frozenset[Path], warnings: list[str]) -> Iterator[Target]:
    if is_url(raw):
        yield Target(raw)
        return
    path = Path(raw)
    if path.is_dir():
        yield from _walk(path, _rules_above(path, base), skip)
        return
    if _ignored_file(path, base):
        return
    if path.suffix.lower() in CAPTION_EXTENSIONS:
        video = _video_for_caption(path)
        if video is None:
            warnings.append(f"{raw}: a caption with no video of the same name beside it; skipped")
            return
        yield Target(str(video), raw)
        return
    yield Target(raw)


def _walk(root: Path, ignore: _Ignore, skip: frozenset[Path]) -> Iterator[Target]:
    rules = {root: ignore.with_folder(root)}
    for folder, dirnames, filenames in os.walk(root):
        here = Path(folder)
        local = rules.pop(here)
        dirnames[:] = sorted(d for d in dirnames if _keep_dir(here / d, local, skip))
        for name in dirnames:
            rules[here / name] = local.with_folder(here / name)
        for name in sorted(filenames):
            path = here / name
            if not name.startswith(".") and not local.matches(path, is_dir=False) and _is_video_file(path):
                yield Target(str(path))


def _keep_dir(path: Path, rules: _Ignore, skip: frozenset[Path]) -> bool:
    return not path.name.startswith(".") and not rules.matches(path, is_dir=True) and _real(path) not in skip


def _rules_above(path: Path, base: _Ignore) -> _Ignore:
    """``base`` plus the ignore files of the working folder and each folder down to ``path``'s parent."""
    cwd = Path.cwd()
    folder = _abs(path).parent
    if not folder.is_relative_to(cwd):
        return base
    rules = base.with_folder(cwd)
    for part in folder.relative_to(cwd).parts:
        cwd = cwd / part
        rules = rules.with_folder(cwd)
    return rules


def _ignored_file(path: Path, base: _Ignore) -> bool:
    """An explicit file (pre-commit passes files one by one) honours the ignore rules of its folders too."""
    rules = _rules_above(path, base)
    cwd = Path.cwd()
    parents = [p for p in _abs(path).parents if p.is_relative_to(cwd) and p != cwd]
    return rules.matches(path, is_dir=False) or any(rules.matches(p, is_dir=True) for p in parents)


def _is_video_file(path: Path) -> bool:
    suffix = path.suffix.lower()
    if suffix in VIDEO_EXTENSIONS:
        return True
    if suffix in _NOT_VIDEO or not path.is_file():
        return False
    return looks_like_video(path)


def looks_like_video(path: Path) -> bool:
    """True when the first bytes are a video container's signature (ISO BMFF/QuickTime, Matroska, ...)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(192)
    except OSError:
        return False
    return (
        head[4:8] in _ISO_BOXES
        or head.startswith((b"\x1a\x45\xdf\xa3", b"\x00\x00\x01\xba", b"FLV\x01"))
        or head.startswith(b"\x30\x26\xb2\x75\x8e\x66\xcf\x11")  # ASF / WMV
        or (head.startswith(b"RIFF") and head[8:12] == b"AVI ")
        or (len(head) > 188 and head[0] == 0x47 and head[188] == 0x47)  # MPEG-TS sync bytes
    )


def find_sidecar(video: Path, extensions: Iterable[str]) -> Path | None:
    """The first ``<stem><ext>`` beside ``video`` (extension as listed, then upper-case)."""
    for ext in dict.fromkeys(extensions):
        for variant in (ext.lower(), ext.upper()):
            candidate = video.with_suffix(variant)
            if candidate != video and candidate.is_file():
                return candidate
    return None


def _video_for_caption(caption: Path) -> Path | None:
    stem = caption.name.rpartition(".")[0]
    for name in sorted(_listdir(caption.parent)):
        base, dot, ext = name.rpartition(".")
        if dot and base == stem and f".{ext.lower()}" in VIDEO_EXTENSIONS:
            return caption.parent / name
    return None


def _listdir(folder: Path) -> list[str]:
    try:
        return os.listdir(folder)
    except OSError:
        return []


def _read_ignore_file(folder: Path) -> list[str]:
    try:
        return (folder / IGNORE_FILE).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []


def _match(base: Path, pattern: str, path: Path, is_dir: bool) -> bool:
    dir_only = pattern.endswith("/")
    pattern = pattern.rstrip("/")
    if (dir_only and not is_dir) or not pattern:
        return False
    try:
        relative = _abs(path).relative_to(_abs(base)).as_posix()
    except ValueError:
        return False
    if "/" in pattern:  # anchored to the folder that declared it
        return fnmatch.fnmatchcase(relative, pattern.lstrip("/"))
    return fnmatch.fnmatchcase(path.name, pattern)


def _abs(path: Path) -> Path:
    return Path(os.path.abspath(path))


def _real(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return _abs(path)


def with_captions(targets: Sequence[Target], extensions: Sequence[str]) -> list[Target]:
    """Each local video with the caption it is judged with: the one given, else its sidecar; none at
    all when no selected marketplace judges captions (no ``extensions``)."""
    if not extensions:
        return [Target(t.source) for t in targets]
    wanted = {e.lower() for e in extensions}
    folders: dict[str, bool] = {}
    paired = []
    for target in targets:
        if target.caption is None and target.source and not target.is_url:
            folder = os.path.dirname(target.source) or "."
            if folder not in folders:
                folders[folder] = _may_hold(folder, wanted)
            sidecar = find_sidecar(Path(target.source), extensions) if folders[folder] else None
            target = Target(target.source, None if sidecar is None else str(sidecar))
        paired.append(target)
    return paired


def _may_hold(folder: str, extensions: set[str]) -> bool:
    """False when no name in ``folder`` ends with one of ``extensions`` (in any case): then no video
    there has a sidecar, and a folder of many videos costs one listing instead of a few stats each."""
    try:
        return any(os.path.splitext(name)[1].lower() in extensions for name in os.listdir(folder))
    except OSError:
        return True
