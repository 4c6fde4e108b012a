"""The JSON format: stable and versioned by the ``vidlint`` key (see the README for its shape)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from vidlint import __version__
from vidlint.model.report import Report

FINDING_KEYS = ("code", "severity", "documented", "rule", "message", "expected", "actual")


def render(reports: Sequence[Report]) -> str:
    document = {"vidlint": __version__, "results": [_result(r) for r in reports]}
    return json.dumps(document, indent=2, ensure_ascii=True) + "\n"


def _result(report: Report) -> dict[str, Any]:
    return {
        "path": report.source,
        "marketplace": report.marketplace,
        "passed": report.passed,
        "findings": [{key: getattr(f, key) for key in FINDING_KEYS} for f in report.findings],
    }
