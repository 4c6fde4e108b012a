"""Credentials are checked when they are read, and no secret reaches a message or a log record (issue 11).

Everything runs against the real sandboxes over loopback HTTP: a malformed credential is refused before
a client exists (so the sandbox sees nothing), and one that slips past the models (``model_construct``,
a custom signer) is refused by the HTTP layer before any byte goes out, and is never retried.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from pydantic import SecretStr

from vidlint.clients.credentials import load_credentials
from vidlint.clients.errors import ClientConfigError
from vidlint.clients.factory import make_client
from vidlint.providers.akinon.client import AkinonClient, AkinonCredentials
from vidlint.providers.ecwid.client import EcwidClient, EcwidCredentials
from vidlint.providers.samsclub.client import SamsClubClient, SamsClubCredentials, SamsClubTiming
from vidlint.providers.samsclub.sandbox import SamsClubApp
from vidlint.sandbox import Fault
from vidlint.sandbox.pytest_plugin import SandboxFactory

from .support import ADVERTISER, QUICK_WAIT, SAMPLES, SECRET, fast_settings, walmart_keys

GOOD: dict[str, dict[str, str]] = {
    "trendyol": {
        "SELLER_ID": "4242",
        "API_KEY": "key-" + SECRET,
        "API_SECRET": SECRET,
        "STORE_FRONT_CODE": "TR",
    },
    "samsclub": {
        "ADVERTISER_ID": str(ADVERTISER),
        "CONSUMER_ID": "consumer-1",
        "AUTH_TOKEN": SECRET,
        "PRIVATE_KEY": walmart_keys()[0],
    },
    "akinon": {"TOKEN": SECRET},
    "ecwid": {"STORE_ID": "77", "TOKEN": SECRET},
    "shoplive": {"ACCESS_KEY": "access-key", "TOKEN": SECRET},
}

# (marketplace, field, bad value): each one must be named (VIDLINT_<MARKETPLACE>_<FIELD>), never shown.
BAD = [
    ("trendyol", "API_KEY", "key-" + SECRET + "\n"),
    ("trendyol", "API_SECRET", SECRET + " "),
    ("trendyol", "API_SECRET", "\t" + SECRET),
    ("trendyol", "STORE_FRONT_CODE", "STOREFRONT-\u00c7ode"),
    ("trendyol", "SELLER_ID", "4242/../other-seller"),
    ("samsclub", "AUTH_TOKEN", SECRET + "\r\n"),
    ("samsclub", "AUTH_TOKEN", SECRET + "\u00fc"),
    ("samsclub", "CONSUMER_ID", "consumer\n-1-and-more"),
    ("samsclub", "PRIVATE_KEY", walmart_keys()[0].replace("-----\n", "-----\n\u00e9", 1)),
    ("akinon", "TOKEN", SECRET + "\n"),
    ("akinon", "TOKEN", SECRET + "\u00e9"),
    ("akinon", "TOKEN", SECRET[:12] + " " + SECRET[12:]),
    ("akinon", "BASE_URL", "{url}\n"),
    ("ecwid", "TOKEN", SECRET + "\x00"),
    ("ecwid", "TOKEN", "\u200b" + SECRET),
    ("shoplive", "TOKEN", SECRET + "\n"),
    ("shoplive", "ACCESS_KEY", "access/key?with=query"),
]


def env_for(marketplace: str, url: str, **changes: str) -> dict[str, str]:
    values = {"BASE_URL": url, **GOOD[marketplace], **changes}
    return {f"VIDLINT_{marketplace.upper()}_{name}": value for name, value in values.items()}


def assert_hidden(text: str, *values: str) -> None:
    """None of ``values`` (nor their escaped forms) is in ``text``; nor is the shared test secret."""
    for value in (*values, SECRET):
        for form in {value, value.strip(), repr(value)[1:-1]}:
            assert form not in text, f"{form!r} leaked"


def log_text(caplog: pytest.LogCaptureFixture) -> str:
    """Every record as formatted, plus its raw message and arguments."""
    parts = [caplog.text]
    for record in caplog.records:
        parts.append(str(record.msg))
        parts.extend(str(a) for a in (record.args if isinstance(record.args, tuple) else (record.args,)))
    return "\n".join(parts)


@pytest.mark.parametrize(
    ("marketplace", "field", "bad"), BAD, ids=[f"{m}-{f}-{i}" for i, (m, f, _) in enumerate(BAD)]
)
def test_a_malformed_credential_is_named_never_shown_and_nothing_is_sent(
    vidlint_sandbox: SandboxFactory,
    caplog: pytest.LogCaptureFixture,
    tmp_path: Path,
    marketplace: str,
    field: str,
    bad: str,
) -> None:
    server = vidlint_sandbox(marketplace)
    bad = bad.format(url=server.url)
    env = env_for(marketplace, server.url, **{field: bad})
    with caplog.at_level(logging.DEBUG), pytest.raises(ClientConfigError) as caught:
        make_client(marketplace, env=env, credentials_path=tmp_path / "absent.toml", settings=fast_settings())
    message = str(caught.value)
    assert f"VIDLINT_{marketplace.upper()}_{field}" in message
    assert "\n" not in message and "\r" not in message
    assert_hidden(message, bad)
    assert_hidden(log_text(caplog), bad)
    assert server.requests == []


def test_the_same_values_when_well_formed_work_against_every_sandbox(
    vidlint_sandbox: SandboxFactory, tmp_path: Path
) -> None:
    for marketplace in GOOD:
        server = vidlint_sandbox(marketplace)
        env = env_for(marketplace, server.url)
        client = make_client(
            marketplace, env=env, credentials_path=tmp_path / "absent.toml", settings=fast_settings()
        )
        client.close()


def test_a_value_from_the_file_is_named_by_its_key_and_file(
    vidlint_sandbox: SandboxFactory, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    server = vidlint_sandbox("trendyol")
    path = tmp_path / "credentials.toml"
    path.write_text(
        f'[trendyol]\nbase_url = "{server.url}"\nseller_id = "1"\napi_key = "key"\n'
        f'api_secret = "{SECRET}\\n"\nstore_front_code = "TR"\n'
    )
    path.chmod(0o600)
    with caplog.at_level(logging.DEBUG), pytest.raises(ClientConfigError) as caught:
        make_client("trendyol", env={}, credentials_path=path)
    message = str(caught.value)
    assert f"api_secret in [trendyol] of {path}" in message and "whitespace" in message
    assert_hidden(message)
    assert_hidden(log_text(caplog))


def test_a_missing_field_says_where_it_can_be_set(tmp_path: Path) -> None:
    with pytest.raises(ClientConfigError) as caught:
        make_client(
            "akinon",
            env={"VIDLINT_AKINON_BASE_URL": "http://127.0.0.1:9"},
            credentials_path=tmp_path / "c.toml",
        )
    assert "token is missing (set VIDLINT_AKINON_TOKEN or token in [akinon] of" in str(caught.value)


def akinon_reader(url: str, token: str) -> Callable[[], object]:
    creds = AkinonCredentials.model_construct(base_url=url, token=SecretStr(token))  # skips the checks
    client = AkinonClient(creds, settings=fast_settings())
    return lambda: client.list_videos(3)


def ecwid_reader(url: str, token: str) -> Callable[[], object]:
    creds = EcwidCredentials.model_construct(base_url=url, store_id=77, token=SecretStr(token))
    client = EcwidClient(creds, settings=fast_settings())
    return lambda: client.get_product(5)


@pytest.mark.parametrize(
    "suffix", ["\n", "\r\nX-Injected: 1", "\u00e9", " "], ids=["newline", "crlf", "non-ascii", "space"]
)
@pytest.mark.parametrize(("marketplace", "reader"), [("akinon", akinon_reader), ("ecwid", ecwid_reader)])
def test_a_header_that_cannot_be_sent_is_refused_before_the_network_and_not_retried(
    vidlint_sandbox: SandboxFactory,
    caplog: pytest.LogCaptureFixture,
    marketplace: str,
    reader: Callable[[str, str], Callable[[], object]],
    suffix: str,
) -> None:
    server = vidlint_sandbox(marketplace)
    read = reader(server.url, SECRET + suffix)
    with caplog.at_level(logging.DEBUG), pytest.raises(ClientConfigError) as caught:
        read()
    message = str(caught.value)
    assert "Authorization header" in message and "nothing was sent" in message
    assert_hidden(message, SECRET + suffix)
    assert_hidden(log_text(caplog), SECRET + suffix)
    assert not [r for r in caplog.records if r.name == "vidlint.clients.retry"]  # never retried
    assert server.requests == []


class InjectingSigner:
    """A custom gateway signer whose signature carries a header injection."""

    def headers(self) -> dict[str, str]:
        return {"WM_SEC.AUTH_SIGNATURE": f"{SECRET}\r\nX-Injected: yes", "WM_CONSUMER.ID": "c"}


def test_a_custom_signer_cannot_inject_a_header(
    vidlint_sandbox: SandboxFactory, caplog: pytest.LogCaptureFixture
) -> None:
    server = vidlint_sandbox("samsclub")
    creds = load_samsclub(server.url)  # well-formed: the bad value comes from the signer alone
    with (
        caplog.at_level(logging.DEBUG),
        SamsClubClient(creds, settings=fast_settings(), signer=InjectingSigner()) as client,
        pytest.raises(ClientConfigError) as caught,
    ):
        client.allocate()
    assert "WM_SEC.AUTH_SIGNATURE header" in str(caught.value)
    assert_hidden(str(caught.value))
    assert_hidden(log_text(caplog))
    assert server.requests == []


def test_no_secret_reaches_any_log_record_or_the_request_log_through_retries(
    vidlint_sandbox: SandboxFactory, caplog: pytest.LogCaptureFixture
) -> None:
    """A whole Sam's Club upload through 429, 500, a dropped PUT and a 503 poll, logged at DEBUG."""
    server = vidlint_sandbox("samsclub", public_key_pem=walmart_keys()[1], processing_delay_s=0.0)
    for fault in (
        Fault(kind="status", status=429, retry_after_s=0.01, path="*/media/upload"),
        Fault(kind="status", status=500, path="/blob/*"),
        Fault(kind="drop", method="PUT", path="/blob/*"),
        Fault(kind="status", status=503, method="GET", path="/api/v1/media"),
    ):
        server.faults.add(fault)
    creds = load_samsclub(server.url)
    with (
        caplog.at_level(logging.DEBUG),
        SamsClubClient(creds, settings=fast_settings(), timing=SamsClubTiming(wait=QUICK_WAIT)) as client,
    ):
        result = client.upload(
            SAMPLES / "captioned_good.mp4",
            metadata={"mediaName": "Clip"},
            caption=SAMPLES / "captioned_good.srt",
            wait=True,
        )
    assert result.status == "AVAILABLE" and server.faults.pending() == []
    assert [r for r in caplog.records if r.name == "vidlint.clients.retry"]  # the retries were logged
    app = server.app
    assert isinstance(app, SamsClubApp)
    signatures = [u.sig for u in app.uploads.values()]
    key_lines = [line for line in walmart_keys()[0].splitlines() if "-----" not in line]
    logged = log_text(caplog)
    assert_hidden(logged, *signatures, *key_lines)
    assert "sig=***" in logged
    recorded = httpx.get(f"{server.url}/_sandbox/requests", timeout=5).text
    assert_hidden(recorded, *signatures)
    rows = json.loads(recorded)
    assert all(r["headers"].get("authorization", "***") == "***" for r in rows)
    assert all(r["headers"].get("wm_sec.auth_signature", "***") == "***" for r in rows)
    assert any("sig=***" in r["query"] for r in rows)


