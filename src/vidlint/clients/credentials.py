"""Credentials from environment variables or a TOML file, never from command-line arguments.

Precedence: ``VIDLINT_<MARKETPLACE>_<FIELD>`` environment variables, then the ``[<marketplace>]`` table
of the credentials file (``$VIDLINT_CREDENTIALS``, else ``credentials.toml`` in vidlint's user config
directory). Secrets are pydantic SecretStr: they print as ``**********``.

Every value is checked when it is read, not when a request is built from it: a token or key with a
space, a line break (a trailing newline from ``echo`` or a text editor is the usual one) or another
control character is refused, and so is a non-ASCII character in anything that goes into an HTTP
header. The error is one line naming the field and where it came from (``VIDLINT_TRENDYOL_API_KEY``, or
``api_key in [trendyol] of FILE``), never the value.

A field listed in a model's ``file_fields`` (Sam's Club's ``private_key``) may instead name a file that
holds it: ``VIDLINT_<MARKETPLACE>_<FIELD>_FILE`` or ``<field>_file`` in the file (``_path`` is the older
spelling). A value of the field itself that looks like a path is refused with the name to use instead.
"""

from __future__ import annotations

import logging
import os
import re
import stat
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Annotated, Any, ClassVar, TypeVar

import platformdirs
from pydantic import AfterValidator, BaseModel, ConfigDict, SecretStr, ValidationError
from pydantic_core import PydanticCustomError

from vidlint.clients.errors import ClientConfigError
from vidlint.clients.redact import mask_secrets

log = logging.getLogger(__name__)
C = TypeVar("C", bound="Credentials")
V = TypeVar("V", str, SecretStr)


PATH_ERROR = "credential_path"  # a key's text that is a file's name: the message says which name to use


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


def looks_like_path(text: str) -> bool:
    """Whether a value given as a key's text is more likely the path of a file holding it. A PEM key has
    a ``-----BEGIN`` line; a bare base64 key is a single word of at least ~400 characters that starts
    with ``MI`` (DER) and holds no ``.``; a path starts with ``/``, ``~``, ``.`` or a drive letter,
    names a key file, or is short and has a separator."""
    word = text.strip()
    if not word or "-----BEGIN" in word or "\n" in word:
        return False
    if word.startswith(("/", "~", "./", "../", ".\\", "..\\")) or re.match(r"[A-Za-z]:[\\/]", word):
        return True
    if word.lower().endswith((".pem", ".key", ".der", ".p8", ".pk8", ".txt")):
        return True
    return len(word) < 256 and ("/" in word or "\\" in word)


def _pem_text(text: str) -> str:
    """A private key: PEM or bare base64, so line breaks are fine, but only ASCII and no other control."""
    if not text.strip():
        raise _refuse("is empty")
    if looks_like_path(text):
        raise PydanticCustomError(PATH_ERROR, "looks like a file path")
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
    # Fields that may instead be given as the name of a file holding the value: ``<field>_file``
    # (``VIDLINT_<ID>_<FIELD>_FILE``, or ``<field>_file`` in the credentials file; ``_path`` also works).
    file_fields: ClassVar[tuple[str, ...]] = ()

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


_FILE_SUFFIXES = ("_file", "_path")  # <field>_file names a file holding <field>; _path is its older name


def _companions(model: type[Credentials]) -> dict[str, str]:
    """``<field>_file`` (and ``_path``) -> ``<field>``, for each field that may come from a file."""
    return {field + suffix: field for field in model.file_fields for suffix in _FILE_SUFFIXES}


def _env_values(model: type[Credentials], marketplace: str, env: Mapping[str, str]) -> dict[str, Any]:
    names = [*model.model_fields, *_companions(model)]
    return {name: env[_env_name(marketplace, name)] for name in names if _env_name(marketplace, name) in env}


