"""vidlint.check / check_all / check_many on real files (the sample clips made with ffmpeg), URLs and
request bodies."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support.engine import CUSTOM_PACK, LATER_MARKETPLACES, MARKETPLACES, NO_FILE_RULES, SAMPLES

from vidlint.api import check, check_all, check_many
from vidlint.errors import ConfigError, ProbeError, UnknownMarketplaceError, VidlintError
from vidlint.model.facts import as_data
from vidlint.model.report import Report
from vidlint.packs.builtin import load_pack
from vidlint.packs.loader import load_pack_file
from vidlint.run.cache import ReportCache
from vidlint.run.cachedir import CACHE_ENV
from vidlint.run.pipeline import Pipeline
from vidlint.run.targets import Target, find_sidecar

FILE_MARKETPLACES = sorted(set(MARKETPLACES + LATER_MARKETPLACES) - set(NO_FILE_RULES))

GOOD = SAMPLES / "ok_h264_aac_1080p_10s.mp4"
GOOD_SRT = "1\n00:00:00,000 --> 00:00:02,000\nHello\n\n2\n00:00:02,500 --> 00:00:04,000\nWorld\n"


@pytest.fixture
def clip(tmp_path: Path) -> Path:
    """A copy of the passing clip in a folder of its own (for sidecar captions)."""
    return Path(shutil.copy(GOOD, tmp_path / "promo.mp4"))


def test_check_passes_a_good_clip() -> None:
    report = check(GOOD, "samsclub")
    assert (report.marketplace, report.passed, report.findings) == ("samsclub", True, ())
    assert report.source == str(GOOD)
    assert report.facts is not None and report.facts.duration_s == pytest.approx(10.0, abs=0.15)


def test_check_all_probes_once_and_reports_per_marketplace() -> None:
    reports = check_all(SAMPLES / "dur_7s.mp4")
    assert sorted(reports) == FILE_MARKETPLACES  # the marketplaces that judge files
    assert not reports["trendyol"].passed and reports["samsclub"].passed
    assert reports["trendyol"].facts is reports["samsclub"].facts


def test_sidecar_caption_is_found_beside_the_video(clip: Path) -> None:
    clip.with_suffix(".SRT").write_text("this is not a subtitle\n")
    assert check(clip, "samsclub").codes() == {"E_CAPTION_FORMAT"}
    clip.with_suffix(".SRT").write_text(GOOD_SRT)
    assert check(clip, "samsclub").codes() == set()
    assert check(clip, "trendyol").codes() == set()


def test_caption_passed_in_wins_over_the_sidecar(clip: Path, tmp_path: Path) -> None:
    clip.with_suffix(".srt").write_text(GOOD_SRT)
    broken = tmp_path / "other.vtt"
    broken.write_text("00:01.000 --> nonsense\n")
    assert check(clip, "samsclub", caption=broken).codes() == {"E_CAPTION_FORMAT"}


def test_find_sidecar(tmp_path: Path) -> None:
    video = tmp_path / "a.mp4"
    assert find_sidecar(video, [".srt", ".vtt"]) is None
    (tmp_path / "a.VTT").write_text("WEBVTT\n")
    assert find_sidecar(video, [".srt", ".vtt"]) == tmp_path / "a.VTT"
    (tmp_path / "a.srt").write_text("1\n")
    assert find_sidecar(video, [".srt", ".vtt"]) == tmp_path / "a.srt"


def test_overrides_from_python() -> None:
    seven = SAMPLES / "dur_7s.mp4"
    assert not check(seven, "trendyol").passed
    assert check(seven, "trendyol", overrides={"trendyol.duration": {"min": 5}}).passed
    assert check(seven, "trendyol", overrides={"trendyol.duration": {"enabled": False}}).passed
    with pytest.raises(ConfigError, match=r"no rule 'trendyol\.lenght'"):
        check(seven, "trendyol", overrides={"trendyol.lenght": {"max": 5}})
    with pytest.raises(ConfigError, match="unknown parameter maximum"):
        check(seven, "trendyol", overrides={"trendyol.duration": {"maximum": 5}})
    with pytest.raises(ConfigError, match="no marketplace with that rule"):
        check(seven, "trendyol", overrides={"amazon.duration": {"max": 5}})


def test_a_users_own_pack_is_a_marketplace() -> None:
    shopfast = load_pack_file(CUSTOM_PACK)
    assert check(SAMPLES / "vertical_1080x1920_10s.mp4", shopfast).passed
    assert check(GOOD, shopfast).codes() == {"TOO_SMALL", "TOO_BIG", "ASPECT"}


def test_missing_source_is_a_probe_error(tmp_path: Path) -> None:
    with pytest.raises(ProbeError):
        check(tmp_path / "nope.mp4", "trendyol")
    with pytest.raises(ProbeError):
        check(tmp_path, "trendyol")


def test_nothing_to_check_and_unknown_marketplace() -> None:
    with pytest.raises(VidlintError, match="nothing to check"):
        check(None, "trendyol")
    with pytest.raises(UnknownMarketplaceError):
        check(None, "amazon", metadata={"title": "x"})


def test_invalid_url_source_gets_its_url_error_alone() -> None:
    """Nothing to fetch: each marketplace answers with its URL (or download) code, no network touched."""
    reports = check_all("ftp://cdn.example.com/v.mp4")
    assert sorted(reports) == sorted(MARKETPLACES + LATER_MARKETPLACES)
    facts = reports["trendyol"].facts
    assert facts is not None and facts.fetch is not None
    assert (facts.fetch.outcome, facts.fetch.bytes_transferred) == ("invalid_url", 0)
    assert {market: report.codes() for market, report in reports.items()} == {
        "trendyol": {"seller.integration.video.url.invalid"},
        "samsclub": {"E_DOWNLOAD_FAILED"},
        "akinon": {"url.download_failed"},
        "ecwid": {"WRONG_URL"},
        "shoplive": set(),
        "ebay": {"DOWNLOAD_FAILED"},
        "mercadolibre": {"Video could not be downloaded from the URL."},
        "google-merchant": {"video_link_invalid_url"},
        "meta-catalog": {"VIDEO_DOWNLOAD_FAILED"},
        "tiktok": {"video_pull_failed"},
        "amazon-video-ads": {"DOWNLOAD_FAILED"},
        "walmart-supplier": {"VIDEO_URL_INVALID"},
        "shopify": {"GENERIC_FILE_DOWNLOAD_FAILURE"},
        "wish": {"VIDEO_DOWNLOAD_FAILED"},
    }
    assert check("https://exa mple.com/v.mp4", "ecwid").codes() == {"WRONG_URL"}


def test_a_url_no_pack_reads_is_not_fetched() -> None:
    """Shoplive judges objects only: a URL checked against it alone is never requested."""
    report = check("https://host.invalid/v.mp4", "shoplive", metadata={"shortformId": "1"})
    assert report.facts is None
    assert "shortform.shortformId.required" not in report.codes()


def test_request_alone() -> None:
    report = check(None, "ecwid", metadata={"galleryMedia": []})
    assert (report.source, report.passed, report.codes()) == ("<request>", True, {"GALLERY_ERASED"})
    report = check(None, "trendyol", metadata={"title": "Promo", "productContentIds": ["1"]})
    assert report.codes() == {"seller.integration.video.url.required"}


def test_file_with_its_request() -> None:
    body = {"title": "Promo video", "productContentIds": ["123"]}
    assert check(GOOD, "trendyol", metadata=body).passed  # the file fills videoUrl
    assert check(GOOD, "samsclub", metadata={"mediaName": "Promo!"}).codes() == {"E_MEDIA_NAME"}


def test_report_serialises() -> None:
    report = check(SAMPLES / "rotated_90_10s.mp4", "samsclub")
    data = as_data(report)
    assert data["passed"] is False
    assert {f["code"] for f in data["findings"]} == {"E_ASPECT_RATIO", "E_MIN_PIXEL"}
    assert data["facts"]["video"][0]["display_width"] == 1080
    # computed values last
    assert list(data) == ["source", "marketplace", "findings", "facts", "caption", "passed"]
    assert list(data["facts"]["video"][0])[-2:] == ["display_height", "display_aspect_ratio"]


MANY = ["ok_h264_aac_1080p_10s.mp4", "dur_7s.mp4", "rotated_90_10s.mp4"]


def _many(folder: Path, *, cache: bool = False) -> list[Report]:
    """Two sample clips, a path that does not exist, another clip: against two marketplaces."""
    sources = [SAMPLES / name for name in MANY[:2]] + [folder / "absent.mp4", SAMPLES / MANY[2]]
    return list(check_many(sources, ["trendyol", "samsclub"], jobs=1, cache=cache))


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(folder))
    return folder


def test_check_many_gives_a_report_per_source_and_marketplace_in_order(tmp_path: Path) -> None:
    absent = tmp_path / "absent.mp4"
    reports = _many(tmp_path)
    sources = [str(SAMPLES / MANY[0]), str(SAMPLES / MANY[1]), str(absent), str(SAMPLES / MANY[2])]
    assert [(r.source, r.marketplace) for r in reports] == [
        (source, market) for source in sources for market in ("trendyol", "samsclub")
    ]
    codes = [r.codes() for r in reports]
    assert codes[0:2] == [set(), set()]
    assert codes[2:4] == [{"seller.integration.video.duration.invalid"}, set()]
    assert codes[4:6] == [{"vidlint.unreadable"}, {"vidlint.unreadable"}]  # never raises for one source
    assert codes[6:8] == [set(), {"E_ASPECT_RATIO", "E_MIN_PIXEL"}]
    # the same verdicts as one check_all per source
    for report in reports[:4] + reports[6:]:
        assert report == check_all(report.source, [report.marketplace])[report.marketplace]


def test_check_many_defaults_to_the_marketplaces_that_judge_files() -> None:
    reports = list(check_many([SAMPLES / MANY[0]], jobs=1))
    assert [r.marketplace for r in reports] == FILE_MARKETPLACES


def test_check_many_with_the_cache_answers_a_second_run_alike(tmp_path: Path, cache_dir: Path) -> None:
    first = _many(tmp_path, cache=True)
    assert cache_dir.is_dir() and any(cache_dir.iterdir())  # the first run wrote the cache
    assert _many(tmp_path, cache=True) == first
    assert _many(tmp_path) == first  # and the cache changes no verdict


def test_the_pipeline_behind_check_many_probes_only_what_the_cache_lacks(tmp_path: Path) -> None:
    """Real probes, a real store: a second run probes only the file that could not be read."""
    packs = {m: load_pack(m) for m in ("trendyol", "samsclub")}
    sources = [SAMPLES / name for name in MANY[:2]] + [tmp_path / "absent.mp4", SAMPLES / MANY[2]]
    targets = [Target(str(source)) for source in sources]
    runs = []
    for _ in range(2):
        store = ReportCache(tmp_path / "store")
        run = Pipeline(packs, jobs=1, cache=store)
        runs.append((list(run.run(targets)), run.probed, run.cached))
        store.close()
    assert (runs[0][1:], runs[1][1:]) == ((4, 0), (1, 3))
    assert runs[1][0] == runs[0][0]


def test_check_many_rejects_an_unknown_marketplace_or_override() -> None:
    with pytest.raises(UnknownMarketplaceError):
        list(check_many([GOOD], ["amazon"]))
    with pytest.raises(ConfigError, match="no marketplace with that rule"):
        list(check_many([GOOD], ["trendyol"], overrides={"amazon.duration": {"max": 5}}))
