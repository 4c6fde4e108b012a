"""Provider answers back into the rule pack's findings: same code, same rule id, same wording.

A client never decides a verdict itself: it maps the provider's own code onto the pack's rule with
that code. A code the pack does not know still becomes a finding (``documented`` False, rule
``<marketplace>.provider``) so nothing the provider said is lost.
"""

from __future__ import annotations

from functools import cache

from vidlint.errors import VidlintError
from vidlint.model.report import Finding, Severity
from vidlint.packs.builtin import load_pack
from vidlint.packs.pack import Rule


@cache
def _rules_by_code(marketplace: str) -> dict[str, Rule]:
    try:
        rules = load_pack(marketplace).rules
    except VidlintError:
        return {}
    table: dict[str, Rule] = {}
    for rule in rules:
        table.setdefault(rule.code, rule)
    return table


def provider_finding(
    marketplace: str, code: str, message: str | None = None, *, severity: Severity = "error"
) -> Finding:
    """A finding for the provider's ``code``; ``message`` is the provider's own words when it gave some."""
    rule = _rules_by_code(marketplace).get(code)
    if rule is None:
        text = message or f"{marketplace} answered {code}"
        return Finding(
            code=code, severity=severity, documented=False, rule=f"{marketplace}.provider", message=text
        )
    text = message or rule.render_message("not reported")
    return Finding(code=code, severity=severity, documented=rule.documented, rule=rule.id, message=text)
