"""The folder isolation that the CLI and fix tests both use (each conftest imports the fixture)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own cache folder and works in an empty folder (no project config above it)."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.setenv("VIDLINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(work)
    return work
