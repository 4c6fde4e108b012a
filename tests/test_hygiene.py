"""Project hygiene: the linters the README promises stay clean, and the public API is what it says."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import vidlint

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _run(*cmd: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)


def test_ruff_clean() -> None:
    result = _run(str(BIN / "ruff"), "check", "src", "tests", "benchmarks", "sample_media", "scripts")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_clean() -> None:
    result = _run(str(BIN / "mypy"))  # files and strictness come from pyproject.toml
    assert result.returncode == 0, result.stdout + result.stderr


def test_public_names_resolve() -> None:
    for name in vidlint.__all__:
        assert getattr(vidlint, name) is not None, name


def test_import_is_lazy() -> None:
    """`import vidlint` must not drag in the heavy libraries: the pre-commit hook pays for every import."""
    heavy = ("pymediainfo", "magic", "PIL", "httpx", "rich", "pebble", "cryptography")
    code = f"import sys, vidlint; print(','.join(m for m in {heavy!r} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_probe_and_upload_stay_functions_once_their_modules_are_loaded() -> None:
    """A submodule named like a package attribute would replace it on import: ours are named apart."""
    import vidlint.clients.facade
    import vidlint.probing

    assert callable(vidlint.probe) and vidlint.probe is vidlint.probing.probe
    assert callable(vidlint.upload) and vidlint.upload is vidlint.clients.facade.upload
