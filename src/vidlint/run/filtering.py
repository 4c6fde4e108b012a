"""Which findings a run reports: ``--select`` / ``--ignore`` (rule ids, provider codes or prefixes such as
``samsclub.``) and the configuration's ``per-file-ignores`` (a gitignore-style glob relative to the
configuration file's folder -> rule ids, codes or prefixes). A dropped finding counts nowhere: not in
the output, not in the exit code. Verdicts are cached whole; this runs on what is reported."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from vidlint.model.report import Finding, Report

PerFileIgnores = tuple[tuple[str, tuple[str, ...]], ...]  # (glob, rule ids / codes / prefixes), in order


def tokens(items: Iterable[str] | None) -> tuple[str, ...]:
    """``CODE_OR_RULE,...`` values (repeatable, comma-separated) as one tuple."""
    return tuple(t.strip() for item in items or () for t in item.split(",") if t.strip())


def matches(finding: Finding, token: str) -> bool:
    """``token`` names the finding: its rule id or code, or a prefix of either (``samsclub.`` or
    ``samsclub``: every rule of that marketplace; ``E_``: codes that start with it)."""
    for name in (finding.rule, finding.code):
        if name == token or name.startswith(token if token[-1] in "._-" else token + "."):
            return True
    return False


class FindingFilter(NamedTuple):
    select: tuple[str, ...] = ()  # empty: every finding
    ignore: tuple[str, ...] = ()
    per_file: PerFileIgnores = ()
    base: Path | None = None  # the folder per-file globs are relative to (None: the working folder)

    def __bool__(self) -> bool:
        return bool(self.select or self.ignore or self.per_file)

    def apply(self, reports: Sequence[Report]) -> list[Report]:
        if not self:
            return list(reports)
        from vidlint.model.report import Report

        specs = _compiled(self.per_file)
        kept = []
        for report in reports:
            ignored = self.ignore + self._for_file(report.source, specs)
            findings = tuple(f for f in report.findings if self._keeps(f, ignored))
            same = len(findings) == len(report.findings)
            kept.append(
                report
                if same
                else Report(
                    source=report.source,
                    marketplace=report.marketplace,
                    findings=findings,
                    facts=report.facts,
                )
            )
        return kept

    def _keeps(self, finding: Finding, ignored: Sequence[str]) -> bool:
        if self.select and not any(matches(finding, t) for t in self.select):
            return False
        return not any(matches(finding, t) for t in ignored)

    def _for_file(self, source: str, specs: Sequence[tuple[Any, tuple[str, ...]]]) -> tuple[str, ...]:
        from vidlint.model.source import is_url

        if not specs or not source or source.startswith("<") or is_url(source):
            return ()
        base = (self.base or Path.cwd()).absolute()
        try:
            relative = Path(os.path.relpath(Path(source).absolute(), base))
        except ValueError:  # another drive (Windows)
            return ()
        if relative.parts[:1] == ("..",):
            return ()
        path = relative.as_posix()
        return tuple(t for spec, names in specs if spec.match_file(path) for t in names)


def _compiled(per_file: PerFileIgnores) -> list[tuple[Any, tuple[str, ...]]]:
    if not per_file:
        return []
    import pathspec

    return [(pathspec.GitIgnoreSpec.from_lines([glob]), names) for glob, names in per_file]
