"""User configuration: ``[tool.vidlint]`` in pyproject.toml, or a vidlint.toml (top-level keys).

Found by walking up from the working directory; in one folder vidlint.toml wins over
pyproject.toml, and a pyproject.toml without ``[tool.vidlint]`` is passed over. Precedence:
command line > configuration file > built-in packs. A bad file is a one-line ConfigError
naming it.

    [tool.vidlint]
    marketplaces = ["trendyol", "samsclub"]
    exclude = ["drafts/**"]
    fail_on = "error"
    disable = ["samsclub.caption"]
    packs = ["rules/mymarket.toml"]          # relative to this file
    [tool.vidlint.per-file-ignores]          # glob relative to this file -> rule ids, codes, prefixes
    "drafts/*.mp4" = ["trendyol.duration", "E_MIN_PIXEL"]
    [tool.vidlint.overrides."trendyol.duration"]
    max = 180
    [tool.vidlint.remote]                    # limits of checking a URL (vidlint.remote.RemoteOptions)
    timeout_s = 20
    max_redirects = 5
    max_bytes = 4194304
    block_private = false
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from vidlint.errors import ConfigError
from vidlint.packs.builtin import builtin_packs
from vidlint.packs.loader import first_error, load_pack_file
from vidlint.packs.overrides import Overrides, apply_overrides, validate_override_ids
from vidlint.packs.pack import Pack
from vidlint.run.configfile import config_table, find_config

if TYPE_CHECKING:
    from vidlint.remote.options import RemoteOptions

class RemoteTable(BaseModel):
    """``[tool.vidlint.remote]``: the limits of checking a URL; a key left out keeps its default."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    timeout_s: float | None = Field(default=None, description="one time budget for a whole URL check (s)")
    max_redirects: int | None = Field(default=None, description="redirects followed before giving up")
    max_bytes: int | None = Field(default=None, description="body bytes read at most (then: partial)")
    block_private: bool | None = Field(default=None, description="refuse private and loopback addresses")

    @model_validator(mode="after")
    def _within_limits(self) -> RemoteTable:
        if self.model_dump(exclude_none=True):
            self.options()  # RemoteOptions' own bounds decide (only when the table says something)
        return self

    def options(self) -> RemoteOptions:
        """The RemoteOptions this table stands for (imports httpx: call it when a URL is checked)."""
        from vidlint.remote.options import RemoteOptions

        try:
            return RemoteOptions(**self.model_dump(exclude_none=True))
        except ValidationError as exc:
            raise ValueError(first_error(exc)) from None


class FixTable(BaseModel):
    """``[tool.vidlint.fix]``: the quality ``vidlint fix`` re-encodes at (only the streams it must) and
    its time limit per ffmpeg run; a key left out keeps its default (vidlint.fix.options.Quality)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    preset: str | None = Field(default=None, description="x264/x265 preset (default medium)")
    crf: int | None = Field(default=None, ge=0, le=51, description="constant rate factor (default 20)")
    pix_fmt: str | None = Field(default=None, description="pixel format (default yuv420p)")
    audio_bitrate: str | None = Field(
        default=None, pattern=r"^\d+(\.\d+)?k?$", description="AAC/MP3 bitrate (default 128k)"
    )
    video_codecs: list[str] | None = Field(default=None, description="preferred video codecs, in order")
    audio_codecs: list[str] | None = Field(default=None, description="preferred audio codecs, in order")
    timeout_s: float | None = Field(default=None, gt=0, description="time limit of each ffmpeg run (s)")


class ConfigTable(BaseModel):
    """What a configuration file may say."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    marketplaces: list[str] | None = Field(default=None, description="default marketplaces to check")
    exclude: list[str] = Field(default_factory=list, description="glob patterns of paths to skip")
    fail_on: Literal["error", "warning"] = "error"
    overrides: dict[str, dict[str, Any]] = Field(default_factory=dict, description="rule id -> params")
    disable: list[str] = Field(default_factory=list, description="rule ids")
    packs: list[str] = Field(default_factory=list, description="user rule packs, relative to the file")
    remote: RemoteTable = Field(default_factory=RemoteTable, description="limits of checking URLs")
    fix: FixTable = Field(default_factory=FixTable, description="vidlint fix: encoding quality, time limit")
    per_file_ignores: dict[str, list[str]] = Field(
        default_factory=dict,
        alias="per-file-ignores",
        description="glob relative to the file -> rule ids, provider codes or prefixes to ignore there",
    )


