"""docs/writing-a-pack.md, followed literally: each console command runs as a real subprocess (the
installed console script, ffmpeg) in a fresh folder, in the order the page gives, and prints what the
page shows; each file the page gives is written as it says; its Python example runs."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support.engine import ROOT

GUIDE = ROOT / "docs" / "writing-a-pack.md"
# a step: an HTML comment that says what the fenced block after it is, then the block
STEP = re.compile(r"<!-- (exits|file|edit): ([^\n]*?) -->\n```(\w+)\n(.*?)```", re.S)


def _steps() -> list[tuple[str, str, str]]:
    return [(kind, arg, body) for kind, arg, _, body in STEP.findall(GUIDE.read_text(encoding="utf-8"))]


def _commands(body: str) -> list[tuple[str, str]]:
    """(command, the output the page shows) for each ``$ `` line of a console block."""
    found: list[tuple[str, list[str]]] = []
    for line in body.splitlines():
        if line.startswith("$ "):
            found.append((line[2:], []))
        else:
            found[-1][1].append(line)
    return [(command, "".join(f"{line}\n" for line in shown)) for command, shown in found]


def _run(command: str, work: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR", "VIDLINT_CREDENTIALS")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"  # this vidlint first
    env["VIDLINT_CACHE_DIR"] = str(work.parent / "cache")
    return subprocess.run(
        ["bash", "-c", command], cwd=work, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def _write(work: Path, arg: str, body: str) -> None:
    name, _, rest = arg.partition(" ")
    path = work / name
    if rest == "(after its first line)":
        body = path.read_text(encoding="utf-8").splitlines(keepends=True)[0] + body
    else:
        assert not rest, arg
    path.write_text(body, encoding="utf-8")


def _edit(work: Path, name: str, diff: str) -> None:
    """Apply a one-hunk diff the page shows: its context and "-" lines become its context and "+" lines."""
    lines = diff.splitlines()
    before = "".join(line[1:] + "\n" for line in lines if not line.startswith("+"))
    after = "".join(line[1:] + "\n" for line in lines if not line.startswith("-"))
    path = work / name
    text = path.read_text(encoding="utf-8")
    assert text.count(before) == 1, f"the page's diff does not apply to {name}"
    path.write_text(text.replace(before, after), encoding="utf-8")


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="the page makes its clips with ffmpeg")
def test_the_guide_works_as_written(tmp_path: Path) -> None:
    work = tmp_path / "shop"
    work.mkdir()
    steps = _steps()
    assert [kind for kind, _, _ in steps].count("exits") >= 5 and any(kind == "edit" for kind, _, _ in steps)
    ran = 0
    for kind, arg, body in steps:
        if kind == "file":
            _write(work, arg, body)
        elif kind == "edit":
            _edit(work, arg, body)
        else:
            codes = [int(code) for code in arg.split()]
            commands = _commands(body)
            assert len(codes) == len(commands), arg
            for (command, shown), code in zip(commands, codes, strict=True):
                done = _run(command, work)
                assert (done.returncode, done.stdout + done.stderr) == (code, shown), command
                ran += 1
    assert ran >= 9


def test_the_python_example_runs(tmp_path: Path) -> None:
    """The page's Python block, with the pack it builds and a real 4 s clip."""
    text = GUIDE.read_text(encoding="utf-8")
    steps = {arg: body for kind, arg, body in _steps() if kind in ("file", "edit")}
    (tmp_path / "packs").mkdir()
    (tmp_path / "clips").mkdir()
    _write(tmp_path, "packs/bazaarly.toml", "# first line\n")
    _write(
        tmp_path,
        "packs/bazaarly.toml (after its first line)",
        steps["packs/bazaarly.toml (after its first line)"],
    )
    _edit(tmp_path, "packs/bazaarly.toml", steps["packs/bazaarly.toml"])
    shutil.copyfile(ROOT / "sample_media" / "short_4s.mp4", tmp_path / "clips" / "teaser.mp4")
    (code,) = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    last = code.strip().splitlines()[-1]
    statement, _, comment = last.partition("#")
    program = code.replace(last, f"print({statement.strip()})")
    done = subprocess.run(
        [sys.executable, "-c", program], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert done.stdout.strip() == comment.strip(), done.stderr
