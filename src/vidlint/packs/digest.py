"""sha256 of packs, setups and cache keys, without loading OpenSSL.

``hashlib`` loads libcrypto and reads openssl.cnf at import (~2 ms measured, every cold or cached run
paid it for a few kilobytes of digests); CPython's own sha256 module gives the same digests in ~0.2 ms.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hashlib import sha256
else:
    try:
        from _sha256 import sha256  # CPython 3.11
    except ImportError:  # 3.12+ names it _sha2; other Pythons have hashlib only
        try:
            from _sha2 import sha256
        except ImportError:
            from hashlib import sha256


def digest(data: bytes) -> str:
    """The sha256 of ``data``, in hex."""
    return str(sha256(data).hexdigest())
