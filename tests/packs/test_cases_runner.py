"""vidlint.packs.cases: the case format's reader and runner (the spec tests and `vidlint pack test`
run the same code). Real packs, real clips from sample_media for `media` cases."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.engine import ROOT, SAMPLES

from vidlint.cli.pack import starter_texts
from vidlint.packs.builtin import builtin_packs
from vidlint.packs.cases import (
    CASE_KEYS,
    CaseFile,
    CaseFileError,
    CaseResult,
    prepare,
    read_case_file,
    run_case_file,
)
from vidlint.packs.loader import parse_pack
from vidlint.packs.pack import Pack

STARTER, STARTER_CASES = starter_texts("mymarket", "mymarket.toml", "mymarket.cases.toml")


@pytest.fixture(scope="module")
def starter() -> Pack:
    return parse_pack(STARTER, "mymarket.toml")


def _cases(folder: Path, text: str) -> CaseFile:
    path = folder / "mine.cases.toml"
    path.write_text(text, encoding="utf-8")
    return read_case_file(path)


def test_the_starter_cases_pass_against_the_starter_pack(tmp_path: Path, starter: Pack) -> None:
    results = run_case_file(_cases(tmp_path, STARTER_CASES), starter)
    assert len(results) >= 10 and all(result.ok for result in results), [r for r in results if not r.ok]
    failing = {code for result in results for code in result.got}
    assert failing == {rule.code for rule in starter.rules}  # every rule of the starter fires in some case


def test_a_media_case_probes_a_real_clip_beside_the_case_file(tmp_path: Path, starter: Pack) -> None:
    shutil.copyfile(SAMPLES / "long_125s.mp4", tmp_path / "long.mp4")
    (tmp_path / "clips").mkdir()
    shutil.copyfile(SAMPLES / "vp9_in_webm_10s.webm", tmp_path / "clips" / "vp9.webm")
    text = (
        '[[cases]]\nname = "long"\nmedia = "long.mp4"\ncodes = ["MYMARKET_DURATION"]\npassed = false\n'
        f'[[cases]]\nname = "absolute"\nmedia = "{SAMPLES / "ok_h264_aac_1080p_10s.mp4"}"\ncodes = []\n'
        '[[cases]]\nname = "webm"\nmedia = "clips/vp9.webm"\n'
        'codes = ["MYMARKET_FORMAT", "MYMARKET_VIDEO_CODEC"]\n'
    )
    results = run_case_file(_cases(tmp_path, text), starter)
    assert [r.ok for r in results] == [True, True, True], results
    assert (results[0].findings[0].actual or "").startswith("125")  # the clip's own duration, probed


def test_a_case_that_fails_says_what_it_expected_and_got(tmp_path: Path, starter: Pack) -> None:
    text = '[[cases]]\nname = "too long?"\nfacts = { duration_s = 61 }\ncodes = []\npassed = true\n'
    (result,) = run_case_file(_cases(tmp_path, text), starter)
    assert not result.ok and result.expected == () and result.got == ("MYMARKET_DURATION",)
    assert result.passed is False and result.expected_passed is True
    assert result.findings[0].actual == "61 s"


def test_the_verdict_alone_can_fail_a_case() -> None:
    result = CaseResult("warned", (), (), expected_passed=False, passed=True)
    assert not result.ok
    assert CaseResult("fine", (), (), expected_passed=True, passed=True).ok


def test_every_mistake_of_a_case_file_is_reported_at_once(tmp_path: Path, starter: Pack) -> None:
    text = """
[bases.body]
title = "x"

[[cases]]
name = "typo"
fact = { duration_s = 3 }
codes = "MYMARKET_DURATION"

[[cases]]
name = "bad facts"
facts = { duration = 3, video = { widht = 3 } }
codes = []

[[cases]]
name = "bad facts"
codes = []

[[cases]]
codes = []
source = "film"

[[cases]]
name = "elsewhere"
marketplace = "trendyol"
codes = []

[[cases]]
name = "no clip"
media = "missing.mp4"
codes = []

[[cases]]
name = "no base"
metadata_base = "other"
codes = []
"""
    with pytest.raises(CaseFileError) as caught:
        run_case_file(_cases(tmp_path, text), starter)
    problems = caught.value.problems
    expected = [
        "case 'typo': unknown key 'fact' (did you mean 'facts'?)",
        "case 'typo': codes: needed",
        "case 'bad facts': facts: video.0.widht:",
        "case 'bad facts': facts: duration:",
        "case 'bad facts': name: used by another case",
        "case #4: name: needed",
        "case #4: source: 'film' is not one of",
        "case 'elsewhere': marketplace: 'trendyol' is not one of mymarket",
        "case 'no clip': media",
        "case 'no base': metadata_base: 'other' is not in [bases] (known: body)",
    ]
    for start in expected:
        assert any(p.startswith(start) for p in problems), (start, problems)
    assert len(problems) == len(expected)
    assert str(caught.value).splitlines()[0].endswith(f"mine.cases.toml: {len(problems)} problems:")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[[cases]\n", "not valid TOML"),
        ("name = 'x'\n", "unknown key 'name'"),
        ("[bases]\n", "cases: needs at least one [[cases]] table"),
        ("cases = 3\n", "cases: needs at least one"),
        (b"\xff\xfe".decode("latin-1"), "not valid TOML"),
    ],
)
def test_a_case_file_of_the_wrong_shape_is_one_line_per_problem(
    tmp_path: Path, text: str, problem: str
) -> None:
    with pytest.raises(CaseFileError) as caught:
        _cases(tmp_path, text)
    assert problem in str(caught.value) and all("\n" not in p for p in caught.value.problems)


def test_a_case_file_that_is_not_a_regular_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CaseFileError, match="cannot read case file"):
        read_case_file(tmp_path)
    with pytest.raises(CaseFileError, match="cannot read case file"):
        read_case_file(tmp_path / "missing.cases.toml")


def test_the_spec_tables_run_through_the_library() -> None:
    """The built-in packs' own case file, read and run by the library: every case holds."""
    case_file = read_case_file(ROOT / "tests" / "engine" / "spec_cases.toml")
    prepared = prepare(case_file, builtin_packs())
    assert len(prepared) == len(case_file.cases)


_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
_KEYS = st.sampled_from(sorted(CASE_KEYS)) | st.text(max_size=6)
_FACT_KEYS = st.sampled_from(["duration_s", "size_bytes", "extension", "video", "audio", "kind", "readable"])
_CASE = st.dictionaries(_KEYS, _VALUES, max_size=6) | st.fixed_dictionaries(
    {"name": st.text(min_size=1, max_size=5), "codes": st.lists(st.text(max_size=5), max_size=2)},
    optional={"facts": st.dictionaries(_FACT_KEYS, _VALUES, max_size=3), "source": _VALUES},
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cases=st.lists(_CASE, min_size=1, max_size=4))
def test_any_case_table_is_run_or_refused_with_one_line_problems(
    tmp_path: Path, starter: Pack, cases: list[dict[str, Any]]
) -> None:
    """Hostile case tables: the runner judges them or raises CaseFileError, never anything else."""
    case_file = CaseFile(tmp_path / "h.cases.toml", {}, cases)
    try:
        results = run_case_file(case_file, starter)
    except CaseFileError as exc:
        assert exc.problems and all(p and "\n" not in p for p in exc.problems)
    else:
        assert len(results) == len(cases)
