"""Credentials from environment variables or a TOML file, never from command-line arguments.

Precedence: ``VIDLINT_<MARKETPLACE>_<FIELD>`` environment variables, then the ``[<marketplace>]`` table
of the credentials file (``$VIDLINT_CREDENTIALS``, else ``credentials.toml`` in vidlint's user config
directory). Secrets are pydantic SecretStr: they print as ``**********``.

Every value is checked when it is read, not when a request is built from it: a token or key with a
space, a line break (a trailing newline from ``echo`` or a text editor is the usual one) or another
control character is refused, and so is a non-ASCII character in anything that goes into an HTTP
header. The error is one line naming the field and where it came from (``VIDLINT_TRENDYOL_API_KEY``, or
``api_key in [trendyol] of FILE``), never the value.
"""

from __future__ import annotations

import logging
import os
import stat
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Annotated, Any, TypeVar

import platformdirs
from pydantic import AfterValidator, BaseModel, ConfigDict, SecretStr, ValidationError
from pydantic_core import PydanticCustomError

from vidlint.clients.errors import ClientConfigError
from vidlint.clients.redact import mask_secrets

log = logging.getLogger(__name__)
C = TypeVar("C", bound="Credentials")
V = TypeVar("V", str, SecretStr)


def _refuse(message: str) -> PydanticCustomError:
    return PydanticCustomError("credential_format", message)


def _no_space_or_control(text: str) -> str:
    """A token or key: one word, no whitespace and no control character anywhere."""
    if not text:
        raise _refuse("is empty")
    if any(ch.isspace() or ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in text):
        raise _refuse("contains whitespace or a control character (a trailing newline?)")
    return text


def _header_safe(text: str) -> str:
    """A value sent in an HTTP header as it is: printable ASCII, one word."""
    _no_space_or_control(text)
    if not text.isascii():
        raise _refuse("contains a non-ASCII character; it is sent in an HTTP header, which takes ASCII only")
    return text


def _path_part(text: str) -> str:
    """A value that becomes one segment of the request path (and a header): no ``/``, ``?`` or ``#``."""
    _header_safe(text)
    if any(ch in "/?#" for ch in text):
        raise _refuse("contains '/', '?' or '#'; it is one segment of the request path")
    return text


def _pem_text(text: str) -> str:
    """A private key: PEM or bare base64, so line breaks are fine, but only ASCII and no other control."""
    if not text.strip():
        raise _refuse("is empty")
    if not text.isascii() or any((ord(ch) < 0x20 and ch not in "\r\n\t") or ord(ch) == 0x7F for ch in text):
        raise _refuse("contains a non-ASCII or control character; a PEM key is ASCII text")
    return text


def _base_url(text: str) -> str:
    _no_space_or_control(text)
    if not text.lower().startswith(("http://", "https://")):
        raise _refuse("is not an http:// or https:// URL")
    return text


def _secret(check: Callable[[str], str]) -> Callable[[SecretStr], SecretStr]:
    def validate(value: SecretStr) -> SecretStr:
        check(value.get_secret_value())
        return value

    return validate


# The field types the providers' credentials models are built from.
Token = Annotated[SecretStr, AfterValidator(_secret(_no_space_or_control))]  # secret, not sent as is
HeaderToken = Annotated[SecretStr, AfterValidator(_secret(_header_safe))]  # secret, sent in a header
PrivateKey = Annotated[SecretStr, AfterValidator(_secret(_pem_text))]
HeaderText = Annotated[str, AfterValidator(_header_safe)]  # not secret, sent in a header
PathPart = Annotated[str, AfterValidator(_path_part)]  # not secret, one segment of the request path
BaseUrl = Annotated[str, AfterValidator(_base_url)]


class Credentials(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore", hide_input_in_errors=True)

    base_url: BaseUrl

    def secret_values(self) -> tuple[str, ...]:
        """The value of every secret field, for masking whatever message might echo one."""
        values = (getattr(self, name) for name in type(self).model_fields)
        secrets = (v.get_secret_value() for v in values if isinstance(v, SecretStr))
        return tuple(secret for secret in secrets if secret)


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


def _env_name(marketplace: str, field: str) -> str:
    return f"VIDLINT_{marketplace.upper()}_{field.upper()}"


def _env_values(model: type[Credentials], marketplace: str, env: Mapping[str, str]) -> dict[str, Any]:
    names = [*model.model_fields, "private_key_path"]
    return {name: env[_env_name(marketplace, name)] for name in names if _env_name(marketplace, name) in env}


def _read_key_file(values: dict[str, Any], origins: dict[str, str]) -> None:
    key_path = values.pop("private_key_path", None)
    where = origins.pop("private_key_path", "private_key_path")
    if key_path and "private_key" not in values:
        try:
            values["private_key"] = Path(str(key_path)).expanduser().read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError, ValueError):
            raise ClientConfigError(f"cannot read the private key file named by {where}") from None
        origins["private_key"] = f"the file named by {where}"


def _problems(exc: ValidationError, origins: Mapping[str, str], marketplace: str, path: Path) -> str:
    found = []
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else "credentials"
        if error["type"] == "missing":
            hint = f"set {_env_name(marketplace, field)} or {field} in [{marketplace}] of {path}"
            found.append(f"{field} is missing ({hint})")
        else:
            where = origins.get(field)
            found.append(f"{field}{f' from {where}' if where else ''}: {error['msg']}")
    return "; ".join(found)


def load_credentials(
    model: type[C],
    marketplace: str,
    *,
    env: Mapping[str, str] | None = None,
    path: Path | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> C:
    """The marketplace's credentials. ClientConfigError (one line) names what is missing or malformed and
    where it came from, never a value."""
    env = os.environ if env is None else env
    path = path or default_path(env)
    values = _file_table(path, marketplace)
    origins = {name: f"{name} in [{marketplace}] of {path}" for name in values}
    from_env = _env_values(model, marketplace, env)
    values.update(from_env)
    origins.update({name: _env_name(marketplace, name) for name in from_env})
    given = {k: v for k, v in (overrides or {}).items() if v is not None}
    values.update(given)
    origins.update({name: f"the {name} option" for name in given})
    _read_key_file(values, origins)
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        problems = _problems(exc, origins, marketplace, path)
        secret_fields = [n for n, f in model.model_fields.items() if f.annotation is SecretStr]
        secrets = [str(values[n]) for n in secret_fields if n in values]
        message = f"{marketplace} credentials: {problems}"
        raise ClientConfigError(" ".join(mask_secrets(message, secrets).split())) from None
