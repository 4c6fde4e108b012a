"""Fixtures for the CLI tests: an isolated cache and working folder, and main() in process."""

from __future__ import annotations

from pathlib import Path

import pytest

from vidlint.cli.app import main
from vidlint.sandbox.pytest_plugin import vidlint_files, vidlint_sandbox

from .support import Cli, Run

__all__ = ["vidlint_files", "vidlint_sandbox"]  # the sandbox fixtures, for the upload command's tests


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own cache folder and works in an empty folder (no project config above it)."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.setenv("VIDLINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(work)
    return work


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache"


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Cli:
    """Run ``vidlint ARGS`` in process; the result holds exit code, stdout and stderr together."""

    def run(*argv: str) -> Run:
        code = main(list(argv))
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run
