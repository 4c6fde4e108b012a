"""Spec cases: a pack's decisions as data (facts or a real clip in, expected codes out), and their runner.

The format (TOML; tests/engine/spec_cases.toml and docs/writing-a-pack.md show it whole): ``[[cases]]``
tables, each with a ``name``, the ``marketplace`` (optional in a pack's own case file: the pack's id),
the exact ``codes`` expected, and a source:

- ``source = "video"`` (the default): a passing 1080p H.264/AAC 10 s MP4 (:func:`video_facts`) changed by
  ``facts`` (``video`` = track changes, ``audio`` = codec list); or ``media = "clip.mp4"``: a real
  file, probed (a relative path is relative to the case file's folder);
- ``"image"`` / ``"caption"``: an image / caption file (``image``, ``caption_file`` tables);
- ``"url"``: ``url`` (its syntax alone); ``"none"``: the request alone;
- ``"fetched"``: the passing clip read from a URL, ``fetch`` changing the fetch facts;
- ``"platform"``: a video platform link, ``platform = {name, available, link_kind}``.

Beside it: ``caption = {...}`` (caption facts beside the video), ``metadata = {...}`` or
``metadata_base`` (a body of ``[bases]``) changed by ``set``, ``unset``, ``fill``, ``repeat`` and
``nulls``; ``passed`` checks the report's verdict. TOML has no null: in ``facts``, ``video`` and
``image`` an empty string stands for None. Imported by ``vidlint pack test`` and the tests only
(pydantic validates the facts), never by ``vidlint check``.
"""

from __future__ import annotations

import copy
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vidlint.engine import evaluate, with_path
from vidlint.errors import ProbeError, VidlintError, read_small_file
from vidlint.model.facts import MediaFacts, adapter
from vidlint.model.report import Finding, Report
from vidlint.packs.pack import Pack

SOURCES = ("video", "image", "caption", "url", "none", "fetched", "platform")
CASE_KEYS = frozenset(
    {"name", "marketplace", "codes", "passed", "source", "media", "facts", "image", "caption_file", "url",
     "fetch", "platform", "caption", "metadata", "metadata_base", "set", "unset", "fill", "repeat", "nulls"}
)  # fmt: skip
_TABLES = (
    "facts",
    "image",
    "caption_file",
    "fetch",
    "platform",
    "caption",
    "metadata",
    "set",
    "fill",
    "repeat",
)
_NEEDS = {"image": "image", "caption": "caption_file", "url": "url", "platform": "platform"}

GOOD_TRACK: dict[str, Any] = {
    "codec": "h264",
    "stored_width": 1920,
    "stored_height": 1080,
    "sample_aspect_ratio": 1.0,
    "rotation_cw": 0,
    "frame_rate": 25.0,
    "frame_rate_mode": "constant",
    "profile": "High",
    "bit_depth": 8,
    "hdr_transfer": "sdr",
}
GOOD_VIDEO: dict[str, Any] = {
    "path": "clip.mp4",
    "size_bytes": 8_000_000,
    "extension": ".mp4",
    "kind": "video",
    "content_type": "video/mp4",
    "container": "mp4",
    "major_brand": "isom",
    "readable": True,
    "truncated": False,
    "fragmented": False,
    "faststart": True,
    "edit_list": False,
    "duration_s": 10.0,
    "backend": "test",
}
URL = "https://cdn.example.com/clip.mp4"
GOOD_FETCH: dict[str, Any] = {
    "url": URL,
    "outcome": "ok",
    "http_status": 206,
    "content_length": 8_000_000,
    "bytes_transferred": 40_000,
    "range_supported": True,
    "link_kind": "file",
}


