"""--meta KEY=VALUE: the request body a check also judges (values are JSON when they parse)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vidlint.cli.check import parse_meta
from vidlint.cli.common import UsageError

from .support import OK_CLIP, SAMPLES, Cli


def test_values_are_json_when_they_parse_and_text_otherwise() -> None:
    parsed = parse_meta(["n=3", "ok=true", "title=Blue kettle", "ids=[1, 2]", "empty=", "eq=a=b", 'q="7"'])
    expected = {"n": 3, "ok": True, "title": "Blue kettle", "ids": [1, 2], "empty": "", "eq": "a=b", "q": "7"}
    assert parsed == expected


def test_a_repeated_key_collects_a_list() -> None:
    assert parse_meta(["id=1", "id=2", "id=x"]) == {"id": [1, 2, "x"]}
    assert parse_meta(["id=[1]", "id=[2]"]) == {"id": [[1], [2]]}
    assert parse_meta([]) is None


@pytest.mark.parametrize("item", ["novalue", "=3", " =3"])
def test_a_pair_without_a_key_is_a_usage_error(item: str) -> None:
    with pytest.raises(UsageError, match="KEY=VALUE"):
        parse_meta([item])


scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.text(max_size=20), st.lists(st.integers(), max_size=3)
)
key_chars = st.characters(exclude_characters="=", exclude_categories=["Cs"])
keys = st.text(alphabet=key_chars, min_size=1, max_size=10)


@settings(max_examples=60)
@given(st.dictionaries(keys.filter(lambda k: k.strip() == k and k.strip()), scalars, max_size=5))
def test_json_values_round_trip(body: dict[str, Any]) -> None:
    parsed = parse_meta([f"{key}={json.dumps(value)}" for key, value in body.items()])
    assert parsed == (body or None)


def test_metadata_reaches_the_request_rules(cli: Cli) -> None:
    clip = str(SAMPLES / OK_CLIP)
    bad = cli("check", clip, "-m", "samsclub", "--meta", "mediaName=Kettle #1!", "--format", "json")
    good = cli("check", clip, "-m", "samsclub", "--meta", "mediaName=Kettle 1", "--format", "json")
    assert (bad.code, bad.err, good.code, good.err) == (1, "", 0, "")
    assert [f["code"] for f in json.loads(bad.out)["results"][0]["findings"]] == ["E_MEDIA_NAME"]


@pytest.mark.parametrize(
    ("value", "where"),
    [
        ("[1,2", "Expecting ',' delimiter at character 5"),
        ('{"a":', "at character 6"),
        ('"open', "at character 1"),
        ("1.2.3", "Extra data at character 4"),
        ("True", "Expecting value at character 1"),
        ("007", "Extra data at character 2"),
    ],
)
def test_a_value_that_looks_like_json_but_does_not_parse_is_a_usage_error(
    cli: Cli, value: str, where: str
) -> None:
    run = cli("check", str(SAMPLES / OK_CLIP), "-m", "samsclub", "--meta", f"productContentIds={value}")
    assert (run.code, run.out) == (2, "")
    assert run.err.startswith("vidlint: error: --meta productContentIds: not valid JSON: ")
    assert where in run.err and run.err.count("\n") == 1


@pytest.mark.parametrize("value", ["Blue kettle", "1st place", "kettle[2]", "nullable", ""])
def test_plain_words_stay_text(value: str) -> None:
    assert parse_meta([f"title={value}"]) == {"title": value}