def load_samsclub(url: str) -> SamsClubCredentials:
    env = env_for("samsclub", url)
    return load_credentials(SamsClubCredentials, "samsclub", env=env, path=Path("/nonexistent/c.toml"))


# -- issue 12: the private key from a file, a path in the key's place, a key that is no RSA key -------------
def key_file(tmp_path: Path, text: str | None = None) -> Path:
    path = tmp_path / "walmart.pem"
    path.write_text(walmart_keys()[0] if text is None else text)
    return path


def other_keys() -> dict[str, str]:
    """PEM texts that are keys, but not the unencrypted RSA key the gateway signs with."""
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ec_key = ec.generate_private_key(ec.SECP256R1())
    pkcs8 = serialization.PrivateFormat.PKCS8
    encrypted = serialization.BestAvailableEncryption(b"passphrase")
    return {
        "encrypted": rsa_key.private_bytes(serialization.Encoding.PEM, pkcs8, encrypted).decode(),
        "ec": ec_key.private_bytes(serialization.Encoding.PEM, pkcs8, serialization.NoEncryption()).decode(),
    }


def test_the_key_file_variable_signs_requests_the_sandbox_verifies(
    vidlint_sandbox: SandboxFactory, tmp_path: Path
) -> None:
    server = vidlint_sandbox("samsclub", public_key_pem=walmart_keys()[1])
    env = env_for("samsclub", server.url)
    del env["VIDLINT_SAMSCLUB_PRIVATE_KEY"]
    env["VIDLINT_SAMSCLUB_PRIVATE_KEY_FILE"] = str(key_file(tmp_path))
    client = make_client("samsclub", env=env, credentials_path=tmp_path / "absent.toml")
    try:
        assert isinstance(client, SamsClubClient)
        assert client.list_media() == []  # signed, verified, answered
    finally:
        client.close()
    assert [r.path for r in server.requests] == ["/api/v1/media"]