class CaseFileError(VidlintError):
    """A case file that cannot be run: every problem, one line each (a summary line first when several)."""

    def __init__(self, origin: str, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        if len(self.problems) == 1:
            super().__init__(f"{origin}: {self.problems[0]}")
        else:
            lines = "".join(f"\n  {problem}" for problem in self.problems)
            super().__init__(f"{origin}: {len(self.problems)} problems:{lines}")


# --- facts built directly ----------------------------------------------------------------------


def facts_of(**data: Any) -> MediaFacts:
    """MediaFacts from plain data (nested dicts and lists), validated as data from outside is."""
    return adapter(MediaFacts).validate_python(data)


def video_facts(spec: Mapping[str, Any] | None = None, **changes: Any) -> MediaFacts:
    """A passing 1080p H.264/AAC 10 s MP4, changed by ``spec``/``changes``.

    Special keys: ``video`` (a dict merged into the one video track, or false for no track) and
    ``audio`` (a list of codec names; [] for no audio track).
    """
    wanted = {**(spec or {}), **changes}
    video = wanted.pop("video", {})
    audio = wanted.pop("audio", ["aac"])
    data = {**GOOD_VIDEO, **wanted}
    data["video"] = [] if video is False else [{**GOOD_TRACK, **video}]
    data["audio"] = [{"codec": codec} for codec in audio]
    return facts_of(**data)


def caption_facts(
    extension: str = ".srt", *, parses: bool = True, cues: int = 2, size_bytes: int = 120
) -> MediaFacts:
    fmt = extension.lower().lstrip(".")
    return facts_of(
        path=f"clip{extension}",
        size_bytes=size_bytes,
        extension=extension.lower(),
        kind="caption" if size_bytes else "empty",
        container=fmt if fmt in ("srt", "vtt") else None,
        caption=None
        if not size_bytes
        else {"format": fmt if fmt in ("srt", "vtt") else None, "parses": parses, "cue_count": cues},
    )


def image_facts(extension: str = ".png", *, fmt: str | None = "png", decodes: bool = True) -> MediaFacts:
    return facts_of(
        path=f"picture{extension}",
        size_bytes=4096,
        extension=extension,
        kind="image" if fmt else "text",
        container=fmt,
        image={"format": fmt, "decodes": decodes, "width": 64, "height": 64} if fmt else None,
    )


def url_facts(
    spec: Mapping[str, Any] | None = None, *, fetch: Mapping[str, Any] | None = None, **changes: Any
) -> MediaFacts:
    """The passing clip of ``video_facts``, read from a URL; ``fetch`` changes the fetch facts."""
    return video_facts(spec, **{"path": URL, **changes, "fetch": {**GOOD_FETCH, **(fetch or {})}})


def unread_url(outcome: str, error: str = "the server answered HTTP 404", **fetch: Any) -> MediaFacts:
    """A URL that could not be read: what the remote layer gives (no tracks, kind unknown)."""
    return facts_of(
        path=URL,
        size_bytes=fetch.get("content_length"),
        extension=".mp4",
        kind="unknown",
        error=error,
        fetch={"url": URL, "outcome": outcome, "error": error, "link_kind": "file", **fetch},
    )


def platform_link(
    available: bool | None, platform: str = "youtube", link_kind: str = "platform"
) -> MediaFacts:
    """A video platform link: never downloaded, availability from the platform's oEmbed answer."""
    url = "https://www.youtube.com/watch?v=abcdefgh"
    notes = {True: None, False: f"{platform} says the video is private", None: "could not verify"}
    return facts_of(
        path=url,
        size_bytes=None,
        extension="",
        kind="unknown",
        fetch={
            "url": url,
            "outcome": "ok",
            "link_kind": link_kind,
            "platform": platform,
            "platform_available": available,
            "error": notes[available],
        },
    )


# --- one case's inputs -------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseInputs:
    """What a case hands to the engine."""

    facts: MediaFacts | None
    metadata: dict[str, Any] | None
    caption: MediaFacts | None
    source_url: str | None


def nones(spec: Mapping[str, Any]) -> dict[str, Any]:
    """TOML has no null: "" stands for None in facts (but an extension "" is no extension)."""
    return {
        k: None if v == "" and k != "extension" else (nones(v) if isinstance(v, Mapping) else v)
        for k, v in spec.items()
    }


def case_inputs(case: Mapping[str, Any], bases: Mapping[str, Any], folder: Path = Path(".")) -> CaseInputs:
    """The facts, request and caption of ``case``; a relative ``media`` path is under ``folder``.
    Raises ValueError (pydantic's ValidationError is one), KeyError or ProbeError for a bad case."""
    return CaseInputs(
        facts=source_facts(case, folder),
        metadata=case_metadata(case, bases),
        caption=_caption(case["caption"]) if "caption" in case else None,
        source_url=case.get("url"),
    )


def source_facts(case: Mapping[str, Any], folder: Path = Path(".")) -> MediaFacts | None:
    source = case.get("source", "video")
    if "media" in case:
        return _probed(folder / case["media"])
    if source == "video":
        return video_facts(nones(case.get("facts", {})))
    if source == "image":
        image = case["image"]
        return image_facts(image["extension"], fmt=image["fmt"] or None, decodes=image.get("decodes", True))
    if source == "caption":
        return _caption(case["caption_file"])
    if source == "fetched":
        fetch = nones(case.get("fetch", {}))
        if fetch.get("outcome", "ok") != "ok":
            return unread_url(**fetch)
        return url_facts(nones(case.get("facts", {})), fetch=fetch)
    if source == "platform":
        link = case["platform"]
        available = link.get("available", "")
        return platform_link(
            None if available == "" else available,
            link.get("name", "youtube"),
            link.get("link_kind", "platform"),
        )
    return None


def _probed(path: Path) -> MediaFacts:
    from vidlint.probing import probe  # the probe's native libraries: only for a case with media

    if not path.is_file():
        raise ProbeError(f"media {str(path)!r}: {'not a file' if path.exists() else 'no such file'}")
    return probe(path)


def _caption(spec: Mapping[str, Any]) -> MediaFacts:
    return caption_facts(
        spec["extension"],
        parses=spec.get("parses", True),
        cues=spec.get("cues", 2),
        size_bytes=spec.get("size_bytes", 120),
    )


def case_metadata(case: Mapping[str, Any], bases: Mapping[str, Any]) -> dict[str, Any] | None:
    """The request body: ``metadata`` or a ``[bases]`` body, changed by set/unset/fill/repeat/nulls."""
    if "metadata_base" in case:
        body: dict[str, Any] = copy.deepcopy(dict(bases[case["metadata_base"]]))
    elif "metadata" in case:
        body = copy.deepcopy(dict(case["metadata"]))
    else:
        return None
    for path, value in case.get("set", {}).items():
        body = with_path(body, path, value)
    for path in case.get("unset", []):
        body = _without(body, path)
    for path, length in case.get("fill", {}).items():
        body = with_path(body, path, "a" * length)
    for path, count in case.get("repeat", {}).items():
        body = with_path(body, path, [str(100000 + i) for i in range(count)])
    for path in case.get("nulls", []):
        body = with_path(body, path, None)
    return body


def _without(mapping: Mapping[str, Any], path: str) -> dict[str, Any]:
    head, _, rest = path.partition(".")
    copied = dict(mapping)
    if rest:
        copied[head] = _without(copied[head], rest)
    else:
        del copied[head]
    return copied


def evaluate_case(
    case: Mapping[str, Any], pack: Pack, *, bases: Mapping[str, Any], folder: Path = Path(".")
) -> tuple[Finding, ...]:
    """The findings ``pack`` gives for ``case``."""
    return _evaluate(case_inputs(case, bases, folder), pack)


def _evaluate(inputs: CaseInputs, pack: Pack) -> tuple[Finding, ...]:
    return evaluate(
        inputs.facts, pack, metadata=inputs.metadata, caption=inputs.caption, source_url=inputs.source_url
    )


# --- a case file -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseFile:
    path: Path
    bases: dict[str, Any]
    cases: list[dict[str, Any]]


@dataclass(frozen=True)
class CaseResult:
    """One case run: what it expected and what it got."""

    name: str
    expected: tuple[str, ...]
    findings: tuple[Finding, ...]
    expected_passed: bool | None = None  # the case's ``passed``, when it gives one
    passed: bool = True  # the report's verdict (no error finding)
    got: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "got", tuple(sorted(f.code for f in self.findings)))

    @property
    def ok(self) -> bool:
        verdict = self.expected_passed is None or self.expected_passed is self.passed
        return self.got == tuple(sorted(self.expected)) and verdict


