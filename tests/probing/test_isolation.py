"""The time limit is real: a hung worker is killed, a dead one replaced, and the next probe still works."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from vidlint.errors import ProbeError
from vidlint.model.facts import MediaFacts
from vidlint.probing import probe, probe_many
from vidlint.probing.worker import call_isolated, run_many


def test_a_hanging_worker_is_killed_and_the_next_probe_works(small_clip: Path) -> None:
    before = call_isolated(os.getpid, timeout_s=10, label="pid")
    started = time.monotonic()
    with pytest.raises(ProbeError, match=r"^probe timed out after 0.5 s: sleeper$"):
        call_isolated(time.sleep, 60, timeout_s=0.5, label="sleeper")
    assert time.monotonic() - started < 5
    after = call_isolated(os.getpid, timeout_s=10, label="pid")
    assert after != before
    assert not Path(f"/proc/{before}").exists()  # killed and reaped, not left running
    assert probe(small_clip).readable


def test_a_crashing_worker_is_one_error(small_clip: Path) -> None:
    with pytest.raises(ProbeError, match=r"^probe worker died \(killed by SIGKILL\): crash$"):
        call_isolated(signal.raise_signal, signal.SIGKILL, timeout_s=10, label="crash")
    assert probe(small_clip).readable


def test_run_many_keeps_order_and_isolates_each_failure() -> None:
    calls: list[tuple[Callable[..., object], tuple[object, ...]]] = [
        (time.sleep, (0.01,)),
        (time.sleep, (60,)),
        (signal.raise_signal, (signal.SIGKILL,)),
        (os.getpid, ()),
        (divmod, (7, 2)),
    ]
    started = time.monotonic()
    results = run_many(calls, labels=["a", "b", "c", "d", "e"], jobs=2, timeout_s=1.0)
    assert time.monotonic() - started < 10
    assert results[0] is None and results[4] == (3, 1)
    assert isinstance(results[1], ProbeError) and "timed out" in str(results[1])
    assert isinstance(results[2], ProbeError) and "died" in str(results[2])
    assert isinstance(results[3], int) and results[3] != os.getpid()


def test_probe_many_uses_jobs_workers(small_clip: Path) -> None:
    results = probe_many([small_clip] * 6, jobs=3)
    assert all(isinstance(r, MediaFacts) and r.readable for r in results)


def test_steady_probes_cost_a_round_trip_not_a_fork(small_clip: Path) -> None:
    probe(small_clip)
    pid = call_isolated(os.getpid, timeout_s=10, label="pid")
    started = time.perf_counter()
    for _ in range(20):
        probe(small_clip)
    per_probe_s = (time.perf_counter() - started) / 20
    assert call_isolated(os.getpid, timeout_s=10, label="pid") == pid  # the same worker served them all
    assert per_probe_s < 0.05, per_probe_s


def test_importing_the_probe_stays_light() -> None:
    heavy = ("pymediainfo", "magic", "PIL", "ffmpeg", "srt", "webvtt", "pebble", "multiprocessing")
    code = f"import sys, vidlint.probing; print([m for m in {heavy!r} if m in sys.modules])"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"


def test_the_interpreter_exits_promptly_after_probing(small_clip: Path) -> None:
    """The shared worker is not a daemon: the exit hook must stop it or the interpreter would wait."""
    code = f"from vidlint.probing import probe; print(probe({str(small_clip)!r}).readable)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert (result.returncode, result.stdout.strip(), result.stderr) == (0, "True", "")


def test_relative_paths_follow_the_callers_working_folder(
    small_clip: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    probe(small_clip)  # the shared worker exists before the caller changes folder
    (tmp_path / "here.mp4").write_bytes(small_clip.read_bytes())
    monkeypatch.chdir(tmp_path)
    facts = probe("here.mp4")
    assert (facts.path, facts.readable) == ("here.mp4", True)
    assert [r.path for r in probe_many(["here.mp4"]) if isinstance(r, MediaFacts)] == ["here.mp4"]
    with pytest.raises(ProbeError, match=r"^no such file: gone\.mp4$"):
        probe("gone.mp4")


def test_a_call_that_raises_or_cannot_travel_is_one_error() -> None:
    with pytest.raises(ProbeError, match=r"^probe failed for bad: ValueError: invalid literal"):
        call_isolated(int, "not a number", timeout_s=10, label="bad")
    with pytest.raises(ProbeError, match=r"^probe failed for lock: TypeError: cannot pickle"):
        call_isolated(id, threading.Lock(), timeout_s=10, label="lock")
    assert call_isolated(divmod, 7, 2, timeout_s=10, label="ok") == (3, 1)


def _python(code: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    ).stdout


def _state(pid: int) -> str | None:
    """The process state letter of ``pid`` ("Z": exited, not yet reaped), None when it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return None


