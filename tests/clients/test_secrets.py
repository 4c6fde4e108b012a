"""Secrets stay out of URLs in messages, log records, reprs and credential errors."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vidlint.clients.credentials import load_credentials
from vidlint.clients.errors import ClientConfigError
from vidlint.clients.http import ProviderHttp
from vidlint.clients.redact import install_log_filter, redact_url
from vidlint.providers.samsclub.client import SamsClubCredentials
from vidlint.providers.trendyol.client import TrendyolCredentials
from vidlint.sandbox import StaticFiles

from .support import SECRET, walmart_keys

SAS = "https://acct.blob.core.windows.net/video.mp4?sv=2021-08-06&se=2022-08-19T05%3A05%3A23Z&sr=b&sp=rcwl&sig=Dvy%2BRo"


def test_a_signed_url_keeps_its_address_and_loses_its_signature() -> None:
    redacted = redact_url(SAS)
    assert redacted.startswith("https://acct.blob.core.windows.net/video.mp4?")
    assert "sv=2021-08-06" in redacted and "sig=***" in redacted
    assert "Dvy" not in redacted
    assert redact_url("https://user:pw@host/p?token=abc&page=2") == "https://host/p?token=***&page=2"


@settings(max_examples=60)
@given(st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), min_size=8, max_size=40))
def test_no_signature_value_survives_redaction(secret: str) -> None:
    url = str(httpx.URL("https://h.example/blob", params={"sig": secret, "x": "1"}))
    encoded = str(httpx.URL("https://h.example/", params={"sig": secret})).split("sig=", 1)[1]
    assert encoded not in redact_url(url)


def test_httpx_request_logs_are_redacted(
    caplog: pytest.LogCaptureFixture, vidlint_files: StaticFiles
) -> None:
    install_log_filter()
    with caplog.at_level(logging.DEBUG), httpx.Client() as client:
        client.get(f"{vidlint_files.url}/video.mp4?sv=1&sig=Dvy%2BRo")
    assert "Dvy" not in caplog.text
    assert "sig=***" in caplog.text


def test_credentials_come_from_the_environment_over_the_file(tmp_path: Path) -> None:
    path = tmp_path / "credentials.toml"
    path.write_text('[trendyol]\nseller_id = "1"\napi_key = "file-key"\napi_secret = "file-secret"\n')
    path.chmod(0o600)
    env = {"VIDLINT_TRENDYOL_API_SECRET": SECRET, "VIDLINT_TRENDYOL_STORE_FRONT_CODE": "DE"}
    creds = load_credentials(TrendyolCredentials, "trendyol", env=env, path=path)
    assert creds.api_key.get_secret_value() == "file-key"
    assert creds.api_secret.get_secret_value() == SECRET
    assert creds.store_front_code == "DE"
    assert SECRET not in repr(creds) and SECRET not in str(creds)


def test_a_private_key_file_is_read_and_a_loose_file_mode_is_warned_about(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    key = tmp_path / "walmart.pem"
    key.write_text(walmart_keys()[0])
    path = tmp_path / "credentials.toml"
    table = f'advertiser_id = 5\nconsumer_id = "c"\nauth_token = "{SECRET}"\nprivate_key_path = "{key}"\n'
    path.write_text("[samsclub]\n" + table)
    os.chmod(path, 0o644)
    with caplog.at_level(logging.WARNING):
        creds = load_credentials(SamsClubCredentials, "samsclub", env={}, path=path)
    assert creds.private_key.get_secret_value() == walmart_keys()[0]
    assert "readable by other users" in caplog.text


def test_missing_or_malformed_fields_are_named_never_shown(tmp_path: Path) -> None:
    env = {"VIDLINT_SAMSCLUB_ADVERTISER_ID": SECRET, "VIDLINT_SAMSCLUB_AUTH_TOKEN": SECRET}
    with pytest.raises(ClientConfigError) as caught:
        load_credentials(SamsClubCredentials, "samsclub", env=env, path=tmp_path / "absent.toml")
    message = str(caught.value)
    assert "advertiser_id" in message and "consumer_id" in message and "private_key" in message
    assert SECRET not in message
    assert "VIDLINT_SAMSCLUB_" in message


def test_links_to_another_host_are_not_followed_with_credentials() -> None:
    http = ProviderHttp("akinon", "https://omnitron.example:8443/")
    try:
        assert http.same_origin("https://omnitron.example:8443/api/v1/product_video/?offset=100")
        assert not http.same_origin("https://elsewhere.example/api/v1/product_video/")
        assert not http.same_origin("http://omnitron.example:8443/api/v1/")
    finally:
        http.close()