def read_case_file(path: str | Path) -> CaseFile:
    """The cases of a TOML file (a regular file of at most 1 MiB): its overall shape (each case is
    checked by :func:`prepare`)."""
    path = Path(path)
    try:
        raw = tomllib.loads(read_small_file(path).decode("utf-8"))
    except OSError as exc:
        raise CaseFileError(str(path), [f"cannot read case file: {exc.strerror or exc}"]) from None
    except (UnicodeDecodeError, ValueError) as exc:  # TOMLDecodeError is a ValueError
        raise CaseFileError(str(path), [f"not valid TOML: {exc}"]) from None
    except RecursionError:
        raise CaseFileError(str(path), ["not valid TOML: nested too deeply"]) from None
    problems = [f"unknown key {key!r} (a case file has [bases] and [[cases]])" for key in raw
                if key not in ("bases", "cases")]  # fmt: skip
    bases, cases = raw.get("bases", {}), raw.get("cases", [])
    if not isinstance(bases, dict):
        problems.append("bases: must be a table of request bodies")
        bases = {}
    if not isinstance(cases, list) or not cases or not all(isinstance(c, dict) for c in cases):
        problems.append("cases: needs at least one [[cases]] table")
        cases = []
    if problems:
        raise CaseFileError(str(path), problems)
    return CaseFile(path, bases, cases)


