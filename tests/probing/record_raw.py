"""Re-record the raw backend outputs under tests/probing/data/ (run by hand; tests only read them).

    .venv/bin/python tests/probing/record_raw.py

MediaInfo's report is recorded through the same index window the probe uses, so the recordings show
exactly what MediaInfo can say without reading any media data.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from vidlint.probing import boxes, ffprobe, mediainfo
from vidlint.probing.window import IndexWindow

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_media"
DATA = Path(__file__).resolve().parent / "data"
MEDIAINFO = (
    "rotated_90_10s.mp4",
    "anamorphic_1440x1080_sar4-3_10s.mp4",
    "pcm_audio_10s.mov",
    "mp3_audio_10s.mp4",
    "ac3_audio_10s.mp4",
    "vp9_in_webm_10s.webm",
    "truncated_tail.mp4",
    "fragmented_10s.mp4",
)
FFPROBE = ("rotated_90_10s.mp4", "anamorphic_1440x1080_sar4-3_10s.mp4", "mkv_named.mp4", "pcm_audio_10s.mov")


def record_mediainfo(name: str) -> str:
    with (SAMPLES / name).open("rb", buffering=0) as reader:
        size = os.fstat(reader.fileno()).st_size
        layout = boxes.read_layout(reader, size)
        window = IndexWindow(
            reader,
            size,
            budget=1 << 25,
            refused=layout.data_ranges,
            last_index_offset=layout.last_index_offset,
        )
        return mediainfo.run(window)


def main() -> int:
    DATA.mkdir(exist_ok=True)
    for name in MEDIAINFO:
        (DATA / f"{name}.mediainfo.json").write_text(record_mediainfo(name))
    for name in FFPROBE:
        (DATA / f"{name}.ffprobe.json").write_text(ffprobe.run(str(SAMPLES / name), 30.0))
    (DATA / "random.mediainfo.json").write_text(mediainfo.run(_random_bytes()))
    return 0


def _random_bytes() -> IndexWindow:
    import io

    data = bytes((i * 7919 + 13) % 251 for i in range(4096))
    return IndexWindow(io.BytesIO(data), len(data), budget=len(data))


if __name__ == "__main__":
    sys.exit(main())
