"""[tool.vidlint] / vidlint.toml: discovery, validation, and packs with overrides applied."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from support.engine import CUSTOM_PACK, RULES, video_facts

from vidlint.engine import evaluate
from vidlint.errors import ConfigError, RulePackError, VidlintError
from vidlint.packs.builtin import list_marketplaces
from vidlint.remote import RemoteOptions
from vidlint.run.config import Config, load_config, resolve_packs


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_no_configuration_means_defaults(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config == Config()
    assert config.fail_on == "error" and config.marketplaces is None


def test_pyproject_found_walking_up(tmp_path: Path) -> None:
    text = '[tool.vidlint]\nmarketplaces = ["trendyol"]\nfail_on = "warning"\n'
    pyproject = _write(tmp_path / "pyproject.toml", text)
    nested = tmp_path / "videos" / "spring"
    nested.mkdir(parents=True)
    config = load_config(nested)
    assert (config.marketplaces, config.fail_on, config.config_file) == (["trendyol"], "warning", pyproject)


def test_vidlint_toml_wins_in_the_same_folder(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", '[tool.vidlint]\nmarketplaces = ["trendyol"]\n')
    own = _write(tmp_path / "vidlint.toml", 'marketplaces = ["samsclub"]\n')
    assert load_config(tmp_path).config_file == own
    assert load_config(tmp_path).marketplaces == ["samsclub"]


def test_pyproject_without_the_table_is_passed_over(tmp_path: Path) -> None:
    upper = _write(tmp_path / "vidlint.toml", 'exclude = ["drafts/**"]\n')
    _write(tmp_path / "project" / "pyproject.toml", "[tool.ruff]\nline-length = 100\n")
    config = load_config(tmp_path / "project")
    assert (config.config_file, config.exclude) == (upper, ["drafts/**"])


def test_explicit_file(tmp_path: Path) -> None:
    explicit = _write(tmp_path / "ci" / "lint.toml", 'disable = ["samsclub.caption"]\n')
    _write(tmp_path / "vidlint.toml", 'disable = ["trendyol.size"]\n')
    assert load_config(tmp_path, explicit=explicit).disable == ["samsclub.caption"]


@pytest.mark.parametrize(
    ("name", "text", "error"),
    [
        ("vidlint.toml", "marketplaces = [", "not valid TOML"),
        ("vidlint.toml", "colour = 1\n", "unknown key 'colour'"),
        ("vidlint.toml", 'fail_on = "sometimes"\n', "fail_on: Input should be 'error' or 'warning'"),
        ("vidlint.toml", 'overrides = { "trendyol.duration" = 180 }\n', "overrides.trendyol.duration"),
        ("pyproject.toml", "[tool]\nvidlint = 3\n", r"\[tool.vidlint\] must be a table"),
        ("vidlint.toml", "[remote]\ntimeout_s = 0\n", "remote: timeout_s: Input should be greater than 0"),
        ("vidlint.toml", "[remote]\nmax_bytes = 10\n", "remote: max_bytes: Input should be greater than"),
        ("vidlint.toml", "[remote]\nmax_redirects = 31\n", "remote: max_redirects: Input should be less"),
        ("vidlint.toml", "[remote]\nproxy = 'x'\n", "unknown key 'remote.proxy'"),
        ("vidlint.toml", "[remote]\nblock_private = 'sometimes'\n", "remote.block_private: Input should be"),
    ],
)
def test_bad_configuration_is_one_line(tmp_path: Path, name: str, text: str, error: str) -> None:
    path = _write(tmp_path / name, text)
    with pytest.raises(ConfigError, match=error) as caught:
        load_config(tmp_path)
    assert str(caught.value).startswith(f"{path}: ") and "\n" not in str(caught.value)


@pytest.mark.parametrize("name", ["vidlint.toml", "pyproject.toml"])
def test_a_configuration_that_is_not_utf8_is_one_line(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    table = b"[tool.vidlint]\n" if name == "pyproject.toml" else b""
    path.write_bytes(table + b"fail_on = '\xff'\n")
    with pytest.raises(ConfigError, match="not valid TOML") as caught:
        load_config(tmp_path)
    assert str(caught.value).startswith(f"{path}: ") and "\n" not in str(caught.value)


def test_unreadable_configuration(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(explicit=tmp_path / "missing.toml")


def test_overrides_and_disable_from_the_file(tmp_path: Path) -> None:
    _write(
        tmp_path / "vidlint.toml",
        """
