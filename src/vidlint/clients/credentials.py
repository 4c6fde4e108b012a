"""Credentials from environment variables or a TOML file, never from command-line arguments.

Precedence: ``VIDLINT_<MARKETPLACE>_<FIELD>`` environment variables, then the ``[<marketplace>]`` table
of the credentials file (``$VIDLINT_CREDENTIALS``, else ``credentials.toml`` in vidlint's user config
directory). Secrets are pydantic SecretStr: they print as ``**********`` and error messages name the
missing or malformed field, never its value.
"""

from __future__ import annotations

import logging
import os
import stat
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

import platformdirs
from pydantic import BaseModel, ConfigDict, ValidationError

from vidlint.clients.errors import ClientConfigError

log = logging.getLogger(__name__)
C = TypeVar("C", bound="Credentials")


class Credentials(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore", hide_input_in_errors=True)

    base_url: str


def default_path(env: Mapping[str, str]) -> Path:
    explicit = env.get("VIDLINT_CREDENTIALS")
    return Path(explicit) if explicit else Path(platformdirs.user_config_dir("vidlint")) / "credentials.toml"


def _file_table(path: Path, marketplace: str) -> dict[str, Any]:
    if not path.is_file():
        return {}
    if path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        log.warning("%s is readable by other users; chmod 600 it", path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ClientConfigError(f"{path}: not a readable TOML file ({type(exc).__name__})") from None
    table = data.get(marketplace, {})
    if not isinstance(table, dict):
        raise ClientConfigError(f"{path}: [{marketplace}] must be a table")
    return dict(table)


def _env_values(model: type[Credentials], marketplace: str, env: Mapping[str, str]) -> dict[str, Any]:
    prefix = f"VIDLINT_{marketplace.upper()}_"
    names = [*model.model_fields, "private_key_path"]
    return {name: env[prefix + name.upper()] for name in names if prefix + name.upper() in env}


def _read_key_file(values: dict[str, Any]) -> None:
    key_path = values.pop("private_key_path", None)
    if key_path and "private_key" not in values:
        try:
            values["private_key"] = Path(str(key_path)).expanduser().read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError):
            raise ClientConfigError(f"cannot read the private key file {key_path}") from None


def load_credentials(
    model: type[C],
    marketplace: str,
    *,
    env: Mapping[str, str] | None = None,
    path: Path | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> C:
    """The marketplace's credentials; ClientConfigError names what is missing (never a value)."""
    env = os.environ if env is None else env
    values = _file_table(path or default_path(env), marketplace)
    values.update(_env_values(model, marketplace, env))
    values.update({k: v for k, v in (overrides or {}).items() if v is not None})
    _read_key_file(values)
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['type']}" for e in exc.errors())
        hint = f"set VIDLINT_{marketplace.upper()}_<FIELD> or [{marketplace}] in the credentials file"
        raise ClientConfigError(f"{marketplace} credentials incomplete ({problems}); {hint}") from None
