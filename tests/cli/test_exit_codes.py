"""Exit codes as linters use them: 0 passed, 1 findings at or above --fail-on, 2 usage or configuration."""

from __future__ import annotations

from pathlib import Path

import pytest

from .support import OK_CLIP, SAMPLES, Cli, copy_sample

ERROR_PREFIX = "vidlint: error: "


def test_passing_file_exits_0(cli: Cli) -> None:
    run = cli("check", str(SAMPLES / OK_CLIP), "-m", "samsclub", "-m", "trendyol")
    assert (run.code, run.err) == (0, "")
    assert "2 passed, 0 failed" in run.out


def test_failing_file_exits_1_with_the_provider_code(cli: Cli) -> None:
    run = cli("check", str(SAMPLES / "dur_7s.mp4"), "-m", "trendyol")
    assert (run.code, run.err) == (1, "")
    assert "seller.integration.video.duration.invalid" in run.out
    assert "0 passed, 1 failed" in run.out


def test_a_warning_fails_only_with_fail_on_warning(cli: Cli, tmp_path: Path) -> None:
    config = tmp_path / "vidlint.toml"
    config.write_text('[overrides."trendyol.duration"]\nseverity = "warning"\n')
    clip = str(SAMPLES / "dur_7s.mp4")
    lenient = cli("check", clip, "-m", "trendyol", "--config", str(config))
    strict = cli("check", clip, "-m", "trendyol", "--config", str(config), "--fail-on", "warning")
    assert (lenient.code, lenient.err) == (0, "")
    assert (strict.code, strict.err) == (1, "")
    assert "warning seller.integration.video.duration.invalid" in lenient.out
    assert "1 passed, 0 failed (0 errors, 1 warning)" in lenient.out
    assert "0 passed, 1 failed (0 errors, 1 warning)" in strict.out


def test_config_fail_on_is_the_default(cli: Cli, tmp_path: Path) -> None:
    config = tmp_path / "vidlint.toml"
    config.write_text('fail_on = "warning"\n[overrides."trendyol.duration"]\nseverity = "warning"\n')
    run = cli("check", str(SAMPLES / "dur_7s.mp4"), "-m", "trendyol", "--config", str(config))
    assert (run.code, run.err) == (1, "")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["check", "no-such.mp4"], "no such file or folder: 'no-such.mp4'"),
        (["check", str(SAMPLES / OK_CLIP), "-m", "nowhere"], "unknown marketplace 'nowhere'"),
        (["check", "--jobs", "0"], "argument --jobs: must be at least 1: '0'"),
        (["check", "--format", "xml"], "argument --format: invalid choice: 'xml'"),
        (["check", "--meta", "no-equals-sign"], "--meta expects KEY=VALUE, got 'no-equals-sign'"),
        (["check", "--config", "missing.toml"], "missing.toml: cannot read"),
        (["check", str(SAMPLES), "--caption", str(SAMPLES / "captions/good.srt")], "--caption applies to"),
        (["check", str(SAMPLES / OK_CLIP), "--caption", "nope.srt"], "--caption: no such file: 'nope.srt'"),
        (["probe", "no-such.mp4"], "no such file or folder: 'no-such.mp4'"),
        (["rules", "show", "samsclub.nope"], "no rule, code or marketplace 'samsclub.nope'"),
        (["rules"], "the following arguments are required"),
        ([], "a command is required"),
        (["lint"], "argument COMMAND: invalid choice: 'lint'"),
    ],
)
def test_usage_errors_exit_2_with_one_line(cli: Cli, argv: list[str], message: str) -> None:
    run = cli(*argv)
    assert (run.code, run.out) == (2, "")
    assert run.err.startswith(ERROR_PREFIX) and run.err.count("\n") == 1, run.err
    assert message in run.err


def test_a_missing_path_stops_before_checking_anything(cli: Cli, cache_dir: Path) -> None:
    run = cli("check", str(SAMPLES / OK_CLIP), "missing.mp4")
    assert (run.code, run.out) == (2, "")
    assert run.err == "vidlint: error: no such file or folder: 'missing.mp4'\n"
    assert not cache_dir.exists()


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("marketplaces = [", "{config}: not valid TOML"),
        ("marketplace = ['samsclub']", "{config}: unknown key 'marketplace' (did you mean 'marketplaces'?)"),
        ('fail_on = "sometimes"', "{config}: fail_on"),
        ('[overrides."samsclub.duration"]\nmaximum = 3', "{config}: override samsclub.duration: unknown"),
        ('[overrides."nowhere.duration"]\nmax = 3', "{config}: override nowhere.duration: no marketplace"),
    ],
)
def test_bad_configuration_exits_2_with_one_line(cli: Cli, tmp_path: Path, text: str, reason: str) -> None:
    config = tmp_path / "vidlint.toml"
    config.write_text(text)
    run = cli("check", str(SAMPLES / OK_CLIP), "--config", str(config))
    assert (run.code, run.out) == (2, "")
    assert run.err.startswith(ERROR_PREFIX + reason.format(config=config)), run.err
    assert run.err.count("\n") == 1


def test_configuration_found_upwards_sets_the_marketplaces(cli: Cli, isolated: Path) -> None:
    (isolated / "pyproject.toml").write_text('[tool.vidlint]\nmarketplaces = ["trendyol"]\n')
    copy_sample("dur_7s.mp4", isolated / "clips" / "dur_7s.mp4")
    run = cli("check", "--format", "json")
    assert (run.code, run.err) == (1, "")
    assert '"marketplace": "trendyol"' in run.out and '"marketplace": "samsclub"' not in run.out


def test_an_empty_folder_passes_with_a_warning(cli: Cli, isolated: Path) -> None:
    run = cli("check", str(isolated))
    assert (run.code, run.err) == (0, "vidlint: warning: no video files found\n")
    assert "0 files" in run.out


def test_help_and_version_exit_0(cli: Cli) -> None:
    version = cli("--version")
    helped = cli("check", "--help")
    assert (version.code, version.out.startswith("vidlint "), version.err) == (0, True, "")
    assert (helped.code, helped.err) == (0, "")
    assert "--fail-on" in helped.out and "--no-cache" in helped.out
