"""Fixtures for the CLI tests: an isolated cache and working folder, and main() in process."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.isolation import isolated

from vidlint.cli.app import main
from vidlint.sandbox.pytest_plugin import vidlint_files, vidlint_sandbox

from .support import Cli, Run

# the sandbox fixtures, for the upload command's tests; the isolation every test gets
__all__ = ["isolated", "vidlint_files", "vidlint_sandbox"]


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
