"""The Python API on bad input (issue 11): nonsensical overrides are one-line ConfigErrors, bytes paths
work as in vidlint.probe, an unreadable caption is reported, a foreign cache database is left alone."""

from __future__ import annotations

import os
import shutil
import sqlite3
import warnings
from pathlib import Path
from typing import Any

import pytest
from support.engine import SAMPLES

import vidlint
from vidlint.errors import ConfigError, ProbeError
from vidlint.run.cache import FILE_NAME
from vidlint.run.cachedir import CACHE_ENV

SEVEN = SAMPLES / "dur_7s.mp4"
GOOD = SAMPLES / "ok_h264_aac_1080p_10s.mp4"


@pytest.mark.parametrize(
    ("rule", "params", "message"),
    [
        ("trendyol.duration", {"max": float("nan")}, "max: must be a finite number, not nan"),
        ("trendyol.duration", {"max": -1}, "max: must be at least 0, not -1"),
        ("trendyol.duration", {"min": 200, "max": 180}, "max: must not be less than min (180 < 200)"),
        ("samsclub.aspect-ratio", {"target": "16:0"}, "target: both sides of the ratio must be above 0"),
        ("samsclub.size", {"limit": float("inf")}, "limit: must be a finite number, not inf"),
    ],
)
def test_nonsensical_overrides_are_one_line_config_errors(
    rule: str, params: dict[str, Any], message: str
) -> None:
    marketplace = rule.partition(".")[0]
    for call in (
        lambda: vidlint.check(SEVEN, marketplace, overrides={rule: params}),
        lambda: list(vidlint.check_many([SEVEN], [marketplace], overrides={rule: params})),
    ):
        with pytest.raises(ConfigError) as caught:
            call()
        text = str(caught.value)
        assert text.startswith(f"override {rule}: {message}") and "\n" not in text, text


def test_nan_no_longer_switches_a_rule_off() -> None:
    assert not vidlint.check(SEVEN, "trendyol").passed
    with pytest.raises(ConfigError):
        vidlint.check(SEVEN, "trendyol", overrides={"trendyol.duration": {"min": float("nan")}})
    assert vidlint.check(SEVEN, "trendyol", overrides={"trendyol.duration": {"min": 5}}).passed


def test_bytes_paths_are_taken_as_vidlint_probe_takes_them(tmp_path: Path) -> None:
    clip = Path(shutil.copy(SEVEN, tmp_path / "clip.mp4"))
    caption = Path(shutil.copy(SAMPLES / "captions" / "broken.srt", tmp_path / "subs.srt"))
    raw = os.fsencode(clip)
    taken = vidlint.probe(raw)  # type: ignore[arg-type]  # typed str, takes bytes too (os.fsdecode)
    assert taken.duration_s == vidlint.probe(clip).duration_s
    report = vidlint.check(raw, "trendyol")
    assert report.source == str(clip) and report.codes() == {"seller.integration.video.duration.invalid"}
    assert vidlint.check_all(raw)["trendyol"] == report
    with_caption = vidlint.check(raw, "samsclub", caption=os.fsencode(caption))
    assert "E_CAPTION_FORMAT" in with_caption.codes()
    many = list(vidlint.check_many([raw, clip], ["trendyol"]))
    assert [r.source for r in many] == [str(clip), str(clip)] and many[0].findings == report.findings


def test_a_bytes_path_that_is_not_utf8(tmp_path: Path) -> None:
    raw = os.fsencode(tmp_path) + b"/caf\xe9.mp4"
    shutil.copy(SEVEN, raw.decode("utf-8", "surrogateescape"))
    report = vidlint.check(raw, "trendyol")
    assert report.source == os.fsdecode(raw) and not report.passed


def test_an_unreadable_caption_raises_in_check_and_is_a_finding_in_check_many(tmp_path: Path) -> None:
    clip = Path(shutil.copy(SAMPLES / "captioned_good.mp4", tmp_path / "clip.mp4"))
    os.mkfifo(tmp_path / "clip.srt")
    with pytest.raises(ProbeError, match=r"^not a regular file \(a FIFO\): .*clip\.srt$"):
        vidlint.check(clip, "samsclub")
    assert vidlint.check(clip, "trendyol").passed  # Trendyol judges no caption
    (report,) = vidlint.check_many([clip], ["samsclub"])
    assert [(f.code, f.severity) for f in report.findings] == [("vidlint.unreadable", "error")]
    assert report.findings[0].message.startswith("the caption cannot be read: not a regular file (a FIFO)")


def test_a_foreign_database_in_the_cache_folder_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    (tmp_path / "cache").mkdir()
    store = tmp_path / "cache" / FILE_NAME
    with sqlite3.connect(store) as db:
        db.execute("CREATE TABLE reports (id INTEGER PRIMARY KEY, body TEXT)")
        db.execute("INSERT INTO reports (body) VALUES ('theirs')")
    db.close()
    before = store.read_bytes()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        reports = list(vidlint.check_many([GOOD], ["trendyol"], cache=True))
    assert [r.passed for r in reports] == [True]
    assert [str(w.message) for w in caught] == [
        f"vidlint: {store} is not vidlint's cache (a database without vidlint's application_id); "
        "left alone, running without a cache"
    ]
    assert store.read_bytes() == before
