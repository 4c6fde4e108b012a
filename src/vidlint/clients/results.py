"""What an upload returns: the provider's ids, its final status, and its verdict as findings."""

from __future__ import annotations

from collections.abc import Container
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_serializer

from vidlint.model.facts import as_data
from vidlint.model.report import Finding, Report


class UploadResult(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    marketplace: str
    source: str
    remote_id: str  # the id to ask the provider about later: videoId, mediaId, pk, productId
    ids: dict[str, str] = Field(default_factory=dict)  # every id the provider handed out, by its name
    status: str  # the provider's own last status word: IN_PROGRESS, AVAILABLE, CREATED, ...
    done: bool  # the provider has finished processing (either way)
    accepted: bool | None = None  # True accepted, False rejected, None not known yet
    # True: the provider says the media is approved / available (Sam's Club AVAILABLE, Trendyol SUCCESS
    # with isApproved, Akinon's created item, Ecwid's landed item); False: rejected (FAILED, a failed
    # item); None: still pending (not waited for, or not finished within the wait).
    approved: bool | None = None
    findings: tuple[Finding, ...] = ()  # the provider's answer in the rule pack's codes, warnings included
    notes: tuple[str, ...] = ()  # things the caller should know (unknown status seen, existing video, ...)
    preflight: Report | None = None
    forced: bool = False  # uploaded although the pre-flight failed

    @field_serializer("preflight")
    def _preflight_data(self, report: Report | None) -> dict[str, Any] | None:
        """The report with its computed values (``passed``, the display sizes), as JSON output shows it."""
        data: dict[str, Any] | None = as_data(report)
        return data


def unknown_status_notes(status: str, known: Container[str]) -> tuple[str, ...]:
    """The note an upload carries when the provider answered a status this client does not know."""
    return () if status in known else (f"unknown status {status!r} treated as still in progress",)
