"""The ``vidlint`` command: ``main`` parses and dispatches; one module per command."""

from __future__ import annotations

from vidlint.cli.app import main as main
from vidlint.cli.app import run as run

__all__ = ["main", "run"]
