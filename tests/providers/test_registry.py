"""The registry is the one list of upload providers: each entry names a client, its credentials, a
sandbox and a rule pack, and make_client, vidlint.sandbox and the commands offer exactly its entries."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from vidlint.cli.sandbox import add_sandbox_parser
from vidlint.cli.upload import add_upload_parser
from vidlint.clients import ClientConfigError, make_client
from vidlint.clients.base import BaseClient
from vidlint.clients.credentials import Credentials
from vidlint.providers import PROVIDERS, Provider
from vidlint.sandbox import make_app
from vidlint.sandbox.core import App, AppSettings

from .support import walmart_keys

RULES = Path(__file__).resolve().parents[2] / "rules"
ENTRIES = [pytest.param(entry, id=entry.id) for entry in PROVIDERS.values()]


def required_env(provider: Provider) -> dict[str, str]:
    """A value for each required credentials field, as ``VIDLINT_<ID>_<FIELD>`` variables."""
    examples = {"base_url": "http://127.0.0.1:9", "private_key": walmart_keys()[0]}
    fields = provider.credentials_model().model_fields
    prefix = f"VIDLINT_{provider.id.upper()}_"
    return {prefix + name.upper(): examples.get(name, "1") for name, f in fields.items() if f.is_required()}


def test_the_keys_are_the_entries_ids() -> None:
    assert [entry.id for entry in PROVIDERS.values()] == list(PROVIDERS)


@pytest.mark.parametrize("provider", ENTRIES)
def test_each_provider_has_a_rule_pack(provider: Provider) -> None:
    assert (RULES / f"{provider.id}.toml").is_file()


@pytest.mark.parametrize("provider", ENTRIES)
def test_each_entry_names_classes_of_the_right_kind(provider: Provider) -> None:
    client, app = provider.client_class(), provider.app_class()
    assert issubclass(client, BaseClient) and client.marketplace == provider.id
    assert issubclass(provider.credentials_model(), Credentials)
    assert issubclass(app, App) and app.name == provider.id
    assert issubclass(provider.settings_model(), AppSettings)


@pytest.mark.parametrize("provider", ENTRIES)
def test_make_client_builds_it_from_its_own_credentials(provider: Provider, tmp_path: Path) -> None:
    env = required_env(provider)
    client = make_client(provider.id, env=env, credentials_path=tmp_path / "absent.toml")
    try:
        assert type(client) is provider.client_class()
    finally:
        client.close()


@pytest.mark.parametrize("provider", ENTRIES)
def test_the_sandbox_makes_its_app(provider: Provider) -> None:
    app = make_app(provider.id)
    try:
        assert type(app) is provider.app_class()
        assert isinstance(app.settings, provider.settings_model())
    finally:
        app.close()


def test_the_commands_offer_exactly_the_registered_providers() -> None:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers()
    add_upload_parser(commands)
    add_sandbox_parser(commands)
    for name in PROVIDERS:
        assert parser.parse_args(["upload", "clip.mp4", "-m", name]).marketplace == name
        assert parser.parse_args(["sandbox", name]).provider == name
    with pytest.raises(SystemExit):
        parser.parse_args(["sandbox", "nowhere"])


def test_an_unknown_id_is_refused_with_the_choices() -> None:
    with pytest.raises(ClientConfigError, match=", ".join(PROVIDERS)):
        make_client("nowhere", env={})
    with pytest.raises(ValueError, match=", ".join(PROVIDERS)):
        make_app("nowhere")
