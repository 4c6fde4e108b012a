"""What one audio/video backend (MediaInfo or ffprobe) contributes, already in typed form."""

from __future__ import annotations

from dataclasses import dataclass

from vidlint.errors import one_line as one_line  # the probe's modules take it from here
from vidlint.model.facts import AudioTrack, VideoTrack


@dataclass(frozen=True, slots=True)
class StreamPart:
    container: str | None = None  # the backend's container name, normalised (mp4, mov, matroska, ...)
    duration_s: float | None = None
    video: tuple[VideoTrack, ...] = ()
    audio: tuple[AudioTrack, ...] = ()
    truncated: bool = False
    error: str | None = None
    # The container's track id of each video / audio track (MP4: tkhd track_ID), None when unknown:
    # how the facts read from the sample tables (pixel aspect, MPEG audio layer) find their track.
    video_ids: tuple[int | None, ...] = ()
    audio_ids: tuple[int | None, ...] = ()

    @property
    def has_picture(self) -> bool:
        return any(v.stored_width > 0 and v.stored_height > 0 for v in self.video)
