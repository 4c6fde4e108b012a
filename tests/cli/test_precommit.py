"""The pre-commit hook, installed by the real pre-commit from a snapshot of this repository into a
throw-away git repository: a failing video blocks the commit, a passing one does not.

pre-commit builds the hook's environment itself (``language: python``: a fresh virtualenv and a pip
install of this project and its dependencies), as it would for a user, twice (try-repo uses a store of
its own): about 30 s on the project's 2-core machine with pip's cache warm.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .support import OK_CLIP, ROOT, SAMPLES

PRE_COMMIT = str(Path(sys.executable).with_name("pre-commit"))
GIT_IDENTITY = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
                "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _run(cmd: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=900, check=False)


def _snapshot(dest: Path, env: dict[str, str]) -> str:
    """This working tree (tracked and new files, as git would see them) committed in a repository of its
    own, so the hook is tested as it is now; returns the commit."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    for cmd in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-q", "-m", "snapshot"]):
        assert _run(cmd, dest, env).returncode == 0
    return _run(["git", "rev-parse", "HEAD"], dest, env).stdout.strip()


def _commit(consumer: Path, env: dict[str, str], name: str) -> subprocess.CompletedProcess[str]:
    assert _run(["git", "add", name], consumer, env).returncode == 0
    return _run(["git", "commit", "-m", f"add {name}"], consumer, env)


def _log(consumer: Path, env: dict[str, str]) -> list[str]:
    return _run(["git", "log", "--format=%s"], consumer, env).stdout.split("\n")[:-1]


def test_the_hook_blocks_a_failing_video_and_lets_a_passing_one_through(tmp_path: Path) -> None:
    env = {**os.environ, **GIT_IDENTITY, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
           "VIDLINT_CACHE_DIR": str(tmp_path / "vidlint-cache")}
    env.pop("PRE_COMMIT", None)
    hook_repo, consumer = tmp_path / "hook-repo", tmp_path / "shop"
    hook_repo.mkdir()
    consumer.mkdir()
    rev = _snapshot(hook_repo, env)
    assert _run(["git", "init", "-q"], consumer, env).returncode == 0
    (consumer / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hook_repo}\n    rev: {rev}\n    hooks:\n      - id: vidlint\n"
        "        args: [-m, samsclub, -m, trendyol]\n"
    )
    shutil.copyfile(SAMPLES / "dur_7s.mp4", consumer / "kettle.mp4")  # too short for Trendyol
    shutil.copyfile(SAMPLES / OK_CLIP, consumer / "Teapot Hero.MP4")
    (consumer / "notes.txt").write_text("not a video: the hook must not see it\n")

    tried = _run([PRE_COMMIT, "try-repo", str(hook_repo), "vidlint", "--files", "kettle.mp4"], consumer, env)
    assert tried.returncode == 1, tried.stdout + tried.stderr
    assert "seller.integration.video.duration.invalid" in tried.stdout

    installed = _run([PRE_COMMIT, "install"], consumer, env)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert _run(["git", "commit", "-q", "--allow-empty", "-m", "start"], consumer, env).returncode == 0

    blocked = _commit(consumer, env, "kettle.mp4")
    assert blocked.returncode == 1, blocked.stdout + blocked.stderr
    assert "seller.integration.video.duration.invalid" in blocked.stdout + blocked.stderr
    assert _log(consumer, env) == ["start"]  # no commit was made

    assert _run(["git", "reset", "-q", "kettle.mp4"], consumer, env).returncode == 0
    passed = _commit(consumer, env, "Teapot Hero.MP4")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert _log(consumer, env) == ["add Teapot Hero.MP4", "start"]

    other = _commit(consumer, env, "notes.txt")  # not a video: the hook is skipped
    assert other.returncode == 0, other.stdout + other.stderr
    assert "(no files to check)Skipped" in (other.stdout + other.stderr).replace(".", "")
