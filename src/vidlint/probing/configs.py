"""The decoder configuration inside a sample description, checked for what a decoder needs to start.

An H.264 track ("avc1") carries its parameter sets in an ``avcC`` box, an HEVC track ("hvc1") in an
``hvcC`` box, an AAC or MPEG audio track ("mp4a") its object type and AudioSpecificConfig in an
``esds`` box. When those are missing or malformed the first frame cannot be decoded ("non-existing PPS
0 referenced", "decode_pce: Input buffer exhausted"), whatever MediaInfo still reads from the header.
Only the structure is checked (versions, counts, lengths, NAL unit types), not the parameter sets'
own fields.
"""

from __future__ import annotations

from dataclasses import dataclass

from vidlint.probing import h264, profiles
from vidlint.probing.bmff import Child, IndexBroken, children, first, u8, u16

VISUAL_ENTRY_FIELDS = 78  # SampleEntry (8) + VisualSampleEntry (70), after the box header
_AUDIO_ENTRY_FIELDS = {0: 28, 1: 44, 2: 64}  # by the QuickTime sound description version
AAC_OBJECT_TYPES = frozenset({0x40, 0x66, 0x67, 0x68})  # MPEG-4 audio, MPEG-2 AAC Main / LC / SSR
_H264_ENTRIES = frozenset({"avc1", "avc3"})  # avc3 may carry its parameter sets in band
_HEVC_ENTRIES = frozenset({"hvc1", "hev1"})  # hev1 likewise
_HEVC_PARAMETER_SETS = {32: "VPS", 33: "SPS", 34: "PPS"}
# A decoder configuration box says which codec a sample description is for: its type must agree
_CONFIGURED_TYPES = {
    "avcC": frozenset({"avc1", "avc2", "avc3", "avc4", "dvav", "dva1", "encv"}),
    "hvcC": frozenset({"hvc1", "hev1", "dvh1", "dvhe", "encv"}),
    "av1C": frozenset({"av01", "encv"}),
    "vpcC": frozenset({"vp08", "vp09", "encv"}),
    "esds": frozenset({"mp4v", "mp4a", "mp4s", "encv", "enca"}),
    "dac3": frozenset({"ac-3", "enca"}),
    "dec3": frozenset({"ec-3", "enca"}),
    "dOps": frozenset({"Opus", "enca"}),
    "dfLa": frozenset({"fLaC", "enca"}),
}
_GENERAL_AUDIO = frozenset({1, 2, 3, 4, 6, 7, 17, 19, 20, 21, 22, 23})  # with a GASpecificConfig


@dataclass(frozen=True, slots=True)
class EntryFacts:
    object_type: int | None = None  # esds objectTypeIndication (0x40 AAC, 0x6B MPEG-1 audio, ...)
    pixel_aspect: tuple[int, int] | None = None  # pasp: hSpacing, vSpacing
    nal_length_size: int | None = None  # H.264 / HEVC: bytes of the length before each NAL unit
    profile: str | None = None  # avcC / hvcC / av1C, named as VideoTrack.profile
    bit_depth: int | None = None  # luma
    transfer: profiles.Transfer | None = None  # the colr box's, else the H.264 VUI's


@dataclass(frozen=True, slots=True)
class _Codec:
    """What a decoder configuration record says beyond its structure."""

    nal_length_size: int | None = None
    profile: str | None = None
    bit_depth: int | None = None
    transfer_code: int | None = None  # H.273, from the VUI


