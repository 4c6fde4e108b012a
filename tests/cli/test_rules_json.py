"""``vidlint rules list --format json``: every rule with what a finding of it would carry."""

from __future__ import annotations

import json
from pathlib import Path

from vidlint import __version__
from vidlint.model.report import doc_url
from vidlint.packs.builtin import builtin_packs

from .support import Cli

KEYS = ["marketplace", "id", "code", "severity", "documented", "applies_to", "expected", "enabled", "doc"]


def test_every_rule_of_every_marketplace(cli: Cli) -> None:
    run = cli("rules", "list", "--format", "json")
    assert (run.code, run.err) == (0, "")
    document = json.loads(run.out)
    assert document["vidlint"] == __version__
    rules = document["rules"]
    expected = [(pack.id, rule.id) for pack in builtin_packs().values() for rule in pack.rules]
    assert [(r["marketplace"], r["id"]) for r in rules] == expected
    for item in rules:
        assert list(item) == KEYS
        assert item["doc"] == doc_url(item["id"])
        assert item["severity"] in ("error", "warning") and isinstance(item["documented"], bool)
    duration = next(r for r in rules if r["id"] == "trendyol.duration")
    assert duration["code"] == "seller.integration.video.duration.invalid"
    assert (duration["expected"], duration["applies_to"], duration["documented"]) == ("8-120 s", "file", True)


def test_one_marketplace_with_the_configuration_applied(cli: Cli, isolated: Path) -> None:
    (isolated / "vidlint.toml").write_text(
        'disable = ["trendyol.url"]\n[overrides."trendyol.duration"]\nmax = 180\n'
    )
    run = cli("rules", "list", "-m", "trendyol", "--format", "json")
    assert (run.code, run.err) == (0, "")
    rules = {r["id"]: r for r in json.loads(run.out)["rules"]}
    assert {r["marketplace"] for r in rules.values()} == {"trendyol"}
    assert rules["trendyol.duration"]["expected"] == "8-180 s"
    assert rules["trendyol.url"]["enabled"] is False


def test_an_unknown_marketplace_is_a_usage_error(cli: Cli) -> None:
    run = cli("rules", "list", "-m", "samsclb", "--format", "json")
    assert (run.code, run.out) == (2, "")
    assert run.err.startswith("vidlint: error: unknown marketplace 'samsclb' (did you mean 'samsclub'?)")