def case_problems(case: Mapping[str, Any], index: int, bases: Mapping[str, Any]) -> list[str]:
    """What is wrong with the shape of one case (nothing is built yet)."""
    problems = [f"unknown key {key!r}{_hint(key)}" for key in case if key not in CASE_KEYS]
    if not isinstance(case.get("name"), str) or not case["name"].strip():
        problems.append("name: needed (a short text)")
    codes = case.get("codes")
    if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
        problems.append('codes: needed, a list of the codes expected ([] for none, e.g. ["MY_CODE"])')
    for key in _TABLES:
        if key in case and not isinstance(case[key], dict):
            problems.append(f"{key}: must be a table")
    for key in ("unset", "nulls"):
        if key in case and not isinstance(case[key], list):
            problems.append(f"{key}: must be a list")
    if "passed" in case and not isinstance(case["passed"], bool):
        problems.append("passed: must be true or false")
    problems += _source_problems(case, bases)
    return [f"case {_label(case, index)}: {problem}" for problem in problems]


def _source_problems(case: Mapping[str, Any], bases: Mapping[str, Any]) -> list[str]:
    problems = []
    source = case.get("source", "video")
    if source not in SOURCES:
        problems.append(f"source: {source!r} is not one of {', '.join(SOURCES)}")
    needed = _NEEDS.get(source) if isinstance(source, str) else None
    if needed and needed not in case:
        problems.append(f'source "{source}" needs {needed}')
    if "media" in case:
        if not isinstance(case["media"], str) or not case["media"]:
            problems.append("media: must be a file's path")
        if source != "video" or "facts" in case:
            problems.append("media: a real file is the case's source (no source or facts beside it)")
    base = case.get("metadata_base")
    if base is not None and (not isinstance(base, str) or base not in bases):
        known = ", ".join(sorted(bases)) or "none"
        problems.append(f"metadata_base: {base!r} is not in [bases] (known: {known})")
    return problems


def _hint(key: str) -> str:
    import difflib

    close = difflib.get_close_matches(key, sorted(CASE_KEYS), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _label(case: Mapping[str, Any], index: int) -> str:
    name = case.get("name")
    return repr(name) if isinstance(name, str) and name.strip() else f"#{index + 1}"


@dataclass(frozen=True)
class Prepared:
    """A case that is well-formed, with its inputs built."""

    case: dict[str, Any]
    pack: Pack
    inputs: CaseInputs


def prepare(
    case_file: CaseFile,
    packs: Mapping[str, Pack],
    *,
    default: str | None = None,
    bases: Mapping[str, Any] | None = None,
) -> list[Prepared]:
    """Every case of ``case_file`` with its pack (``marketplace``, else ``default``) and its inputs
    (``bases``: the file's own unless given). A case file with mistakes (shape, an unknown
    marketplace, facts that do not validate, media that cannot be read) raises CaseFileError with
    all of them, before any case is judged."""
    bases = case_file.bases if bases is None else bases
    problems: list[str] = []
    prepared: list[Prepared] = []
    seen: set[str] = set()
    for index, case in enumerate(case_file.cases):
        label = _label(case, index)
        found = case_problems(case, index, bases)
        pack = packs.get(str(case.get("marketplace", default)))
        if pack is None:
            known = ", ".join(packs)
            found.append(f"case {label}: marketplace: {case.get('marketplace')!r} is not one of {known}")
        name = case.get("name")
        if isinstance(name, str) and name in seen:
            found.append(f"case {label}: name: used by another case")
        seen.add(str(name))
        if not found and pack is not None:
            try:
                prepared.append(Prepared(case, pack, case_inputs(case, bases, case_file.path.parent)))
            except (ValueError, KeyError, TypeError, ProbeError) as exc:
                found.extend(f"case {label}: {line}" for line in _input_errors(exc))
        problems += found
    if problems:
        raise CaseFileError(str(case_file.path), problems)
    return prepared


def run_case_file(case_file: CaseFile, pack: Pack) -> list[CaseResult]:
    """Every case of a pack's own case file (``marketplace`` may be left out: the pack's id)."""
    return [run_prepared(item) for item in prepare(case_file, {pack.id: pack}, default=pack.id)]


def run_prepared(item: Prepared) -> CaseResult:
    return _result(item.case, _evaluate(item.inputs, item.pack), item.pack.id)


def _result(case: Mapping[str, Any], findings: tuple[Finding, ...], marketplace: str) -> CaseResult:
    passed = Report(source="case", marketplace=marketplace, findings=findings).passed
    return CaseResult(case["name"], tuple(case["codes"]), findings, case.get("passed"), passed)


def _input_errors(exc: Exception) -> list[str]:
    """One line per error in building a case's inputs (pydantic's list, or the one error)."""
    from pydantic import ValidationError

    if isinstance(exc, ValidationError):
        lines = []
        for error in exc.errors():
            where = ".".join(str(part) if str(part).isprintable() else repr(part) for part in error["loc"])
            lines.append(f"facts: {where + ': ' if where else ''}{error['msg']}")
        return lines
    if isinstance(exc, KeyError):
        return [f"missing key {exc.args[0]!r}"]
    return [" ".join(str(exc).split())]
