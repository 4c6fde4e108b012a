"""What every provider client shares: its HTTP layer, the pre-flight, and the context-manager shape."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any, ClassVar, Protocol, Self

from pydantic import SecretStr

from vidlint.clients.errors import ClientConfigError, NotOffered
from vidlint.clients.http import AuthHook, ProviderHttp
from vidlint.clients.preflight import CheckFn, Source, preflight, server_side_check
from vidlint.clients.results import UploadResult
from vidlint.clients.waiting import PollSchedule, ProgressHook
from vidlint.model.report import Report

Publisher = Callable[[Path], str]  # puts a local file where a URL-taking provider can fetch it


class UploadClient(Protocol):
    marketplace: ClassVar[str]

    def upload(
        self,
        source: Source,
        *,
        metadata: Mapping[str, Any],
        caption: Source | None = None,
        force: bool = False,
        wait: bool = False,
        wait_schedule: PollSchedule | None = None,
        on_progress: ProgressHook | None = None,
    ) -> UploadResult: ...

    def close(self) -> None: ...


class BaseClient:
    marketplace: ClassVar[str]
    offers_upload: ClassVar[bool] = True
    takes_publisher: ClassVar[bool] = False  # takes media by URL: ``publisher=`` places local files

    @classmethod
    def not_offered(cls) -> NotOffered:
        """What an upload raises, before any request, when the provider's API offers none."""
        return NotOffered(
            f"{cls.marketplace}: uploading is not offered by this provider's API",
            provider=cls.marketplace,
            code="NOT_OFFERED",
        )

    @classmethod
    def no_publisher(cls) -> ClientConfigError:
        """What an upload of a local file raises, before any request, when a URL-taking client has no
        publisher (the CLI says the same in its own terms: ``--publish-command``)."""
        return ClientConfigError(
            f"{cls.marketplace} takes media by URL: pass publisher=<callable(path) -> url> "
            "(e.g. an upload to your own bucket) or give a URL as the source"
        )

    @classmethod
    def preflight_metadata(cls, metadata: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
        """The part of the caller's metadata the rule pack judges as the request body."""
        return metadata

    def __init__(self, http: ProviderHttp, *, check: CheckFn | None = None) -> None:
        self._http = http
        self._check = check or server_side_check(http.settings.url_check)

    def preflight(
        self,
        source: Source,
        *,
        metadata: Mapping[str, Any] | None,
        caption: Source | None = None,
        force: bool = False,
    ) -> Report:
        """The engine's verdict; raises PreflightFailed (no request made) unless it passes or ``force``."""
        body = self.preflight_metadata(metadata)
        return preflight(
            source, self.marketplace, metadata=body, caption=caption, force=force, check=self._check
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._http!r})"


def token_auth(scheme: str, token: SecretStr) -> AuthHook:
    """An auth hook that sends ``Authorization: <scheme> <token>`` with every attempt."""
    value = f"{scheme} {token.get_secret_value()}"

    def auth() -> dict[str, str]:
        return {"Authorization": value}

    return auth


def local_path(source: Source) -> Path | None:
    """The path of a local source, None for a URL."""
    text = os.fspath(source)
    return None if text.startswith(("http://", "https://")) else Path(text)


_CONTENT_TYPES = {
    ".mp4": "video/mp4",
    ".mov": "video/quicktime",
    ".srt": "application/x-subrip",
    ".vtt": "text/vtt",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}


def content_type_for(path: Path) -> str:
    """The MIME type a provider expects for this file, chosen by its extension."""
    return _CONTENT_TYPES.get(path.suffix.lower(), "application/octet-stream")
