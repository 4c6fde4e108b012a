"""How client and server talk over the socket: a request is one length-prefixed marshal document
(sent with the caller's three standard streams as SCM_RIGHTS descriptors); the answers are frames of
one tag byte and a 4-byte number. Both ends are the same user (the server checks SO_PEERCRED)."""

from __future__ import annotations

import marshal

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

PID = b"P"  # the forked run's pid (where the client forwards SIGINT and SIGTERM)
CODE = b"C"  # the run's exit code: the last frame
REFUSED = b"R"  # another build, or this server's files changed: the client runs the check itself
FRAME_BYTES = 5
MAX_REQUEST = 4 * 1024 * 1024


def frame(tag: bytes, number: int) -> bytes:
    return tag + number.to_bytes(4, "big", signed=True)


def unframe(data: bytes) -> tuple[bytes, int]:
    return data[:1], int.from_bytes(data[1:5], "big", signed=True)


def request(doc: dict[str, Any]) -> bytes:
    body = marshal.dumps(doc)
    return len(body).to_bytes(4, "big") + body


def request_size(prefix: bytes) -> int:
    return int.from_bytes(prefix[:4], "big")
