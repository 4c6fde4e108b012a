""".vidlintignore and ``exclude`` are gitignore patterns (pathspec's GitIgnoreSpec), compiled once per
run; an ignore file that is no small regular file is a warning, never a hang (issue 11)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pathspec
import pytest
from support.media import SAMPLES

from vidlint.cli.app import main
from vidlint.run.targets import discover

CLIP = SAMPLES / "ok_h264_aac_1080p_10s.mp4"
VIDLINT = str(Path(sys.executable).with_name("vidlint"))


@pytest.fixture(autouse=True)
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    monkeypatch.setenv("VIDLINT_CACHE_DIR", str(tmp_path / "cache"))
    return folder


def _clips(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            os.link(CLIP, path)  # the same real clip under many names, without copying it


def _found(*paths: str) -> list[str]:
    return [t.source for t in discover(list(paths)).targets]


def test_negation_keeps_a_file_back(work: Path) -> None:
    _clips(work, "clips/a.mp4", "clips/keep.mp4", "clips/sub/keep.mp4", "clips/sub/b.mp4")
    (work / "clips" / ".vidlintignore").write_text("*.mp4\n!keep.mp4\n")
    assert _found("clips") == ["clips/keep.mp4", "clips/sub/keep.mp4"]
    assert _found("clips/a.mp4", "clips/keep.mp4", "clips/sub/b.mp4") == ["clips/keep.mp4"]  # pre-commit


def test_a_top_level_double_star_matches_at_every_depth_and_the_top(work: Path) -> None:
    _clips(work, "x/a.mp4", "deep/er/x/b.mp4", "deep/y.mp4", "xx/c.mp4")
    (work / ".vidlintignore").write_text("**/x\n")
    assert _found(".") == ["deep/y.mp4", "xx/c.mp4"]
    assert _found("x/a.mp4", "deep/er/x/b.mp4", "deep/y.mp4") == ["deep/y.mp4"]


def test_a_deeper_ignore_file_wins_and_an_ignored_folder_stays_ignored(work: Path) -> None:
    _clips(work, "a.mov", "sub/a.mov", "sub/special.mov", "drafts/special.mov")
    (work / ".vidlintignore").write_text("*.mov\ndrafts/\n")
    (work / "sub" / ".vidlintignore").write_text("!special.mov\n")
    (work / "drafts" / ".vidlintignore").write_text("!special.mov\n")  # git never looks inside drafts/
    assert _found(".") == ["sub/special.mov"]
    assert _found("drafts/special.mov", "sub/special.mov", "a.mov") == ["sub/special.mov"]


def test_anchored_and_folder_only_patterns(work: Path) -> None:
    _clips(work, "top.mp4", "sub/top.mp4", "renders/r.mp4", "file/renders", "sub/renders/s.mp4")
    (work / ".vidlintignore").write_text("/top.mp4\nrenders/\n# a comment\n\n")
    assert _found(".") == ["file/renders", "sub/top.mp4"]  # "renders/" matches folders, not the file


def test_config_exclude_is_gitignore_patterns_relative_to_its_file(work: Path) -> None:
    _clips(work, "clips/old/c.mp4", "clips/old/keep.mp4", "clips/new.mp4", "drafts/d/e.mp4")
    (work / "vidlint.toml").write_text('exclude = ["clips/old/*", "!clips/old/keep.mp4", "drafts/**"]\n')
    done = subprocess.run([VIDLINT, "check", "-m", "trendyol", "--format", "json"], capture_output=True,
                          text=True, timeout=60, check=False)  # fmt: skip
    assert (done.returncode, done.stderr) == (0, "")
    assert [r["path"] for r in json.loads(done.stdout)["results"]] == ["clips/new.mp4", "clips/old/keep.mp4"]


def test_a_bad_exclude_pattern_is_a_configuration_error(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _clips(work, "a.mp4")
    (work / "vidlint.toml").write_text('exclude = ["!"]\n')
    code = main(["check", "-m", "trendyol"])
    error = "vidlint: error: exclude: line 1: not a valid pattern: '!'\n"
    assert (code, capsys.readouterr().err) == (2, error)


def test_a_bad_line_in_an_ignore_file_is_a_warning_and_the_rest_applies(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _clips(work, "clips/a.mp4", "clips/b.mov")
    (work / "clips" / ".vidlintignore").write_text("*.mov\n!\n")
    found = discover(["clips"])
    assert [t.source for t in found.targets] == ["clips/a.mp4"]
    assert found.warnings == ("clips/.vidlintignore: line 2: not a valid pattern: '!'; skipped",)


def test_fifty_thousand_patterns_are_compiled_once(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The issue's 50,000-line ignore file cost ~7 s for every path (fnmatch recompiling each pattern);
    compiled once, a folder of files costs about the compilation."""
    names = [f"clips/part{number // 10}/c{number}.mp4" for number in range(40)]
    _clips(work, *names, "clips/skip/x.mp4")
    lines = [f"renders/{number}/*.mp4" for number in range(25_000)] + [f"*.tmp{n}" for n in range(24_999)]
    (work / "clips" / ".vidlintignore").write_text("\n".join([*lines, "skip/"]) + "\n")
    compiled: list[int] = []
    real = pathspec.GitIgnoreSpec.from_lines.__func__  # type: ignore[attr-defined]

    def counting(cls: type[pathspec.GitIgnoreSpec], lines: list[str]) -> pathspec.GitIgnoreSpec:
        compiled.append(len(lines))
        return real(cls, lines)  # type: ignore[no-any-return]

    monkeypatch.setattr(pathspec.GitIgnoreSpec, "from_lines", classmethod(counting))
    started = time.monotonic()
    # a folder walked, and every file named one by one (as pre-commit does), in one run
    found = discover(["clips", *names, "clips/skip/x.mp4"])
    elapsed = time.monotonic() - started
    assert sorted(t.source for t in found.targets) == sorted(names) and found.warnings == ()
    assert compiled == [50_000]  # once per run, never once per path
    assert elapsed < 20, elapsed


SPECIAL = [("fifo", "a FIFO"), ("zero", "a character device"), ("big", "")]


@pytest.mark.parametrize(("kind", "reason"), SPECIAL)
def test_an_ignore_file_that_is_no_small_regular_file_is_a_warning(
    work: Path, kind: str, reason: str
) -> None:
    _clips(work, "tree/sub/a.mp4")
    ignore = work / "tree" / "sub" / ".vidlintignore"
    if kind == "fifo":
        os.mkfifo(ignore)
    elif kind == "zero":
        ignore.symlink_to("/dev/zero")
    else:
        ignore.write_text("# padding\n" * 120_000)
    command = [VIDLINT, "check", "tree", "-m", "trendyol", "--format", "json"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)  # no hang
    why = f"not a regular file ({reason})" if reason else "larger than 1,048,576 bytes"
    warning = f"tree/sub/.vidlintignore: cannot read ({why}); its patterns are not applied"
    assert done.stderr == f"vidlint: warning: {warning}\n"
    assert done.returncode == 0
    assert [r["path"] for r in json.loads(done.stdout)["results"]] == ["tree/sub/a.mp4"]
