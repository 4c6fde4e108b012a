"""MediaFacts: the only thing the engine sees. Frozen, typed, units in the names.

Plain frozen dataclasses, so that building and reading facts never imports pydantic; where facts come
from outside (the result cache, a test's dict) ``pydantic.TypeAdapter`` validates them. Every derived
value (oriented and display sizes, display aspect ratio) is a property named in ``_computed``, so it is
never stored twice and ``as_data`` always puts it in JSON output.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields, is_dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeVar

if TYPE_CHECKING:
    from fractions import Fraction

    from pydantic import ConfigDict, TypeAdapter

T = TypeVar("T")
Kind = Literal["video", "image", "caption", "text", "empty", "unknown"]


class Frozen:
    """Base of the value types: pydantic's settings for validating them, and their computed values."""

    __slots__ = ()
    __pydantic_config__: ClassVar[ConfigDict] = {"extra": "forbid"}
    _computed: ClassVar[tuple[str, ...]] = ()  # properties that JSON output shows after the fields
    _nested: ClassVar[Mapping[str, type[Frozen]]] = {}  # fields holding value types (or tuples of them)

    @classmethod
    def from_data(cls: type[F], data: object) -> F:
        """The value ``as_data(value, computed=False)`` gave; raises ValueError for anything else."""
        if not isinstance(data, dict):
            raise ValueError(f"{cls.__name__}: expected an object")
        declared = _declared(cls)  # name -> holds a tuple
        values = {}
        for name, value in data.items():
            many = declared.get(name)
            if many is None:
                raise ValueError(f"{cls.__name__}: unknown field {name!r}")
            values[name] = _field(cls._nested.get(name), value, many=many)
        try:
            return cls(**values)
        except TypeError as exc:
            raise ValueError(f"{cls.__name__}: {exc}") from None


_DECLARED: dict[type, dict[str, bool]] = {}


def _declared(cls: type) -> dict[str, bool]:
    """A value type's fields, each with whether it holds a tuple (read once per type: reading rows
    back from the cache is on the path of every cached run)."""
    found = _DECLARED.get(cls)
    if found is None:
        found = _DECLARED[cls] = {f.name: f.default == () for f in fields(cls)}
    return found


F = TypeVar("F", bound=Frozen)


def _field(kind: type[Frozen] | None, value: object, *, many: bool) -> object:
    if many:
        if not isinstance(value, list):
            raise ValueError("expected a list")
        return tuple(value if kind is None else (kind.from_data(item) for item in value))
    if kind is None or value is None:
        return value
    return kind.from_data(value)


def as_data(value: object, *, computed: bool = True) -> Any:
    """``value`` (a Frozen dataclass, a tuple of them, or a plain value) as JSON-ready data, as pydantic's
    ``model_dump(mode="json")`` gave it: the fields in order, then (``computed``) the computed values."""
    if isinstance(value, tuple | list):
        return [as_data(item, computed=computed) for item in value]
    if not isinstance(value, Frozen) or not is_dataclass(value):
        return value
    data = {f.name: as_data(getattr(value, f.name), computed=computed) for f in fields(value)}
    if computed:
        data.update((name, getattr(value, name)) for name in value._computed)
    return data


