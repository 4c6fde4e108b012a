"""`vidlint pack new` and `vidlint pack test`: real files, main() in process, and the console script
as a subprocess for the round trip a user makes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from vidlint.errors import RulePackError
from vidlint.packs.builtin import compiled_text, pack_ids
from vidlint.packs.loader import load_pack_file

from .support import VIDLINT, Cli, copy_sample


def _new(cli: Cli, folder: Path, pack_id: str = "acme-video") -> tuple[Path, Path]:
    run = cli("pack", "new", pack_id, "--dir", str(folder))
    assert run.code == 0, run.err
    return folder / f"{pack_id}.toml", folder / f"{pack_id}.cases.toml"


def test_new_writes_a_valid_commented_pack_whose_cases_pass(cli: Cli, isolated: Path) -> None:
    pack_file, case_file = _new(cli, isolated / "packs")
    text = pack_file.read_text(encoding="utf-8")
    assert text.startswith("#:schema file://") and text.splitlines()[0].endswith("/pack.schema.json")
    assert Path(text.splitlines()[0].removeprefix("#:schema file://")).is_file()
    pack = load_pack_file(pack_file)
    assert pack.id == "acme-video" and pack.name == "Acme Video" and pack.document is None
    kinds = {rule.kind for rule in pack.rules}
    assert kinds >= {"extension_content_match", "max", "between", "min_dimensions", "in_set"}
    assert all(rule.code.startswith("ACME_VIDEO_") and rule.provenance is None for rule in pack.rules)
    assert sum(line.lstrip().startswith("#") for line in text.splitlines()) >= 10  # commented
    run = cli("pack", "test", str(pack_file))
    assert run.code == 0, run.out + run.err
    assert run.out.strip().endswith("12 passed, 0 failed") and str(case_file) in run.out


def test_new_never_overwrites(cli: Cli, isolated: Path) -> None:
    pack_file, case_file = _new(cli, isolated)
    case_file.write_text("# mine\n", encoding="utf-8")
    pack_file.unlink()
    run = cli("pack", "new", "acme-video", "--dir", str(isolated))
    assert run.code == 2 and run.err.count("\n") == 1 and "already exists" in run.err
    assert not pack_file.exists() and case_file.read_text(encoding="utf-8") == "# mine\n"


@pytest.mark.parametrize(
    ("pack_id", "message"),
    [("Acme", "lower-case letters"), ("_x", "lower-case letters"), ("a b", "lower-case letters"),
     (pack_ids()[0], "is a built-in marketplace")],
)  # fmt: skip
def test_new_refuses_an_id_a_pack_cannot_have(cli: Cli, isolated: Path, pack_id: str, message: str) -> None:
    run = cli("pack", "new", pack_id)
    assert run.code == 2 and message in run.err and run.err.count("\n") == 1
    assert list(isolated.iterdir()) == []


def test_a_failing_case_shows_expected_got_and_the_values(cli: Cli, isolated: Path) -> None:
    pack_file, _ = _new(cli, isolated)
    text = pack_file.read_text(encoding="utf-8").replace(
        "params = { min = 3, max = 60 }", "params = { min = 5, max = 60 }"
    )
    pack_file.write_text(text, encoding="utf-8")
    run = cli("pack", "test", str(pack_file))
    assert run.code == 1, run.err
    assert "FAIL 3 s is long enough\n  expected: (no finding)\n  got:      ACME_VIDEO_DURATION\n" in run.out
    assert "(expected 5-60 s, actual 3 s)" in run.out
    assert run.out.strip().endswith("11 passed, 1 failed")


def test_a_pack_with_several_mistakes_reports_all_of_them(cli: Cli, isolated: Path) -> None:
    pack_file, _ = _new(cli, isolated)
    text = pack_file.read_text(encoding="utf-8")
    for old, new in [
        ('kind = "between"', 'kind = "betwen"'),
        ('code = "ACME_VIDEO_FILE_SIZE"', 'code = "ACME_VIDEO_FORMAT"'),
        ('basis = "oriented"', 'basis = "rotated"'),
        ('id = "acme-video.video-codec"', 'id = "acme.video-codec"'),
    ]:
        assert old in text
        text = text.replace(old, new)
    pack_file.write_text(text, encoding="utf-8")
    run = cli("pack", "test", str(pack_file))
    assert run.code == 2 and run.out == ""
    lines = run.err.splitlines()
    assert lines[0] == f"vidlint: error: {pack_file}: 4 problems:"
    assert "unknown check kind 'betwen' (did you mean 'between'?)" in lines[1]
    assert "rule acme-video.resolution: check: params of min_dimensions: basis" in lines[2]
    assert lines[3:] == [
        "  rule acme-video.size: duplicate code 'ACME_VIDEO_FORMAT'",
        "  rule acme.video-codec: ids start with the pack id (acme-video.)",
    ]


def test_a_case_file_with_mistakes_reports_all_of_them(cli: Cli, isolated: Path) -> None:
    pack_file, case_file = _new(cli, isolated)
    with case_file.open("a", encoding="utf-8") as handle:
        handle.write(
            '\n[[cases]]\nname = "x"\ncode = []\n\n'
            '[[cases]]\nname = "y"\nfacts = { lenght = 3 }\ncodes = []\n'
        )
    run = cli("pack", "test", str(pack_file), str(case_file))
    assert run.code == 2 and run.out == ""
    assert run.err.splitlines()[1:] == [
        "  case 'x': unknown key 'code' (did you mean 'codes'?)",
        "  case 'x': codes: needed, a list of the codes expected ([] for none, e.g. [\"MY_CODE\"])",
        "  case 'y': facts: lenght: Unexpected keyword argument",
    ]


def test_media_cases_judge_real_clips(cli: Cli, isolated: Path) -> None:
    pack_file, case_file = _new(cli, isolated)
    copy_sample("short_4s.mp4", isolated / "clips" / "short.mp4")
    copy_sample("hd720_10s.mp4", isolated / "clips" / "hd720.mp4")
    case_file.write_text(
        '[[cases]]\nname = "4 s clip"\nmedia = "clips/short.mp4"\ncodes = []\n'
        '[[cases]]\nname = "720p clip"\nmedia = "clips/hd720.mp4"\ncodes = ["ACME_VIDEO_RESOLUTION"]\n',
        encoding="utf-8",
    )
    run = cli("pack", "test", str(pack_file))
    assert run.code == 1
    assert "FAIL 720p clip\n  expected: ACME_VIDEO_RESOLUTION\n  got:      (no finding)\n" in run.out
    assert "1 passed, 1 failed" in run.out  # 1280x720 meets the starter's minimum: the case was wrong


def test_usage_errors_are_one_line(cli: Cli, isolated: Path) -> None:
    pack_file, case_file = _new(cli, isolated)
    case_file.unlink()
    for args, words in [
        ((str(pack_file),), "no case file"),
        ((str(isolated / "none.toml"), str(pack_file)), "cannot read rule pack"),
        ((str(pack_file), str(isolated)), "cannot read case file"),
    ]:
        run = cli("pack", "test", *args)
        assert run.code == 2 and words in run.err and run.err.count("\n") == 1, run.err


def test_a_users_pack_needs_no_sources_but_a_builtin_one_does(cli: Cli, isolated: Path) -> None:
    """The same pack text: fine as a user's (document and provenance optional), refused as built-in
    (compiled from a packs folder), with every missing source named at once."""
    pack_file, _ = _new(cli, isolated / "mine")
    assert cli("pack", "test", str(pack_file)).code == 0
    folder = isolated / "builtin"
    folder.mkdir()
    (folder / "acme-video.toml").write_text(pack_file.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(RulePackError) as caught:
        compiled_text(folder)
    lines = str(caught.value).splitlines()
    assert lines[0] == "rules/acme-video.toml: 6 problems:"
    assert "document: a built-in pack names the provider's public document" in lines[1]
    assert all("provenance: a built-in rule names its section" in line for line in lines[2:])
    text = pack_file.read_text(encoding="utf-8").replace("# document = ", "document = ")
    text = text.replace("# provenance = ", "provenance = ")
    (folder / "acme-video.toml").write_text(text, encoding="utf-8")
    with pytest.raises(RulePackError, match=r"4 problems:\n  rule acme-video.size: provenance"):
        compiled_text(folder)  # the document and the one rule with its section are now fine


def test_the_console_script_round_trip_and_the_cold_check_never_loads_the_kit(isolated: Path) -> None:
    new = subprocess.run(
        [VIDLINT, "pack", "new", "shop"], cwd=isolated, capture_output=True, text=True, timeout=60
    )
    assert new.returncode == 0, new.stderr
    test = subprocess.run(
        [VIDLINT, "pack", "test", "shop.toml"], cwd=isolated, capture_output=True, text=True, timeout=60
    )
    assert test.returncode == 0 and "12 passed, 0 failed" in test.stdout, test.stderr
    clip = copy_sample("dur_7s.mp4", isolated / "a.mp4")
    code = (
        "import sys; from vidlint.cli.app import main; main(['check', '--no-cache', sys.argv[1]]);"
        "print([m for m in ('vidlint.packs.cases', 'vidlint.cli.pack') if m in sys.modules])"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(clip)], cwd=isolated, capture_output=True, text=True, timeout=60
    )
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stderr
