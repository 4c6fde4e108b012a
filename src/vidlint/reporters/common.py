"""Small helpers the reporters share: what they read of a report, safe display of paths, severity
order, one-line reasons.

Reporters read reports through the ``ReportView`` protocol: a ``vidlint.model.report.Report``, or a verdict
read back from the result cache without pydantic (``vidlint.run.cache.CachedReport``) for a fast cached run.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

SEVERITY_RANK = {"warning": 1, "error": 2}


class FindingView(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def severity(self) -> str: ...
    @property
    def documented(self) -> bool: ...
    @property
    def rule(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def expected(self) -> str | None: ...
    @property
    def actual(self) -> str | None: ...


class ReportView(Protocol):
    @property
    def source(self) -> str: ...
    @property
    def marketplace(self) -> str: ...
    @property
    def findings(self) -> Sequence[FindingView]: ...
    @property
    def passed(self) -> bool: ...


def printable(text: str) -> str:
    """``text`` on one line and encodable: control characters and undecodable bytes become escapes."""
    raw = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in raw)


def at_or_above(finding: FindingView, fail_on: str) -> bool:
    return SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[fail_on]


def failing(report: ReportView, fail_on: str) -> list[FindingView]:
    return [f for f in report.findings if at_or_above(f, fail_on)]


def reason(finding: FindingView) -> str:
    """The finding's message, then the expected and actual values when the finding has them."""
    pairs = (("expected", finding.expected), ("actual", finding.actual))
    extra = [f"{label} {value}" for label, value in pairs if value]
    return finding.message + (f" ({', '.join(extra)})" if extra else "")


def marketplaces_of(reports: Iterable[ReportView]) -> list[str]:
    return list(dict.fromkeys(r.marketplace for r in reports))