def check_entry(data: bytes, tag: str, entry: Child, handler: str | None, where: str) -> EntryFacts:
    """What the sample description ``entry`` (of type ``tag``) says; IndexBroken when the decoder
    configuration that its type requires is missing or malformed, or when it holds the configuration
    of a codec its type is not (an "avc1" flipped to "Xvc1" keeps its avcC: MediaInfo still says
    AVC, ffprobe finds no decoder)."""
    _, start, end = entry
    boxes: list[Child] = []
    if handler == "vide":
        if not (tag.isascii() and tag.isprintable()):
            raise IndexBroken(f"{where}: its sample description has no codec type ({tag!r})")
        if end - start >= VISUAL_ENTRY_FIELDS:
            boxes = list(children(data, start + VISUAL_ENTRY_FIELDS, end, where, strict=False))
    elif handler == "soun":
        version = u16(data, start + 8, end, f"the sound description of {where}")
        fields = _AUDIO_ENTRY_FIELDS.get(version)
        if fields is None:
            raise IndexBroken(f"the sound description of {where} has version {version}")
        boxes = list(children(data, start + fields, end, where, strict=False))
    for kind, _, _ in boxes:
        types = _CONFIGURED_TYPES.get(kind)
        if types is not None and tag not in types:
            raise IndexBroken(f"{where}: a sample description of type {tag!r} holds a {kind} box")
    if handler == "vide":
        codec = _Codec()
        if tag in _H264_ENTRIES:
            codec = _avc_config(data, first(boxes, "avcC"), in_band=tag == "avc3", where=where)
        elif tag in _HEVC_ENTRIES:
            codec = _hevc_config(data, first(boxes, "hvcC"), in_band=tag == "hev1", where=where)
        elif tag == "av01":
            codec = _av1_config(data, first(boxes, "av1C"))
        colour = _colour_transfer(data, first(boxes, "colr"))
        return EntryFacts(
            pixel_aspect=_pixel_aspect(data, first(boxes, "pasp")),
            nal_length_size=codec.nal_length_size,
            profile=codec.profile,
            bit_depth=codec.bit_depth,
            transfer=profiles.transfer_from_code(colour if colour is not None else codec.transfer_code),
        )
    if handler == "soun" and tag == "mp4a":
        esds = _find_esds(boxes, data, where)
        if esds is None:
            raise IndexBroken(f"{where} (mp4a) has no decoder configuration (esds)")
        return EntryFacts(object_type=_esds_object_type(data, esds, where))
    return EntryFacts()


def _pixel_aspect(data: bytes, pasp: Child | None) -> tuple[int, int] | None:
    if pasp is None or pasp[2] - pasp[1] < 8:
        return None
    h_spacing = int.from_bytes(data[pasp[1] : pasp[1] + 4], "big")
    v_spacing = int.from_bytes(data[pasp[1] + 4 : pasp[1] + 8], "big")
    return (h_spacing, v_spacing) if h_spacing and v_spacing else None


def _colour_transfer(data: bytes, colr: Child | None) -> int | None:
    """The transfer characteristics of a colr box of type nclx (ISO) or nclc (QuickTime): after the
    colour type, primaries, then transfer (u16 each). None for an ICC profile or a box cut short:
    players ignore a colr box they cannot read, and so does the index check."""
    if colr is None or colr[2] - colr[1] < 8 or data[colr[1] : colr[1] + 4] not in (b"nclx", b"nclc"):
        return None
    return int.from_bytes(data[colr[1] + 6 : colr[1] + 8], "big")


def _av1_config(data: bytes, box: Child | None) -> _Codec:
    """AV1CodecConfigurationRecord: seq_profile, then high_bitdepth and twelve_bit (AV1 spec 5.5.2)."""
    if box is None or box[2] - box[1] < 3:
        return _Codec()
    profile, flags = data[box[1] + 1] >> 5, data[box[1] + 2]
    depth = (12 if flags & 0x20 else 10) if flags & 0x40 else 8
    return _Codec(profile=profiles.AV1_PROFILES.get(profile), bit_depth=depth)


def _version_1(data: bytes, box: Child | None, name: str, where: str) -> tuple[int, int, str]:
    """A decoder configuration box that must be there and be of version 1: its payload's start and
    end, and how messages name it."""
    if box is None:
        raise IndexBroken(f"{where} has no decoder configuration ({name})")
    _, at, end = box
    what = f"the {name} box of {where}"
    if u8(data, at, end, what) != 1:
        raise IndexBroken(f"{what} has version {data[at]}, not 1")
    return at, end, what


