"""Bad input gets a clear verdict, never a traceback nor a hang (issue 11): nonsensical overrides,
configuration and pack files that are FIFOs, links to /dev/zero, huge or nested thousands deep,
--meta nested thousands deep, a deleted working folder, and --jobs beyond the open-file limit."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
from pathlib import Path

import pytest
from support.engine import CUSTOM_PACK

from .support import OK_CLIP, SAMPLES, VIDLINT, Cli, Run, copy_sample

ERROR = "vidlint: error: "


def _one_line_error(run: Run | subprocess.CompletedProcess[str]) -> str:
    if isinstance(run, Run):
        code, out, err = run.code, run.out, run.err
    else:
        code, out, err = run.returncode, run.stdout, run.stderr
    assert (code, out) == (2, ""), (code, out, err)
    assert err.startswith(ERROR) and err.count("\n") == 1 and "Traceback" not in err, err
    return err[len(ERROR) : -1]


def _script(*argv: str, cwd: Path, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """The console script, bounded in time: a regression that hangs fails here instead of hanging."""
    command = [VIDLINT, *argv]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False)


@pytest.mark.parametrize(
    ("rule", "table", "message"),
    [
        ("trendyol.duration", "max = nan", "max: must be a finite number, not nan"),
        ("trendyol.duration", "min = -inf", "min: must be a finite number, not -inf"),
        ("trendyol.duration", "max = -1", "max: must be at least 0, not -1"),
        ("trendyol.duration", "min = 200\nmax = 180", "max: must not be less than min (180 < 200)"),
        ("trendyol.duration", "max = 5", "max: must not be less than min (5 < 8)"),  # the pack's min stays
        ("trendyol.size", "max = -1", "max: must be at least 0, not -1"),
        ("samsclub.aspect-ratio", 'target = "16:0"', "target: both sides of the ratio must be above 0"),
        ("samsclub.size", "limit = nan", "limit: must be a finite number, not nan"),
    ],
)
def test_nonsensical_overrides_exit_2_naming_the_rule_and_parameter(
    cli: Cli, isolated: Path, rule: str, table: str, message: str
) -> None:
    (isolated / "vidlint.toml").write_text(f'[overrides."{rule}"]\n{table}\n')
    run = cli("check", str(SAMPLES / OK_CLIP))
    assert _one_line_error(run).startswith(f"{isolated / 'vidlint.toml'}: override {rule}: {message}")


def test_a_pack_file_with_a_nonsensical_limit_exits_2(cli: Cli, isolated: Path) -> None:
    text = CUSTOM_PACK.read_text().replace("min = 1.5, max = 60", "min = 1.5, max = nan")
    assert text != CUSTOM_PACK.read_text()
    (isolated / "shopfast.toml").write_text(text)
    (isolated / "vidlint.toml").write_text('packs = ["shopfast.toml"]\n')
    message = _one_line_error(cli("check", str(SAMPLES / OK_CLIP), "-m", "shopfast"))
    assert message.startswith(f"{isolated / 'shopfast.toml'}: rule shopfast.duration: check: ")
    assert message.endswith("max: must be a finite number, not nan")


def _special(path: Path, kind: str) -> Path:
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "zero":
        path.symlink_to("/dev/zero")
    else:  # a regular file over the 1 MiB cap, of valid TOML
        path.write_text("# padding\n" * 120_000)
    return path


SPECIAL = [("fifo", "a FIFO"), ("zero", "a character device"), ("big", "")]


@pytest.mark.parametrize(("kind", "reason"), SPECIAL)
def test_config_that_is_no_small_regular_file_is_one_line(isolated: Path, kind: str, reason: str) -> None:
    config = _special(isolated / "lint.toml", kind)
    run = _script("check", str(SAMPLES / OK_CLIP), "--config", str(config), cwd=isolated)
    message = _one_line_error(run)
    expected = f"not a regular file ({reason})" if reason else "larger than 1,048,576 bytes"
    assert message == f"{config}: cannot read: {expected}"


@pytest.mark.parametrize("kind", ["fifo", "zero"])
def test_a_found_config_that_is_no_regular_file_is_one_line(isolated: Path, kind: str) -> None:
    config = _special(isolated / "vidlint.toml", kind)
    message = _one_line_error(_script("check", str(SAMPLES / OK_CLIP), cwd=isolated))
    assert message.startswith(f"{config}: cannot read: not a regular file")


@pytest.mark.parametrize(("kind", "reason"), SPECIAL)
def test_a_pack_file_that_is_no_small_regular_file_is_one_line(
    isolated: Path, kind: str, reason: str
) -> None:
    pack = _special(isolated / "mine.toml", kind)
    (isolated / "vidlint.toml").write_text('packs = ["mine.toml"]\n')
    for argv in (["check", str(SAMPLES / OK_CLIP)], ["rules", "list"]):
        message = _one_line_error(_script(*argv, cwd=isolated))
        expected = f"not a regular file ({reason})" if reason else "larger than 1,048,576 bytes"
        assert message == f"{pack}: cannot read rule pack: {expected}"


@pytest.mark.parametrize(("kind", "reason"), SPECIAL)
def test_the_python_api_refuses_the_same_pack_files(isolated: Path, kind: str, reason: str) -> None:
    pack = _special(isolated / "mine.toml", kind)
    code = (
        "import sys, vidlint\n"
        "try:\n"
        "    vidlint.load_pack_file(sys.argv[1])\n"
        "except vidlint.RulePackError as exc:\n"
        "    print(exc)\n"
    )
    python = str(Path(VIDLINT).with_name("python"))
    done = subprocess.run([python, "-c", code, str(pack)], capture_output=True, text=True, timeout=30)
    expected = f"not a regular file ({reason})" if reason else "larger than 1,048,576 bytes"
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == f"{pack}: cannot read rule pack: {expected}\n"


@pytest.mark.parametrize(
    "text",
    [
        "marketplaces = " + "[" * 2000 + "]" * 2000,
        "overrides = " + "{ a = " * 2000 + "1" + " }" * 2000,
    ],
    ids=["arrays", "inline tables"],
)
def test_configuration_nested_2000_deep_is_one_line(cli: Cli, isolated: Path, text: str) -> None:
    (isolated / "vidlint.toml").write_text(text + "\n")
    message = _one_line_error(cli("check", str(SAMPLES / OK_CLIP)))
    assert message.startswith(f"{isolated / 'vidlint.toml'}: ")


def test_a_pack_nested_2000_deep_is_one_line(cli: Cli, isolated: Path) -> None:
    (isolated / "mine.toml").write_text('id = "mine"\nnotes = ' + "[" * 2000 + "]" * 2000 + "\n")
    (isolated / "vidlint.toml").write_text('packs = ["mine.toml"]\n')
    message = _one_line_error(cli("check", str(SAMPLES / OK_CLIP)))
    assert message == f"{isolated / 'mine.toml'}: not valid TOML: nested too deeply"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("[" * 50_000 + "]" * 50_000, "--meta productContentIds: the value is nested too deeply"),
        ("[" * 150 + "]" * 150, "--meta productContentIds: the value is nested too deeply (at most 100)"),
        ('{"a":' * 150 + "1" + "}" * 150, "--meta productContentIds: the value is nested too deeply (at"),
    ],
    ids=["50000", "150 lists", "150 objects"],
)
def test_meta_nested_too_deeply_is_one_line(cli: Cli, value: str, message: str) -> None:
    run = cli("check", str(SAMPLES / OK_CLIP), "-m", "trendyol", "--meta", f"productContentIds={value}")
    assert _one_line_error(run).startswith(message)


def test_meta_a_few_levels_deep_still_works(cli: Cli) -> None:
    run = cli("check", "-m", "ecwid", "--meta", "galleryMedia=" + "[" * 20 + "]" * 20)
    assert run.code in (0, 1) and ERROR not in run.err


def test_a_deleted_working_folder_is_one_line_even_with_absolute_paths(cli: Cli, tmp_path: Path) -> None:
    gone = tmp_path / "gone"
    gone.mkdir()
    os.chdir(gone)  # the fixture's monkeypatch.chdir puts the old folder back afterwards
    gone.rmdir()
    for argv in (
        ["check", str(SAMPLES / OK_CLIP), "-m", "trendyol"],
        ["check", str(SAMPLES / OK_CLIP), "--no-cache"],
        ["probe", str(SAMPLES / OK_CLIP)],
        ["rules", "list"],
    ):
        message = _one_line_error(cli(*argv))
        assert message.startswith("the working folder cannot be used (No such file or directory)")


def test_a_deleted_working_folder_in_a_real_shell(tmp_path: Path) -> None:
    script = f'mkdir gone && cd gone && rmdir ../gone && exec "{VIDLINT}" check "{SAMPLES / OK_CLIP}"'
    done = subprocess.run(["sh", "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=30)
    assert _one_line_error(done).startswith("the working folder cannot be used")


def _low_file_limit(limit: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(limit, soft), hard))


def test_jobs_beyond_the_open_file_limit_are_capped_with_a_warning(isolated: Path) -> None:
    folder = isolated / "many"
    first = copy_sample(OK_CLIP, folder / "c000.mp4")
    for number in range(1, 60):
        os.link(first, folder / f"c{number:03}.mp4")  # 60 files: enough work for 60 workers
    done = subprocess.run(
        [VIDLINT, "check", "many", "--jobs", "200", "--no-cache", "-m", "trendyol", "--quiet"],
        cwd=isolated,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        preexec_fn=lambda: _low_file_limit(64),
    )
    assert done.returncode == 0, done.stderr
    warning = "vidlint: warning: 200 jobs are more than the open-file limit allows: using "
    assert done.stderr.startswith(warning)
    assert done.stderr.count("\n") == 1 and "Errno 24" not in done.stderr
    assert done.stdout.splitlines()[-1].startswith("60 files x 1 marketplace: 60 passed")


def test_jobs_within_the_limit_are_kept_silently(cli: Cli) -> None:
    run = cli("check", str(SAMPLES / OK_CLIP), "--jobs", "2", "-m", "trendyol")
    assert (run.code, run.err) == (0, "")


def test_the_python_api_caps_jobs_too(isolated: Path) -> None:
    shutil.copy(SAMPLES / OK_CLIP, isolated / "a.mp4")
    shutil.copy(SAMPLES / OK_CLIP, isolated / "b.mp4")
    code = (
        "import resource, warnings, vidlint\n"
        "soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)\n"
        "resource.setrlimit(resource.RLIMIT_NOFILE, (64, hard))\n"
        "with warnings.catch_warnings(record=True) as caught:\n"
        "    warnings.simplefilter('always')\n"
        "    reports = list(vidlint.check_many(['a.mp4', 'b.mp4'], ['trendyol'], jobs=500))\n"
        "print([r.passed for r in reports], [str(w.message) for w in caught])\n"
    )
    python = str(Path(VIDLINT).with_name("python"))
    done = subprocess.run([python, "-c", code], cwd=isolated, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    passed, warned = done.stdout.strip().split("] [")
    assert passed == "[True, True"
    assert "vidlint: 500 jobs are more than the open-file limit allows: using " in warned