@dataclass(frozen=True, slots=True, kw_only=True)
class VideoTrack(Frozen):
    """One video stream. ``stored_*`` are the picture's pixels as coded (not ffprobe's coded_height)."""

    _computed = (
        "oriented_width",
        "oriented_height",
        "display_width",
        "display_height",
        "display_aspect_ratio",
    )

    codec: str | None  # normalised: h264, hevc, av1, vp9, vp8, mpeg4, prores, mjpeg, ...
    stored_width: int
    stored_height: int
    sample_aspect_ratio: float = 1.0  # pixel width / pixel height
    rotation_cw: int = 0  # display matrix, degrees clockwise, 0..359
    frame_rate: float | None = None  # average frames per second (ISO BMFF: over the stts sample table)
    # The sample aspect ratio exactly, "h:v" as the file stores it (the pasp box, or the codec's header
    # as ffprobe reads it); None when only ``sample_aspect_ratio`` is known (MediaInfo prints three
    # decimals). The display sizes and aspect ratio are computed from it when it is there.
    sample_aspect_exact: str | None = None
    # From the sample table (stts) of an ISO BMFF / QuickTime track, else MediaInfo's "CFR" (its "VFR" is
    # a guess from the header): "variable" when sample durations differ by more than one time-scale tick.
    frame_rate_mode: Literal["constant", "variable"] | None = None
    profile: str | None = None  # as the codec's spec names it: "Baseline", "Main", "High", "Main 10", ...
    bit_depth: int | None = None  # luma bits per sample (8, 10, 12)
    # Transfer characteristics (colr nclx/nclc box, else the codec's VUI): 16 (SMPTE ST 2084) is "pq",
    # 18 (ARIB STD-B67) is "hlg", any other value H.273 defines is "sdr"; None: unspecified or unknown.
    hdr_transfer: Literal["sdr", "pq", "hlg"] | None = None

    @property
    def _quarter_turn(self) -> bool:
        return self.rotation_cw % 180 == 90

    @property
    def sample_aspect_fraction(self) -> Fraction:
        """The sample aspect ratio as an exact fraction (1 when it is unknown or not positive)."""
        from fractions import Fraction

        exact = _fraction(self.sample_aspect_exact)
        if exact is not None:
            return exact
        sar = self.sample_aspect_ratio
        usable = isinstance(sar, int | float) and math.isfinite(sar) and sar > 0
        return Fraction(sar) if usable else Fraction(1)

    @property
    def _stretched_width(self) -> int:
        """Stored width with the sample aspect ratio applied (before rotation), to the nearest pixel."""
        return round(self.stored_width * self.sample_aspect_fraction)

    @property
    def oriented_width(self) -> int:
        """Stored pixel columns as a viewer sees them (rotation applied, SAR not)."""
        return self.stored_height if self._quarter_turn else self.stored_width

    @property
    def oriented_height(self) -> int:
        return self.stored_width if self._quarter_turn else self.stored_height

    @property
    def display_width(self) -> int:
        """Width on screen: SAR stretches the stored width, then rotation swaps the axes."""
        return self.stored_height if self._quarter_turn else self._stretched_width

    @property
    def display_height(self) -> int:
        return self._stretched_width if self._quarter_turn else self.stored_height

    @property
    def display_aspect_fraction(self) -> Fraction | None:
        """Display width / height exactly: stored width x SAR / stored height, rotation applied.

        Not worked back from rounded pixels or a rounded SAR: a picture 0.998 % from 16:9 is that far."""
        if self.stored_width <= 0 or self.stored_height <= 0:
            return None
        ratio = self.stored_width * self.sample_aspect_fraction / self.stored_height
        return 1 / ratio if self._quarter_turn else ratio

    @property
    def display_aspect_ratio(self) -> float | None:
        """``display_aspect_fraction`` as the nearest float (not rounded further: JSON shows it whole)."""
        exact = self.display_aspect_fraction
        return None if exact is None else float(exact)


def _fraction(text: str | None) -> Fraction | None:
    """ "h:v" (or "h/v") as a positive fraction; None for None, zero or garbage."""
    if not text:
        return None
    from fractions import Fraction

    num, _, den = text.replace("/", ":").partition(":")
    try:
        value = Fraction(int(num), int(den or "1"))
    except (ValueError, ZeroDivisionError):
        return None
    return value if value > 0 else None


@dataclass(frozen=True, slots=True, kw_only=True)
class AudioTrack(Frozen):
    codec: str | None  # normalised: aac, mp3, pcm, opus, ac3, eac3, flac, vorbis, alac, ...