def test_private_key_file_in_the_credentials_file(tmp_path: Path) -> None:
    path = tmp_path / "credentials.toml"
    path.write_text(
        f'[samsclub]\nadvertiser_id = 5\nconsumer_id = "c"\nauth_token = "t"\n'
        f'private_key_file = "{key_file(tmp_path)}"\n'
    )
    path.chmod(0o600)
    creds = load_credentials(SamsClubCredentials, "samsclub", env={}, path=path)
    assert creds.private_key.get_secret_value() == walmart_keys()[0]


def test_the_environment_wins_over_the_file_whichever_form_each_uses(tmp_path: Path) -> None:
    path = tmp_path / "credentials.toml"
    path.write_text('[samsclub]\nadvertiser_id = 5\nconsumer_id = "c"\nauth_token = "t"\nprivate_key = "x"\n')
    path.chmod(0o600)
    env = {"VIDLINT_SAMSCLUB_PRIVATE_KEY_FILE": str(key_file(tmp_path))}
    creds = load_credentials(SamsClubCredentials, "samsclub", env=env, path=path)
    assert creds.private_key.get_secret_value() == walmart_keys()[0]


@pytest.mark.parametrize("text", ["{key}", "~/keys/walmart.pem", "keys/walmart.pem", "C:\\keys\\walmart.pem"])
def test_a_path_in_the_key_variable_names_the_file_variable(tmp_path: Path, text: str) -> None:
    env = env_for("samsclub", "http://127.0.0.1:9", PRIVATE_KEY=text.format(key=key_file(tmp_path)))
    with pytest.raises(ClientConfigError) as caught:
        load_credentials(SamsClubCredentials, "samsclub", env=env, path=tmp_path / "absent.toml")
    assert str(caught.value) == (
        "samsclub credentials: private_key from VIDLINT_SAMSCLUB_PRIVATE_KEY: looks like a file path: "
        "use VIDLINT_SAMSCLUB_PRIVATE_KEY_FILE to name the file"
    )


