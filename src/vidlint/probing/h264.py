"""H.264 parameter sets (from an avcC box) read far enough to know a decoder will take them.

A sequence or picture parameter set that a decoder refuses ("illegal aspect ratio", "Overread VUI",
"QP 4294967261 out of range", "crop values invalid") leaves a file whose header MediaInfo reads but
whose first frame nothing decodes. The syntax follows ITU-T H.264 7.3.2.1 and 7.3.2.2 and the ranges
ffmpeg's h264_ps.c enforces; fields are read, checked and dropped, except the luma bit depth and the
VUI's transfer characteristics (facts: ``VideoTrack.bit_depth``, ``hdr_transfer``).
"""

from __future__ import annotations

_HIGH_PROFILES = frozenset({100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135})
_EXTENDED_SAR = 255
_MAX_SAR_INDEX = 16  # Table E-1: 1..16, then 255 for an explicit ratio
_MAX_MBS = 139264  # level 6.2's MaxFS (8192x4320 and more)


class ParameterSetError(ValueError):
    """A parameter set a decoder refuses; the message says which field."""


class Bits:
    """Fixed-width and Exp-Golomb fields of a bit string; ParameterSetError when one runs past its end."""

    def __init__(self, data: bytes, *, stop_bit: bool = False) -> None:
        """``stop_bit``: ``data`` is an RBSP, whose syntax ends before its last 1 bit (the
        rbsp_stop_one_bit) and the zero bits after it, as a decoder counts it ("Overread VUI")."""
        value, size = int.from_bytes(data, "big"), len(data) * 8
        if stop_bit and value:
            trailing = (value & -value).bit_length()  # the stop bit and the zeros after it
            value, size = value >> trailing, size - trailing
        self._value, self._size, self._pos = value, size, 0

    def u(self, count: int) -> int:
        if self._pos + count > self._size:
            raise ParameterSetError(f"it ends {self._pos + count - self._size} bits early")
        self._pos += count
        return (self._value >> (self._size - self._pos)) & ((1 << count) - 1)

    def align(self) -> None:
        """Skip to the next byte boundary."""
        self.u(-self._pos % 8)

    def flag(self) -> bool:
        return bool(self.u(1))

    def ue(self, limit: int, name: str) -> int:
        zeros = 0
        while not self.u(1):
            zeros += 1
            if zeros > 31:
                raise ParameterSetError(f"{name} is not a number")
        value = (1 << zeros) - 1 + self.u(zeros)
        if value > limit:
            raise ParameterSetError(f"{name} is {value}, above {limit}")
        return value

    def se(self, low: int, high: int, name: str) -> int:
        code = self.ue(2**32, name)
        value = (code + 1) // 2 if code % 2 else -(code // 2)
        if not low <= value <= high:
            raise ParameterSetError(f"{name} is {value}, outside {low}..{high}")
        return value


def check_sps(nal: bytes) -> tuple[int, int]:
    """(sps id, luma bit depth) of a sequence parameter set NAL unit (header byte included);
    ParameterSetError when a decoder would refuse it."""
    sps_id, depth, _ = read_sps(nal)
    return sps_id, depth


