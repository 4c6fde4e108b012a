"""GitHub Actions workflow commands: one ``::error`` / ``::warning`` annotation line per finding,
on the file it is about (a caption rule's finding: the caption file)."""

from __future__ import annotations

from collections.abc import Sequence

from vidlint.model.report import Report
from vidlint.reporters.common import reason


def render(reports: Sequence[Report]) -> str:
    lines = [
        f"::{f.severity} file={_property(f.location or r.source)},"
        f"title={_property(f'{r.marketplace} / {f.code}')}::{_data(reason(f))}"
        for r in reports
        for f in r.findings
    ]
    return "".join(f"{line}\n" for line in lines)


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
