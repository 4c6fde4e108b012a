"""Fix hints are data in the packs, and every output shows them: text, JSON, SARIF, ``rules show``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

import vidlint
from vidlint.errors import RulePackError
from vidlint.model.facts import as_data
from vidlint.model.report import FIX_ACTIONS, Finding, FixHint
from vidlint.packs.builtin import builtin_packs
from vidlint.packs.loader import parse_pack

from .conftest import ROOT, SAMPLES

VIDLINT = str(Path(sys.executable).with_name("vidlint"))
TOY = """
id = "toy"
name = "Toy"
[[rules]]
id = "toy.duration"
code = "TOY_DURATION"
documented = false
applies_to = "file"
message = "At most {max:g} s."
[rules.check]
kind = "between"
field = "duration_s"
params = { min = 1, max = 60 }
[[rules]]
id = "toy.short"
code = "TOY_SHORT"
documented = false
applies_to = "file"
message = "At most {max:g} s."
fix = { action = "none", hint = "film at most {max:g} s" }
[rules.check]
kind = "between"
field = "duration_s"
params = { min = 1, max = 20 }
"""
FIXES = '[[fixes]]\nkind = "between"\naction = "trim"\nhint = "{hint}"\n'


def _vidlint(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([VIDLINT, *args], capture_output=True, text=True, timeout=60, check=False)


def test_every_file_rule_of_the_hinted_packs_says_how_to_fix_it() -> None:
    for pack_id in ("trendyol", "samsclub", "akinon"):
        for rule in builtin_packs()[pack_id].rules:
            fix = rule.render_fix()
            assert fix is not None and fix.action in FIX_ACTIONS and "{" not in fix.hint, rule.id


def test_a_rules_own_fix_wins_over_the_packs_hint_for_its_kind() -> None:
    pack = parse_pack(TOY + FIXES.format(hint="trim to {max:g} s"), "toy.toml")
    assert pack.rule("toy.duration").render_fix() == FixHint(action="trim", hint="trim to 60 s")
    assert pack.rule("toy.short").render_fix() == FixHint(action="none", hint="film at most 20 s")


@pytest.mark.parametrize(
    ("extra", "error"),
    [
        (FIXES.format(hint="trim to {maximum} s"), "rule toy.duration: fix hint template"),
        (FIXES.replace("between", "betwen").format(hint="x"), "unknown check kind 'betwen'"),
        (FIXES.replace('"trim"', '"shrink"').format(hint="x"), "fixes.0.action"),
    ],
)
def test_a_bad_hint_is_a_load_error_naming_it(extra: str, error: str) -> None:
    with pytest.raises(RulePackError, match=error):
        parse_pack(TOY + extra, "toy.toml")


def test_text_output_shows_the_hint_under_the_finding() -> None:
    run = _vidlint("check", str(SAMPLES / "hd720_10s.mp4"), "-m", "samsclub", "--no-cache")
    lines = run.stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if "E_MIN_PIXEL" in line)
    hint = vidlint.load_pack("samsclub").rule("samsclub.min-pixel").render_fix()
    assert hint is not None and lines[at + 1].strip() == f"fix: {hint.hint}"


def test_json_output_carries_the_fix_object_and_matches_its_schema() -> None:
    run = _vidlint("check", str(SAMPLES / "mkv_named.mp4"), "-m", "akinon", "--no-cache", "--format", "json")
    document = json.loads(run.stdout)
    schema = json.loads((ROOT / "docs" / "json-output.schema.json").read_text())
    jsonschema.validate(document, schema)
    (finding,) = document["results"][0]["findings"]
    assert finding["fix"]["action"] == "remux" and finding["fix"]["hint"]


def test_sarif_results_carry_the_fix() -> None:
    run = _vidlint("check", str(SAMPLES / "dur_7s.mp4"), "-m", "trendyol", "--no-cache", "--format", "sarif")
    (result,) = json.loads(run.stdout)["runs"][0]["results"]
    assert result["properties"]["fix"]["action"] == "trim"


def test_rules_show_prints_the_hint() -> None:
    run = _vidlint("rules", "show", "trendyol.title-required")
    assert "fix:" in run.stdout and "the user must do it" in run.stdout


def test_a_cached_finding_keeps_its_fix() -> None:
    (finding,) = vidlint.check(SAMPLES / "dur_7s.mp4", "trendyol").findings
    assert Finding.from_data(as_data(finding, computed=False)) == finding and finding.fix is not None


def test_an_override_changes_the_hint_with_the_limit() -> None:
    (finding,) = vidlint.check(
        SAMPLES / "long_125s.mp4", "trendyol", overrides={"trendyol.duration": {"max": 90}}
    ).findings
    assert finding.fix is not None and "trim to at most 90 s" in finding.fix.hint


def test_vidlint_fix_stays_a_function_once_its_package_is_loaded() -> None:
    import vidlint.fixing

    assert callable(vidlint.fix) and vidlint.fix is vidlint.fixing.fix
    assert vidlint.FixResult is vidlint.fixing.FixResult
