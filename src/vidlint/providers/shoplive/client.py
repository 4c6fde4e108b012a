"""Shoplive shortforms: search and retrieval only. Its API offers no upload, and the client says so."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import httpx
from pydantic import TypeAdapter

from vidlint.clients.base import BaseClient, token_auth
from vidlint.clients.credentials import BaseUrl, Credentials, HeaderToken, PathPart, load_credentials
from vidlint.clients.errors import NotOffered
from vidlint.clients.http import HttpSettings, ProviderHttp, decode
from vidlint.clients.preflight import CheckFn, Source
from vidlint.clients.results import UploadResult
from vidlint.clients.waiting import PollSchedule, ProgressHook
from vidlint.model.report import Finding
from vidlint.providers.shoplive.models import Shortform, ShortformPage


class ShopliveCredentials(Credentials):
    base_url: BaseUrl  # given by Shoplive together with the access key
    access_key: PathPart  # one segment of every request path
    token: HeaderToken


_PAGE = TypeAdapter(ShortformPage)
_ONE = TypeAdapter(Shortform)
MAX_COUNT = 30  # the search API's documented page-size ceiling


def _parse_error(response: httpx.Response) -> tuple[tuple[str | None, str], tuple[Finding, ...]]:
    body = response.json()
    if isinstance(body, dict):
        code = body.get("code") or body.get("error")
        return (str(code) if code is not None else None, str(body.get("message", response.reason_phrase))), ()
    return (None, response.reason_phrase), ()


class ShopliveClient(BaseClient):
    marketplace = "shoplive"
    offers_upload = False

    def __init__(
        self,
        credentials: ShopliveCredentials,
        *,
        settings: HttpSettings | None = None,
        check: CheckFn | None = None,
    ) -> None:
        auth = token_auth("Bearer", credentials.token)
        http = ProviderHttp(
            "shoplive",
            credentials.base_url,
            auth=auth,
            settings=settings,
            error_parser=_parse_error,
            secrets=credentials.secret_values(),
        )
        super().__init__(http, check=check)
        self._prefix = f"/v2/{credentials.access_key}/shortform"

    @classmethod
    def from_env(cls, **kwargs: Any) -> ShopliveClient:
        return cls(load_credentials(ShopliveCredentials, "shoplive"), **kwargs)

    def search(
        self, filters: Mapping[str, str | bool] | None = None, *, page: int = 1, count: int = MAX_COUNT
    ) -> ShortformPage:
        """One page of shortforms. Filters as the API names them: status, title, tags, tagSearchOperator,
        skus, brand, from, to (``YYYY-MM-DDTHH:mm:ssZ``), sortBy, sortAscending."""
        params: dict[str, str | int] = {"page": page, "count": min(max(count, 1), MAX_COUNT)}
        params.update({k: (str(v).lower() if isinstance(v, bool) else v) for k, v in (filters or {}).items()})
        return decode(_PAGE, self._http.call("GET", self._prefix, params=params), "shoplive")

    def iter_search(
        self, filters: Mapping[str, str | bool] | None = None, *, max_pages: int = 100
    ) -> Iterator[Shortform]:
        for page in range(1, max_pages + 1):
            batch = self.search(filters, page=page)
            yield from batch.results
            if len(batch.results) < MAX_COUNT:
                return

    def get(self, shortform_id: str) -> Shortform:
        return decode(_ONE, self._http.call("GET", f"{self._prefix}/{shortform_id}"), "shoplive")

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
    ) -> UploadResult:
        raise self.not_offered()

    @classmethod
    def not_offered(cls) -> NotOffered:
        return NotOffered(
            "shoplive: uploading is not offered by this provider's API (search and retrieval only); "
            "create the shortform in Shoplive's console, then find it through the search API",
            provider="shoplive",
            code="NOT_OFFERED",
        )