def test_a_path_in_the_files_private_key_names_private_key_file(tmp_path: Path) -> None:
    path = tmp_path / "credentials.toml"
    path.write_text(
        f'[samsclub]\nadvertiser_id = 5\nconsumer_id = "c"\nauth_token = "t"\n'
        f'private_key = "{key_file(tmp_path)}"\n'
    )
    path.chmod(0o600)
    with pytest.raises(ClientConfigError) as caught:
        load_credentials(SamsClubCredentials, "samsclub", env={}, path=path)
    assert f"looks like a file path: use private_key_file in [samsclub] of {path}" in str(caught.value)


@pytest.mark.parametrize(
    ("kind", "says"),
    [
        ("encrypted", "is encrypted: give the unencrypted key"),
        ("ec", "is not an RSA key"),
        ("garbage", "is not a readable unencrypted RSA key"),
    ],
)
def test_a_key_that_cannot_sign_is_refused_when_read_naming_the_variable(
    vidlint_sandbox: SandboxFactory, tmp_path: Path, kind: str, says: str
) -> None:
    server = vidlint_sandbox("samsclub")
    text = other_keys().get(kind, walmart_keys()[0].replace("MII", "XYZ", 1))
    env = env_for("samsclub", server.url, PRIVATE_KEY=text)
    with pytest.raises(ClientConfigError) as caught:
        make_client("samsclub", env=env, credentials_path=tmp_path / "absent.toml")
    message = str(caught.value)
    assert message.startswith(f"samsclub credentials: private_key from VIDLINT_SAMSCLUB_PRIVATE_KEY: {says}")
    assert "\n" not in message
    key_lines = [line for line in text.splitlines() if "-----" not in line]
    assert_hidden(message, *key_lines)
    assert server.requests == []


def test_a_key_file_that_cannot_be_read_is_named(tmp_path: Path) -> None:
    env = env_for("samsclub", "http://127.0.0.1:9")
    del env["VIDLINT_SAMSCLUB_PRIVATE_KEY"]
    env["VIDLINT_SAMSCLUB_PRIVATE_KEY_FILE"] = str(tmp_path / "missing.pem")
    with pytest.raises(ClientConfigError) as caught:
        load_credentials(SamsClubCredentials, "samsclub", env=env, path=tmp_path / "absent.toml")
    message = str(caught.value)
    assert "VIDLINT_SAMSCLUB_PRIVATE_KEY_FILE" in message and "missing.pem" in message
    assert "No such file" in message


def test_a_missing_key_names_both_ways_to_give_it(tmp_path: Path) -> None:
    env = env_for("samsclub", "http://127.0.0.1:9")
    del env["VIDLINT_SAMSCLUB_PRIVATE_KEY"]
    with pytest.raises(ClientConfigError) as caught:
        load_credentials(SamsClubCredentials, "samsclub", env=env, path=tmp_path / "c.toml")
    assert "set VIDLINT_SAMSCLUB_PRIVATE_KEY or VIDLINT_SAMSCLUB_PRIVATE_KEY_FILE" in str(caught.value)
    assert "private_key or private_key_file in [samsclub]" in str(caught.value)
