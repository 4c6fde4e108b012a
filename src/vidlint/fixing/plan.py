"""The smallest job that makes one file meet every chosen marketplace's limits, or why there is none.

Cheapest first: a stream copy into the right container when only the container, extension, brand or
index position is wrong; a re-encode of only the streams whose codec the limits refuse (or the muxer
cannot carry); the picture re-encoded only when its shape fails (rotation baked in, scaled into the
pixel range, padded or cropped to the aspect ratio: never upscaled beyond what a limit requires);
trimmed to the maximum duration; a bitrate that fits the size limit only when the size fails.
Frame rate, profile, bit depth and dynamic range come from :mod:`vidlint.fixing.video`; only the
first audio tracks are kept when a limit counts them; an edit list is dropped when a limit forbids it.
A clip that is too short is never padded with frozen frames.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from pathlib import Path

from vidlint.checks.files import unreadable_reason
from vidlint.fixing.limits import ASPECT, Interval, Limits
from vidlint.fixing.options import AUDIO_ENCODERS, CONTAINER_OF, MUXABLE, VIDEO_ENCODERS, FixOptions
from vidlint.fixing.video import NotTreatable, Treatment, treatment
from vidlint.model.facts import MediaFacts, VideoTrack
from vidlint.model.report import Finding
from vidlint.packs.pack import Rule

TRIM_MARGIN_S = 0.1  # trim this far under a maximum duration: the last audio frame may run past the cut
# the shape a picture takes when only its orientation is limited: the usual one of each orientation
SHAPES = (16 / 9, 9 / 16, 1.0)
SIZE_MARGIN = 0.9  # aim the bitrate at 90 % of a size limit (muxing overhead, rate control)
MIN_VIDEO_BPS = 100_000  # below this a size limit cannot be met with a watchable picture
_DIMENSIONS = ("oriented", "display", "stored")


class Unfixable(Exception):
    """Processing cannot make this file pass: the message says why and what the user must do."""


@dataclass(frozen=True)
class Geometry:
    """The output picture: ``width`` x ``height`` square pixels, the content scaled to ``content`` and
    padded (or cropped) to it."""

    width: int
    height: int
    content: tuple[int, int]
    mode: str  # "pad", "crop" or "scale"


@dataclass(frozen=True)
class VideoJob:
    encoder: str | None  # None: stream copy
    geometry: Geometry | None = None
    bitrate: int | None = None  # bits/s when a size limit sets it, else CRF
    tag: str | None = None  # "hvc1" for HEVC in MP4/MOV
    treatment: Treatment = field(default_factory=Treatment)  # frame rate, tone mapping, 8-bit
    profile: str | None = None  # -profile:v when a limit names the profiles


@dataclass(frozen=True)
class AudioJob:
    encoder: str | None  # None: stream copy
    tracks: int = 1  # how many audio tracks the output carries
    first_only: bool = False  # True: only the first ``tracks`` are mapped (a limit counts them)


@dataclass(frozen=True)
class Plan:
    extension: str  # the output's extension (the input's spelling when it is kept)
    muxer: str  # "mp4" or "mov"
    video: VideoJob
    audio: AudioJob | None  # None: the file has no audio
    trim_s: float | None
    media: bool  # False: the video passes as it is (only its caption is fixed)
    caption_extension: str | None  # the caption's output extension; None: no caption work
    steps: tuple[str, ...] = field(default=())  # what the job does, in words
    duration_s: float | None = None  # the output's duration (for progress)
    no_edit_list: bool = False  # a limit forbids edit lists: the muxer writes none

    @property
    def stream_copy(self) -> bool:
        return self.video.encoder is None and (self.audio is None or self.audio.encoder is None)


@dataclass(frozen=True)
class Failure:
    """A failing finding of one marketplace, with its rule (None: vidlint's own code)."""

    marketplace: str
    finding: Finding
    rule: Rule | None


def plan(
    facts: MediaFacts,
    failures: list[Failure],
    limits: Limits,
    options: FixOptions,
    caption: Path | None = None,
) -> Plan:
    """The job for ``facts`` (raises :class:`Unfixable`)."""
    _refuse(facts, failures, limits, caption)
    actions: set[str] = {f.finding.fix.action for f in failures if f.finding.fix is not None}
    media_fails = any(f.finding.location is None for f in failures)
    caption_ext = _caption_extension(caption, failures, limits)
    if not media_fails:
        return Plan(facts.extension, facts.container or "", VideoJob(None), None, None, False, caption_ext,
                    ("caption repaired" + (f" as {caption_ext}" if caption else ""),))  # fmt: skip
    extension, muxer = _format(facts, limits)
    steps: list[str] = []
    if (facts.extension.lower(), facts.container) != (extension.lower(), muxer):
        steps.append(f"{facts.extension or '(none)'} {facts.container} -> {extension} {muxer}")
    trim = _trim(facts, limits, steps)
    audio = _audio(facts, limits, options, muxer, "transcode_audio" in actions, steps)
    video = _video(facts, limits, options, muxer, actions, trim, audio, steps)
    if video.encoder is None and (audio is None or audio.encoder is None):
        steps.insert(0, "stream copy (no re-encoding)")
    no_edit_list = limits.flags.get("edit_list") is not None and "false" in limits.flags["edit_list"].values
    if no_edit_list and facts.edit_list:
        steps.append("edit list dropped (-use_editlist 0)")
    steps.append("+faststart (index first)")
    duration = trim or facts.duration_s
    return Plan(extension, muxer, video, audio, trim, True, caption_ext, tuple(steps), duration, no_edit_list)


def refit(job: Plan, limits: Limits, options: FixOptions) -> Plan | None:
    """``job`` again at the bitrate the size limit leaves for its duration, when its re-encoded video
    (at a quality, not a bitrate) came out too large; None when that cannot help."""
    high = limits.interval("size_bytes").high
    duration = job.duration_s
    if high is None or not duration or job.video.encoder is None or job.video.bitrate is not None:
        return None
    bitrate = int(high.value * SIZE_MARGIN * 8 / duration) - _audio_bps(job.audio, options)
    if bitrate < MIN_VIDEO_BPS:
        return None
    steps = (*job.steps, f"encoded again at {bitrate // 1000} kb/s (the quality-based encode was too large)")
    return replace(job, video=replace(job.video, bitrate=bitrate), steps=steps)


def _refuse(facts: MediaFacts, failures: list[Failure], limits: Limits, caption: Path | None) -> None:
    """Raise Unfixable when processing cannot help: an unreadable or too short video (said first: it
    explains the other findings), then any finding whose remedy is the user's."""
    if any(f.finding.location is None for f in failures):
        _refuse_media(facts, limits)
    for failure in failures:
        finding = failure.finding
        if failure.rule is None or finding.fix is None:
            raise Unfixable(f"{finding.code}: {finding.message} (no known remedy)")
        if finding.fix.action == "none":
            raise Unfixable(f"{finding.code}: {finding.fix.hint}")


def _refuse_media(facts: MediaFacts, limits: Limits) -> None:
    reason = unreadable_reason(facts)
    if reason is not None:
        raise Unfixable(f"not a readable, complete video ({reason}): export it again from its source")
    low = limits.interval("duration_s").low
    if facts.duration_s is None:
        raise Unfixable("the duration cannot be read: export the video again")
    if low is not None and not Interval(low=low).contains(facts.duration_s):
        raise Unfixable(
            f"too short: {facts.duration_s:g} s, below {low.who()}: edit a longer clip "
            "(vidlint fix does not pad a clip with frozen frames)"
        )


def _format(facts: MediaFacts, limits: Limits) -> tuple[str, str]:
    """The output's extension and container: the input's when allowed, else .mp4, else .mov."""
    own = facts.extension
    candidates = [(own, CONTAINER_OF.get(own.lower())), (".mp4", "mp4"), (".mov", "mov")]
    extensions = limits.values("extension")
    for ext, container in candidates:
        if container is None or (extensions is not None and ext.lower() not in extensions):
            continue
        if limits.formats is not None and f"{ext.lower()} {container}" not in limits.formats.values:
            continue
        if limits.containers is not None and container not in limits.containers.values:
            continue
        return ext, container
    raise Unfixable("no container that vidlint fix writes (.mp4, .mov) is allowed by every marketplace")


def _trim(facts: MediaFacts, limits: Limits, steps: list[str]) -> float | None:
    high = limits.interval("duration_s").high
    if high is None or facts.duration_s is None or Interval(high=high).contains(facts.duration_s):
        return None
    trim = max(high.value - TRIM_MARGIN_S, 0.0)
    steps.append(f"trim {facts.duration_s:g} s -> {trim:g} s")
    return trim


def _audio(
    facts: MediaFacts, limits: Limits, options: FixOptions, muxer: str, forced: bool, steps: list[str]
) -> AudioJob | None:
    tracks, first_only = _audio_tracks(facts, limits, steps)
    if not tracks:
        return None
    allowed = limits.values("audio.*.codec")
    codecs = [t.codec or "unknown" for t in facts.audio[:tracks]]
    fits = all((allowed is None or c in allowed) and c in MUXABLE[muxer] for c in codecs)
    if fits and not forced:
        return AudioJob(None, tracks, first_only)
    choices = [c for c in options.quality.audio_codecs if c in AUDIO_ENCODERS and c in MUXABLE[muxer]]
    chosen = next((c for c in choices if allowed is None or c in allowed), None)
    if chosen is None:
        raise Unfixable(f"no audio codec vidlint can encode fits {muxer} and every marketplace ({allowed})")
    steps.append(f"audio re-encoded: {'/'.join(codecs)} -> {chosen}")
    return AudioJob(AUDIO_ENCODERS[chosen], tracks, first_only)


def _audio_tracks(facts: MediaFacts, limits: Limits, steps: list[str]) -> tuple[int, bool]:
    """How many audio tracks the output keeps (the first ones), and whether a limit cut them."""
    count = len(facts.audio)
    allowed = limits.interval("audio_tracks")
    if allowed.contains(count):
        return count, False
    if allowed.low is not None and not Interval(low=allowed.low).contains(count):
        raise Unfixable(f"{count} audio track(s), below {allowed.low.who()}: export the video with its sound")
    high = allowed.high
    assert high is not None  # count is outside the interval and not below it
    keep = max(0, math.ceil(high.value) - 1 if not high.inclusive else math.floor(high.value))
    steps.append(f"audio tracks {count} -> {keep}" + (" (the first kept)" if keep else " (audio dropped)"))
    return keep, True


def _video(
    facts: MediaFacts,
    limits: Limits,
    options: FixOptions,
    muxer: str,
    actions: set[str],
    trim: float | None,
    audio: AudioJob | None,
    steps: list[str],
) -> VideoJob:
    track = facts.main_video
    if track is None:  # unreadable_reason said it is readable: a video track exists
        raise Unfixable("no video track")
    allowed = limits.values("main_video.codec")
    codec = track.codec or "unknown"
    geometry = _geometry(
        track, limits, options.crop, forced=bool(actions & {"scale", "pad_or_crop", "rotate"})
    )
    bitrate = _bitrate(facts, limits, trim, audio, forced="bitrate" in actions, options=options)
    try:
        treat = treatment(track, limits)
    except NotTreatable as exc:
        raise Unfixable(str(exc)) from None
    copy_ok = (allowed is None or codec in allowed) and codec in MUXABLE[muxer]
    same = geometry is None and bitrate is None and not treat.needed
    if copy_ok and same and "transcode_video" not in actions:
        return VideoJob(None, tag="hvc1" if codec == "hevc" else None)
    keep = codec if copy_ok and codec in options.quality.video_codecs else None  # else a preferred one
    choices = [c for c in options.quality.video_codecs if c in VIDEO_ENCODERS and c in MUXABLE[muxer]]
    chosen = (
        keep
        if keep in VIDEO_ENCODERS
        else next((c for c in choices if allowed is None or c in allowed), None)
    )
    if chosen is None:
        raise Unfixable(f"no video codec vidlint can encode fits {muxer} and every marketplace ({allowed})")
    rate = f" at {bitrate // 1000} kb/s" if bitrate else ""
    steps.append(
        f"video re-encoded: {codec} -> {chosen}{rate}"
        if codec != chosen
        else f"video re-encoded ({codec}){rate}"
    )
    if geometry is not None:
        steps.append(_geometry_words(track, geometry))
    steps += treat.needed
    encoder = VIDEO_ENCODERS[chosen]
    try:
        profile = treat.profile(encoder, limits)
    except NotTreatable as exc:
        raise Unfixable(str(exc)) from None
    return VideoJob(encoder, geometry, bitrate, "hvc1" if chosen == "hevc" else None, treat, profile)


def _geometry_words(track: VideoTrack, g: Geometry) -> str:
    shown = f"{track.display_width}x{track.display_height}"
    turned = f" (rotation {track.rotation_cw} baked in)" if track.rotation_cw else ""
    content = f"{g.content[0]}x{g.content[1]}"
    how = {"pad": f"scaled to {content}, padded", "crop": f"scaled to {content}, cropped", "scale": "scaled"}
    return f"picture {shown}{turned} -> {how[g.mode]} to {g.width}x{g.height}"


def _dimension(limits: Limits, side: str) -> Interval:
    """Width or height limits on any basis (after a re-encode the bases agree: square pixels, no
    rotation)."""
    merged = Interval()
    for basis in _DIMENSIONS:
        found = limits.intervals.get(f"main_video.{basis}_{side}")
        for edge, where in ((found.low, "min"), (found.high, "max")) if found else ():
            if edge is not None:
                merged.narrow(edge, where)
    return merged


def _geometry(track: VideoTrack, limits: Limits, crop: bool, *, forced: bool) -> Geometry | None:
    """The output picture when the current one fails a limit (None: keep it, rotation included)."""
    widths, heights = _dimension(limits, "width"), _dimension(limits, "height")
    current = track.display_aspect_ratio or 0.0
    aspect = limits.interval_near(ASPECT, current)
    if aspect is None:  # a conflict: reported before planning
        raise Unfixable("no aspect ratio fits every marketplace")
    fine = all(
        i.contains(getattr(track, f"{basis}_{side}"))
        for side, i in (("width", widths), ("height", heights))
        for basis in _DIMENSIONS
    ) and aspect.contains(current)
    if fine and not forced:
        return None
    w, h = float(track.display_width), float(track.display_height)
    ratio = current if aspect.contains(current) else _target_ratio(aspect, current)
    if crop:
        frame = (w, w / ratio) if current < ratio else (h * ratio, h)
    else:
        frame = (h * ratio, h) if current < ratio else (w, w / ratio)
    frame = _into_range(frame, widths, heights)
    width, height = _even(frame[0]), _even(frame[1])
    width = _fit_ratio(width, height, aspect)
    if not (widths.contains(width) and heights.contains(height) and aspect.contains(width / height)):
        raise Unfixable(
            f"no picture size fits every limit (from {track.display_width}x{track.display_height})"
        )
    scale = max(width / w, height / h) if crop else min(width / w, height / h)
    content = (min(_even(w * scale), width), min(_even(h * scale), height)) if not crop else (
        max(_even(w * scale), width), max(_even(h * scale), height))  # fmt: skip
    mode = "scale" if content == (width, height) else ("crop" if crop else "pad")
    return Geometry(width, height, content, mode)


def _target_ratio(aspect: Interval, current: float) -> float:
    """The middle of a closed ratio range (a ratio within a tolerance); for an open one (an
    orientation) the usual shape it allows nearest ``current`` (16:9, 9:16 or 1:1), else its edge."""
    low = aspect.low.value if aspect.low else None
    high = aspect.high.value if aspect.high else None
    if low is not None and high is not None:
        return (low + high) / 2
    shapes = [s for s in SHAPES if aspect.contains(s)]
    if shapes:
        return min(shapes, key=lambda s: abs(math.log(s / current)) if current > 0 else 0.0)
    return low if low is not None else (high if high is not None else current)


def _into_range(frame: tuple[float, float], widths: Interval, heights: Interval) -> tuple[float, float]:
    """Scaled up just enough for the minimum, or down for the maximum (never up otherwise)."""
    w, h = frame
    up = max([1.0] + [e.value / v for e, v in ((widths.low, w), (heights.low, h)) if e is not None and v > 0])
    w, h = w * up, h * up
    down = min(
        [1.0] + [e.value / v for e, v in ((widths.high, w), (heights.high, h)) if e is not None and v > 0]
    )
    return w * down, h * down


def _even(value: float) -> int:
    return max(2, round(value / 2) * 2)


def _fit_ratio(width: int, height: int, aspect: Interval) -> int:
    """The even width nearest ``width`` whose ratio to ``height`` is allowed (rounding can leave it)."""
    for delta in (0, 2, -2, 4, -4):
        if aspect.contains((width + delta) / height):
            return width + delta
    return width


def _bitrate(
    facts: MediaFacts,
    limits: Limits,
    trim: float | None,
    audio: AudioJob | None,
    *,
    forced: bool,
    options: FixOptions,
) -> int | None:
    """A video bitrate when the size limit fails (or would fail after a stream copy), else None."""
    high = limits.interval("size_bytes").high
    duration = trim or facts.duration_s
    if high is None or duration is None or duration <= 0 or facts.size_bytes is None:
        return None
    kept = facts.size_bytes * min(1.0, duration / (facts.duration_s or duration))
    if Interval(high=high).contains(kept) and not forced:
        return None
    audio_bps = _audio_bps(audio, options)
    bitrate = int(high.value * SIZE_MARGIN * 8 / duration) - audio_bps
    if bitrate < MIN_VIDEO_BPS:
        raise Unfixable(
            f"cannot fit {duration:g} s under {high.who()} at a watchable bitrate: trim it shorter"
        )
    return bitrate


def _audio_bps(audio: AudioJob | None, options: FixOptions) -> int:
    if audio is None:
        return 0
    text = options.quality.audio_bitrate.lower()
    per_track = int(float(text[:-1]) * 1000) if text.endswith("k") else int(float(text))
    return per_track * audio.tracks


def _caption_extension(caption: Path | None, failures: list[Failure], limits: Limits) -> str | None:
    if caption is None:
        return None
    own = caption.suffix
    allowed = limits.caption_extensions.values if limits.caption_extensions else None
    if allowed is not None and own.lower() not in allowed:
        return ".vtt" if ".vtt" in allowed else sorted(allowed)[0]
    fails = any(f.finding.location is not None for f in failures)
    return own if fails else None
