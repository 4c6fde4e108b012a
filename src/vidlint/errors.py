"""vidlint's exceptions: each carries a one-line reason fit for a terminal; and the one careful way to
read a small file a user names (a configuration, a rule pack, an ignore file)."""

from __future__ import annotations

import errno
import os
import stat


class VidlintError(Exception):
    """Base class for every error vidlint raises on purpose."""


class ProbeError(VidlintError):
    """A source could not be read at all (missing, permission denied, a directory, timed out)."""


class RulePackError(VidlintError):
    """A rule pack file is malformed; the message names the file and the rule."""


class ConfigError(VidlintError):
    """A configuration file (vidlint.toml, ``[tool.vidlint]``) or an override is invalid; the message
    names the file or the rule."""


class UnknownMarketplaceError(VidlintError):
    """No rule pack with that id."""


# --- reading the small files a user hands vidlint (configuration, rule packs, ignore files) ---------

MAX_SMALL_FILE_BYTES = 1024 * 1024  # far above any real configuration, pack or ignore file


def read_small_file(path: str | os.PathLike[str], limit: int = MAX_SMALL_FILE_BYTES) -> bytes:
    """The bytes of a configuration, rule pack or ignore file: a regular file of at most ``limit`` bytes.

    Anything else raises OSError with a one-line ``strerror``: a FIFO would block the run for ever
    and a link to /dev/zero would grow its memory without end, so what the path is, is checked on the
    open descriptor (opened without waiting for a FIFO's writer) before a byte is read, and no more
    than ``limit`` + 1 bytes are ever read (a file in /proc says its size is 0).
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else _KINDS.get(stat.S_IFMT(info.st_mode))
            raise OSError(errno.EINVAL, f"not a regular file ({kind or 'unknown kind'})", os.fspath(path))
        if info.st_size > limit:
            raise OSError(errno.EFBIG, _too_large(limit), os.fspath(path))
        os.set_blocking(fd, True)
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(limit + 1 - size, 1 << 16))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise OSError(errno.EFBIG, _too_large(limit), os.fspath(path))
        return b"".join(chunks)
    finally:
        os.close(fd)


def _too_large(limit: int) -> str:
    return f"larger than {limit:,} bytes"


_KINDS = {
    stat.S_IFIFO: "a FIFO",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
}


def one_line(text: str, limit: int = 160) -> str:
    """A message on one line (whitespace collapsed), shortened to fit a terminal line."""
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 3] + "..."
