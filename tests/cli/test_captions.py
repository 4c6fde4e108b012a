"""Captions as a user sees them: which caption went with each video, and findings of the caption rules
located at the caption file (GitHub annotations, SARIF), while JSON's ``path`` stays the video."""

from __future__ import annotations

import json
from pathlib import Path

from .support import Cli, copy_sample


def _badcap(folder: Path) -> None:
    copy_sample("captioned_badcap.mp4", folder / "clip.mp4")
    copy_sample("captioned_badcap.vtt", folder / "clip.vtt")


def test_text_names_the_caption_under_its_video(cli: Cli, isolated: Path) -> None:
    _badcap(isolated / "cap")
    copy_sample("captioned_good.mp4", isolated / "good" / "clip.mp4")
    copy_sample("captioned_good.srt", isolated / "good" / "clip.srt")
    copy_sample("captioned_good.mp4", isolated / "bare.mp4")
    run = cli("check", "cap", "good", "bare.mp4", "-m", "samsclub")
    assert (run.code, run.err) == (1, "")
    assert run.out.startswith("cap/clip.mp4\n  caption: cap/clip.vtt\n  samsclub  FAIL\n")
    assert "\ngood/clip.mp4\n  caption: good/clip.srt\n  samsclub  pass\n" in run.out
    assert "\nbare.mp4\n  samsclub  pass\n" in run.out


def test_json_has_the_caption_and_the_finding_location(cli: Cli, isolated: Path) -> None:
    _badcap(isolated)
    copy_sample("captioned_good.mp4", isolated / "bare.mp4")
    run = cli("check", "clip.mp4", "bare.mp4", "-m", "samsclub", "--format", "json")
    assert (run.code, run.err) == (1, "")
    first, second = json.loads(run.out)["results"]
    assert (first["path"], first["caption"], second["path"], second["caption"]) == (
        "clip.mp4",
        "clip.vtt",
        "bare.mp4",
        None,
    )
    assert [(f["code"], f["location"]) for f in first["findings"]] == [("E_CAPTION_FORMAT", "clip.vtt")]


def test_github_annotations_point_at_the_caption_file(cli: Cli, isolated: Path) -> None:
    _badcap(isolated)
    copy_sample("hd720_10s.mp4", isolated / "small.mp4")
    run = cli("check", "clip.vtt", "small.mp4", "-m", "samsclub", "--format", "github")
    assert (run.code, run.err) == (1, "")
    lines = run.out.splitlines()
    assert [line.split("::")[1] for line in lines] == [
        "error file=clip.vtt,title=samsclub / E_CAPTION_FORMAT",
        "error file=small.mp4,title=samsclub / E_MIN_PIXEL",
    ]
    assert "no WebVTT signature" in lines[0]


def test_sarif_results_are_located_at_the_caption_file(cli: Cli, isolated: Path) -> None:
    _badcap(isolated)
    run = cli("check", "clip.mp4", "-m", "samsclub", "--format", "sarif")
    assert (run.code, run.err) == (1, "")
    (sarif_run,) = json.loads(run.out)["runs"]
    (result,) = sarif_run["results"]
    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert (result["ruleId"], uri) == ("E_CAPTION_FORMAT", "clip.vtt")
    assert [a["location"]["uri"] for a in sarif_run["artifacts"]] == ["clip.mp4", "clip.vtt"]


def test_a_given_caption_finding_is_located_at_it(cli: Cli, isolated: Path) -> None:
    copy_sample("captioned_good.mp4", isolated / "clip.mp4")
    (isolated / "clip.srt").mkdir()  # not pairable: a folder is never a sidecar
    (isolated / "subs.srt").write_bytes(b"\xff\xfe1\x00")  # UTF-16: a finding, not a parser's complaint
    run = cli("check", "clip.mp4", "--caption", "subs.srt", "-m", "samsclub", "--format", "github")
    assert (run.code, run.err) == (1, "")
    (line,) = run.out.splitlines()
    assert line.startswith("::error file=subs.srt,title=samsclub / E_CAPTION_FORMAT::")
    assert "UTF-16 text: captions must be UTF-8" in line