@dataclass(frozen=True, slots=True, kw_only=True)
class CaptionFacts(Frozen):
    format: Literal["srt", "vtt"] | None  # by extension; None when the extension is neither
    parses: bool
    cue_count: int = 0
    error: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ImageFacts(Frozen):
    format: str | None  # png, jpeg, gif, webp, ... from magic bytes
    decodes: bool
    width: int | None = None
    height: int | None = None
    error: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class FetchFacts(Frozen):
    """What happened when a URL source was read (HEAD, then ranged GETs). Absent for local files."""

    url: str
    outcome: Literal["ok", "invalid_url", "failed", "timeout", "blocked"]
    http_status: int | None = None
    content_length: int | None = None  # from the server's headers, before any download
    bytes_transferred: int = 0
    range_supported: bool | None = None
    final_url: str | None = None  # after redirects
    link_kind: Literal["file", "platform", "page", "unknown"] = "unknown"
    platform: str | None = None  # video platform of a page link ("youtube", "vimeo", ...)
    platform_available: bool | None = None  # None: could not verify (offline, no oEmbed answer)
    error: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class MediaFacts(Frozen):
    """What vidlint knows about one file or URL after a single, header-only read."""

    _nested: ClassVar[Mapping[str, type[Frozen]]] = {
        "video": VideoTrack,
        "audio": AudioTrack,
        "caption": CaptionFacts,
        "image": ImageFacts,
        "fetch": FetchFacts,
    }

    path: str
    size_bytes: int | None
    extension: str  # lower-case with the dot (".mp4"), "" when there is none
    kind: Kind
    content_type: str | None = None  # MIME sniffed from magic bytes
    container: str | None = None  # mp4, mov, matroska, webm, avi, mpegts, png, jpeg, srt, vtt, ...
    major_brand: str | None = None  # ISO BMFF ftyp major brand ("isom", "qt  ", ...)
    readable: bool = False  # a video container with at least one readable video track
    truncated: bool = False  # data shorter than the index (box sizes / moov) declares
    fragmented: bool = False  # moof fragments (duration lives in the fragments)
    faststart: bool | None = None  # moov before mdat; False without a moov (None when not ISO BMFF)
    # A track's edit list (elst) changes what plays: more than one edit (an empty edit delaying a
    # track counts), a rate other than 1, or one edit that skips more of the media's start than the
    # encoder delay (the first sample's duration or composition offset) or ends before the media's last
    # sample starts. False when no track has one that does; None when not ISO BMFF. See docs/facts.md.
    edit_list: bool | None = None
    duration_s: float | None = None  # container duration
    video: tuple[VideoTrack, ...] = ()
    audio: tuple[AudioTrack, ...] = ()
    caption: CaptionFacts | None = None
    image: ImageFacts | None = None
    backend: str = "sniff"  # which reader(s) produced these facts, e.g. "mediainfo", "mediainfo+ffprobe"
    fetch: FetchFacts | None = None  # set for URL sources
    partial: bool = False  # only part of the source could be read (e.g. URL without Range support)
    error: str | None = None  # one-line reason when the file could not be read

    _computed = ("video_tracks", "audio_tracks", "orientation")

    @property
    def main_video(self) -> VideoTrack | None:
        return self.video[0] if self.video else None

    @property
    def video_tracks(self) -> int:
        return len(self.video)

    @property
    def audio_tracks(self) -> int:
        return len(self.audio)

    @property
    def orientation(self) -> Literal["vertical", "square", "horizontal"] | None:
        """The main video as a viewer sees it (SAR and rotation applied): wider than high is
        "horizontal", as high as wide (in display pixels) "square"; None without a video."""
        video = self.main_video
        if video is None or video.display_width <= 0 or video.display_height <= 0:
            return None
        if video.display_width == video.display_height:
            return "square"
        return "horizontal" if video.display_width > video.display_height else "vertical"


_ADAPTERS: dict[object, Any] = {}


def adapter(cls: type[T]) -> TypeAdapter[T]:
    """pydantic's TypeAdapter of a value type (built once): validates data from outside, e.g. JSON."""
    found: TypeAdapter[T] | None = _ADAPTERS.get(cls)
    if found is None:
        from pydantic import TypeAdapter

        found = _ADAPTERS[cls] = TypeAdapter(cls)
    return found
