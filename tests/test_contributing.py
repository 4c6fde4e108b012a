"""docs/contributing.md, followed literally: its toy pack and its toy check kind work as written."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import vidlint
from vidlint.cli.app import main

ROOT = Path(__file__).resolve().parents[1]
GUIDE = (ROOT / "docs" / "contributing.md").read_text(encoding="utf-8")
SAMPLES = ROOT / "sample_media"


def _block(language: str, index: int = 0) -> str:
    blocks = re.findall(rf"```{language}\n(.*?)```", GUIDE, flags=re.S)
    return "\n".join(line.removeprefix("   ") for line in blocks[index].splitlines()) + "\n"


def test_the_toy_pack_judges_files_as_the_guide_says(tmp_path: Path) -> None:
    pack_file = tmp_path / "toy.toml"
    pack_file.write_text(_block("toml"), encoding="utf-8")
    toy = vidlint.load_pack_file(pack_file)
    assert vidlint.check(SAMPLES / "long_125s.mp4", toy).codes() == {"TOY_DURATION"}
    assert vidlint.check(SAMPLES / "ok_h264_aac_1080p_10s.mp4", toy).passed


def test_the_toy_pack_works_from_a_configuration(tmp_path: Path) -> None:
    (tmp_path / "toy.toml").write_text(_block("toml"), encoding="utf-8")
    (tmp_path / "vidlint.toml").write_text('packs = ["toy.toml"]\n', encoding="utf-8")
    clip = str(SAMPLES / "long_125s.mp4")
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from vidlint.cli import main; sys.exit(main(sys.argv[1:]))",
         "check", clip, "-m", "toy", "--no-cache", "--format", "json"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert '"code": "TOY_DURATION"' in done.stdout
    assert main(["rules", "show", "--config", str(tmp_path / "vidlint.toml"), "toy.duration"]) == 0


def test_the_toy_check_kind_registers_and_runs() -> None:
    code = (
        "from dataclasses import dataclass\n"
        "from vidlint.checks import KINDS, Fail, Params\n"
        "from vidlint.checks.base import check_kind\n"
        f"{_block('python')}"
        "kind = KINDS['even']\n"
        "passes, fails = kind.check(4, EvenParams()) is None, kind.check(3, EvenParams()) == Fail(3)\n"
        "print(passes, fails, kind.doc.split(chr(10))[0])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.split(" ", 2) == ["True", "True", "The value is an even whole number.\n"], done.stderr
