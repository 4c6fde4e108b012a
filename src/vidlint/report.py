"""Findings and reports: built once by the engine, never mutated afterwards."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, computed_field

from vidlint.facts import MediaFacts

Severity = Literal["error", "warning"]


class Finding(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str  # the provider's own code, e.g. "E_ASPECT_RATIO"
    severity: Severity
    documented: bool  # True when the provider documents this code
    rule: str  # the rule pack's stable rule id, e.g. "samsclub.aspect-ratio"
    message: str  # one line a person can act on
    expected: str | None = None  # "8-120 s"
    actual: str | None = None  # "7.52 s"


class Report(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str
    marketplace: str
    findings: tuple[Finding, ...] = ()
    facts: MediaFacts | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def passed(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)

    def codes(self) -> set[str]:
        return {f.code for f in self.findings}
