"""vidlint: check product videos against marketplace rules before uploading them.

Public names are imported lazily so that ``import vidlint`` (and the CLI's start-up) stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_LAZY: dict[str, str] = {
    "probe": "vidlint.probing",
    "upload": "vidlint.uploading",
    "PreflightFailed": "vidlint.uploading",
    "check": "vidlint.api",
    "check_all": "vidlint.api",
    "MediaFacts": "vidlint.facts",
    "VideoTrack": "vidlint.facts",
    "AudioTrack": "vidlint.facts",
    "as_data": "vidlint.facts",
    "Finding": "vidlint.report",
    "Report": "vidlint.report",
    "VidlintError": "vidlint.errors",
    "ProbeError": "vidlint.errors",
    "RulePackError": "vidlint.errors",
    "UnknownMarketplaceError": "vidlint.errors",
}

__all__ = ["__version__", *_LAZY]

if TYPE_CHECKING:
    from vidlint.api import check as check
    from vidlint.api import check_all as check_all
    from vidlint.errors import ProbeError as ProbeError
    from vidlint.errors import RulePackError as RulePackError
    from vidlint.errors import UnknownMarketplaceError as UnknownMarketplaceError
    from vidlint.errors import VidlintError as VidlintError
    from vidlint.facts import AudioTrack as AudioTrack
    from vidlint.facts import MediaFacts as MediaFacts
    from vidlint.facts import VideoTrack as VideoTrack
    from vidlint.facts import as_data as as_data
    from vidlint.probing import probe as probe
    from vidlint.report import Finding as Finding
    from vidlint.report import Report as Report
    from vidlint.uploading import PreflightFailed as PreflightFailed
    from vidlint.uploading import upload as upload


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'vidlint' has no attribute {name!r}")
    return getattr(import_module(module), name)
