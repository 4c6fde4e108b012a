"""Small helpers the reporters share: safe display of paths, severity order, one-line reasons."""

from __future__ import annotations

from collections.abc import Iterable

from vidlint.model.report import Finding, Report

SEVERITY_RANK = {"warning": 1, "error": 2}


def printable(text: str) -> str:
    """``text`` on one line and encodable: control characters and undecodable bytes become escapes."""
    raw = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in raw)


def at_or_above(finding: Finding, fail_on: str) -> bool:
    return SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[fail_on]


def failing(report: Report, fail_on: str) -> list[Finding]:
    return [f for f in report.findings if at_or_above(f, fail_on)]


def reason(finding: Finding) -> str:
    """The finding's message, then the expected and actual values when the finding has them."""
    pairs = (("expected", finding.expected), ("actual", finding.actual))
    extra = [f"{label} {value}" for label, value in pairs if value]
    return finding.message + (f" ({', '.join(extra)})" if extra else "")


def marketplaces_of(reports: Iterable[Report]) -> list[str]:
    return list(dict.fromkeys(r.marketplace for r in reports))


def counted(n: int, noun: str) -> str:
    """ "1 file", "3 files": a summary line's count."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
