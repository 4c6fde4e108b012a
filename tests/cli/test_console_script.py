"""The installed ``vidlint`` console script in real subprocesses: piped and terminal output, start-up
imports, ``vidlint probe`` and ``vidlint rules``."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
import tomllib
from pathlib import Path

import vidlint
from vidlint.run.targets import discover

from .support import OK_CLIP, SAMPLES, VIDLINT, Cli, copy_sample

EXPECTED_FACTS = tomllib.loads((SAMPLES / "expected.toml").read_text(encoding="utf-8"))["files"]
HEAVY = ("rich", "httpx", "PIL", "pymediainfo", "magic", "pebble", "pydantic")


def _script(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([VIDLINT, *argv], capture_output=True, text=True, timeout=120, check=False)


def test_version() -> None:
    done = _script("--version")
    assert (done.returncode, done.stdout, done.stderr) == (0, f"vidlint {vidlint.__version__}\n", "")


def test_piped_folder_check_is_plain_json(tmp_path: Path) -> None:
    done = _script("check", str(SAMPLES), "-m", "samsclub", "--format", "json", "--jobs", "2")
    document = json.loads(done.stdout)
    assert (done.returncode, done.stderr) == (1, "")
    names = {Path(r["path"]).name for r in document["results"]}
    assert OK_CLIP in names and not any(n.endswith((".srt", ".vtt", ".png", ".toml", ".py")) for n in names)
    assert "\x1b[" not in done.stdout


def test_jobs_do_not_change_the_verdicts() -> None:
    one = _script("check", str(SAMPLES), "--format", "json", "--jobs", "1", "--no-cache")
    two = _script("check", str(SAMPLES), "--format", "json", "--jobs", "2", "--no-cache")
    assert (one.returncode, one.stderr, two.returncode, two.stderr) == (1, "", 1, "")
    assert json.loads(one.stdout) == json.loads(two.stdout)


def _on_a_terminal(*argv: str) -> tuple[int, str]:
    """Run the script with stdout and stderr on a pseudo-terminal; returns the exit code and the screen."""
    controller, terminal = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "200"}
    env.pop("NO_COLOR", None)
    with subprocess.Popen([VIDLINT, *argv], stdout=terminal, stderr=terminal, env=env) as process:
        os.close(terminal)
        chunks = []
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        code = process.wait(timeout=60)
    os.close(controller)
    return code, b"".join(chunks).decode("utf-8", "replace")


def test_a_terminal_gets_colour() -> None:
    code, screen = _on_a_terminal("check", str(SAMPLES / "dur_7s.mp4"), "-m", "trendyol")
    assert code == 1
    assert "\x1b[" in screen and "seller.integration.video.duration.invalid" in screen


def test_a_long_run_on_a_terminal_shows_progress() -> None:
    total = len(discover([str(SAMPLES)]).targets)
    code, screen = _on_a_terminal("check", str(SAMPLES), "-m", "samsclub", "--no-cache")
    assert code == 1 and total >= 20
    assert "checking" in screen and f"/{total}" in screen  # rich's "done/total" column, on stderr


LOADED = f"print(','.join(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)\n"


def test_start_up_imports_stay_lean() -> None:
    """Parsing arguments loads none of the heavy libraries; a single-file check without configuration
    loads no output or network library it does not use, nor pydantic (the packs come compiled), and the
    probe's native libraries live in its worker process."""
    code = (
        f"import sys\nfrom vidlint.cli.app import main\nmain(['--version'])\n{LOADED}"
        f"main(['check', {str(SAMPLES / OK_CLIP)!r}, '-m', 'samsclub', '--no-cache'])\n{LOADED}"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    after_version, after_check = done.stderr.splitlines()[-2:]
    assert after_version == ""
    assert after_check == ""


def test_facts_and_reports_need_no_pydantic(tmp_path: Path) -> None:
    """The value types are plain dataclasses: building, printing and caching them loads no pydantic
    (only validating data from outside does)."""
    code = (
        "import sys\nfrom pathlib import Path\n"
        "from vidlint.model.facts import MediaFacts, VideoTrack, as_data\n"
        "from vidlint.model.report import Report\n"
        "from vidlint.run.cache import ReportCache\nfrom vidlint.reporters.facts import render_json\n"
        "from vidlint.reporters import write\n"
        "track = VideoTrack(codec='h264', stored_width=2, stored_height=2)\n"
        "facts = MediaFacts(path='a', size_bytes=1, extension='', kind='video', video=(track,))\n"
        "report = Report(source='a', marketplace='m', facts=facts)\n"
        "render_json([facts]); as_data(report); write('json', [report], sys.stdout)\n"
        f"cache = ReportCache(Path({str(tmp_path)!r}))\n"
        "cache.put_many([('k', report)]); assert cache.get_many(['k'])['k'].passed\n"
        "print('pydantic' in sys.modules, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stderr == "False\n"


def test_a_check_answered_by_the_cache_loads_no_heavy_library(tmp_path: Path) -> None:
    """A second run over unchanged files needs neither pydantic nor the rule packs: the same page."""
    clip = copy_sample(OK_CLIP, tmp_path / "clip.mp4")
    check = f"main(['check', {str(clip)!r}, '-m', 'samsclub'])"
    code = f"import sys\nfrom vidlint.cli.app import main\n{check}\n{LOADED}"
    env = {**os.environ, "VIDLINT_CACHE_DIR": str(tmp_path / "cache")}
    runs = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env)
        for _ in range(2)
    ]
    assert [run.stderr for run in runs] == ["\n", "\n"]  # no warning either
    pages = [run.stdout.rpartition("; ") for run in runs]
    assert pages[0][0] == pages[1][0] and "samsclub  pass" in pages[0][0]
    assert (pages[0][2], pages[1][2]) == ("1 probed, 0 from cache\n", "0 probed, 1 from cache\n")


