"""Findings and reports: built once by the engine, never mutated afterwards (frozen dataclasses, like
the facts: ``vidlint.model.facts.as_data`` turns them into JSON data)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from vidlint.model.facts import Frozen, MediaFacts

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding(Frozen):
    code: str  # the provider's own code, e.g. "E_ASPECT_RATIO"
    severity: Severity
    documented: bool  # True when the provider documents this code
    rule: str  # the rule pack's stable rule id, e.g. "samsclub.aspect-ratio"
    message: str  # one line a person can act on
    expected: str | None = None  # "8-120 s"
    actual: str | None = None  # "7.52 s"


@dataclass(frozen=True, slots=True, kw_only=True)
class Report(Frozen):
    _computed = ("passed",)

    source: str
    marketplace: str
    findings: tuple[Finding, ...] = ()
    facts: MediaFacts | None = None

    @property
    def passed(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)

    def codes(self) -> set[str]:
        return {f.code for f in self.findings}
