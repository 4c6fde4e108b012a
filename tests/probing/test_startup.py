"""What the cold start of a check relies on: libmagic found without a subprocess, a worker that holds
none of the caller's streams, and a few files probed by the one worker that probed them ahead."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from vidlint.model.facts import MediaFacts
from vidlint.probing import probe
from vidlint.probing.batch import Prober
from vidlint.probing.spawn import FEW_FILES
from vidlint.probing.worker import prestart

SAMPLES = Path(__file__).resolve().parents[2] / "sample_media"
CLIPS = [SAMPLES / "ok_h264_aac_1080p_10s.mp4", SAMPLES / "hd720_10s.mp4", SAMPLES / "short_4s.mp4"]

# Runs in a fresh interpreter: the audit hook sees every process Python starts (ctypes.util's
# find_library runs /sbin/ldconfig -p through subprocess).
NO_SUBPROCESS = """
import sys
started = []
sys.addaudithook(lambda event, args: started.append(args[1]) if event == "subprocess.Popen" else None)
from vidlint.probing import sniff
print(sniff.mime_type(open(sys.argv[1], "rb").read(4096)))
import magic
print(magic.libmagic._name)
print(started)
"""


def test_libmagic_loads_by_soname_without_starting_a_process() -> None:
    done = subprocess.run(
        [sys.executable, "-c", NO_SUBPROCESS, str(CLIPS[0])], capture_output=True, text=True, check=True
    )
    mime, library, started = done.stdout.splitlines()
    assert mime == "video/mp4"
    assert library == "libmagic.so.1"
    assert started == "[]"


def test_a_worker_holds_none_of_the_callers_standard_streams() -> None:
    """Whoever reads vidlint's output (pre-commit, a CI step) sees it end when vidlint exits, not
    when a worker still probing ahead does."""
    pid = subprocess.run(
        [sys.executable, "-c", WORKER_FDS, str(CLIPS[0])], capture_output=True, text=True, check=True
    ).stdout.split()
    assert pid[1:] == ["/dev/null"] * 3


WORKER_FDS = """
import os, sys, time
from vidlint.probing import worker
worker.prestart(ahead=[sys.argv[1]])
pid = worker._spares[0].pid
links = lambda: [os.readlink(f"/proc/{pid}/fd/{fd}") for fd in (0, 1, 2)]
deadline = time.monotonic() + 10  # the child points them at /dev/null first thing after the fork
while links() != ["/dev/null"] * 3 and time.monotonic() < deadline:
    time.sleep(0.01)
print(pid, *links())
"""


def test_two_staged_files_are_checked_by_the_worker_that_probed_them_ahead(tmp_path: Path) -> None:
    env = {**os.environ, "VIDLINT_CACHE_DIR": str(tmp_path / "cache")}
    started = time.monotonic()
    command = [sys.executable, "-m", "vidlint", "check", "--no-cache", "-m", "samsclub", *map(str, CLIPS[:2])]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 1, done.stderr  # hd720 is below Sam's Club's 1920x1080
    assert "2 probed" in done.stdout
    assert time.monotonic() - started < 30


def test_a_few_files_go_to_the_worker_that_probed_them_ahead() -> None:
    assert len(CLIPS) <= FEW_FILES
    prestart(ahead=[str(p) for p in CLIPS])
    prober = Prober(jobs=None)
    try:
        found = prober.probe([str(p) for p in CLIPS])
        assert prober._pool is None  # no pool of workers was started for them
    finally:
        prober.close()
    for path in CLIPS:
        facts = found[str(path)]
        assert isinstance(facts, MediaFacts)
        assert facts == probe(path)  # the same facts as a probe of its own


def test_a_file_changed_after_its_probe_ahead_is_probed_again(tmp_path: Path) -> None:
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(CLIPS[0].read_bytes())
    prestart(ahead=[str(clip)])
    time.sleep(0.5)  # the worker has probed it ahead by now (or will see the change)
    clip.write_bytes(CLIPS[2].read_bytes())  # the 4 s clip under the same name
    prober = Prober(jobs=None)
    try:
        facts = prober.probe([str(clip)])[str(clip)]
    finally:
        prober.close()
    assert isinstance(facts, MediaFacts)
    assert facts.duration_s is not None and facts.duration_s < 5


EARLY_FORK = """
import json, sys
from vidlint.cli import fork_probe_worker
fork_probe_worker(json.loads(sys.argv[1]))
from vidlint.probing import spawn
heavy = sorted(m for m in ("typing", "argparse", "dataclasses", "vidlint.probing.worker") if m in sys.modules)
print(json.dumps([len(spawn.SPARES), heavy]))
"""


def _early_fork(argv: list[str]) -> list[object]:
    import json

    done = subprocess.run(
        [sys.executable, "-c", EARLY_FORK, json.dumps(argv)], capture_output=True, text=True, check=True
    )
    found: list[object] = json.loads(done.stdout)
    return found


def test_the_console_script_forks_the_worker_before_importing_the_command() -> None:
    """vidlint check on a file: the worker starts while argparse, typing and the packs load."""
    assert _early_fork(["check", "--no-cache", "-m", "samsclub", str(CLIPS[0])]) == [1, []]
    assert _early_fork(["check", "--no-cache", str(SAMPLES)]) == [1, []]  # a folder: a worker, none ahead


def test_no_worker_is_forked_where_no_local_file_is_probed() -> None:
    for argv in (
        ["check", "--no-cache", "https://cdn.example.com/a.mp4"],
        ["check", "--no-cache", "--help"],
        ["rules", "list"],
        ["check", "--no-cache", "--from", str(CLIPS[0])],
        ["check", str(CLIPS[0])],  # the cache may answer: the worker starts when it has not
    ):
        assert _early_fork(argv) == [0, []], argv
