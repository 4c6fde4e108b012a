"""The record of one marketplace's upload side: its client, credentials and sandbox, named not imported.

A Provider names its classes as ``"module:Name"`` and imports them on first use, so that listing the
providers (the CLI does, to build its parser at every start) loads no client, no sandbox, no pydantic
and no httpx. It is a NamedTuple, not a dataclass: ``dataclasses`` imports ``inspect``, ~7 ms a start.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

if TYPE_CHECKING:
    from vidlint.clients.credentials import Credentials
    from vidlint.clients.waiting import PollSchedule
    from vidlint.sandbox.core import AppSettings

T = TypeVar("T")


class Provider(NamedTuple):
    """One marketplace: ``id`` is also its rule pack's (``rules/<id>.toml``) and its credentials' table."""

    id: str
    client: str  # a BaseClient subclass, built as ``Client(credentials, **options)``
    credentials: str  # its Credentials model (vidlint.clients.credentials)
    sandbox_app: str  # a sandbox App subclass, built as ``App(settings, clock=..., data_dir=...)``
    sandbox_settings: str  # that App's AppSettings model
    # How ``wait=True`` polls a provider that processes uploads in the background: (first look after,
    # then every, give up after) in seconds; None for a provider that answers an upload at once.
    wait: tuple[float, float, float] | None = None

    def default_wait(self, base_url: str | None = None) -> PollSchedule:
        """The poll schedule a client uses unless told otherwise: ``wait``, or LOCAL_WAIT (fast) when
        ``base_url`` is on this machine's loopback interface (a sandbox)."""
        from vidlint.clients.waiting import DEFAULT_WAIT, LOCAL_WAIT, PollSchedule, on_loopback

        if base_url is not None and on_loopback(base_url):
            return LOCAL_WAIT
        return PollSchedule(*self.wait) if self.wait is not None else DEFAULT_WAIT

    def client_class(self) -> type[Any]:
        """The client class (typed loosely: each one's constructor takes its own credentials model)."""
        from vidlint.clients.base import BaseClient

        return load(self.client, BaseClient)

    def credentials_model(self) -> type[Credentials]:
        from vidlint.clients.credentials import Credentials

        return load(self.credentials, Credentials)

    def app_class(self) -> type[Any]:
        """The sandbox App class (typed loosely: each one's constructor takes its own settings model)."""
        from vidlint.sandbox.core import App

        return load(self.sandbox_app, App)

    def settings_model(self) -> type[AppSettings]:
        from vidlint.sandbox.core import AppSettings

        return load(self.sandbox_settings, AppSettings)


def load(ref: str, base: type[T]) -> type[T]:
    """The class ``ref`` (``"module:Name"``) names, imported now; TypeError unless it subclasses ``base``."""
    module, _, name = ref.partition(":")
    found = getattr(import_module(module), name)
    if not (isinstance(found, type) and issubclass(found, base)):
        raise TypeError(f"{ref} is not a {base.__name__}")
    return found
