"""vidlint: check product videos against marketplace rules before uploading them.

Public names are imported lazily so that ``import vidlint`` (and the CLI's start-up) stays cheap.
"""

from __future__ import annotations

from importlib import import_module

TYPE_CHECKING = False  # not typing's: importing typing would cost every start ~3 ms before anything runs

__version__ = "0.1.0"

_LAZY: dict[str, str] = {
    "probe": "vidlint.probing",
    "upload": "vidlint.clients.facade",
    "PreflightFailed": "vidlint.clients.facade",
    "ForcedUploadWarning": "vidlint.clients.facade",
    "PollSchedule": "vidlint.clients.facade",
    "WaitProgress": "vidlint.clients.facade",
    "check": "vidlint.api",
    "check_all": "vidlint.api",
    "check_many": "vidlint.api",
    "fix": "vidlint.fixing",
    "FixResult": "vidlint.fixing",
    "Pack": "vidlint.packs.pack",
    "load_pack": "vidlint.packs.builtin",
    "load_pack_file": "vidlint.packs.loader",
    "list_marketplaces": "vidlint.packs.builtin",
    "MediaFacts": "vidlint.model.facts",
    "VideoTrack": "vidlint.model.facts",
    "AudioTrack": "vidlint.model.facts",
    "as_data": "vidlint.model.facts",
    "Finding": "vidlint.model.report",
    "Report": "vidlint.model.report",
    "VidlintError": "vidlint.errors",
    "ProbeError": "vidlint.errors",
    "RulePackError": "vidlint.errors",
    "ConfigError": "vidlint.errors",
    "UnknownMarketplaceError": "vidlint.errors",
}

__all__ = ["__version__", *_LAZY]

if TYPE_CHECKING:
    from typing import Any

    from vidlint.api import check as check
    from vidlint.api import check_all as check_all
    from vidlint.api import check_many as check_many
    from vidlint.clients.facade import ForcedUploadWarning as ForcedUploadWarning
    from vidlint.clients.facade import PollSchedule as PollSchedule
    from vidlint.clients.facade import PreflightFailed as PreflightFailed
    from vidlint.clients.facade import WaitProgress as WaitProgress
    from vidlint.clients.facade import upload as upload
    from vidlint.errors import ConfigError as ConfigError
    from vidlint.errors import ProbeError as ProbeError
    from vidlint.errors import RulePackError as RulePackError
    from vidlint.errors import UnknownMarketplaceError as UnknownMarketplaceError
    from vidlint.errors import VidlintError as VidlintError
    from vidlint.fixing import FixResult as FixResult
    from vidlint.fixing import fix as fix
    from vidlint.model.facts import AudioTrack as AudioTrack
    from vidlint.model.facts import MediaFacts as MediaFacts
    from vidlint.model.facts import VideoTrack as VideoTrack
    from vidlint.model.facts import as_data as as_data
    from vidlint.model.report import Finding as Finding
    from vidlint.model.report import Report as Report
    from vidlint.packs.builtin import list_marketplaces as list_marketplaces
    from vidlint.packs.builtin import load_pack as load_pack
    from vidlint.packs.loader import load_pack_file as load_pack_file
    from vidlint.packs.pack import Pack as Pack
    from vidlint.probing import probe as probe


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'vidlint' has no attribute {name!r}")
    return getattr(import_module(module), name)


def __dir__() -> list[str]:
    """The public names (so that tab completion lists them, though they are imported lazily)."""
    return sorted(__all__)
