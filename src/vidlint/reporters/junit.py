"""JUnit XML: one test suite per marketplace, one test case per file, and at most one ``<failure>`` per
test case (JUnit consumers count one): its type lists the codes, its text has a line per finding."""

from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import UTC, datetime

from vidlint.model.report import Report
from vidlint.reporters.common import failing, marketplaces_of, reason

# Characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def render(
    reports: Sequence[Report], *, fail_on: str = "error", started: tuple[float, float] | None = None
) -> str:
    """``started``: the run's start (wall clock, perf counter). Then ``<testsuites time>`` is the run's
    wall time and each suite has the run's ``timestamp``. Test cases have no ``time``: files are probed
    in batches on several workers at once, so no per-file wall time exists to report."""
    root = ET.Element("testsuites", name="vidlint")
    stamp = _timestamp(started[0]) if started else None
    for marketplace in marketplaces_of(reports):
        _suite(root, [r for r in reports if r.marketplace == marketplace], marketplace, fail_on)
    for suite in root.iter("testsuite"):
        if stamp:
            suite.set("timestamp", stamp)
    root.set("tests", str(len(reports)))
    root.set("failures", str(sum(1 for r in reports if failing(r, fail_on))))
    if started:
        root.set("time", f"{time.perf_counter() - started[1]:.3f}")
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _suite(root: ET.Element, reports: list[Report], marketplace: str, fail_on: str) -> None:
    failures = sum(1 for r in reports if failing(r, fail_on))
    suite = ET.SubElement(
        root,
        "testsuite",
        name=marketplace,
        tests=str(len(reports)),
        failures=str(failures),
        errors="0",
        skipped="0",
    )
    for report in reports:
        case = ET.SubElement(suite, "testcase", classname=f"vidlint.{marketplace}", name=_xml(report.source))
        counted = failing(report, fail_on)
        if counted:
            codes = ", ".join(dict.fromkeys(f.code for f in counted))
            message = reason(counted[0]) + (f" (and {len(counted) - 1} more)" if len(counted) > 1 else "")
            failure = ET.SubElement(case, "failure", type=_xml(codes), message=_xml(message))
            failure.text = _xml("\n".join(f"{f.code} [{f.rule}]: {reason(f)} ({f.doc})" for f in counted))
        others = [f for f in report.findings if f not in failing(report, fail_on)]
        if others:
            ET.SubElement(case, "system-out").text = _xml(
                "\n".join(f"{f.severity} {f.code}: {reason(f)}" for f in others)
            )


def _timestamp(wall: float) -> str:
    return datetime.fromtimestamp(wall, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S")


def _xml(text: str) -> str:
    """Text XML can hold: undecodable bytes and forbidden control characters become visible escapes."""
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
