"""The display aspect ratio is exact: stored size x SAR (the pasp box's two integers) / height, as a
fraction, not worked back from a SAR MediaInfo rounds to three decimals or from whole display pixels.
A picture 0.998 % from 16:9 is within Sam's Club's 1 %; one 1.002 % away is not; exactly 1 % passes."""

from __future__ import annotations

import subprocess
from fractions import Fraction
from pathlib import Path

import pytest
from support.engine import video_facts

from vidlint.engine import evaluate
from vidlint.model.facts import VideoTrack, as_data
from vidlint.packs.builtin import builtin_packs
from vidlint.probing.local import probe_path
from vidlint.probing.numbers import simplest_ratio

SAMSCLUB = builtin_packs()["samsclub"]
SIXTEEN_NINE = Fraction(16, 9)


def aspect_codes(track: dict[str, object]) -> list[str]:
    return [f.code for f in evaluate(video_facts(video=track), SAMSCLUB) if f.code == "E_ASPECT_RATIO"]


@pytest.mark.parametrize(
    ("width", "height", "sar", "off_by", "passes"),
    [
        (1920, 1080, "101:100", Fraction(1, 100), True),  # exactly +1 %: the limit is inclusive
        (1920, 1080, "99:100", Fraction(-1, 100), True),  # exactly -1 %
        (1920, 1080, "10101:10000", Fraction(101, 10000), False),  # +1.01 %
        (1920, 1080, "9899:10000", Fraction(-101, 10000), False),  # -1.01 %
        (1440, 1080, "16833:12500", Fraction(499, 50000), True),  # +0.998 %
        (1440, 1080, "50501:37500", Fraction(501, 50000), False),  # +1.002 %
        (1440, 1080, "4:3", Fraction(0), True),
    ],
)
def test_boundary(width: int, height: int, sar: str, off_by: Fraction, passes: bool) -> None:
    num, den = map(int, sar.split(":"))
    track = {"stored_width": width, "stored_height": height, "sample_aspect_ratio": num / den,
             "sample_aspect_exact": sar}  # fmt: skip
    exact = VideoTrack(codec="h264", **track).display_aspect_fraction  # type: ignore[arg-type]
    assert exact == SIXTEEN_NINE * (1 + off_by)
    assert (aspect_codes(track) == []) is passes


def test_the_rounded_sar_was_the_bug() -> None:
    """MediaInfo prints 1.347 for 16833:12500; the simplest fraction near it (66/49) put the picture
    1.02 % off 16:9, and whole display pixels move it again: only the exact SAR gives 0.998 %."""
    rounded = simplest_ratio(1.347)
    assert aspect_codes({"stored_width": 1440, "sample_aspect_ratio": rounded}) == ["E_ASPECT_RATIO"]
    exact = {"stored_width": 1440, "sample_aspect_ratio": rounded, "sample_aspect_exact": "16833:12500"}
    assert aspect_codes(exact) == []


def test_rotation_inverts_the_exact_ratio() -> None:
    track = VideoTrack(codec="h264", stored_width=1920, stored_height=1080, rotation_cw=90,
                       sample_aspect_exact="101:100")  # fmt: skip
    assert track.display_aspect_fraction == 1 / (SIXTEEN_NINE * Fraction(101, 100))
    assert (track.display_width, track.display_height) == (1080, 1939)


def test_json_keeps_a_float_and_the_computed_order() -> None:
    data = as_data(VideoTrack(codec="h264", stored_width=1440, stored_height=1080, sample_aspect_exact="4:3"))
    assert data["display_aspect_ratio"] == pytest.approx(16 / 9) and isinstance(
        data["display_aspect_ratio"], float
    )
    assert list(data)[-2:] == ["display_height", "display_aspect_ratio"]
    assert data["sample_aspect_exact"] == "4:3"


def test_a_real_file_read_from_its_pasp_box(tmp_path: Path) -> None:
    """ffmpeg writes the SAR into the pasp box; the probe reads the two integers from it."""
    path = tmp_path / "sar.mp4"
    subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "color=s=1440x1080:r=2:d=6",
         "-c:v", "libx264", "-preset", "ultrafast", "-vf", "setsar=sar=16833/12500:max=20000", str(path)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    facts = probe_path(str(path))
    video = facts.main_video
    assert video is not None and video.sample_aspect_exact == "16833:12500"
    assert video.display_aspect_fraction == SIXTEEN_NINE * Fraction(50499, 50000)
    assert "E_ASPECT_RATIO" not in [f.code for f in evaluate(facts, SAMSCLUB)]
