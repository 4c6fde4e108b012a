"""The pre-flight every upload runs first: the engine's verdict, before any request leaves.

The engine is reached through :func:`run_check` only, so the clients never judge a file themselves.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from vidlint.clients.errors import PreflightFailed
from vidlint.model.report import Report

if TYPE_CHECKING:
    from vidlint.remote.options import RemoteOptions

Source = str | os.PathLike[str]
CheckFn = Callable[[Source, str, Mapping[str, Any] | None, Source | None], Report]


def server_side_check(remote: RemoteOptions) -> CheckFn:
    """run_check with ``remote`` deciding how a URL source is read (and which addresses it may reach)."""

    def check(
        source: Source, marketplace: str, metadata: Mapping[str, Any] | None, caption: Source | None
    ) -> Report:
        return run_check(source, marketplace, metadata, caption, remote=remote)

    return check


class ForcedUploadWarning(UserWarning):
    """An upload went ahead although its pre-flight failed (``force=True``); ``report`` holds the findings.

    It is the one signal of a forced upload (no log record besides): ``logging.captureWarnings(True)``
    routes it to the ``py.warnings`` logger; the CLI prints it once as ``vidlint: warning: ...``."""

    def __init__(self, message: str, report: Report | None = None) -> None:
        super().__init__(message)
        self.report = report


def run_check(
    source: Source,
    marketplace: str,
    metadata: Mapping[str, Any] | None,
    caption: Source | None,
    *,
    remote: RemoteOptions | None = None,
) -> Report:
    """The engine's report for ``source`` (vidlint.api.check)."""
    from vidlint.api import check

    body = dict(metadata) if metadata else None
    return check(source, marketplace, metadata=body, caption=caption, remote=remote)


def preflight(
    source: Source,
    marketplace: str,
    *,
    metadata: Mapping[str, Any] | None = None,
    caption: Source | None = None,
    force: bool = False,
    check: CheckFn | None = None,
) -> Report:
    """The report when it passes; PreflightFailed when it does not, unless ``force`` (then loudly)."""
    report = (check or run_check)(source, marketplace, metadata, caption)
    if report.passed:
        return report
    if not force:
        raise PreflightFailed(report)
    codes = ", ".join(sorted(f.code for f in report.findings if f.severity == "error"))
    message = f"FORCED UPLOAD: {report.source} fails {marketplace} pre-flight ({codes}); sending it anyway"
    warnings.warn(ForcedUploadWarning(message, report), stacklevel=4)
    return report
