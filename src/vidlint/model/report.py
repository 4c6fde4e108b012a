"""Findings and reports: built once by the engine, never mutated afterwards (frozen dataclasses, like
the facts: ``vidlint.model.facts.as_data`` turns them into JSON data)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import ClassVar, Literal, get_args

from vidlint.model.facts import Frozen, MediaFacts

Severity = Literal["error", "warning"]
HOME_URL = "https://github.com/vidlint/vidlint"
RULES_DOC_URL = f"{HOME_URL}/blob/main/docs/rules.md"  # the generated rule reference (docs/rules.md)


PROVIDER_RULE = "<marketplace>.provider"  # a provider's answer that no rule of its pack knows


def doc_url(rule: str) -> str:
    """The rule's section in the rule reference: a heading "### `samsclub.duration`" has the anchor
    "samsclubduration" (GitHub drops the dots and backticks); "<id>.provider" has one section."""
    heading = PROVIDER_RULE if rule.endswith(".provider") else rule
    return f"{RULES_DOC_URL}#{anchor(heading)}"


def anchor(heading: str) -> str:
    return "".join(ch for ch in heading.lower() if ch.isalnum() or ch in "-_")


FixAction = Literal[
    "remux", "transcode_video", "transcode_audio", "scale", "pad_or_crop", "trim", "bitrate", "rotate",
    "caption_convert", "caption_repair", "none",
]  # fmt: skip
FIX_ACTIONS: tuple[FixAction, ...] = get_args(FixAction)


@dataclass(frozen=True, slots=True, kw_only=True)
class FixHint(Frozen):
    """How a failing rule is remedied: one line for people and the action ``vidlint fix`` plans from
    ("none": processing cannot fix it, and ``hint`` says what the user must do instead)."""

    action: FixAction
    hint: str

    def __post_init__(self) -> None:
        if self.action not in FIX_ACTIONS or not isinstance(self.hint, str):
            raise ValueError(f"not a fix hint: {self.action!r}")


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding(Frozen):
    _computed = ("doc",)
    _nested: ClassVar[Mapping[str, type[Frozen]]] = {"fix": FixHint}
    code: str  # the provider's own code, e.g. "E_ASPECT_RATIO"
    severity: Severity
    documented: bool  # True when the provider documents this code
    rule: str  # the rule pack's stable rule id, e.g. "samsclub.aspect-ratio"
    message: str  # one line a person can act on
    expected: str | None = None  # "8-120 s"
    actual: str | None = None  # "7.52 s"
    location: str | None = None  # the file the finding is about when not the report's source (a caption)
    fix: FixHint | None = None  # the rule's remedy (its pack's hint), None when the pack gives none

    @property
    def doc(self) -> str:
        """Where the rule is explained (a built-in code's section too): a link into docs/rules.md."""
        return doc_url(self.rule)

    def __post_init__(self) -> None:  # a finding read back from the cache is checked as strictly
        texts = (self.code, self.rule, self.message)
        if not all(isinstance(t, str) for t in texts) or self.severity not in ("error", "warning"):
            raise ValueError(f"not a finding: {self.code!r}")
        if (
            not isinstance(self.documented, bool)
            or not all(t is None or isinstance(t, str) for t in (self.expected, self.actual, self.location))
            or not (self.fix is None or isinstance(self.fix, FixHint))
        ):
            raise ValueError(f"not a finding: {self.code!r}")


@dataclass(frozen=True, slots=True, kw_only=True)
class Report(Frozen):
    _computed = ("passed",)
    _nested: ClassVar[Mapping[str, type[Frozen]]] = {"findings": Finding, "facts": MediaFacts}

    source: str
    marketplace: str
    findings: tuple[Finding, ...] = ()
    facts: MediaFacts | None = None
    caption: str | None = None  # the caption file judged with the video (given, or its sidecar)

    @property
    def passed(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)

    def __post_init__(self) -> None:
        if not (isinstance(self.source, str) and isinstance(self.marketplace, str)):
            raise ValueError("not a report: source and marketplace are text")
        if self.caption is not None and not isinstance(self.caption, str):
            raise ValueError("not a report: the caption is a path")

    def renamed(self, source: str, caption: str | None) -> Report:
        """The report under the names the user gave (a cached one may have been stored under others):
        the source, and the caption, where its findings are located too."""
        if self.source == source and self.caption == caption:
            return self
        findings = self.findings
        if self.caption != caption:
            findings = tuple(
                replace(f, location=caption) if f.location is not None and f.location == self.caption else f
                for f in findings
            )
        return replace(self, source=source or self.source, caption=caption, findings=findings)

    def codes(self) -> set[str]:
        return {f.code for f in self.findings}