def _merge(
    model: type[Credentials],
    layers: list[tuple[Mapping[str, Any], Callable[[str], str]]],
) -> tuple[dict[str, Any], dict[str, str]]:
    """The values of each layer over the ones before (file, then environment, then options), with their
    origins. A field and its ``_file`` companion are one setting: a later layer's either replaces both,
    and within one layer the value itself wins over a file named for it."""
    companions = _companions(model)
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    for layer, where in layers:
        names = sorted(layer, key=lambda name: name not in companions)  # companions first
        for name in names:
            field = companions.get(name, name)
            for same in (field, *(c for c, f in companions.items() if f == field)):
                values.pop(same, None)
                origins.pop(same, None)
            values[name], origins[name] = layer[name], where(name)
    return values, origins


def _read_files(
    model: type[Credentials], marketplace: str, values: dict[str, Any], origins: dict[str, str]
) -> None:
    """Replace each ``<field>_file`` by the text of the file it names."""
    for companion, field in _companions(model).items():
        if companion not in values:
            continue
        named, where = values.pop(companion), origins.pop(companion)
        try:
            values[field] = Path(str(named)).expanduser().read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            why = getattr(exc, "strerror", None) or type(exc).__name__
            shown = str(named) if str(named).isprintable() else repr(str(named))
            raise ClientConfigError(
                f"{marketplace} credentials: cannot read the {field} file {shown} named by {where} ({why})"
            ) from None
        origins[field] = f"the file named by {where}"


def _set_hint(model: type[Credentials], marketplace: str, field: str, path: Path) -> str:
    """How to give ``field``: its variable or its key in the file (and their ``_file`` forms)."""
    if field in model.file_fields:
        env = f"{_env_name(marketplace, field)} or {_env_name(marketplace, field + '_file')}"
        return f"set {env}, or {field} or {field}_file in [{marketplace}] of {path}"
    return f"set {_env_name(marketplace, field)} or {field} in [{marketplace}] of {path}"


def _instead(marketplace: str, field: str, where: str, path: Path) -> str:
    """The ``_file`` form matching where a path-like ``field`` came from."""
    if where == _env_name(marketplace, field):
        return _env_name(marketplace, field + "_file")
    if where.startswith("the ") and where.endswith(" option"):
        return f"{field}_file"
    return f"{field}_file in [{marketplace}] of {path}"


def _problems(
    model: type[Credentials], exc: ValidationError, origins: Mapping[str, str], marketplace: str, path: Path
) -> str:
    found = []
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else "credentials"
        where = origins.get(field)
        if error["type"] == "missing":
            found.append(f"{field} is missing ({_set_hint(model, marketplace, field, path)})")
        elif error["type"] == PATH_ERROR and where is not None:
            instead = _instead(marketplace, field, where, path)
            found.append(f"{field} from {where}: looks like a file path: use {instead} to name the file")
        else:
            found.append(f"{field}{f' from {where}' if where else ''}: {error['msg']}")
    return "; ".join(found)


def configured_value(
    marketplace: str, field: str, *, env: Mapping[str, str] | None = None, path: Path | None = None
) -> Any:
    """One field as it is configured (environment, then credentials file), unvalidated; None when unset.
    For decisions made before the credentials are read, such as whether ``base_url`` is a sandbox."""
    env = os.environ if env is None else env
    name = _env_name(marketplace, field)
    if name in env:
        return env[name]
    return _file_table(path or default_path(env), marketplace).get(field)


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
    given = {k: v for k, v in (overrides or {}).items() if v is not None}
    values, origins = _merge(
        model,
        [
            (_file_table(path, marketplace), lambda name: f"{name} in [{marketplace}] of {path}"),
            (_env_values(model, marketplace, env), lambda name: _env_name(marketplace, name)),
            (given, lambda name: f"the {name} option"),
        ],
    )
    _read_files(model, marketplace, values, origins)
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        problems = _problems(model, exc, origins, marketplace, path)
        secret_fields = [n for n, f in model.model_fields.items() if f.annotation is SecretStr]
        secrets = [str(values[n]) for n in secret_fields if n in values]
        message = f"{marketplace} credentials: {problems}"
        raise ClientConfigError(" ".join(mask_secrets(message, secrets).split())) from None
