"""The ``vidlint`` command: ``main`` parses and dispatches (vidlint.cli.app); one module per command.

``run``, the console script, first forks the probe worker of a ``vidlint check --no-cache`` on local
files, before anything else is imported: argparse, typing and the packs then load while the worker
loads the probe and probes the files ahead (vidlint.probing.spawn).
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # typing costs this first step ~3 ms; mypy reads the block below
if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["main", "run"]
_CATALOG_OPTIONS = ("--from", "--scheduler")  # their sources are read elsewhere, not probed here


def run() -> None:
    """The console script."""
    if sys.argv[1:2] == ["check"]:
        from vidlint.server import client

        if client.wanted(sys.argv[1:]) and (code := client.run(sys.argv[1:])) is not None:
            os._exit(code)  # the served run wrote everything; this process buffered nothing
    fork_probe_worker(sys.argv[1:])
    from vidlint.cli.app import run as run_command

    run_command()


def main(argv: Sequence[str] | None = None) -> int:
    """``vidlint ARGS`` in this process: the exit code."""
    from vidlint.cli.app import main as main_command

    return main_command(argv)


def fork_probe_worker(argv: Sequence[str]) -> None:
    """For ``vidlint check --no-cache`` with local files (or a folder), start the probe worker now,
    probing up to a few of the named files ahead. Arguments are not parsed yet: a word that names an
    existing file is taken for a path (an option's value that happens to be a file costs the worker a
    probe, never a wrong answer: the worker answers only what it is later asked).

    With the cache on, the worker starts once the cache has not answered (vidlint.cli.check): a worker
    busy beside a cached answer made that answer ~40 % slower on the 2-core machine (44 -> 62 ms,
    hyperfine), more than the earlier start saves a cold file."""
    if argv[:1] != ["check"] or "--no-cache" not in argv:
        return
    if any(a in argv for a in ("-h", "--help", *_CATALOG_OPTIONS)):
        return
    words = [a for a in argv[1:] if not a.startswith("-")]
    if words and all("://" in word for word in words):  # URLs only: read by vidlint.remote
        return
    from vidlint.probing.spawn import FEW_FILES, prestart

    files = [word for word in words if os.path.isfile(word)]
    try:  # noqa: SIM105 (contextlib is not imported yet, and need not be)
        prestart(files if len(files) <= FEW_FILES else ())
    except OSError:  # no process can be started now: the pipeline says so per file
        pass