def test_workers_exit_by_themselves_when_their_parent_exits(small_clip: Path) -> None:
    """No shutdown at exit: the worker reads end-of-file on its pipe and exits."""
    code = (
        "import os\nfrom vidlint.probing.worker import call_isolated, probe\n"
        f"assert probe({str(small_clip)!r}).readable\n"
        "print(call_isolated(os.getpid, timeout_s=10, label='pid'))"
    )
    worker = int(_python(code))
    deadline = time.monotonic() + 10
    while _state(worker) not in (None, "Z") and time.monotonic() < deadline:
        time.sleep(0.02)
    assert _state(worker) in (None, "Z")


def test_a_prestarted_worker_serves_the_first_probe(small_clip: Path) -> None:
    code = (
        "import os\nfrom vidlint.probing import worker\nworker.prestart()\n"
        "spare = worker._spares[0].pid\n"
        f"facts = worker.probe({str(small_clip)!r})\n"
        "print(facts.readable, worker.call_isolated(os.getpid, timeout_s=10, label='pid') == spare)"
    )
    assert _python(code).split() == ["True", "True"]


_AHEAD = (
    "import os\nfrom vidlint.probing import worker\n"
    "path = {path!r}\nworker.prestart(ahead=[path])\n"
    "worker.call_isolated(os.getpid, timeout_s=30, label='sync')  # answered once the file is probed ahead\n"
    "{change}\n"
    "facts = worker.probe(path)\n"
    "print(facts.readable, facts.size_bytes)"
)


def test_a_file_probed_ahead_is_answered_from_what_the_worker_found(tmp_path: Path, small_clip: Path) -> None:
    """Proof that the answer is the early one: the bytes are wiped afterwards, keeping inode, size and
    modification time (what tells a changed file), and the answer still describes the clip."""
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(small_clip.read_bytes())
    size = clip.stat().st_size
    wipe = (
        "stamp = os.stat(path).st_mtime_ns\n"
        "with open(path, 'r+b') as f: f.write(bytes(os.path.getsize(path)))\n"
        "os.utime(path, ns=(stamp, stamp))"
    )
    assert _python(_AHEAD.format(path=str(clip), change=wipe)).split() == ["True", str(size)]
    assert not probe(clip).readable  # what a fresh probe now finds


def test_a_file_changed_after_its_early_probe_is_probed_again(tmp_path: Path, small_clip: Path) -> None:
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(small_clip.read_bytes())
    grow = "with open(path, 'ab') as f: f.write(b'x' * 10)"
    size = clip.stat().st_size + 10
    assert _python(_AHEAD.format(path=str(clip), change=grow)).split() == ["True", str(size)]


def test_a_file_probed_ahead_but_never_asked_for_costs_nothing(tmp_path: Path, small_clip: Path) -> None:
    """The caller may decide not to probe it (an ignored file): the other files are probed as usual."""
    other = tmp_path / "other.mp4"
    other.write_bytes(small_clip.read_bytes())
    code = (
        "from vidlint.probing import worker\n"
        f"worker.prestart(ahead=[{str(small_clip)!r}])\n"
        f"print(worker.probe({str(other)!r}).path == {str(other)!r})"
    )
    assert _python(code).split() == ["True"]
