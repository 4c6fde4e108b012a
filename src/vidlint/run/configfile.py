"""Where the configuration is: the nearest vidlint.toml, or pyproject.toml with a ``[tool.vidlint]``
table, walking up from the working folder (in one folder vidlint.toml wins). Reading what it says
is vidlint.run.config's job (pydantic); finding it is cheap, so a run with no configuration at all
never loads pydantic.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from vidlint.errors import ConfigError, read_small_file

CONFIG_FILE = "vidlint.toml"
PYPROJECT = "pyproject.toml"
NAMES = (CONFIG_FILE, PYPROJECT)  # in order of preference within one folder


def find_config(start: Path | None = None) -> Path | None:
    """The configuration file that applies in ``start`` (default: the working folder), if any.

    A candidate that is there but is no regular file (a FIFO, a link to a device) is not passed over:
    reading it is a ConfigError naming it."""
    folder = (start or Path.cwd()).resolve()
    for directory in (folder, *folder.parents):
        for name in NAMES:
            candidate = directory / name
            if is_candidate(candidate) and (name == CONFIG_FILE or pyproject_table(candidate) is not None):
                return candidate
    return None


def is_candidate(path: Path) -> bool:
    """Something other than a folder is there (a dangling link is nothing)."""
    try:
        return path.exists() and not path.is_dir()
    except OSError:  # a name too long, a loop of links: nothing vidlint could read
        return False


def config_table(path: Path) -> dict[str, Any]:
    """What a configuration file says: a vidlint.toml's top level, or a pyproject.toml's table."""
    return (pyproject_table(path) or {}) if path.name == PYPROJECT else read_toml(path)


def pyproject_table(pyproject: Path) -> dict[str, Any] | None:
    """``[tool.vidlint]`` of a pyproject.toml; None when it has none. A file that never says
    "vidlint" cannot have the table, and is not parsed."""
    data = _read(pyproject)
    if b"vidlint" not in data:
        return None
    tool = _parse(pyproject, data).get("tool")
    table = tool.get("vidlint") if isinstance(tool, dict) else None
    if table is not None and not isinstance(table, dict):
        raise ConfigError(f"{pyproject}: [tool.vidlint] must be a table")
    return table


def read_toml(path: Path) -> dict[str, Any]:
    return _parse(path, _read(path))


def _read(path: Path) -> bytes:
    """Only a regular file, of at most 1 MiB (vidlint.errors.read_small_file)."""
    try:
        return read_small_file(path)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except ValueError:  # an embedded NUL byte
        raise ConfigError(f"{path}: cannot read: not a valid path") from None


def _parse(path: Path, data: bytes) -> dict[str, Any]:
    import tomllib  # ~10 ms: only when a file is read

    try:
        return tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except RecursionError:  # arrays or inline tables nested thousands deep
        raise ConfigError(f"{path}: not valid TOML: nested too deeply") from None
