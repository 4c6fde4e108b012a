"""Usage: the command list, -m's ids in --help, and "did you mean" for misspelt names (exit 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from vidlint.packs.builtin import list_marketplaces

from .support import OK_CLIP, SAMPLES, Cli

ALL_COMMANDS = ("check", "probe", "rules", "cache", "upload", "sandbox", "pack", "fix", "server")


def test_no_command_lists_every_command(cli: Cli) -> None:
    run = cli()
    assert (run.code, run.out) == (2, "")
    assert (
        run.err == f"vidlint: error: a command is required: {', '.join(ALL_COMMANDS)} (see vidlint --help)\n"
    )


def test_help_lists_every_command(cli: Cli) -> None:
    run = cli("--help")
    assert run.code == 0
    for command in ALL_COMMANDS:
        assert f"\n    {command} " in run.out


def test_an_empty_marketplace_is_a_usage_error_not_every_marketplace(cli: Cli) -> None:
    run = cli("check", str(SAMPLES / OK_CLIP), "-m", "")
    assert (run.code, run.out) == (2, "")
    assert (
        run.err
        == "vidlint: error: argument -m/--marketplace: needs a marketplace id (see vidlint rules list)\n"
    )


def test_check_help_lists_the_marketplace_ids_and_describes_every_option(cli: Cli) -> None:
    run = cli("check", "--help")
    assert (run.code, run.err) == (0, "")
    flat = " ".join(run.out.split())
    assert "one of: " + ", ".join(list_marketplaces()) in flat
    assert "mercadolibre" in list_marketplaces()  # issue 14's packs are in the list
    lines = run.out.split("options:", 1)[1].splitlines()
    entries = [(i, line) for i, line in enumerate(lines) if line.startswith("  -")]
    assert len(entries) >= 11
    for i, line in entries:  # help on the same line, or on the next one, indented
        same_line = "  " in line.strip()
        next_line = i + 1 < len(lines) and lines[i + 1].startswith(" " * 20) and lines[i + 1].strip()
        assert same_line or next_line, f"no description: {line.strip()}"


def test_an_unknown_marketplace_suggests_the_closest(cli: Cli) -> None:
    run = cli("check", str(SAMPLES / OK_CLIP), "-m", "trendyl")
    assert (run.code, run.out) == (2, "")
    assert run.err.startswith("vidlint: error: unknown marketplace 'trendyl' (did you mean 'trendyol'?)")


def test_an_unknown_rule_in_rules_show_suggests_the_closest(cli: Cli) -> None:
    run = cli("rules", "show", "trendyol.duraton")
    assert (run.code, run.out) == (2, "")
    assert run.err.endswith("(did you mean 'trendyol.duration'?)\n")


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ('exlude = ["drafts/**"]\n', "unknown key 'exlude' (did you mean 'exclude'?)"),
        ("[remote]\ntimeout = 3\n", "unknown key 'remote.timeout' (did you mean 'remote.timeout_s'?)"),
        ('disable = ["trendyol.duraton"]\n', "(did you mean 'trendyol.duration'?)"),
        ('[overrides."trendyol.duraton"]\nmax = 3\n', "(did you mean 'trendyol.duration'?)"),
    ],
    ids=["key", "nested key", "disable", "override"],
)
def test_a_misspelt_configuration_name_suggests_the_closest(
    cli: Cli, isolated: Path, config: str, message: str
) -> None:
    (isolated / "vidlint.toml").write_text(config)
    run = cli("check", str(SAMPLES / OK_CLIP))
    assert (run.code, run.out) == (2, "")
    assert run.err.startswith(f"vidlint: error: {isolated / 'vidlint.toml'}: ")
    assert run.err.endswith(f"{message}\n") and run.err.count("\n") == 1
