"""Codec profiles and transfer characteristics: the words vidlint gives them, whoever read them.

The sample description's codes (avcC, hvcC, colr, the VUI) and MediaInfo's and ffprobe's words all
end up as one vocabulary: a profile as its specification names it ("Baseline", "High 10", "Main
10"), a transfer as "sdr", "pq" or "hlg". A profile is named by its profile number alone: H.264's
constraint flags make "Constrained Baseline" or "Progressive High", which every decoder of the
profile plays, so they read as "Baseline" and "High" (and ffprobe's or MediaInfo's "Constrained
Baseline", "High 10 Intra" the same way).
"""

from __future__ import annotations

from typing import Literal

Transfer = Literal["sdr", "pq", "hlg"]

H264_PROFILES = {  # ITU-T H.264 Annex A, by profile_idc
    66: "Baseline",
    77: "Main",
    88: "Extended",
    100: "High",
    110: "High 10",
    122: "High 4:2:2",
    244: "High 4:4:4 Predictive",
    44: "CAVLC 4:4:4 Intra",
}
HEVC_PROFILES = {1: "Main", 2: "Main 10", 3: "Main Still Picture"}  # ITU-T H.265 Annex A
AV1_PROFILES = {0: "Main", 1: "High", 2: "Professional"}
# ITU-T H.273 transfer characteristics: 16 SMPTE ST 2084 (PQ), 18 ARIB STD-B67 (HLG); every other
# defined value is a standard-dynamic-range curve. 2 is "unspecified", 0, 3 and 19+ are reserved.
_SDR_CODES = frozenset({1, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 17})
_PREFIXES = ("Constrained ", "Progressive ")
_SUFFIXES = (" Intra",)
_FFPROBE_TRANSFERS = {"smpte2084": "pq", "arib-std-b67": "hlg"}
_FFPROBE_UNKNOWN = frozenset({"", "unknown", "reserved", "unspecified"})


def transfer_from_code(code: int | None) -> Transfer | None:
    if code == 16:
        return "pq"
    if code == 18:
        return "hlg"
    return "sdr" if code in _SDR_CODES else None


def transfer_from_mediainfo(text: object) -> Transfer | None:
    """MediaInfo's ``transfer_characteristics`` ("PQ", "HLG", "BT.709", ...)."""
    if not isinstance(text, str) or not text.strip():
        return None
    word = text.strip().upper()
    return "pq" if word == "PQ" else "hlg" if word == "HLG" else "sdr"


def transfer_from_ffprobe(text: object) -> Transfer | None:
    """ffprobe's ``color_transfer`` ("smpte2084", "arib-std-b67", "bt709", "unknown", ...)."""
    if not isinstance(text, str) or text.strip().lower() in _FFPROBE_UNKNOWN:
        return None
    found = _FFPROBE_TRANSFERS.get(text.strip().lower())
    return "pq" if found == "pq" else "hlg" if found == "hlg" else "sdr"


def profile_name(text: object) -> str | None:
    """A backend's profile word in vidlint's vocabulary ("Constrained Baseline" -> "Baseline");
    None for nothing, "unknown" or a number-only word."""
    if not isinstance(text, str):
        return None
    name = text.split("@")[0].strip()  # MediaInfo's text output joins the level: "High@L4"
    if not name or name.lower() == "unknown" or name.replace(".", "").isdigit():
        return None
    for prefix in _PREFIXES:
        if name.startswith(prefix):
            name = name[len(prefix) :]
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and name != suffix.strip():
            name = name[: -len(suffix)]
    return name
