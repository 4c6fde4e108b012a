"""``vidlint check`` over a catalog: the sources, the run (local or on Dask), the JSON Lines output.

The CLI (vidlint.cli.check) resolves the configuration and the packs, then hands the parsed arguments
here. Results stream: written (``--format jsonl``) as each source completes, never collected, with a
progress bar on a terminal and a summary at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TextIO

from vidlint.catalog.expand import command_line_items, expanded, list_items
from vidlint.catalog.item import Item
from vidlint.catalog.output import Done, open_append, write_result
from vidlint.catalog.progress import Tally, shown
from vidlint.catalog.runner import Limits, Result, check_items
from vidlint.catalog.sources import count_rows
from vidlint.errors import VidlintError
from vidlint.model.report import Report
from vidlint.packs.pack import Pack
from vidlint.run.pipeline import UNREADABLE_CODE

if TYPE_CHECKING:
    from vidlint.remote.options import RemoteOptions
    from vidlint.run.setup import Setup

Opener = Callable[[str], contextlib.AbstractContextManager[TextIO]]
Chooser = Callable[[Sequence[Report]], Sequence[Report]]


@dataclass
class CatalogRun:
    packs: Mapping[str, Pack]
    items: Iterator[Item]
    metadata: Mapping[str, Any] | None = None
    remote: RemoteOptions | None = None
    limits: Limits = field(default_factory=Limits)
    scheduler: str | None = None  # a Dask scheduler's address: the run goes there
    output: str | None = None
    resume: bool = False
    progress: bool = True
    tally: Tally = field(default_factory=Tally)
    opener: Opener | None = None  # how ``output`` is opened afresh (the CLI's checks: a regular file)

    @classmethod
    def from_args(
        cls, args: argparse.Namespace, found: Setup, metadata: Mapping[str, Any] | None, opener: Opener
    ) -> CatalogRun:
        from_file = getattr(args, "from_file", None)
        if getattr(args, "resume", False) and not (getattr(args, "output", None) or "").endswith(".jsonl"):
            raise VidlintError("--resume needs --output FILE.jsonl (the results of the run to resume)")
        if not args.paths and from_file is None:
            raise VidlintError("nothing to check: give sources, or --from FILE")
        items: Iterator[Item] = command_line_items(args.paths, found.exclude)
        if from_file is not None:
            rows = list_items(
                from_file, getattr(args, "column", None), _names(getattr(args, "meta_columns", None))
            )
            items = itertools.chain(items, rows)
        run = cls(
            packs=found.packs,
            items=expanded(items),
            metadata=metadata,
            remote=found.remote.options() if found.remote is not None else None,
            limits=Limits(args.concurrency or Limits.concurrency, args.per_host or Limits.per_host),
            scheduler=getattr(args, "scheduler", None),
            output=getattr(args, "output", None),
            resume=getattr(args, "resume", False),
            progress=not args.quiet,
            opener=opener,
        )
        run.tally.total = count_rows(from_file) if from_file is not None and not args.paths else None
        return run

    def results(self) -> Iterator[Result]:
        """Each source's Result as it completes, the tally kept (sources done before skipped)."""
        items = self.items
        if self.resume and self.output is not None:
            done = Done(list(self.packs))
            done.read(self.output)
            self.tally.skipped = done.count
            items = (item for item in items if item.source not in done)
        with shown(self.tally, enabled=self.progress) as update:
            for result in self._run(items):
                self.tally.done += 1
                self.tally.failed += result.failed
                self.tally.unreadable += any(
                    f.code == UNREADABLE_CODE for r in result.reports for f in r.findings
                )
                update()
                yield result

    def write_lines(self, fail_on: str, chosen: Chooser | None = None) -> bool:
        """Run, writing JSON Lines; whether any finding is at or above ``fail_on``. ``chosen`` drops the
        findings that --select / --ignore leave out (from the output and the exit code alike)."""
        from vidlint.reporters.common import at_or_above

        failed = False
        with self._out() as out:
            for result in self.results():
                if chosen is not None:
                    result = Result(result.item, list(chosen(result.reports)))
                write_result(out, result)
                failed = failed or any(at_or_above(f, fail_on) for r in result.reports for f in r.findings)
        return failed

    def _run(self, items: Iterator[Item]) -> Iterator[Result]:
        if self.scheduler is not None:
            from vidlint.catalog.dask import check_on_cluster

            return check_on_cluster(
                self.scheduler,
                items,
                self.packs,
                metadata=self.metadata,
                remote=self.remote,
                limits=self.limits,
            )
        return check_items(items, self.packs, metadata=self.metadata, remote=self.remote, limits=self.limits)

    @contextlib.contextmanager
    def _out(self) -> Iterator[TextIO]:
        if self.output is None:
            yield sys.stdout
        elif self.resume:
            with open_append(self.output) as stream:
                yield stream
        else:
            with (self.opener or _plain)(self.output) as stream:
                yield stream


@contextlib.contextmanager
def _plain(path: str) -> Iterator[TextIO]:
    with open(path, "w", encoding="utf-8", newline="") as stream:
        yield stream


def _names(text: str | None) -> list[str]:
    return [name.strip() for name in (text or "").split(",") if name.strip()]
