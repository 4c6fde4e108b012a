"""The pieces every sandbox app is built from: request and response values, routes, rate windows."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from vidlint.clients.clock import Clock, SystemClock

MAX_BODY_BYTES = 600_000_000  # the default cap on a request body, declared or chunked


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # names lower-cased
    body_file: IO[bytes]
    base_url: str  # the sandbox's own address, for the absolute URLs it hands out
    params: dict[str, str] = field(default_factory=dict)  # named groups of the matched route

    @property
    def body(self) -> bytes:
        self.body_file.seek(0)
        return self.body_file.read()

    def save_body(self, target: Path) -> int:
        """Stream the body to ``target``; returns its size."""
        self.body_file.seek(0)
        with target.open("wb") as out:
            shutil.copyfileobj(self.body_file, out)
        return target.stat().st_size

    def arg(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None

    def json(self) -> Any:
        """The JSON body; an unreadable one answers 400 by itself."""
        try:
            return json.loads(self.body or b"null")
        except (ValueError, UnicodeDecodeError):
            raise HttpError(json_response({"message": "request body is not JSON"}, 400)) from None


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


def json_response(data: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    body = json.dumps(data).encode()
    return Response(status, body, {"Content-Type": "application/json", **(headers or {})})


class HttpError(Exception):
    """Raised inside a handler to answer with ``response`` at once."""

    def __init__(self, response: Response) -> None:
        super().__init__(f"HTTP {response.status}")
        self.response = response


Handler = Callable[[Request], Response]
Authenticator = Callable[[Request], None]  # raises HttpError to refuse; sees the head only, never a body


@dataclass(frozen=True)
class Route:
    """One endpoint. The server runs ``auth`` on the request's head (method, path, query, headers) before
    it reads any of the body, so a refused caller never makes it store or parse a byte; ``handler`` runs
    once the body is in, after the rate window."""

    method: str
    pattern: str  # a regular expression the whole path must match; named groups become params
    handler: Handler
    limit: str | None = None  # name of the rate window this route counts against
    auth: Authenticator | None = None  # None: a public route (a download, say)

    def match(self, method: str, path: str) -> dict[str, str] | None:
        if method != self.method:
            return None
        found = re.fullmatch(self.pattern, path)
        return found.groupdict() if found else None


class Window:
    """Server-side sliding window: ``take`` answers None (allowed) or the seconds until a slot frees."""

    def __init__(self, calls: int, per_s: float, clock: Clock) -> None:
        self.calls, self.per_s, self._clock = calls, per_s, clock
        self._stamps: deque[float] = deque()

    def take(self) -> float | None:
        now = self._clock.now()
        while self._stamps and self._stamps[0] <= now - self.per_s:
            self._stamps.popleft()
        if len(self._stamps) >= self.calls:
            return self._stamps[0] + self.per_s - now
        self._stamps.append(now)
        return None


class AppSettings(BaseModel):
    """Per-app knobs; every wait is here so tests can shrink it."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    # A larger body (by Content-Length, or counted as its chunks arrive) is answered 413 and not read on.
    max_body_bytes: int = Field(default=MAX_BODY_BYTES, ge=0)


class App:
    """One provider's contract. Subclasses list routes and hold their state behind ``self.lock``."""

    name: ClassVar[str]
    settings: AppSettings

    def __init__(self, clock: Clock | None = None, data_dir: Path | None = None) -> None:
        self.clock = clock or SystemClock()
        self._own_dir = data_dir is None
        self.data_dir = data_dir or Path(tempfile.mkdtemp(prefix=f"vidlint-sandbox-{self.name}-"))

    def routes(self) -> list[Route]:
        raise NotImplementedError

    def rate_limits(self) -> dict[str, tuple[int, float]]:
        """Window name -> (calls, per seconds)."""
        return {}

    def reset(self) -> None:
        """Forget every resource (the settings stay)."""

    def state(self) -> dict[str, Any]:
        """A JSON-able view of the stored resources, for tests running out of process."""
        return {}

    def close(self) -> None:
        if self._own_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)
