"""``vidlint probe``: print what vidlint reads from files, folders and URLs."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from vidlint.cli.common import EXIT_FINDINGS, EXIT_OK

if TYPE_CHECKING:
    from vidlint.errors import ProbeError
    from vidlint.model.facts import MediaFacts


def probe(args: argparse.Namespace) -> int:
    from vidlint.errors import ProbeError
    from vidlint.reporters.facts import render_json, render_text

    facts, failed = [], False
    for outcome in _probe_each(args.paths):
        if isinstance(outcome, ProbeError):
            print(f"vidlint: error: {outcome}", file=sys.stderr)
            failed = True
        else:
            facts.append(outcome)
    sys.stdout.write(render_json(facts) if args.format == "json" else render_text(facts))
    return EXIT_FINDINGS if failed else EXIT_OK


def _probe_each(paths: Sequence[str]) -> list[MediaFacts | ProbeError]:
    """Facts for each path (a folder: each video in it; a URL: read over HTTP), in the order given."""
    from vidlint.model.source import is_url
    from vidlint.probing.batch import probe_sources
    from vidlint.run.targets import MissingPathError

    missing = [p for p in paths if not is_url(p) and not os.path.lexists(p)]
    if missing:
        raise MissingPathError(f"no such file or folder: {missing[0]!r}")
    sources = list(dict.fromkeys(s for p in paths for s in _sources_of(p)))
    local = probe_sources([s for s in sources if not is_url(s)], jobs=None)
    return [local[s] if s in local else _fetch(s) for s in sources]


def _sources_of(path: str) -> list[str]:
    """A folder stands for the videos in it (what it could not read is said on stderr); anything else
    for itself."""
    from vidlint.cli.common import warn
    from vidlint.run.targets import discover

    if not os.path.isdir(path):
        return [path]
    found = discover([path])
    for message in found.warnings:
        warn(message)
    for problem in found.problems:
        warn(f"{problem.path}: {problem.message()}")
    return [t.source for t in found.targets]


def _fetch(url: str) -> MediaFacts:
    from vidlint.remote import fetch_facts

    return fetch_facts(url)
