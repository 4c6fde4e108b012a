"""``--statistics``: how many findings each code gave in each marketplace, most first (like ruff's)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from vidlint.model.report import Report
from vidlint.reporters.common import printable


def render(reports: Sequence[Report]) -> str:
    """One line per (code, marketplace): count, code, marketplace, rule id and severity; "" for none."""
    counts: Counter[tuple[str, str, str, str]] = Counter(
        (f.code, r.marketplace, f.rule, f.severity) for r in reports for f in r.findings
    )
    if not counts:
        return ""
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    width = [max(len(str(n)) for _, n in rows), *(max(len(key[i]) for key, _ in rows) for i in range(3))]
    lines = [
        f"{n:>{width[0]}}  {printable(code):<{width[1]}}  {market:<{width[2]}}  {rule:<{width[3]}}  {sev}"
        for (code, market, rule, sev), n in rows
    ]
    return "\n".join(lines) + "\n"
