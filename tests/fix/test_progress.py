"""Progress bars follow ffmpeg's ``-progress`` seconds, one per running file, gone when it is done."""

from __future__ import annotations

from vidlint.fixing.progress import Bars
from vidlint.fixing.runner import Running, run_ffmpeg

from .conftest import SAMPLES


def test_a_bar_follows_a_real_ffmpeg_run_and_goes_away() -> None:
    seen: list[float] = []
    with Bars(enabled=True) as bars:
        advance, done = bars.track("clip", 10.0)
        assert advance is not None
        progress = bars._progress

        def record(seconds: float) -> None:
            seen.append(seconds)
            advance(seconds)

        args = ["ffmpeg", "-hide_banner", "-nostdin", "-i", str(SAMPLES / "ok_h264_aac_1080p_10s.mp4"),
                "-c", "copy", "-f", "null", "-", "-progress", "pipe:1", "-nostats"]  # fmt: skip
        run_ffmpeg(args, timeout_s=60, running=Running(), on_progress=record)
        (task,) = progress.tasks
        assert task.completed == seen[-1] and seen[-1] >= 9.5 and seen == sorted(seen)
        done()
        assert not progress.tasks


def test_no_bars_off_a_terminal() -> None:
    advance, done = Bars(enabled=False).track("clip", 10.0)
    assert advance is None
    done()
