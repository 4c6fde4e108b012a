"""SARIF 2.1.0: one reporting descriptor per provider code, one result per finding."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from vidlint import __version__
from vidlint.model.report import HOME_URL, Finding, Report, doc_url
from vidlint.reporters.common import reason

if TYPE_CHECKING:
    from vidlint.packs.pack import Pack, Rule

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = HOME_URL


@dataclass(frozen=True)
class RuleDoc:
    """What SARIF says about a code: a one-line description and where the provider documents it."""

    description: str
    help_uri: str | None = None
    provenance: str | None = None  # the provider document and section the rule comes from


def render(reports: Sequence[Report], *, docs: Mapping[str, RuleDoc] | None = None) -> str:
    findings = [(r, f) for r in reports for f in r.findings]
    codes = list(dict.fromkeys(f.code for _, f in findings))
    index = {code: i for i, code in enumerate(codes)}
    first = {f.code: f for _, f in reversed(findings)}
    driver = {
        "name": "vidlint",
        "version": __version__,
        "informationUri": INFORMATION_URI,
        "rules": [_descriptor(first[code], (docs or {}).get(first[code].rule)) for code in codes],
    }
    run = {
        "tool": {"driver": driver},
        "artifacts": [{"location": {"uri": _uri(s)}} for s in dict.fromkeys(_files(reports))],
        "results": [_result(r, f, index[f.code]) for r, f in findings],
    }
    document = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(document, indent=2, ensure_ascii=True) + "\n"


def _descriptor(finding: Finding, doc: RuleDoc | None) -> dict[str, Any]:
    descriptor: dict[str, Any] = {
        "id": finding.code,
        "name": finding.rule,
        "shortDescription": {"text": doc.description if doc else finding.rule},
        "defaultConfiguration": {"level": finding.severity},
        "properties": {"documented": finding.documented, "rule": finding.rule},
    }
    descriptor["helpUri"] = doc.help_uri if doc and doc.help_uri else finding.doc
    if doc and doc.provenance:
        descriptor["fullDescription"] = {"text": f"Source: {doc.provenance}"}
        descriptor["properties"]["provenance"] = doc.provenance
    return descriptor


def _result(report: Report, finding: Finding, rule_index: int) -> dict[str, Any]:
    uri = _uri(finding.location or report.source)  # a caption rule's finding: at the caption file
    return {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": finding.severity,
        "message": {"text": f"{report.marketplace}: {reason(finding)}"},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}}}],
        "properties": {
            "marketplace": report.marketplace,
            "rule": finding.rule,
            "documented": finding.documented,
            "expected": finding.expected,
            "actual": finding.actual,
            "doc": finding.doc,
            "fix": None if finding.fix is None else {"action": finding.fix.action, "hint": finding.fix.hint},
        },
    }


def _files(reports: Sequence[Report]) -> Iterable[str]:
    """Every file a result may be located at: each source, and the caption judged with it."""
    for report in reports:
        yield report.source
        if report.caption is not None:
            yield report.caption


def _uri(source: str) -> str:
    """A URL stays as it is; a path becomes a relative URI reference (percent-encoded) or a file: URI."""
    if "://" in source:
        return source
    path = Path(source)
    if path.is_absolute():
        return path.as_uri()
    return quote(path.as_posix().encode("utf-8", "surrogateescape"), safe="/")


def rule_docs(packs: Iterable[Pack]) -> dict[str, RuleDoc]:
    """A RuleDoc per rule id: what the rule expects, and where the provider's document says so."""
    return {
        rule.id: RuleDoc(
            description=f"{pack.name}: {rule.code} ({_expects(rule)})",
            help_uri=doc_url(rule.id),
            provenance=rule.provenance.text if rule.provenance else None,
        )
        for pack in packs
        for rule in pack.rules
    }


def _expects(rule: Rule) -> str:
    try:
        return f"expects {rule.expected}"
    except ValueError:
        return rule.id
