"""What a re-encoded picture must be besides its shape: frame rate, codec profile, bit depth, dynamic
range, all read from the limits (``main_video.frame_rate`` / ``frame_rate_mode`` / ``profile`` /
``bit_depth`` / ``hdr_transfer``).

:func:`treatment` says whether the video must be re-encoded for them and with what; the planner
(:mod:`vidlint.fixing.plan`) adds the shape and the codec.
"""

from __future__ import annotations

import functools
import subprocess
from dataclasses import dataclass
from fractions import Fraction

from vidlint.fixing.limits import Interval, Limits
from vidlint.model.facts import VideoTrack

# the frame rates a fix converts to (the nearest one a limit allows; an edge of the limit otherwise)
STANDARD_RATES = tuple(
    Fraction(r) for r in ("12", "15", "24000/1001", "24", "25", "30000/1001", "30", "48", "50", "60000/1001",
                          "60", "120")
)  # fmt: skip
# the profiles an 8-bit 4:2:0 encode can be given, by encoder, in preference order: (probe name, -profile:v)
PROFILES = {
    "libx264": (("high", "high"), ("main", "main"), ("baseline", "baseline")),
    "libx265": (("main", "main"),),
}
EIGHT_BIT = "yuv420p"
TONE_MAP_FILTERS = ("zscale", "tonemap")  # what HDR to SDR needs in this ffmpeg


class NotTreatable(Exception):
    """The limits ask for something this ffmpeg cannot produce (the message says what to do)."""


@dataclass(frozen=True)
class Treatment:
    """How the picture is re-encoded (None / False: as the encoder's default)."""

    fps: str | None = None  # ffmpeg's fps filter rate, e.g. "24000/1001"
    tone_map: str | None = None  # the HDR transfer ("pq", "hlg") tone-mapped to SDR BT.709
    eight_bit: bool = False  # yuv420p whatever the quality settings say
    needed: tuple[str, ...] = ()  # why the video must be re-encoded for these, in words

    def profile(self, encoder: str, limits: Limits) -> str | None:
        """The ``-profile:v`` a limit on the profile needs with ``encoder`` (None: no limit)."""
        allowed = limits.values("main_video.profile")
        if allowed is None:
            return None
        found = next((flag for name, flag in PROFILES.get(encoder, ()) if name in allowed), None)
        if found is None:
            raise NotTreatable(
                f"no 8-bit profile {encoder} writes is allowed ({', '.join(sorted(allowed))}): "
                "export the video with an allowed profile"
            )
        return found


def treatment(track: VideoTrack, limits: Limits) -> Treatment:
    """What the limits on frame rate, profile, bit depth and dynamic range ask of ``track``."""
    needed: list[str] = []
    fps = _frame_rate(track, limits, needed)
    tone_map = _dynamic_range(track, limits, needed)
    depth = limits.interval("main_video.bit_depth")
    eight_bit = depth.low is not None or depth.high is not None
    if track.bit_depth is not None and not depth.contains(track.bit_depth):
        if not depth.contains(8):
            raise NotTreatable(f"no bit depth vidlint writes (8) is allowed: {_edges(depth)}")
        needed.append(f"{track.bit_depth}-bit -> 8-bit ({EIGHT_BIT})")
    profiles = limits.values("main_video.profile")
    if profiles is not None and (track.profile or "").lower() not in profiles:
        needed.append(f"profile {track.profile or 'unknown'} -> one of {', '.join(sorted(profiles))}")
    return Treatment(fps, tone_map, eight_bit or tone_map is not None, tuple(needed))


def _frame_rate(track: VideoTrack, limits: Limits, needed: list[str]) -> str | None:
    rates = limits.interval("main_video.frame_rate")
    modes = limits.values("main_video.frame_rate_mode")
    current = track.frame_rate
    variable = track.frame_rate_mode == "variable" and modes is not None and "variable" not in modes
    if current is None or (rates.contains(current) and not variable):
        return None
    target = _nearest_rate(current, rates)
    shown = f"{float(target):.3f}".rstrip("0").rstrip(".")
    needed.append(f"{'variable ' if variable else ''}{current:.3g} fps -> constant {shown} fps")
    return str(target)


def _nearest_rate(current: float, rates: Interval) -> Fraction:
    """``current`` itself when the limit allows it (only its mode was wrong: a standard rate within
    0.5 % stands for it), else the standard rate nearest it that the limit allows (else its edge)."""
    allowed = [r for r in STANDARD_RATES if rates.contains(float(r))]
    if rates.contains(current):
        near = [r for r in allowed if abs(float(r) / current - 1) <= 0.005]
        return near[0] if near else _rational(current, rates)
    if allowed:
        return min(allowed, key=lambda r: abs(float(r) - current))
    edges = [e for e in (rates.low, rates.high) if e is not None]  # not empty: current is outside
    edge = min(edges, key=lambda e: abs(e.value - current))
    if rates.contains(edge.value):
        return _rational(edge.value, rates)
    raise NotTreatable(f"no frame rate fits {_edges(rates)}: export the video at an allowed rate")


def _rational(value: float, rates: Interval) -> Fraction:
    """``value`` as a short fraction for ffmpeg's fps filter, still within ``rates``."""
    for limit in (1001, 100_000):
        found = Fraction(value).limit_denominator(limit)
        if rates.contains(float(found)):
            return found
    return Fraction(value)


def _dynamic_range(track: VideoTrack, limits: Limits, needed: list[str]) -> str | None:
    allowed = limits.values("main_video.hdr_transfer")
    transfer = track.hdr_transfer
    if allowed is None or transfer is None or transfer in allowed:
        return None
    if transfer == "sdr" or "sdr" not in allowed:
        raise NotTreatable(f"a {transfer} picture cannot become {'/'.join(sorted(allowed))}: export it so")
    missing = [name for name in TONE_MAP_FILTERS if name not in available_filters()]
    if missing:
        raise NotTreatable(
            f"HDR ({transfer}) to SDR needs ffmpeg's {' and '.join(missing)} filter, which this ffmpeg "
            "lacks: export an SDR version from the source, or install an ffmpeg built with zimg"
        )
    needed.append(f"HDR ({transfer}) tone-mapped to SDR (BT.709)")
    return transfer


def _edges(interval: Interval) -> str:
    return " and ".join(e.who() for e in (interval.low, interval.high) if e is not None)


@functools.cache
def available_filters(ffmpeg: str = "ffmpeg") -> frozenset[str]:
    """The filter names ``ffmpeg -filters`` lists (empty when ffmpeg cannot be run)."""
    try:
        out = subprocess.run(
            [ffmpeg, "-hide_banner", "-filters"], capture_output=True, text=True, timeout=30, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    # lines like " .SC zscale            V->V       Apply resizing, ...": flags, name, pads, text
    return frozenset(p[1] for line in out.splitlines() if len(p := line.split()) > 2 and "->" in p[2])
