"""The upload facade: ``upload(source, marketplace, metadata=...)`` checks, then sends, then reports.

What cannot be done at all is refused first, before the file is read: a provider without an upload API
(NotOffered), a local file for a provider that takes URLs without a ``publisher`` (ClientConfigError).
The pre-flight runs next and raises PreflightFailed (carrying the report) before any request, and
before credentials are even looked up, when the file fails the marketplace's rules; ``force=True``
sends it anyway with one ForcedUploadWarning. Then the provider's whole flow runs and a typed
UploadResult comes back, optionally after waiting for the provider's processing to finish
(``wait=True``: the provider's default schedule, or ``wait_schedule``; each step goes to
``on_progress`` and to the ``vidlint.clients.waiting`` logger at INFO).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vidlint.clients.base import UploadClient
from vidlint.clients.errors import PreflightFailed
from vidlint.clients.factory import client_class, make_client
from vidlint.clients.http import HttpSettings
from vidlint.clients.preflight import ForcedUploadWarning, Source, run_check
from vidlint.clients.results import UploadResult
from vidlint.clients.waiting import PollSchedule, ProgressHook, WaitProgress
from vidlint.model.report import Report
from vidlint.model.source import is_url

__all__ = [
    "ForcedUploadWarning",
    "PollSchedule",
    "PreflightFailed",
    "ProgressHook",
    "UploadResult",
    "WaitProgress",
    "upload",
]


def upload(
    source: Source,
    marketplace: str,
    *,
    metadata: Mapping[str, Any],
    client: UploadClient | None = None,
    caption: Source | None = None,
    force: bool = False,
    wait: bool = False,
    wait_schedule: PollSchedule | None = None,
    on_progress: ProgressHook | None = None,
    **client_options: Any,
) -> UploadResult:
    """Check ``source`` for ``marketplace``, then upload it with ``client`` (by default one built from
    the environment / credentials file, with ``client_options`` such as ``publisher`` or ``base_url``).
    With ``wait=True``, ``on_progress`` receives a WaitProgress (status, elapsed, next poll) at every
    step of the wait."""
    flow: dict[str, Any] = {
        "metadata": metadata,
        "caption": caption,
        "force": force,
        "wait": wait,
        "wait_schedule": wait_schedule,
    }
    if on_progress is not None:  # only when given: a client of the caller's own may not take it
        flow["on_progress"] = on_progress
    if client is not None:
        if client.marketplace != marketplace:
            raise ValueError(f"client is for {client.marketplace!r}, not {marketplace!r}")
        return client.upload(source, **flow)
    cls = client_class(marketplace)
    if not cls.offers_upload:
        raise cls.not_offered()
    if cls.takes_publisher and not is_url(source) and client_options.get("publisher") is None:
        raise cls.no_publisher()
    settings = client_options.get("settings")
    remote = (settings if isinstance(settings, HttpSettings) else HttpSettings()).url_check
    report = run_check(source, marketplace, cls.preflight_metadata(metadata), caption, remote=remote)
    if not report.passed and not force:
        raise PreflightFailed(report)
    client_options.setdefault("check", _same_report(report))  # the client's own pre-flight reuses it
    built = make_client(marketplace, **client_options)
    try:
        return built.upload(source, **flow)
    finally:
        built.close()


def _same_report(report: Report) -> Any:
    def check(*_: Any) -> Report:
        return report

    return check
