"""End to end: every sample clip x every marketplace gives exactly the codes sample_codes.toml says.

The table was written from the spec page; this test needs the probe and the generated clips.
"""

from __future__ import annotations

from typing import Any

import pytest
from support.engine import MARKETPLACES, SAMPLE_CODES, SAMPLES, read_toml

from vidlint.api import check_all

EXPECTED_FACTS = SAMPLES / "expected.toml"
TABLE: dict[str, dict[str, Any]] = read_toml(SAMPLE_CODES)["files"]


def test_table_covers_every_sample_file() -> None:
    assert set(TABLE) == set(read_toml(EXPECTED_FACTS)["files"])


@pytest.mark.parametrize("name", sorted(TABLE))
def test_sample_codes(name: str) -> None:
    reports = check_all(SAMPLES / name, MARKETPLACES)
    got = {market: sorted(report.codes()) for market, report in reports.items()}
    want = {market: sorted(TABLE[name][market]) for market in MARKETPLACES}
    assert got == want, TABLE[name]["why"]
    for market, report in reports.items():
        warnings = {f.code for f in report.findings if f.severity == "warning"}
        errors = set(want[market]) - warnings
        assert report.passed is (not errors), market  # every other file rule is an error
