"""Which files a run checks: folders walked (video by extension or by content), odd names, hidden
folders, the cache, .vidlintignore and config excludes, caption sidecars, broken and unreadable files."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from vidlint.run.targets import Target, discover, looks_like_video

from .support import OK_CLIP, SAMPLES, VIDLINT, Cli, copy_sample, without_root_powers

ODD_NAMES = (
    "with space.mp4",
    "ünïcödé ürün.mp4",
    "-leading-dash.mp4",
    "new\nline.mp4",
    "50% [off], 'quoted'.mp4",
)


def _results(cli: Cli, *argv: str) -> tuple[int, dict[str, set[str]], str]:
    run = cli("check", *argv, "-m", "samsclub", "--format", "json")
    results = json.loads(run.out)["results"] if run.out else []
    return run.code, {r["path"]: {f["code"] for f in r["findings"]} for r in results}, run.err


def test_odd_file_names_are_checked_and_reported_verbatim(cli: Cli, isolated: Path) -> None:
    for name in ODD_NAMES:
        copy_sample(OK_CLIP, isolated / "odd" / name)
    code, results, err = _results(cli, "odd")
    assert (code, err) == (0, "")
    assert results == {os.path.join("odd", name): set() for name in ODD_NAMES}


def test_odd_names_stay_on_one_line_in_text(cli: Cli, isolated: Path) -> None:
    copy_sample(OK_CLIP, isolated / "new\nline.mp4")
    run = cli("check", "-m", "trendyol,samsclub,akinon", "new\nline.mp4")
    assert (run.code, run.err) == (0, "")
    assert "new\\nline.mp4" in run.out and "new\nline" not in run.out


def test_a_leading_dash_name_after_double_dash(cli: Cli, isolated: Path) -> None:
    copy_sample("dur_7s.mp4", isolated / "-7s.mp4")
    run = cli("check", "-m", "trendyol", "--", "-7s.mp4")
    assert (run.code, run.err) == (1, "")
    assert run.out.startswith("-7s.mp4\n  trendyol  FAIL\n")


def test_broken_files_fail_without_stopping_the_run(cli: Cli, isolated: Path) -> None:
    folder = isolated / "mixed"
    copy_sample(OK_CLIP, folder / "good.mp4")
    (folder / "empty.mp4").write_bytes(b"")
    (folder / "garbage.mp4").write_bytes(bytes(range(256)) * 64)
    (folder / "dangling.mp4").symlink_to(folder / "gone.mp4")
    os.mkfifo(folder / "fifo.mov")
    code, results, err = _results(cli, "mixed")
    assert (code, err) == (1, "")
    assert results == {
        "mixed/good.mp4": set(),
        "mixed/empty.mp4": {"E_FILE_FORMAT"},
        "mixed/garbage.mp4": {"E_FILE_FORMAT"},
        "mixed/dangling.mp4": {"vidlint.unreadable"},
        "mixed/fifo.mov": {"vidlint.unreadable"},
    }


def test_a_file_without_read_permission_is_unreadable(isolated: Path) -> None:
    locked = copy_sample(OK_CLIP, isolated / "locked" / "locked.mp4")
    copy_sample(OK_CLIP, isolated / "locked" / "open.mp4")
    locked.chmod(0)
    command = [*without_root_powers(), VIDLINT, "check", "locked", "-m", "samsclub", "--format", "json"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    results = {r["path"]: [f["code"] for f in r["findings"]] for r in json.loads(done.stdout)["results"]}
    assert (done.returncode, done.stderr) == (1, "")
    assert results == {"locked/locked.mp4": ["vidlint.unreadable"], "locked/open.mp4": []}


def test_videos_are_found_by_content_too_and_other_files_are_left_alone(isolated: Path) -> None:
    copy_sample(OK_CLIP, isolated / "tree" / "no_extension")
    copy_sample("vp9_in_webm_10s.webm", isolated / "tree" / "clip.bin")
    copy_sample(OK_CLIP, isolated / "tree" / "UPPER.MOV")
    (isolated / "tree" / "notes.txt").write_text("not a video")
    (isolated / "tree" / "data.bin").write_bytes(b"\x00" * 300)
    copy_sample("images/ok.png", isolated / "tree" / "poster.png")
    found = discover(["tree"])
    assert [t.source for t in found.targets] == ["tree/UPPER.MOV", "tree/clip.bin", "tree/no_extension"]
    assert looks_like_video(isolated / "tree" / "no_extension")
    assert not looks_like_video(isolated / "tree" / "data.bin")


def test_hidden_folders_and_the_cache_are_skipped(cli: Cli, isolated: Path, cache_dir: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    copy_sample(OK_CLIP, isolated / "shown.mp4")
    copy_sample("empty.mp4", isolated / ".git" / "hidden.mp4")
    copy_sample("empty.mp4", isolated / "sub" / ".thumbs" / "hidden.mp4")
    copy_sample("empty.mp4", isolated / "._shown.mp4")  # a macOS resource fork, hidden
    inside = isolated / "cache-in-tree"
    copy_sample("empty.mp4", inside / "stale.mp4")
    monkeypatch.setenv("VIDLINT_CACHE_DIR", str(inside))
    code, results, err = _results(cli)  # no path: the current folder
    assert (code, err) == (0, "")
    assert results == {"shown.mp4": set()}


def test_vidlintignore_and_config_exclude_are_honoured(cli: Cli, isolated: Path) -> None:
    copy_sample(OK_CLIP, isolated / "clips" / "keep.mp4")
    for skipped in ("clips/drafts/a.mp4", "clips/b.skip.mp4", "clips/old/c.mp4", "clips/deep/er/d.mp4"):
        copy_sample("empty.mp4", isolated / skipped)
    (isolated / "clips" / ".vidlintignore").write_text("# drafts are not uploaded\ndrafts/\n*.skip.mp4\n")
    (isolated / "clips" / "deep" / ".vidlintignore").write_text("er/*.mp4\n")
    (isolated / "vidlint.toml").write_text('exclude = ["clips/old/*"]\n')
    code, results, err = _results(cli, "clips")
    assert (code, err) == (0, "")
    assert results == {"clips/keep.mp4": set()}
    # an explicit file (as pre-commit passes them) honours the same ignore rules
    explicit = _results(cli, "clips/drafts/a.mp4", "clips/old/c.mp4")
    assert explicit == (0, {}, "vidlint: warning: no video files found\n")


def test_captions_travel_with_their_video(cli: Cli, isolated: Path) -> None:
    copy_sample("captioned_badcap.mp4", isolated / "cap" / "clip.mp4")
    copy_sample("captioned_badcap.vtt", isolated / "cap" / "clip.vtt")
    copy_sample("captions/good.srt", isolated / "cap" / "alone.srt")
    folder = _results(cli, "cap")
    by_caption = _results(cli, "cap/clip.vtt")  # a staged caption brings in its video
    assert folder == by_caption == (1, {"cap/clip.mp4": {"E_CAPTION_FORMAT"}}, "")


def test_a_lone_caption_is_checked_alone_with_the_caption_rules(cli: Cli, isolated: Path) -> None:
    copy_sample("captions/good.srt", isolated / "alone.srt")
    copy_sample("captions/broken.srt", isolated / "broken.srt")
    assert _results(cli, "alone.srt") == (0, {"alone.srt": set()}, "")
    run = cli("check", "broken.srt", "-m", "samsclub")
    assert (run.code, run.err) == (1, "")
    assert run.out.startswith("broken.srt\n  samsclub  FAIL\n    error   E_CAPTION_FORMAT [samsclub.caption]")
    assert "line 2: expected a cue number, then a time range like 00:00:01,000 --> 00:00:02,000" in run.out


def test_a_caption_named_with_its_video_judges_both(cli: Cli, isolated: Path) -> None:
    copy_sample("captioned_good.mp4", isolated / "clip.mp4")
    caption = isolated / "clip.srt"
    caption.write_text("1\n00:00:01,000 --> 00:00:02,000\nFirst.\n\n2\n00:00:03 --> soon\nSecond.\n")
    run = cli("check", "clip.srt", "-m", "samsclub", "--format", "json")
    (result,) = json.loads(run.out)["results"]
    assert (run.code, run.err, result["path"], result["caption"]) == (1, "", "clip.mp4", "clip.srt")
    (finding,) = result["findings"]
    assert (finding["code"], finding["location"]) == ("E_CAPTION_FORMAT", "clip.srt")
    assert finding["actual"] == (
        "does not parse: line 6: expected a cue number, then a time range like 00:00:01,000 --> 00:00:02,000"
    )


def test_caption_option_applies_to_the_single_video(cli: Cli, isolated: Path) -> None:
    clip = copy_sample("captioned_good.mp4", isolated / "clip.mp4")
    broken = copy_sample("captions/broken.srt", isolated / "subs" / "broken.srt")
    good = copy_sample("captions/good.vtt", isolated / "subs" / "good.vtt")
    assert _results(cli, str(clip), "--caption", str(broken)) == (1, {str(clip): {"E_CAPTION_FORMAT"}}, "")
    assert _results(cli, str(clip), "--caption", str(good)) == (0, {str(clip): set()}, "")


def test_the_same_file_twice_is_checked_once(isolated: Path) -> None:
    copy_sample(OK_CLIP, isolated / "a" / "x.mp4")
    found = discover(["a", "a/x.mp4", "a"])
    assert found.targets == (Target("a/x.mp4"),)


def test_urls_pass_through_discovery_untouched() -> None:
    found = discover(["https://cdn.example.com/v.mp4", str(SAMPLES / OK_CLIP)])
    assert [t.is_url for t in found.targets] == [True, False]


def test_a_url_is_judged_by_its_marketplace_rules(cli: Cli) -> None:
    run = cli("check", "ftp://cdn.example.com/kettle.mp4", "-m", "trendyol", "--format", "json")
    findings = json.loads(run.out)["results"][0]["findings"]
    assert (run.code, run.err) == (1, "")
    assert [f["code"] for f in findings] == ["seller.integration.video.url.invalid"]


def test_a_video_named_twice_in_different_spellings_is_checked_once(isolated: Path) -> None:
    copy_sample(OK_CLIP, isolated / "v" / "clip.mp4")
    copy_sample("captions/good.srt", isolated / "v" / "clip.srt")
    found = discover(["v/clip.mp4", "./v/clip.mp4", "v/clip.srt", "v/../v/clip.mp4"])
    assert found.targets == (Target("v/clip.mp4"),)