disable = ["samsclub.min-pixel"]
[overrides."trendyol.duration"]
max = 180
""",
    )
    packs = resolve_packs(load_config(tmp_path))
    long_clip = video_facts(duration_s=150.0, video={"stored_width": 1280, "stored_height": 720})
    assert evaluate(long_clip, packs["trendyol"]) == ()
    assert evaluate(long_clip, packs["samsclub"])[0].code == "E_DURATION"
    assert not packs["samsclub"].rule("samsclub.min-pixel").enabled


def test_command_line_wins_over_the_file(tmp_path: Path) -> None:
    _write(tmp_path / "vidlint.toml", '[overrides."trendyol.duration"]\nmin = 2\nmax = 180\n')
    packs = resolve_packs(load_config(tmp_path), overrides={"trendyol.duration": {"max": 60}})
    params = dataclasses.asdict(packs["trendyol"].rule("trendyol.duration").params)
    assert params == {"min": 2, "max": 60}


def test_user_packs_are_found_relative_to_the_file(tmp_path: Path) -> None:
    shutil.copy(CUSTOM_PACK, tmp_path / "shopfast.toml")
    _write(
        tmp_path / "conf" / "vidlint.toml",
        'packs = ["../shopfast.toml"]\n[overrides."shopfast.duration"]\nmax = 90\n',
    )
    packs = resolve_packs(load_config(tmp_path / "conf"))
    assert dataclasses.asdict(packs["shopfast"].rule("shopfast.duration").params)["max"] == 90
    assert {*list_marketplaces(), "shopfast"} == set(packs)


@pytest.mark.parametrize(
    ("text", "kind", "error"),
    [
        ('packs = ["trendyol.toml"]\n', ConfigError, "a pack with id 'trendyol' already exists"),
        ('packs = ["absent.toml"]\n', RulePackError, "cannot read rule pack"),  # the pack file's problem
        ('disable = ["trendyol.nope"]\n', ConfigError, "no rule 'trendyol.nope'"),
        ('disable = ["nowhere.size"]\n', ConfigError, "disable nowhere.size: no marketplace with that rule"),
        (
            '[overrides."samsclub.size"]\nmax = 1\n',
            ConfigError,
            r"parameter max \(known: limit, severity, enabled\)",
        ),
        ('[overrides."samsclub.size"]\nlimit = "big"\n', ConfigError, "override samsclub.size: limit"),
        ('[overrides."samsclub.size"]\nseverity = "fatal"\n', ConfigError, "samsclub.size: severity"),
        ('[overrides."samsclub.size"]\nenabled = "no"\n', ConfigError, "samsclub.size: enabled"),
    ],
)
def test_bad_overrides_and_packs_are_clear(
    tmp_path: Path, text: str, kind: type[VidlintError], error: str
) -> None:
    shutil.copy(RULES / "trendyol.toml", tmp_path / "trendyol.toml")
    _write(tmp_path / "vidlint.toml", text)
    with pytest.raises(kind, match=error) as caught:
        resolve_packs(load_config(tmp_path))
    assert "\n" not in str(caught.value)


def test_remote_limits_from_pyproject(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", "[tool.vidlint.remote]\ntimeout_s = 7.5\nblock_private = true\n")
    options = load_config(tmp_path).remote.options()
    assert (options.timeout_s, options.block_private) == (7.5, True)
    assert options.max_redirects == RemoteOptions().max_redirects  # a key left out keeps its default


def test_no_remote_table_means_default_limits(tmp_path: Path) -> None:
    assert load_config(tmp_path).remote.options() == RemoteOptions()
