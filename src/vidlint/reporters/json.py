"""The JSON format: stable and versioned by the ``vidlint`` key; its shape is the JSON Schema in
``docs/json-output.schema.json`` (the tests validate every output against it).

    {"vidlint": VERSION,
     "summary": {"files", "reports", "passed", "failed", "errors", "warnings",
                 "marketplaces": {ID: {"passed", "failed"}}, "codes": {CODE: count}},
     "results": [{"path", "caption", "marketplace", "passed",
                  "findings": [{"code", "severity", "documented", "rule", "message", "expected", "actual",
                                "doc", "location"}]}]}

``caption`` is the caption file judged with the video (null: none); a finding's ``location`` is the file
it is about when that is not ``path`` (a caption rule's finding: the caption file), else null.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import Any

from vidlint import __version__
from vidlint.model.facts import as_data
from vidlint.model.report import Report

FINDING_KEYS = ("code", "severity", "documented", "rule", "message", "expected", "actual", "doc", "location")
# "fix": {"action", "hint"} (the rule's remedy, null when its pack gives none) follows them


def render(reports: Sequence[Report]) -> str:
    document = {"vidlint": __version__, "summary": summary(reports), "results": [_result(r) for r in reports]}
    return json.dumps(document, indent=2, ensure_ascii=True) + "\n"


def summary(reports: Sequence[Report]) -> dict[str, Any]:
    """Counts over ``reports``: files, verdicts, findings by severity, verdicts per marketplace and
    findings per provider code (each code once per report)."""
    findings = [f for r in reports for f in r.findings]
    marketplaces: dict[str, dict[str, int]] = {}
    for report in reports:
        counts = marketplaces.setdefault(report.marketplace, {"passed": 0, "failed": 0})
        counts["passed" if report.passed else "failed"] += 1
    codes = Counter(code for r in reports for code in sorted(r.codes()))
    return {
        "files": len({r.source for r in reports}),
        "reports": len(reports),
        "passed": sum(1 for r in reports if r.passed),
        "failed": sum(1 for r in reports if not r.passed),
        "errors": sum(1 for f in findings if f.severity == "error"),
        "warnings": sum(1 for f in findings if f.severity == "warning"),
        "marketplaces": marketplaces,
        "codes": dict(sorted(codes.items())),
    }


def _result(report: Report) -> dict[str, Any]:
    return {
        "path": report.source,
        "caption": report.caption,
        "marketplace": report.marketplace,
        "passed": report.passed,
        "findings": [
            {**{key: getattr(f, key) for key in FINDING_KEYS}, "fix": as_data(f.fix)} for f in report.findings
        ],
    }
