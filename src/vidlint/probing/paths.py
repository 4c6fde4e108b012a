"""Opening a local source: every reason it cannot be read becomes a one-line ProbeError."""

from __future__ import annotations

import os
import stat
from typing import BinaryIO

from vidlint.errors import ProbeError

_NOT_REGULAR = {
    stat.S_IFIFO: "a FIFO",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
}


def shown(path: str) -> str:
    """The path as it can be printed on one line."""
    return path if path and path.isprintable() else repr(path)


def open_regular(path: str, name: str | None = None) -> tuple[BinaryIO, int]:
    """An unbuffered reader on a regular file and its size; errors name the file ``name`` (default: path).

    O_NONBLOCK keeps open() from waiting for a writer when the path is a FIFO; what the path really
    is, is checked on the open descriptor, so it cannot change in between.
    """
    name = path if name is None else name
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except (FileNotFoundError, NotADirectoryError):
        raise ProbeError(f"no such file: {shown(name)}") from None
    except PermissionError:
        raise ProbeError(f"permission denied: {shown(name)}") from None
    except OSError as exc:
        raise ProbeError(f"cannot open {shown(name)}: {exc.strerror or exc}") from None
    except ValueError:  # an embedded NUL byte
        raise ProbeError(f"invalid path: {shown(name)}") from None
    try:
        return _checked(fd, name)
    except BaseException:
        os.close(fd)
        raise


def _checked(fd: int, name: str) -> tuple[BinaryIO, int]:
    info = os.fstat(fd)
    if stat.S_ISDIR(info.st_mode):
        raise ProbeError(f"is a directory: {shown(name)}")
    if not stat.S_ISREG(info.st_mode):
        what = _NOT_REGULAR.get(stat.S_IFMT(info.st_mode), "not a regular file")
        raise ProbeError(f"not a regular file ({what}): {shown(name)}")
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb", buffering=0), info.st_size
