"""The spec's decisions as data: spec_cases.toml, one parametrised test, facts built directly."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from support.engine import DATA, SPEC_CASES, read_toml

from vidlint.engine import evaluate
from vidlint.model.report import Report
from vidlint.packs.builtin import builtin_packs, load_pack
from vidlint.packs.cases import evaluate_case, prepare, read_case_file

# spec_cases.toml holds the first five packs' cases; cases/<pack id>.toml one file per later pack,
# in the same format (each file's [bases] join one table). vidlint.packs.cases reads and runs them
# (as `vidlint pack test` runs a user's); a case's relative `media` path is under its file's folder.
CASE_FILES = [SPEC_CASES, *sorted((SPEC_CASES.parent / "cases").glob("*.toml"))]
TABLES = [read_toml(path) for path in CASE_FILES]
TABLE: dict[str, Any] = {"bases": {k: v for t in TABLES for k, v in t.get("bases", {}).items()}}
CASES: list[dict[str, Any]] = [case for table in TABLES for case in table.get("cases", [])]
FOLDERS: list[Path] = [path.parent for path, table in zip(CASE_FILES, TABLES, strict=True)
                       for _ in table.get("cases", [])]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "folder"), list(zip(CASES, FOLDERS, strict=True)), ids=[c["name"] for c in CASES]
)
def test_spec_case(case: dict[str, Any], folder: Path) -> None:
    findings = evaluate_case(case, load_pack(case["marketplace"]), bases=TABLE["bases"], folder=folder)
    assert sorted(f.code for f in findings) == sorted(case["codes"]), [f.actual for f in findings]
    if "passed" in case:
        report = Report(source="case", marketplace=case["marketplace"], findings=findings)
        assert report.passed is case["passed"]


@pytest.mark.parametrize("path", CASE_FILES, ids=[path.name for path in CASE_FILES])
def test_every_case_file_is_well_formed(path: Path) -> None:
    """The library's reader finds no mistake in any case file (no unknown key, marketplace, base)."""
    prepared = prepare(read_case_file(path), builtin_packs(), bases=TABLE["bases"])
    assert len(prepared) == len(read_toml(path)["cases"])


def test_table_covers_every_marketplace() -> None:
    """Every built-in pack has spec cases, and so does every rule of the nine later packs."""
    assert {case["marketplace"] for case in CASES} == set(builtin_packs())
    for pack_id in sorted(set(builtin_packs()) - {"trendyol", "samsclub", "akinon", "ecwid", "shoplive"}):
        path = SPEC_CASES.parent / "cases" / f"{pack_id}.toml"
        pack = load_pack(pack_id)
        fired = {
            finding.rule
            for case in read_toml(path)["cases"]
            for finding in evaluate_case(case, pack, bases=TABLE["bases"], folder=path.parent)
        }
        assert fired == {rule.id for rule in pack.rules}, pack_id


def test_every_finding_explains_itself() -> None:
    """Each finding of the table has a one-line message, an expected and an actual value."""
    for case, folder in zip(CASES, FOLDERS, strict=True):
        findings = evaluate_case(case, load_pack(case["marketplace"]), bases=TABLE["bases"], folder=folder)
        for finding in findings:
            assert finding.message and "\n" not in finding.message, case["name"]
            assert finding.expected and finding.actual, (case["name"], finding.code)


def test_shoplive_accepts_the_documents_own_sample() -> None:
    """The sample of Shoplive's "Shortform object" page (previewVideoUrl, numeric ids), kept in
    tests/engine/data, is a valid shortform object."""
    sample = json.loads((DATA / "shoplive_shortform_sample.json").read_text(encoding="utf-8"))
    assert "previewVideoUrl" in sample["video"] and isinstance(sample["details"]["brand"]["id"], int)
    assert evaluate(None, load_pack("shoplive"), metadata=sample) == ()