def read_sps(nal: bytes) -> tuple[int, int, int | None]:
    """``check_sps`` and the VUI's transfer characteristics (H.273 code; None when not given)."""
    bits = Bits(_rbsp(nal[1:]), stop_bit=True)
    profile = bits.u(8)
    bits.u(16)  # constraint flags, level
    sps_id = bits.ue(31, "seq_parameter_set_id")
    chroma, depth = 1, 8
    if profile in _HIGH_PROFILES:
        chroma = bits.ue(3, "chroma_format_idc")
        if chroma == 3:
            bits.flag()  # separate_colour_plane_flag
        depth = 8 + bits.ue(6, "bit_depth_luma_minus8")
        bits.ue(6, "bit_depth_chroma_minus8")
        bits.flag()  # qpprime_y_zero_transform_bypass_flag
        if bits.flag():  # seq_scaling_matrix_present_flag
            for i in range(8 if chroma != 3 else 12):
                if bits.flag():
                    _scaling_list(bits, 16 if i < 6 else 64)
    bits.ue(12, "log2_max_frame_num_minus4")
    poc_type = bits.ue(2, "pic_order_cnt_type")
    if poc_type == 0:
        bits.ue(12, "log2_max_pic_order_cnt_lsb_minus4")
    elif poc_type == 1:
        bits.flag()
        bits.se(-(2**31), 2**31 - 1, "offset_for_non_ref_pic")
        bits.se(-(2**31), 2**31 - 1, "offset_for_top_to_bottom_field")
        for _ in range(bits.ue(255, "num_ref_frames_in_pic_order_cnt_cycle")):
            bits.se(-(2**31), 2**31 - 1, "offset_for_ref_frame")
    bits.ue(16, "max_num_ref_frames")
    bits.flag()  # gaps_in_frame_num_value_allowed_flag
    width = 16 * (1 + bits.ue(_MAX_MBS, "pic_width_in_mbs_minus1"))
    map_units = 1 + bits.ue(_MAX_MBS, "pic_height_in_map_units_minus1")
    frame_mbs_only = bits.flag()
    height = 16 * map_units * (1 if frame_mbs_only else 2)
    if (width // 16) * (height // 16) > _MAX_MBS:
        raise ParameterSetError(f"a picture of {width}x{height} is larger than any level allows")
    if not frame_mbs_only:
        bits.flag()  # mb_adaptive_frame_field_flag
    bits.flag()  # direct_8x8_inference_flag
    if bits.flag():  # frame_cropping_flag
        crop = [bits.ue(2**16, "frame_crop_offset") for _ in range(4)]
        step_x = 1 if chroma in (0, 3) else 2
        step_y = (2 if chroma == 1 else 1) * (1 if frame_mbs_only else 2)
        if (crop[0] + crop[1]) * step_x >= width or (crop[2] + crop[3]) * step_y >= height:
            raise ParameterSetError(f"its cropping {crop} leaves nothing of {width}x{height}")
    transfer = _vui(bits) if bits.flag() else None  # vui_parameters_present_flag
    return sps_id, depth, transfer


def _rbsp(payload: bytes) -> bytes:
    """The NAL unit's payload as a decoder reads it: emulation prevention bytes removed (00 00 03 ->
    00 00), and ended at the first 00 00 01 or 00 00 02, which only a start code can be (ffmpeg's
    ff_h2645_extract_rbsp does the same: a parameter set cut there then overreads)."""
    out = bytearray()
    at = 0
    while at < len(payload):
        if payload[at : at + 2] == b"\x00\x00" and at + 2 < len(payload) and payload[at + 2] <= 3:
            if payload[at + 2] == 3:
                out += b"\x00\x00"
                at += 3
                continue
            if payload[at + 2] in (1, 2):
                break
        out.append(payload[at])
        at += 1
    return bytes(out)


def _scaling_list(bits: Bits, size: int) -> None:
    last = following = 8
    for _ in range(size):
        if following:
            following = (last + bits.se(-128, 127, "delta_scale") + 256) % 256
        last = following or last


def _vui(bits: Bits) -> int | None:
    """Reads the VUI to its end; its transfer characteristics, when the colour description is given."""
    transfer = None
    if bits.flag():  # aspect_ratio_info_present_flag
        index = bits.u(8)
        if index == _EXTENDED_SAR:
            bits.u(32)  # sar_width, sar_height
        elif index > _MAX_SAR_INDEX:
            raise ParameterSetError(f"aspect_ratio_idc {index} is reserved")
    if bits.flag():  # overscan_info_present_flag
        bits.flag()
    if bits.flag():  # video_signal_type_present_flag
        bits.u(4)  # video_format, video_full_range_flag
        if bits.flag():  # colour_description_present_flag
            bits.u(8)  # colour_primaries
            transfer = bits.u(8)
            bits.u(8)  # matrix_coefficients
    if bits.flag():  # chroma_loc_info_present_flag
        bits.ue(5, "chroma_sample_loc_type_top_field")
        bits.ue(5, "chroma_sample_loc_type_bottom_field")
    if bits.flag():  # timing_info_present_flag
        num_units_in_tick, time_scale = bits.u(32), bits.u(32)
        if not num_units_in_tick or not time_scale:
            raise ParameterSetError(f"its timing is {time_scale}/{num_units_in_tick}")
        bits.flag()  # fixed_frame_rate_flag
    nal_hrd, vcl_hrd = bits.flag() and _hrd(bits), bits.flag() and _hrd(bits)
    if nal_hrd or vcl_hrd:
        bits.flag()  # low_delay_hrd_flag
    bits.flag()  # pic_struct_present_flag
    if bits.flag():  # bitstream_restriction_flag
        bits.flag()  # motion_vectors_over_pic_boundaries_flag
        bits.ue(16, "max_bytes_per_pic_denom")
        bits.ue(16, "max_bits_per_mb_denom")
        bits.ue(16, "log2_max_mv_length_horizontal")
        bits.ue(16, "log2_max_mv_length_vertical")
        bits.ue(16, "max_num_reorder_frames")
        bits.ue(16, "max_dec_frame_buffering")
    return transfer


def _hrd(bits: Bits) -> bool:
    count = 1 + bits.ue(31, "cpb_cnt_minus1")
    bits.u(8)  # bit_rate_scale, cpb_size_scale
    for _ in range(count):
        bits.ue(2**32 - 2, "bit_rate_value_minus1")
        bits.ue(2**32 - 2, "cpb_size_value_minus1")
        bits.flag()  # cbr_flag
    bits.u(20)  # four delay and length fields of five bits
    return True


def check_pps(nal: bytes, sets: dict[int, int]) -> None:
    """A picture parameter set NAL unit (header byte included) against the sequence parameter sets
    (id -> luma bit depth) it may refer to; ParameterSetError when refused. The optional tail
    (transform_8x8_mode_flag, scaling lists) is left unread."""
    bits = Bits(_rbsp(nal[1:]), stop_bit=True)
    bits.ue(255, "pic_parameter_set_id")
    sps_id = bits.ue(31, "seq_parameter_set_id")
    if sps_id not in sets:
        raise ParameterSetError(f"it refers to sequence parameter set {sps_id}, which the avcC box lacks")
    depth = sets[sps_id]
    bits.u(2)  # entropy_coding_mode_flag, bottom_field_pic_order_in_frame_present_flag
    if bits.ue(7, "num_slice_groups_minus1"):
        return  # slice groups (FMO, baseline only): their maps are not read here
    bits.ue(31, "num_ref_idx_l0_default_active_minus1")
    bits.ue(31, "num_ref_idx_l1_default_active_minus1")
    bits.flag()  # weighted_pred_flag
    if bits.u(2) == 3:
        raise ParameterSetError("weighted_bipred_idc is 3")
    qp_low = -(26 + 6 * (depth - 8))
    bits.se(qp_low, 25, "pic_init_qp_minus26")
    bits.se(qp_low, 25, "pic_init_qs_minus26")
    bits.se(-12, 12, "chroma_qp_index_offset")
    bits.u(3)  # deblocking_filter_control_present_flag, constrained_intra_pred_flag, redundant_pic_cnt