def _avc_config(data: bytes, box: Child | None, *, in_band: bool, where: str) -> _Codec:
    """AVCDecoderConfigurationRecord: version 1, a NAL length size of 1, 2 or 4 bytes, and (out of
    band) at least one SPS and one PPS, each of the NAL unit type it is listed as. Its profile
    (AVCProfileIndication), and the luma bit depth and transfer of its first SPS."""
    at, end, what = _version_1(data, box, "avcC", where)
    profile = profiles.H264_PROFILES.get(u8(data, at + 1, end, what))
    nal_length_size = 1 + (u8(data, at + 4, end, what) & 3)
    if nal_length_size == 3:
        raise IndexBroken(f"{what} gives a NAL length size of 3 bytes")
    at += 5
    sequence_sets: dict[int, int] = {}
    transfers: list[int | None] = []
    for name, nal_type, mask in (("SPS", 7, 0x1F), ("PPS", 8, 0xFF)):
        count = u8(data, at, end, what) & mask
        at += 1
        if count == 0 and not in_band:
            raise IndexBroken(f"{what} holds no {name}")
        for _ in range(count):
            length = u16(data, at, end, what)
            if length == 0 or at + 2 + length > end:
                raise IndexBroken(f"{what}: a {name} of {length} bytes does not fit")
            nal = data[at + 2 : at + 2 + length]
            if nal[0] & 0x1F != nal_type:
                raise IndexBroken(f"{what}: its {name} is a NAL unit of type {nal[0] & 0x1F}")
            try:
                if nal_type == 7:
                    sps_id, depth, transfer = h264.read_sps(nal)
                    sequence_sets[sps_id] = depth
                    transfers.append(transfer)
                else:
                    h264.check_pps(nal, sequence_sets)
            except h264.ParameterSetError as exc:
                raise IndexBroken(f"{what}: its {name} is refused: {exc}") from None
            at += 2 + length
    depths = list(sequence_sets.values())
    return _Codec(
        nal_length_size=nal_length_size,
        profile=profile,
        bit_depth=depths[0] if depths else None,
        transfer_code=transfers[0] if transfers else None,
    )


def _hevc_config(data: bytes, box: Child | None, *, in_band: bool, where: str) -> _Codec:
    """HEVCDecoderConfigurationRecord: version 1, a NAL length size of 1, 2 or 4 bytes, arrays that fit,
    and (out of band) a VPS, an SPS and a PPS. Its general_profile_idc and bitDepthLumaMinus8."""
    at, end, what = _version_1(data, box, "hvcC", where)
    profile = profiles.HEVC_PROFILES.get(u8(data, at + 1, end, what) & 0x1F)
    bit_depth = 8 + (u8(data, at + 17, end, what) & 7)
    nal_length_size = 1 + (u8(data, at + 21, end, what) & 3)
    if nal_length_size == 3:
        raise IndexBroken(f"{what} gives a NAL length size of 3 bytes")
    arrays = u8(data, at + 22, end, what)
    at += 23
    found: set[int] = set()
    for _ in range(arrays):
        nal_type = u8(data, at, end, what) & 0x3F
        count = u16(data, at + 1, end, what)
        at += 3
        for _ in range(count):
            length = u16(data, at, end, what)
            if length == 0 or at + 2 + length > end:
                raise IndexBroken(f"{what}: a NAL unit of {length} bytes does not fit")
            if (data[at + 2] >> 1) & 0x3F != nal_type:
                raise IndexBroken(f"{what}: an array of NAL type {nal_type} holds one of another type")
            found.add(nal_type)
            at += 2 + length
    missing = [name for nal_type, name in _HEVC_PARAMETER_SETS.items() if nal_type not in found]
    if missing and not in_band:
        raise IndexBroken(f"{what} holds no {' / '.join(missing)}")
    return _Codec(nal_length_size=nal_length_size, profile=profile, bit_depth=bit_depth)


def _find_esds(boxes: list[Child], data: bytes, where: str) -> Child | None:
    """The esds box among a sound description's extensions (or inside QuickTime's ``wave`` box)."""
    for child in boxes:
        if child[0] == "esds":
            return child
        if child[0] == "wave":
            found = _find_esds(list(children(data, child[1], child[2], where, strict=False)), data, where)
            if found is not None:
                return found
    return None


