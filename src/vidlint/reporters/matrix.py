"""``vidlint check --matrix``: where each video can go. One line per file, one column per marketplace,
a mark per cell (``pass``, ``warn N``, ``FAIL N``: the findings at or above ``--fail-on``), how many
marketplaces take the file, then the codes behind the marks and one summary line. Plain text, or a
rich table on a terminal (imported only then)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TextIO

from vidlint.model.report import Report
from vidlint.reporters.common import counted, failing, marketplaces_of, printable

STYLES = {"pass": "green", "warn": "yellow", "FAIL": "bold red", "-": "dim"}
TAKEN = "passes"  # the last column: how many marketplaces take the file


@dataclass(frozen=True)
class Cell:
    word: str  # pass, warn, FAIL, or "-" (not judged there)
    count: int = 0  # findings behind a warn or FAIL mark

    @property
    def text(self) -> str:
        return f"{self.word} {self.count}" if self.count else self.word


@dataclass(frozen=True)
class Matrix:
    marketplaces: list[str]
    rows: list[tuple[str, list[Cell]]]  # (source, a cell per marketplace)
    codes: dict[str, Counter[str]]  # marketplace -> code -> files with it

    def taken(self, cells: Sequence[Cell]) -> str:
        return f"{sum(c.word != 'FAIL' and c.word != '-' for c in cells)}/{len(self.marketplaces)}"


def cell(report: Report, fail_on: str) -> Cell:
    """FAIL with the failing findings' count, warn with the other findings', else pass."""
    if found := failing(report, fail_on):
        return Cell("FAIL", len(found))
    return Cell("warn", len(report.findings)) if report.findings else Cell("pass")


def build(reports: Sequence[Report], fail_on: str) -> Matrix:
    marketplaces = marketplaces_of(reports)
    verdicts: dict[str, dict[str, Cell]] = {}
    codes: dict[str, Counter[str]] = {m: Counter() for m in marketplaces}
    for report in reports:
        verdicts.setdefault(report.source, {})[report.marketplace] = cell(report, fail_on)
        codes[report.marketplace].update({f.code for f in report.findings})
    rows = [(source, [row.get(m, Cell("-")) for m in marketplaces]) for source, row in verdicts.items()]
    return Matrix(marketplaces, rows, {m: c for m, c in codes.items() if c})


def plain_lines(matrix: Matrix) -> list[str]:
    """The table as aligned text columns."""
    header = ["file", *matrix.marketplaces, TAKEN]
    body = [
        [printable(source), *(c.text for c in cells), matrix.taken(cells)] for source, cells in matrix.rows
    ]
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
    return [
        "  ".join(text.ljust(w) for text, w in zip(row, widths, strict=True)).rstrip()
        for row in [header, *body]
    ]


def code_lines(matrix: Matrix) -> list[str]:
    """Why: each marketplace's codes, with the number of files that got each."""
    lines = []
    for marketplace, counts in matrix.codes.items():
        listed = ", ".join(f"{code} ({counted(n, 'file')})" for code, n in counts.most_common())
        lines.append(f"  {marketplace}: {printable(listed)}")
    return ["codes (vidlint rules show CODE):", *lines] if lines else []


def summary(matrix: Matrix, stats: str) -> str:
    everywhere = sum(all(c.word in ("pass", "warn") for c in cells) for _, cells in matrix.rows)
    nowhere = sum(all(c.word == "FAIL" for c in cells) for _, cells in matrix.rows)
    text = (
        f"{counted(len(matrix.rows), 'file')} x {counted(len(matrix.marketplaces), 'marketplace')}: "
        f"{everywhere} pass everywhere, {nowhere} nowhere"
    )
    return f"{text}; {stats}" if stats else text


def write(
    reports: Sequence[Report], out: TextIO, *, fail_on: str = "error", stats: str = "", color: bool = False
) -> None:
    matrix = build(reports, fail_on)
    codes = code_lines(matrix)
    tail = [*codes, *([""] if codes else []), summary(matrix, stats)]
    if not color:
        table = plain_lines(matrix) if matrix.rows else []
        out.write("".join(f"{line}\n" for line in [*table, *([""] if table else []), *tail]))
        return
    _write_rich(matrix, tail, out)


def _write_rich(matrix: Matrix, tail: Sequence[str], out: TextIO) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    # the caller decided (--color, NO_COLOR, FORCE_COLOR, a terminal): rich must not decide again
    console = Console(file=out, highlight=False, force_terminal=True, no_color=False, color_system="standard")
    table = Table(box=None, header_style="bold", pad_edge=False)
    for name in ["file", *matrix.marketplaces, TAKEN]:
        table.add_column(name, overflow="fold")
    for source, cells in matrix.rows:
        marks = [Text(c.text, style=STYLES[c.word]) for c in cells]
        table.add_row(Text(printable(source)), *marks, Text(matrix.taken(cells), style="bold"))
    if matrix.rows:
        console.print(table)
        console.print()
    for line in tail:
        console.print(Text(line, style="bold" if line is tail[-1] else ""))
