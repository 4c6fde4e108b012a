"""Find the videos to check: explicit files, folders walked recursively, URLs passed through.

A folder yields the files whose extension is a video one or whose first bytes are a video container's;
caption files (.srt / .vtt) are never found by a walk: one named explicitly brings in the video of the
same stem beside it (a sidecar is paired with its video when the video is checked, as the API does), or,
with no video beside it, is a target itself, judged alone by the packs' caption rules (as the API does).
Hidden files and folders, the cache folder, ``.vidlintignore`` patterns and config ``exclude`` patterns
are skipped. Both are gitignore patterns (pathspec's GitIgnoreSpec: negation, ``**``, anchoring, the
last match wins, a deeper ignore file over a higher one), each compiled once per run; pathspec is
imported only when there are patterns.

Nothing is skipped without a word: a folder that cannot be read (permission, a path longer than the
system allows) is a :class:`Problem` of the discovery, and an ignore file that cannot be read (not a
regular file, over 1 MiB) a warning.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from vidlint.errors import ConfigError, VidlintError, read_small_file
from vidlint.model.source import is_url

if TYPE_CHECKING:
    from vidlint.model.report import Report

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

    def as_given(self, report: Report) -> Report:
        """``report`` under the names the user gave for this target (a cached one may have been stored
        under others); a request alone keeps its own."""
        if not self.source:
            return report
        return report.renamed(self.source, report.caption and self.caption)


class Problem(NamedTuple):
    """A folder the walk could not read: none of the files in it were checked."""

    path: str
    reason: str

    def message(self) -> str:
        return f"cannot read this folder ({self.reason}): the videos in it were not checked"


class Discovery(NamedTuple):
    targets: tuple[Target, ...]
    warnings: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()


class _Layer(NamedTuple):
    """The gitignore patterns of one folder (an ignore file's, or the configuration's ``exclude``)."""

    prefix: str  # the folder, absolute, with a trailing "/": the patterns are relative to it
    spec: Any  # pathspec.GitIgnoreSpec (imported only when some folder has patterns)


class _Ignore(NamedTuple):
    """The layers that apply in one folder, outermost first: the last one with a verdict decides."""

    layers: tuple[_Layer, ...] = ()

    def plus(self, layer: _Layer | None) -> _Ignore:
        return self if layer is None else _Ignore((*self.layers, layer))

    def matches(self, path: Path, *, is_dir: bool) -> bool:
        if not self.layers:
            return False
        absolute = os.path.abspath(path)
        for layer in reversed(self.layers):
            if absolute.startswith(layer.prefix) and len(absolute) > len(layer.prefix):
                relative = absolute[len(layer.prefix) :]
                verdict = layer.spec.check_file(relative + "/" if is_dir else relative).include
                if verdict is not None:
                    return bool(verdict)
        return False


class _Walk:
    """One discovery's state: each folder's ignore file, read and compiled once; what went wrong."""

    def __init__(self, skip: frozenset[Path]) -> None:
        self.skip = skip
        self.warnings: list[str] = []
        self.problems: list[Problem] = []
        self._layers: dict[str, _Layer | None] = {}

    def with_folder(self, rules: _Ignore, folder: Path) -> _Ignore:
        """``rules`` and the patterns of ``folder``'s own ignore file."""
        key = os.path.abspath(folder)
        if key not in self._layers:
            self._layers[key] = self._ignore_file(folder)
        return rules.plus(self._layers[key])

    def unreadable(self, exc: OSError) -> None:
        """os.walk's ``onerror``: a folder it could not list."""
        path = exc.filename if isinstance(exc.filename, str) else str(exc.filename)
        self.problems.append(Problem(path, exc.strerror or type(exc).__name__))

    def _ignore_file(self, folder: Path) -> _Layer | None:
        path = folder / IGNORE_FILE
        try:
            data = read_small_file(path)
        except (FileNotFoundError, NotADirectoryError):
            return None
        except (OSError, ValueError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self.warnings.append(f"{path}: cannot read ({reason}); its patterns are not applied")
            return None
        lines = data.decode("utf-8", errors="replace").splitlines()
        return _layer(folder, lines, lambda line, error: self.warnings.append(f"{path}: {error}; skipped"))


def discover(
    paths: Sequence[str],
    *,
    exclude: Sequence[str] = (),
    exclude_base: Path | None = None,
    skip: Sequence[Path] = (),
) -> Discovery:
    """Targets for ``paths`` in the order given (folders walked in sorted order), without duplicates.

    ``exclude``: gitignore patterns relative to ``exclude_base`` (the config file's folder; default: the
    working folder); a bad one is a ConfigError. ``skip``: folders never entered (the cache). Raises
    MissingPathError, before looking at anything else, when a named path does not exist or cannot be
    looked at.
    """
    for raw in paths:
        problem = None if is_url(raw) else _missing(raw)
        if problem:
            raise MissingPathError(problem)
    walk = _Walk(frozenset(_real(d) for d in skip))
    base = _Ignore().plus(_layer(exclude_base or Path.cwd(), exclude, _bad_exclude))
    found: dict[str, Target] = {}
    for raw in paths:
        for target in _expand(raw, base, walk):
            found.setdefault(target.source if target.is_url else os.path.normpath(target.source), target)
    return Discovery(tuple(found.values()), tuple(walk.warnings), tuple(walk.problems))


def _missing(raw: str) -> str | None:
    """Why ``raw`` cannot be checked at all; None when it is there."""
    try:
        os.lstat(raw)
    except (FileNotFoundError, NotADirectoryError, ValueError):  # ValueError: an embedded NUL byte
        return f"no such file or folder: {raw!r}"
    except OSError as exc:  # a name longer than the system allows, a loop of links, no permission
        return f"cannot look at {raw!r}: {exc.strerror or exc}"
    return None


def _bad_exclude(pattern: str, error: str) -> None:
    raise ConfigError(f"exclude: {error}")


def _layer(base: Path, lines: Sequence[str], bad: Callable[[str, str], None]) -> _Layer | None:
    """The compiled patterns of ``lines`` relative to ``base``; None when there are none. ``bad`` is told
    of each line that is not a valid pattern (it is left out)."""
    if not any(line.strip() and not line.startswith("#") for line in lines):
        return None
    import pathspec  # ~10 ms: only for a folder with patterns

    try:
        spec = pathspec.GitIgnoreSpec.from_lines(lines)
    except ValueError:  # one bad line spoils the lot: find it (them), say so, keep the others
        kept = []
        for number, line in enumerate(lines, 1):
            try:
                pathspec.GitIgnoreSpec.from_lines([line])
                kept.append(line)
            except ValueError:
                bad(line, f"line {number}: not a valid pattern: {line!r}")
        spec = pathspec.GitIgnoreSpec.from_lines(kept)
    prefix = os.path.join(os.path.abspath(base), "")
    return _Layer(prefix, spec)


def _expand(raw: str, base: _Ignore, walk: _Walk) -> Iterator[Target]:
    if is_url(raw):
        yield Target(raw)
        return
    path = Path(raw)
    if path.is_dir():
        yield from _walk(path, _rules_above(path, base, walk), walk)
        return
    if _ignored_file(path, base, walk):
        return
    if path.suffix.lower() in CAPTION_EXTENSIONS:
        video = _video_for_caption(path)
        yield Target(raw) if video is None else Target(str(video), raw)
        return
    yield Target(raw)


def _walk(root: Path, ignore: _Ignore, walk: _Walk) -> Iterator[Target]:
    above = {root: ignore}  # a folder not yet entered -> the rules of the folders above it
    for folder, dirnames, filenames in os.walk(root, onerror=walk.unreadable):
        here = Path(folder)
        local = walk.with_folder(above.pop(here, ignore), here)  # its own ignore file, read on entering
        dirnames[:] = sorted(d for d in dirnames if _keep_dir(here / d, local, walk.skip))
        for name in dirnames:
            above[here / name] = local
        for name in sorted(filenames):
            path = here / name
            if not name.startswith(".") and not local.matches(path, is_dir=False) and _is_video_file(path):
                yield Target(str(path))


def _keep_dir(path: Path, rules: _Ignore, skip: frozenset[Path]) -> bool:
    return not path.name.startswith(".") and not rules.matches(path, is_dir=True) and _real(path) not in skip


def _rules_above(path: Path, base: _Ignore, walk: _Walk) -> _Ignore:
    """``base`` plus the ignore files of the working folder and each folder down to ``path``'s parent."""
    cwd = Path.cwd()
    folder = _abs(path).parent
    if not folder.is_relative_to(cwd):
        return base
    rules = walk.with_folder(base, cwd)
    for part in folder.relative_to(cwd).parts:
        cwd = cwd / part
        rules = walk.with_folder(rules, cwd)
    return rules


def _ignored_file(path: Path, base: _Ignore, walk: _Walk) -> bool:
    """An explicit file (pre-commit passes files one by one) honours the ignore rules of its folders too:
    it is ignored when it matches, or when a folder it is in does (as git never looks inside one)."""
    rules = _rules_above(path, base, walk)
    if not rules.layers:
        return False
    return rules.matches(path, is_dir=False) or any(rules.matches(p, is_dir=True) for p in _abs(path).parents)


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
            if candidate != video and _is_there(candidate):
                return candidate
    return None


def _is_there(path: Path) -> bool:
    """Something other than a folder: a caption that cannot be read (a FIFO, no permission) is still
    paired with its video, which then gets a finding saying so, rather than passing without it."""
    try:
        return path.exists() and not path.is_dir()
    except OSError:
        return False


def is_caption(source: str) -> bool:
    """Whether a local path is a caption file by its extension (judged alone, never given a sidecar)."""
    return os.path.splitext(source)[1].lower() in CAPTION_EXTENSIONS


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
        if target.caption is None and target.source and not target.is_url and not is_caption(target.source):
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
