"""Where a client finds its server: a socket in a folder only this user can enter, named after the
build (the Python and the vidlint package it runs), so two installs never answer for each other."""

from __future__ import annotations

import os
import sys

DIR_ENV = "VIDLINT_SERVER_DIR"
MAX_SOCKET_PATH = 100  # sun_path holds 108 bytes on Linux, 104 on macOS


def folder() -> str:
    """$VIDLINT_SERVER_DIR, else $XDG_RUNTIME_DIR/vidlint, else /tmp/vidlint-UID."""
    chosen = os.environ.get(DIR_ENV, "")
    if chosen:
        return chosen
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if runtime and os.path.isabs(runtime):
        return os.path.join(runtime, "vidlint")
    return os.path.join("/tmp", f"vidlint-{os.getuid()}")


def package_dir() -> str:
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def build_key() -> str:
    """What must match for a server to answer a client: this interpreter and this vidlint package."""
    return f"{sys.executable}\0{package_dir()}"


def socket_path(key: str) -> str:
    import zlib

    return os.path.join(folder(), f"{zlib.crc32(key.encode('utf-8', 'surrogateescape')):08x}.sock")


def private_folder(path: str, *, create: bool) -> bool:
    """Whether ``path`` is a folder of this user that nobody else can enter (made so when ``create``).
    Anything else (another owner, group or world access, a link) and no server is used."""
    if create:
        try:
            os.makedirs(path, mode=0o700, exist_ok=True)
        except OSError:
            return False
    try:
        info = os.lstat(path)
    except OSError:
        return False
    import stat

    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o077


def usable(path: str) -> bool:
    return len(os.fsencode(path)) <= MAX_SOCKET_PATH
