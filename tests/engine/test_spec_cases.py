"""The spec's decisions as data: spec_cases.toml, one parametrised test, facts built directly."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from support.engine import (
    DATA,
    SPEC_CASES,
    caption_facts,
    image_facts,
    platform_link,
    read_toml,
    unread_url,
    url_facts,
    video_facts,
)

from vidlint.engine import evaluate, with_path
from vidlint.model.facts import MediaFacts
from vidlint.model.report import Report
from vidlint.packs.builtin import load_pack

# spec_cases.toml holds the first five packs' cases; cases/<pack id>.toml one file per later pack,
# in the same format (each file's [bases] join one table).
CASE_FILES = [SPEC_CASES, *sorted((SPEC_CASES.parent / "cases").glob("*.toml"))]
TABLES = [read_toml(path) for path in CASE_FILES]
TABLE: dict[str, Any] = {"bases": {k: v for t in TABLES for k, v in t.get("bases", {}).items()}}
CASES: list[dict[str, Any]] = [case for table in TABLES for case in table.get("cases", [])]


def _nones(spec: dict[str, Any]) -> dict[str, Any]:
    """TOML has no null: "" stands for None in facts (but an extension "" is no extension)."""
    return {
        k: None if v == "" and k != "extension" else (_nones(v) if isinstance(v, dict) else v)
        for k, v in spec.items()
    }


def _source_facts(case: dict[str, Any]) -> MediaFacts | None:
    source = case.get("source", "video")
    if source == "video":
        return video_facts(_nones(case.get("facts", {})))
    if source == "image":
        image = case["image"]
        return image_facts(image["extension"], fmt=image["fmt"] or None, decodes=image.get("decodes", True))
    if source == "caption":
        return _caption(case["caption_file"])
    if source == "fetched":
        return _fetched(case)
    if source == "platform":
        link = case["platform"]
        available = link.get("available", "")
        return platform_link(
            None if available == "" else available,
            link.get("name", "youtube"),
            link.get("link_kind", "platform"),
        )
    return None


def _fetched(case: dict[str, Any]) -> MediaFacts:
    """A URL read by the remote layer: the passing clip changed by `facts`, or a read that failed."""
    fetch = _nones(case.get("fetch", {}))
    if fetch.get("outcome", "ok") != "ok":
        return unread_url(**fetch)
    return url_facts(_nones(case.get("facts", {})), fetch=fetch)


def _caption(spec: dict[str, Any]) -> MediaFacts:
    return caption_facts(
        spec["extension"],
        parses=spec.get("parses", True),
        cues=spec.get("cues", 2),
        size_bytes=spec.get("size_bytes", 120),
    )


def _without(mapping: dict[str, Any], path: str) -> dict[str, Any]:
    head, _, rest = path.partition(".")
    copied = dict(mapping)
    if rest:
        copied[head] = _without(copied[head], rest)
    else:
        del copied[head]
    return copied


def _metadata(case: dict[str, Any]) -> dict[str, Any] | None:
    if "metadata_base" in case:
        body: dict[str, Any] = copy.deepcopy(TABLE["bases"][case["metadata_base"]])
    elif "metadata" in case:
        body = copy.deepcopy(case["metadata"])
    else:
        return None
    for path, value in case.get("set", {}).items():
        body = with_path(body, path, value)
    for path in case.get("unset", []):
        body = _without(body, path)
    for path, length in case.get("fill", {}).items():
        body = with_path(body, path, "a" * length)
    for path, count in case.get("repeat", {}).items():
        body = with_path(body, path, [str(100000 + i) for i in range(count)])
    for path in case.get("nulls", []):
        body = with_path(body, path, None)
    return body


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_spec_case(case: dict[str, Any]) -> None:
    facts = _source_facts(case)
    findings = evaluate(
        facts,
        load_pack(case["marketplace"]),
        metadata=_metadata(case),
        caption=_caption(case["caption"]) if "caption" in case else None,
        source_url=case.get("url"),
    )
    assert sorted(f.code for f in findings) == sorted(case["codes"]), [f.actual for f in findings]
    if "passed" in case:
        report = Report(source="case", marketplace=case["marketplace"], findings=findings)
        assert report.passed is case["passed"]


def test_table_covers_every_marketplace() -> None:
    assert {case["marketplace"] for case in CASES} >= {"trendyol", "samsclub", "akinon", "ecwid", "shoplive"}


def test_every_finding_explains_itself() -> None:
    """Each finding of the table has a one-line message, an expected and an actual value."""
    for case in CASES:
        findings = evaluate(
            _source_facts(case),
            load_pack(case["marketplace"]),
            metadata=_metadata(case),
            caption=_caption(case["caption"]) if "caption" in case else None,
            source_url=case.get("url"),
        )
        for finding in findings:
            assert finding.message and "\n" not in finding.message, case["name"]
            assert finding.expected and finding.actual, (case["name"], finding.code)


def test_shoplive_accepts_the_documents_own_sample() -> None:
    """The sample of Shoplive's "Shortform object" page (previewVideoUrl, numeric ids), kept in
    tests/engine/data, is a valid shortform object."""
    sample = json.loads((DATA / "shoplive_shortform_sample.json").read_text(encoding="utf-8"))
    assert "previewVideoUrl" in sample["video"] and isinstance(sample["details"]["brand"]["id"], int)
    assert evaluate(None, load_pack("shoplive"), metadata=sample) == ()
