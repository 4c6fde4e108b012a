"""Walmart gateway signatures: the exact string to sign, checked by an independent verifier (openssl)."""

from __future__ import annotations

import base64
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from vidlint.clients.errors import ClientConfigError
from vidlint.clients.signing import WalmartRsaSigner, load_private_key, verify_signature

from .support import walmart_keys

STAMP = 1702298601000


def public_key() -> rsa.RSAPublicKey:
    key = serialization.load_pem_public_key(walmart_keys()[1].encode())
    assert isinstance(key, rsa.RSAPublicKey)
    return key


def signer(private: str | None = None) -> WalmartRsaSigner:
    return WalmartRsaSigner("consumer-1", private or walmart_keys()[0], "2", wall_ms=lambda: STAMP)


def test_headers_carry_the_documented_names_and_values() -> None:
    headers = signer().headers()
    assert headers["WM_CONSUMER.ID"] == "consumer-1"
    assert headers["WM_CONSUMER.INTIMESTAMP"] == str(STAMP)
    assert headers["WM_SEC.KEY_VERSION"] == "2"
    assert set(headers) == {
        "WM_CONSUMER.ID",
        "WM_CONSUMER.INTIMESTAMP",
        "WM_SEC.KEY_VERSION",
        "WM_SEC.AUTH_SIGNATURE",
        "WM_QOS.CORRELATION_ID",
    }


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl CLI not installed")
def test_openssl_verifies_the_signature_over_the_canonical_string(tmp_path: Path) -> None:
    signature = base64.b64decode(signer().headers()["WM_SEC.AUTH_SIGNATURE"])
    (tmp_path / "data").write_bytes(f"consumer-1\n{STAMP}\n2\n".encode())
    (tmp_path / "sig").write_bytes(signature)
    (tmp_path / "pub.pem").write_text(walmart_keys()[1])
    done = subprocess.run(
        ["openssl", "dgst", "-sha256", "-verify", "pub.pem", "-signature", "sig", "data"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Verified OK" in done.stdout


def test_a_changed_value_no_longer_verifies() -> None:
    value = signer().headers()["WM_SEC.AUTH_SIGNATURE"]
    assert verify_signature(public_key(), "consumer-1", str(STAMP), "2", value)
    assert not verify_signature(public_key(), "consumer-1", str(STAMP + 1), "2", value)
    assert not verify_signature(public_key(), "consumer-2", str(STAMP), "2", value)
    assert not verify_signature(public_key(), "consumer-1", str(STAMP), "2", "not base64!")


def test_every_request_gets_a_new_correlation_id() -> None:
    one = signer()
    assert one.headers()["WM_QOS.CORRELATION_ID"] != one.headers()["WM_QOS.CORRELATION_ID"]


def test_the_bare_base64_body_of_the_portal_key_is_accepted() -> None:
    pem = walmart_keys()[0]
    body = "".join(line for line in pem.splitlines() if "-----" not in line)
    value = signer(body).headers()["WM_SEC.AUTH_SIGNATURE"]
    assert verify_signature(public_key(), "consumer-1", str(STAMP), "2", value)


def test_the_key_never_shows_in_a_repr_and_a_bad_key_is_one_clear_error() -> None:
    pem = walmart_keys()[0]
    assert pem.splitlines()[1] not in repr(signer())
    with pytest.raises(ClientConfigError, match="not a readable") as caught:
        load_private_key("-----BEGIN PRIVATE KEY-----\nnot really\n-----END PRIVATE KEY-----")
    assert "not really" not in str(caught.value)
