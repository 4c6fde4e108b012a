"""The human format: per file and marketplace, pass or the provider's codes (with the rule id and a
reason); then a files x marketplaces matrix, where each rule that fired is explained, and one summary
line. Styles are only applied when colour is on."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from vidlint.model.report import Report
from vidlint.reporters.common import counted, failing, marketplaces_of, printable, reason

Segment = tuple[str, str]  # (text, rich style; "" for none)
_STATUS_STYLE = {"pass": "green", "warn": "yellow", "FAIL": "bold red"}


class _Page:
    def __init__(self) -> None:
        self.lines: list[list[Segment]] = []

    def add(self, *segments: Segment) -> None:
        self.lines.append(list(segments))


def render_lines(
    reports: Sequence[Report], *, fail_on: str = "error", quiet: bool = False, stats: str = ""
) -> list[list[Segment]]:
    """The page as styled segments: the CLI prints them plain, or through rich with colour."""
    page = _Page()
    by_source: dict[str, list[Report]] = {}
    for report in reports:
        by_source.setdefault(report.source, []).append(report)
    for source, group in by_source.items():
        if not quiet or any(r.findings for r in group):
            _file_block(page, source, group, fail_on)
    if by_source and not quiet:
        page.add()
        _matrix(page, by_source, marketplaces_of(reports), fail_on)
    _references(page, reports)
    if page.lines:
        page.add()
    page.add((_summary(reports, len(by_source), fail_on, stats), "bold"))
    return page.lines


def _references(page: _Page, reports: Sequence[Report]) -> None:
    """Where each rule that fired is explained (also ``vidlint rules show RULE``)."""
    docs = {f.rule: f.doc for r in reports for f in r.findings}
    if not docs:
        return
    width = max(len(rule) for rule in docs)
    page.add()
    page.add(("rules (vidlint rules show RULE):", "bold"))
    for rule, url in docs.items():
        page.add((f"  {printable(rule):<{width}}  ", ""), (url, "dim"))


def status(report: Report, fail_on: str) -> str:
    if failing(report, fail_on):
        return "FAIL"
    return "warn" if report.findings else "pass"


def _file_block(page: _Page, source: str, group: list[Report], fail_on: str) -> None:
    page.add((printable(source), "bold"))
    caption = next((r.caption for r in group if r.caption is not None), None)
    if caption is not None:
        page.add(("  caption: ", "dim"), (printable(caption), ""))
    width = max(len(r.marketplace) for r in group)
    for report in group:
        word = status(report, fail_on)
        page.add((f"  {report.marketplace:<{width}}  ", ""), (word, _STATUS_STYLE[word]))
        for finding in report.findings:
            style = "red" if finding.severity == "error" else "yellow"
            page.add(
                (f"    {finding.severity:<7} ", style),
                (finding.code, "bold"),
                (f" [{finding.rule}]", "dim"),
                (f"  {printable(reason(finding))}", ""),
            )
            if finding.fix is not None:
                page.add(("            fix: ", "dim"), (printable(finding.fix.hint), "dim"))


def _matrix(
    page: _Page, by_source: dict[str, list[Report]], marketplaces: list[str], fail_on: str
) -> None:
    names = {s: printable(s) for s in by_source}
    first = max([len("file"), *(len(n) for n in names.values())])
    widths = [max(len(m), 4) for m in marketplaces]
    header = [(f"  {m:<{w}}", "bold") for m, w in zip(marketplaces, widths, strict=True)]
    page.add(("file".ljust(first), "bold"), *header)
    for source, group in by_source.items():
        cells: list[Segment] = [(names[source].ljust(first), "")]
        verdicts = {r.marketplace: status(r, fail_on) for r in group}
        for marketplace, w in zip(marketplaces, widths, strict=True):
            word = verdicts.get(marketplace, "-")
            cells += [("  ", ""), (f"{word:<{w}}", _STATUS_STYLE.get(word, ""))]
        page.add(*cells)


def _summary(reports: Sequence[Report], files: int, fail_on: str, stats: str) -> str:
    marketplaces = len(marketplaces_of(reports))
    failed = sum(1 for r in reports if failing(r, fail_on))
    errors = sum(1 for r in reports for f in r.findings if f.severity == "error")
    warnings = sum(1 for r in reports for f in r.findings if f.severity == "warning")
    text = (
        f"{counted(files, 'file')} x {counted(marketplaces, 'marketplace')}: {len(reports) - failed} passed, "
        f"{failed} failed ({counted(errors, 'error')}, {counted(warnings, 'warning')})"
    )
    return f"{text}; {stats}" if stats else text


def write(
    reports: Sequence[Report],
    out: TextIO,
    *,
    fail_on: str = "error",
    quiet: bool = False,
    stats: str = "",
    color: bool = False,
) -> None:
    """Print the page: plain text, or through rich with colour (imported only then)."""
    lines = render_lines(reports, fail_on=fail_on, quiet=quiet, stats=stats)
    if not color:
        out.write("".join("".join(text for text, _ in line).rstrip() + "\n" for line in lines))
        return
    from rich.console import Console
    from rich.text import Text

    # the caller decided (--color, NO_COLOR, FORCE_COLOR, a terminal): rich must not decide again
    console = Console(
        file=out,
        highlight=False,
        soft_wrap=True,
        force_terminal=True,
        no_color=False,
        color_system="standard",
    )
    for line in lines:
        styled = Text.assemble(*((text, style) for text, style in line))
        styled.rstrip()
        console.print(styled)
