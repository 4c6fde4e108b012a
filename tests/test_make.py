"""The README's two commands, run as a user runs them: `make demo` and (its set-up half) `make test`;
and `python -m vidlint`, the console script's twin."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from vidlint.packs.builtin import file_marketplaces

ROOT = Path(__file__).resolve().parents[1]


def _run(*cmd: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MAKEFLAGS": ""}
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=600, env=env, check=False)


def test_make_demo_lints_the_demo_folder_and_succeeds() -> None:
    done = _run("make", "demo")
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    samples = [p for p in (ROOT / "sample_media").iterdir() if p.suffix.lower() in {".mp4", ".mov", ".webm"}]
    judging = len(file_marketplaces())  # every pack that judges files, the default of a folder
    assert f"{len(samples)} files x {judging} marketplaces" in done.stdout
    assert "make demo: vidlint exited 1" in done.stdout  # the demo folder holds failing clips on purpose


def test_make_test_installs_before_it_tests() -> None:
    """`make -n -B` shows the order without running it: the set-up, then pytest with exit 5 handled."""
    plan = _run("make", "-n", "-B", "test").stdout
    assert plan.index("scripts/setup.sh") < plan.index("-m pytest")
    assert "collected no tests" in plan
    assert (ROOT / ".ci" / "run").read_text(encoding="utf-8").rstrip().endswith("exec make test")


def test_python_dash_m_vidlint_is_the_cli(tmp_path: Path) -> None:
    version = _run(sys.executable, "-m", "vidlint", "--version", cwd=tmp_path)
    assert (version.returncode, version.stdout.strip()) == (0, "vidlint 0.1.0")
    clip = ROOT / "sample_media" / "dur_7s.mp4"
    command = (sys.executable, "-m", "vidlint", "check", str(clip), "-m", "trendyol", "--no-cache")
    checked = _run(*command, cwd=tmp_path)
    assert checked.returncode == 1 and "seller.integration.video.duration.invalid" in checked.stdout