class Config(ConfigTable):
    config_file: Path | None = None  # where it was read from; None: defaults

    def pack_paths(self) -> list[Path]:
        base = self.config_file.parent if self.config_file else Path.cwd()
        return [base / path for path in self.packs]


def load_config(start: Path | None = None, explicit: Path | None = None) -> Config:
    """The configuration from ``explicit``, else the nearest one upwards from ``start`` (cwd)."""
    path = Path(explicit) if explicit is not None else find_config(start)
    return Config() if path is None else read_config(path)


def read_config(path: Path) -> Config:
    table = config_table(path)
    _unknown_keys(path, table, ConfigTable, "")
    try:
        parsed = ConfigTable.model_validate(table)
        return Config(**parsed.model_dump(), config_file=path)
    except ValidationError as exc:
        raise ConfigError(f"{path}: {first_error(exc)}") from None
    except (RecursionError, ValueError) as exc:  # values nested too deeply for pydantic to walk
        raise ConfigError(f"{path}: {type(exc).__name__}: {' '.join(str(exc).split())}") from None


def _unknown_keys(path: Path, table: Mapping[str, Any], model: type[BaseModel], prefix: str) -> None:
    """A misspelt key is named with the nearest real one: ``vidlint.toml: unknown key 'exlude' (did you
    mean 'exclude'?)`` (pydantic would only say "Extra inputs are not permitted")."""
    from vidlint.run.suggest import did_you_mean

    fields = {field.alias or name: field for name, field in model.model_fields.items()}
    for key, value in table.items():
        if key not in fields:
            hint = did_you_mean(str(key), fields, prefix)
            raise ConfigError(f"{path}: unknown key {prefix + str(key)!r}{hint}")
        annotation = fields[key].annotation
        if isinstance(value, Mapping) and isinstance(annotation, type) and issubclass(annotation, BaseModel):
            _unknown_keys(path, value, annotation, f"{prefix}{key}.")


def resolve_packs(
    config: Config | None = None, *, overrides: Overrides | None = None, disable: Iterable[str] = ()
) -> dict[str, Pack]:
    """Built-in and user packs with the overrides applied: the command line's over the file's."""
    config = config or Config()
    packs = dict(builtin_packs())
    for path in config.pack_paths():
        pack = load_pack_file(path)
        if pack.id in packs:
            raise ConfigError(f"{path}: a pack with id {pack.id!r} already exists")
        packs[pack.id] = pack
    try:
        merged = merge_overrides(config.overrides, overrides or {})
        disabled = [*config.disable, *disable]
        validate_override_ids(merged, packs)
        validate_override_ids({rule_id: {} for rule_id in disabled}, packs, what="disable")
        return {pack_id: apply_overrides(pack, merged, disabled) for pack_id, pack in packs.items()}
    except ConfigError as exc:  # the file the overrides and disables come from, then the rule
        message = f"{exc}{_rule_hint(str(exc), [*merged, *disabled], packs)}"
        if config.config_file is None:
            raise ConfigError(message) from None
        raise ConfigError(f"{config.config_file}: {message}") from None


def _rule_hint(message: str, named: Iterable[object], packs: Mapping[str, Pack]) -> str:
    """The hint " (did you mean 'x'?)" for the unknown rule id the message is about."""
    from vidlint.run.suggest import did_you_mean

    known = {rule.id for pack in packs.values() for rule in pack.rules}
    for rule_id in named:
        if isinstance(rule_id, str) and rule_id not in known and rule_id in message:
            return did_you_mean(rule_id, known)
    return ""


def merge_overrides(base: Overrides, top: Overrides) -> dict[str, dict[str, Any]]:
    """Per rule, ``top``'s parameters over ``base``'s."""
    merged = {rule_id: dict(params) for rule_id, params in base.items()}
    for rule_id, params in top.items():
        if not isinstance(params, Mapping):
            raise ConfigError(f"override {rule_id}: expected a table of parameters")
        merged.setdefault(rule_id, {}).update(params)
    return merged
