"""Marketplaces that judge only the request (Ecwid, Shoplive): checked without a path, from --meta or
--meta-file; a local file given to them alone is a usage error, never a silent pass."""

from __future__ import annotations

import json
from pathlib import Path

from .support import OK_CLIP, SAMPLES, Cli


def test_the_request_alone_is_checked_without_walking_the_folder(cli: Cli, isolated: Path) -> None:
    (isolated / "not-a-target.mp4").write_bytes((SAMPLES / OK_CLIP).read_bytes())
    run = cli("check", "-m", "ecwid", "--meta", "galleryMedia=[]", "--format", "json")
    assert (run.code, run.err) in ((0, ""), (1, ""))
    document = json.loads(run.out)
    assert [(r["path"], r["marketplace"]) for r in document["results"]] == [("<request>", "ecwid")]


def test_a_meta_file_is_the_request_body(cli: Cli, isolated: Path) -> None:
    (isolated / "body.json").write_text(json.dumps({"galleryMedia": []}))
    from_file = cli("check", "-m", "ecwid", "--meta-file", "body.json", "--format", "json")
    inline = cli("check", "-m", "ecwid", "--meta", "galleryMedia=[]", "--format", "json")
    assert (from_file.code, from_file.err) == (inline.code, "")
    assert json.loads(from_file.out)["results"] == json.loads(inline.out)["results"]


def test_a_meta_file_that_is_no_json_object_is_a_usage_error(cli: Cli, isolated: Path) -> None:
    (isolated / "list.json").write_text("[1, 2]")
    (isolated / "broken.json").write_text('{"a": [1,\n 2}')
    listed = cli("check", "-m", "ecwid", "--meta-file", "list.json")
    broken = cli("check", "-m", "ecwid", "--meta-file", "broken.json")
    assert (listed.code, listed.out, listed.err) == (
        2,
        "",
        "vidlint: error: --meta-file list.json: expected a JSON object, got list\n",
    )
    assert (broken.code, broken.out) == (2, "")
    assert broken.err.startswith("vidlint: error: --meta-file broken.json: not valid JSON: ")
    assert "line 2 column 3" in broken.err


def test_a_local_file_for_a_marketplace_that_takes_none_is_a_usage_error(cli: Cli) -> None:
    run = cli("check", str(SAMPLES / OK_CLIP), "-m", "shoplive")
    assert (run.code, run.out) == (2, "")
    assert run.err.startswith("vidlint: error: shoplive judges no files, only the request")


def test_no_request_for_a_request_only_marketplace_is_a_usage_error(cli: Cli) -> None:
    run = cli("check", "-m", "ecwid")
    assert (run.code, run.out) == (2, "")
    assert run.err.startswith("vidlint: error: ecwid judges only the request")


def test_a_request_only_marketplace_beside_file_ones_is_a_warning(cli: Cli) -> None:
    run = cli("check", str(SAMPLES / OK_CLIP), "-m", "samsclub,ecwid", "--format", "json")
    assert run.code == 0
    assert (
        run.err
        == "vidlint: warning: ecwid judges no files: only the request (--meta) is checked against it\n"
    )
