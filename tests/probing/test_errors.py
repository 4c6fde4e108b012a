"""Sources that cannot be read at all give a one-line ProbeError, quickly, and never a traceback."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from vidlint.errors import ProbeError
from vidlint.probing import probe, probe_many

ROOT_READS_ANYTHING = hasattr(os, "geteuid") and os.geteuid() == 0


def probe_error(path: str | Path) -> str:
    with pytest.raises(ProbeError) as caught:
        probe(path, timeout_s=10)
    message = str(caught.value)
    assert message and "\n" not in message and "Traceback" not in message
    return message


def test_missing_file(tmp_path: Path) -> None:
    assert probe_error(tmp_path / "nope.mp4").startswith("no such file:")
    assert probe_error(tmp_path / "nope" / "deeper.mp4").startswith("no such file:")


def test_directory(tmp_path: Path) -> None:
    assert probe_error(tmp_path).startswith("is a directory:")


def test_permission_denied(tmp_path: Path) -> None:
    """Run in a child process whose permission bits apply: as root, without the capabilities that
    bypass them (setpriv, util-linux, part of every Debian)."""
    locked = tmp_path / "locked.mp4"
    locked.write_bytes(b"\0" * 100)
    locked.chmod(0)
    prefix = (
        ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--"] if ROOT_READS_ANYTHING else []
    )
    code = (
        "import sys\nfrom vidlint.errors import ProbeError\nfrom vidlint.probing import probe\n"
        "try:\n    probe(sys.argv[1], timeout_s=10)\nexcept ProbeError as exc:\n    print(exc)\n"
    )
    try:
        done = subprocess.run(
            [*prefix, sys.executable, "-c", code, str(locked)], capture_output=True, text=True, timeout=60
        )
    finally:
        locked.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == f"permission denied: {locked}\n"


def test_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    """Unreadable even for root: opening a FIFO for reading would block until a writer comes."""
    fifo = tmp_path / "stream.mp4"
    os.mkfifo(fifo)
    assert probe_error(fifo) == f"not a regular file (a FIFO): {fifo}"


def test_socket_and_device_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.mp4"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        assert probe_error(path) == f"cannot open {path}: No such device or address"  # ENXIO
    assert probe_error("/dev/zero") == "not a regular file (a character device): /dev/zero"


def test_symlink_loop(tmp_path: Path) -> None:
    loop = tmp_path / "loop.mp4"
    loop.symlink_to(loop)
    assert probe_error(loop).startswith(f"cannot open {loop}:")


def test_unprintable_names_stay_on_one_line(tmp_path: Path) -> None:
    assert probe_error(tmp_path / "two\nlines.mp4").startswith("no such file: '")
    assert probe_error("") == "no such file: ''"
    assert probe_error("nul\0byte.mp4").startswith("invalid path:")


def test_probe_many_reports_each_failure_in_place(tmp_path: Path, small_clip: Path) -> None:
    fifo = tmp_path / "fifo.mp4"
    os.mkfifo(fifo)
    results = probe_many([small_clip, tmp_path / "missing.mp4", tmp_path, fifo, small_clip], jobs=2)
    assert [type(r).__name__ for r in results] == [
        "MediaFacts",
        "ProbeError",
        "ProbeError",
        "ProbeError",
        "MediaFacts",
    ]
    assert [str(r).split(":")[0] for r in results[1:4]] == [
        "no such file",
        "is a directory",
        "not a regular file (a FIFO)",
    ]
    assert probe_many([]) == []