def _esds_object_type(data: bytes, esds: Child, where: str) -> int:
    """objectTypeIndication of the DecoderConfigDescriptor; for AAC, its AudioSpecificConfig checked."""
    what = f"the esds box of {where}"
    descriptors = data[esds[1] + 4 : esds[2]]  # after the full box's version and flags
    at = 0
    object_type: int | None = None
    while at < len(descriptors):
        tag = descriptors[at]
        length, at = _descriptor_length(descriptors, at + 1, what)
        if at + length > len(descriptors) and tag != 3:  # writers differ on the ES_Descriptor's length
            raise IndexBroken(f"{what}: descriptor {tag} of {length} bytes does not fit")
        if tag == 3:  # ES_Descriptor: ES_ID, flags and optional fields, then the nested descriptors
            at = _skip_es_fields(descriptors, at, what)
        elif tag == 4:  # DecoderConfigDescriptor: object type, 12 bytes, then DecoderSpecificInfo
            if length < 13:
                raise IndexBroken(f"{what}: a decoder configuration of {length} bytes")
            object_type = descriptors[at]
            at += 13
        elif tag == 5:  # DecoderSpecificInfo
            if object_type in AAC_OBJECT_TYPES:
                _audio_specific_config(descriptors[at : at + length], what)
                return object_type
            at += length
        else:
            break
    if object_type is None:
        raise IndexBroken(f"{what} has no decoder configuration descriptor")
    if object_type in AAC_OBJECT_TYPES:
        raise IndexBroken(f"{what} has no AudioSpecificConfig for its AAC stream")
    return object_type


def _descriptor_length(descriptors: bytes, at: int, what: str) -> tuple[int, int]:
    length = 0
    for _ in range(4):  # up to four bytes of seven bits each
        if at >= len(descriptors):
            raise IndexBroken(f"{what} is cut short")
        byte = descriptors[at]
        at += 1
        length = (length << 7) | (byte & 0x7F)
        if not byte & 0x80:
            break
    return length, at


def _skip_es_fields(descriptors: bytes, at: int, what: str) -> int:
    if at + 3 > len(descriptors):
        raise IndexBroken(f"{what} is cut short")
    flags = descriptors[at + 2]
    at += 3
    if flags & 0x80:  # streamDependenceFlag: dependsOn_ES_ID
        at += 2
    if flags & 0x40:  # URL_Flag: a counted URL
        at += 1 + (descriptors[at] if at < len(descriptors) else 0)
    if flags & 0x20:  # OCRstreamFlag: OCR_ES_Id
        at += 2
    return at


def _audio_specific_config(config: bytes, what: str) -> None:
    """The first fields of an AAC AudioSpecificConfig: an object type, a sampling frequency (by index,
    or explicit after index 15) and a channel configuration, none of them a reserved value; with
    channel configuration 0, a program config element that declares at least one channel element."""
    bits = h264.Bits(config)
    try:
        object_type = bits.u(5)
        if object_type == 31:
            object_type = 32 + bits.u(6)
        frequency_index = bits.u(4)
        if frequency_index == 15:
            bits.u(24)
        channels = bits.u(4)
        if object_type == 0 or frequency_index in (13, 14) or channels in (8, 9, 10, 15):
            raise IndexBroken(f"{what}: an AudioSpecificConfig with reserved values ({config[:5].hex()})")
        if channels == 0 and object_type in _GENERAL_AUDIO:
            bits.u(1)  # frameLengthFlag
            if bits.flag():  # dependsOnCoreCoder
                bits.u(14)
            bits.u(1)  # extensionFlag
            _program_config_element(bits, what)
    except h264.ParameterSetError:
        raise IndexBroken(f"{what}: an AudioSpecificConfig of {len(config)} bytes is cut short") from None


def _program_config_element(bits: h264.Bits, what: str) -> None:
    """ISO 14496-3 4.4.1.1: the element lists and the comment must fit in the AudioSpecificConfig
    (ffmpeg: "decode_pce: Input buffer exhausted before END element found")."""
    bits.u(10)  # element instance tag, object type, sampling frequency index
    front, side, back, lfe = bits.u(4), bits.u(4), bits.u(4), bits.u(2)
    assoc, coupling = bits.u(3), bits.u(4)
    for width in (4, 4, 3):  # mono mixdown, stereo mixdown, matrix mixdown: a flag, then the field
        if bits.flag():
            bits.u(width)
    if front + side + back + lfe == 0:
        raise IndexBroken(f"{what}: its program config element declares no channel")
    bits.u(5 * (front + side + back) + 4 * (lfe + assoc) + 5 * coupling)
    bits.align()
    bits.u(8 * bits.u(8))  # the comment field
