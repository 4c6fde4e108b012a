"""Walmart API gateway signatures (Sam's Club Media API).

The gateway authenticates each call by an RSA signature over the canonical string of three headers,
sorted by name and each followed by a newline::

    WM_CONSUMER.ID + "\\n" + WM_CONSUMER.INTIMESTAMP + "\\n" + WM_SEC.KEY_VERSION + "\\n"

signed with SHA256withRSA (PKCS#1 v1.5) and sent base64-encoded as ``WM_SEC.AUTH_SIGNATURE``; the
timestamp is Unix epoch milliseconds. A Signer is pluggable: anything that returns the header dict.
"""

from __future__ import annotations

import base64
import binascii
import time
import uuid
from collections.abc import Callable
from typing import Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from vidlint.clients.errors import ClientConfigError


class Signer(Protocol):
    def headers(self) -> dict[str, str]:
        """Fresh gateway headers for one request (a new timestamp and correlation id each time)."""
        ...


def string_to_sign(consumer_id: str, timestamp_ms: str, key_version: str) -> bytes:
    return f"{consumer_id}\n{timestamp_ms}\n{key_version}\n".encode()


def rsa_key_problem(text: str) -> str | None:
    """Why ``text`` is not a usable Walmart private key (an unencrypted RSA key, PEM or bare base64), in a
    few words that never quote it; None when it is one."""
    try:
        _load(text)
    except _NotAKey as exc:
        return str(exc)
    return None


def load_private_key(text: str) -> rsa.RSAPrivateKey:
    """An RSA private key from PEM (PKCS#8 or PKCS#1) or from the bare base64 body Walmart's portal shows."""
    try:
        return _load(text)
    except _NotAKey as exc:
        raise ClientConfigError(f"the Walmart private key {exc}") from None


class _NotAKey(Exception):
    pass


def _load(text: str) -> rsa.RSAPrivateKey:
    try:
        if "-----BEGIN" in text:
            key = serialization.load_pem_private_key(text.encode(), password=None)
        else:
            key = serialization.load_der_private_key(base64.b64decode("".join(text.split())), password=None)
    except TypeError:  # "Password was not given but private key is encrypted"
        raise _NotAKey("is encrypted: give the unencrypted key (openssl pkey -in KEY -out PLAIN)") from None
    except (ValueError, binascii.Error, UnicodeError):
        raise _NotAKey(
            "is not a readable unencrypted RSA key (PEM, or the bare base64 body Walmart shows)"
        ) from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise _NotAKey("is not an RSA key")
    return key


class WalmartRsaSigner:
    """The gateway's documented scheme. The key never appears in a repr or message."""

    def __init__(
        self,
        consumer_id: str,
        private_key: str,
        key_version: str = "1",
        *,
        wall_ms: Callable[[], int] | None = None,
    ) -> None:
        self._consumer_id = consumer_id
        self._key = load_private_key(private_key)
        self._key_version = key_version
        self._wall_ms = wall_ms or (lambda: int(time.time() * 1000))

    def headers(self) -> dict[str, str]:
        stamp = str(self._wall_ms())
        data = string_to_sign(self._consumer_id, stamp, self._key_version)
        signature = self._key.sign(data, padding.PKCS1v15(), hashes.SHA256())
        return {
            "WM_CONSUMER.ID": self._consumer_id,
            "WM_CONSUMER.INTIMESTAMP": stamp,
            "WM_SEC.KEY_VERSION": self._key_version,
            "WM_SEC.AUTH_SIGNATURE": base64.b64encode(signature).decode("ascii"),
            "WM_QOS.CORRELATION_ID": uuid.uuid4().hex,
        }

    def __repr__(self) -> str:
        return f"WalmartRsaSigner(key_version={self._key_version!r})"


def verify_signature(
    public_key: rsa.RSAPublicKey, consumer_id: str, timestamp_ms: str, key_version: str, signature_b64: str
) -> bool:
    """True when ``signature_b64`` is the gateway signature of these three values under ``public_key``."""
    try:
        signature = base64.b64decode(signature_b64, validate=True)
        data = string_to_sign(consumer_id, timestamp_ms, key_version)
        public_key.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, ValueError, binascii.Error):
        return False
    return True
