"""The cold single-file check (pre-commit's common case) never imports pydantic when it need not,
and gives exactly what the validated path gives.

Each check runs in a fresh interpreter (a real subprocess), which reports the exit code and whether
pydantic was imported: the in-process tests have long since imported it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .support import OK_CLIP, SAMPLES, copy_sample

_PROBE = """
import sys
from vidlint.cli.app import main
code = main(sys.argv[1:])
sys.stdout.flush()
print("\\n@@", code, "pydantic" in sys.modules, file=sys.stderr)
"""


def _check(work: Path, *args: str) -> tuple[int, bool, str]:
    """(exit code, whether pydantic was imported, stdout) of ``vidlint check ARGS`` run in ``work``."""
    env = {**os.environ, "VIDLINT_CACHE_DIR": str(work.parent / "cache")}
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, "check", *args],
        cwd=work, env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    marker = result.stderr.rsplit("@@", 1)
    assert len(marker) == 2, result.stderr
    code, loaded = marker[1].split()
    return int(code), loaded == "True", result.stdout


@pytest.mark.parametrize("name", [OK_CLIP, "dur_7s.mp4", "empty.mp4", "text_named.mp4"])
def test_a_check_without_configuration_does_not_import_pydantic(isolated: Path, name: str) -> None:
    clip = copy_sample(name, isolated / name)
    code, loaded, out = _check(isolated, "--no-cache", str(clip))
    assert not loaded
    # every file-judging marketplace by default: the 2 fps, horizontal sample fails TikTok's and
    # Amazon's frame rates and the vertical-only packs (Mercado Libre, Wish), the others fail more
    assert code == 1, out
    assert re.search(r"^ +samsclub +(pass|FAIL)$", out, re.M), out  # the packs are all there


def test_a_configured_project_checks_a_new_file_from_its_stored_setup(isolated: Path) -> None:
    (isolated / "vidlint.toml").write_text('marketplaces = ["trendyol"]\n', encoding="utf-8")
    first = copy_sample(OK_CLIP, isolated / "a.mp4")
    code, loaded, _ = _check(isolated, str(first))
    assert (code, loaded) == (0, True)  # the configuration is validated once, and the setup stored
    second = copy_sample("dur_7s.mp4", isolated / "b.mp4")
    code, loaded, out = _check(isolated, str(second))
    assert (code, loaded) == (1, False)
    assert "seller.integration.video.duration.invalid" in out


def test_a_configured_project_without_the_cache_is_validated(isolated: Path) -> None:
    (isolated / "vidlint.toml").write_text('fail_on = "warning"\n', encoding="utf-8")
    clip = copy_sample(OK_CLIP, isolated / "a.mp4")
    code, loaded, _ = _check(isolated, "--no-cache", str(clip))
    assert loaded
    assert code in (0, 1)


def test_sarif_describes_rules_from_the_compiled_packs(isolated: Path) -> None:
    """The compiled pack carries each rule's provenance: SARIF needs no validation of the pack files."""
    clip = copy_sample("dur_7s.mp4", isolated / "a.mp4")
    code, loaded, out = _check(isolated, "--no-cache", "--format", "sarif", str(clip), "-m", "trendyol")
    assert (code, loaded) == (1, False)
    document = json.loads(out)
    rules = document["runs"][0]["tool"]["driver"]["rules"]
    assert document["version"] == "2.1.0" and rules
    assert all(rule["properties"]["provenance"] for rule in rules)


def _results(work: Path, *args: str) -> tuple[int, bool, object]:
    code, loaded, out = _check(work, "--no-cache", "--format", "json", *args)
    return code, loaded, json.loads(out)["results"]


def test_the_compiled_and_the_validated_paths_agree_on_every_sample(isolated: Path, tmp_path: Path) -> None:
    """The same folder, once with no configuration (compiled packs), once with a configuration that
    changes nothing (validated packs): the same verdicts, findings and exit code."""
    files = sorted(str(p) for p in SAMPLES.iterdir() if p.suffix.lower() in (".mp4", ".mov", ".webm"))
    quick = _results(isolated, "-m", "trendyol,samsclub,akinon,ecwid", *files)
    configured = tmp_path / "configured"
    configured.mkdir()
    (configured / "vidlint.toml").write_text('fail_on = "error"\n', encoding="utf-8")
    validated = _results(configured, "-m", "trendyol,samsclub,akinon,ecwid", *files)
    assert quick[1] is False and validated[1] is True
    assert (quick[0], quick[2]) == (validated[0], validated[2])


def test_a_check_without_the_cache_does_not_import_sqlite3(isolated: Path) -> None:
    """--no-cache neither reads nor writes the store: the pipeline takes its keys from
    vidlint.run.cachekey, and sqlite3 (~3 ms) stays out of pre-commit's cold path."""
    clip = copy_sample(OK_CLIP, isolated / "a.mp4")
    probe = _PROBE.replace('"pydantic" in sys.modules', '"sqlite3" in sys.modules')
    env = {**os.environ, "VIDLINT_CACHE_DIR": str(isolated.parent / "cache")}
    result = subprocess.run(
        [sys.executable, "-c", probe, "check", "--no-cache", str(clip)],
        cwd=isolated, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.stderr.rsplit("@@", 1)[1].split() == ["1", "False"], result.stderr  # exit 1: see above