def test_probe_prints_the_facts(cli: Cli) -> None:
    names = ["rotated_90_10s.mp4", "anamorphic_1440x1080_sar4-3_10s.mp4", "empty.mp4"]
    run = cli("probe", *(str(SAMPLES / n) for n in names), "--format", "json")
    document = json.loads(run.out)
    assert (run.code, run.err, document["vidlint"]) == (0, "", vidlint.__version__)
    for name, facts in zip(names, document["facts"], strict=True):
        expected = EXPECTED_FACTS[name]
        assert facts["kind"] == expected["kind"]
        for track_key in ("stored_width", "stored_height", "rotation_cw", "display_width", "display_height"):
            if track_key in expected:
                assert facts["video"][0][track_key] == expected[track_key], (name, track_key)
    text = cli("probe", str(SAMPLES / "rotated_90_10s.mp4"))
    assert (text.code, text.err) == (0, "")
    assert "  video.0.rotation_cw: 90" in text.out.splitlines()
    assert "  kind: video" in text.out.splitlines()


def test_probe_of_a_folder_and_of_an_unreadable_path(cli: Cli, isolated: Path) -> None:
    copy_sample("hd720_10s.mp4", isolated / "folder" / "clip.mp4")
    copy_sample("captions/good.srt", isolated / "folder" / "clip.srt")
    os.mkfifo(isolated / "pipe.mp4")
    run = cli("probe", "folder", "pipe.mp4", str(SAMPLES / "captions" / "good.srt"))
    assert run.code == 1
    assert run.err.startswith("vidlint: error: ") and "pipe.mp4" in run.err and run.err.count("\n") == 1
    blocks = run.out.split("\n\n")
    names = [block.splitlines()[0] for block in blocks]
    assert names == ["folder/clip.mp4", str(SAMPLES / "captions/good.srt")]
    assert "  video.0.stored_width: 1280" in blocks[0] and "  kind: caption" in blocks[1]


def test_rules_list_and_show(cli: Cli) -> None:
    listed = cli("rules", "list", "-m", "samsclub")
    shown = cli("rules", "show", "samsclub.aspect-ratio")
    assert (listed.code, listed.err, shown.code, shown.err) == (0, "", 0, "")
    for code in ("E_ASPECT_RATIO", "E_MIN_PIXEL", "E_DURATION"):
        assert code in listed.out
    assert "seller.integration" not in listed.out
    assert "E_ASPECT_RATIO" in shown.out and "developer.walmart.com/advertising-partners-search" in shown.out


def test_rules_show_uses_the_configured_overrides(cli: Cli, isolated: Path) -> None:
    (isolated / "vidlint.toml").write_text('[overrides."samsclub.duration"]\nmax = 60\n')
    shown = cli("rules", "show", "samsclub.duration")
    assert (shown.code, shown.err) == (0, "")
    assert "5-60 s" in shown.out


def test_collection_is_back_on_once_start_up_is_over() -> None:
    """The console script turns the cyclic collector off while a check starts (what start-up builds
    lives until exit); a long run must not go without it."""
    code = (
        "import gc, sys\nfrom vidlint.cli import app as cli\nreal_main = cli.main\n"
        "def main():\n"
        "    print(gc.isenabled(), file=sys.stderr)\n"
        "    code = real_main()\n"
        "    print(gc.isenabled(), file=sys.stderr)\n"
        "    return code\n"
        "cli.main = main\n"
        f"sys.argv = ['vidlint', 'check', {str(SAMPLES / OK_CLIP)!r}, '-m', 'samsclub', '--no-cache']\n"
        "cli.run()"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stderr.split() == ["False", "True"], done.stderr


def test_a_check_answered_by_the_cache_loads_no_check_kind(tmp_path: Path) -> None:
    """The cached run reads verdicts and the stored setup's digests: the check kinds (and their ~30 classes)
    are for runs that evaluate."""
    clip = copy_sample(OK_CLIP, tmp_path / "clip.mp4")
    code = (
        "import sys\nfrom vidlint.cli.app import main\n"
        f"main(['check', {str(clip)!r}, '-m', 'samsclub'])\n"
        "print('vidlint.checks' in sys.modules, file=sys.stderr)\n"
    )
    env = {**os.environ, "VIDLINT_CACHE_DIR": str(tmp_path / "cache")}
    runs = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env)
        for _ in range(2)
    ]
    assert [run.stderr for run in runs] == ["True\n", "False\n"]
