"""H.264 parameter sets as a decoder takes or refuses them (the avcC box's SPS and PPS)."""

from __future__ import annotations

import pytest

from vidlint.probing import h264

SPS = bytes.fromhex("6742c028da01e0089f97011000000300100000030040f1832a")  # x264, 1920x1080, with VUI
PPS = bytes.fromhex("68ce013720")


def test_a_real_pair_is_taken() -> None:
    assert h264.check_sps(SPS) == (0, 8)
    h264.check_pps(PPS, {0: 8})


@pytest.mark.parametrize(
    ("sps", "message"),
    [
        (SPS.replace(bytes.fromhex("9f9701"), bytes.fromhex("9f97c8")), "aspect_ratio_idc 200 is reserved"),
        (SPS[:12], "ends"),  # cut inside the VUI
        (
            SPS.replace(bytes.fromhex("1000000300"), bytes.fromhex("0000000103")),
            "ends",
        ),  # a start code inside
        (bytes.fromhex("6742c028") + bytes([0x00, 0x00, 0x00, 0x01]), "ends"),
    ],
)
def test_what_a_decoder_refuses(sps: bytes, message: str) -> None:
    with pytest.raises(h264.ParameterSetError, match=message):
        h264.check_sps(sps)


def test_a_pps_must_name_a_known_sps_and_a_qp_in_range() -> None:
    with pytest.raises(h264.ParameterSetError, match="sequence parameter set 0"):
        h264.check_pps(PPS, {})
    # ids 0 and 0, CAVLC, no field order, one slice group, 1 + 1 reference, no weighting, then
    # pic_init_qp_minus26 = -31 (se: code 62), qs 0, chroma offset 0, three flags, the stop bit
    bits = "110011100000000111111110001"
    size = -(-len(bits) // 8)
    pps = bytes([0x68]) + int(bits.ljust(size * 8, "0"), 2).to_bytes(size, "big")
    with pytest.raises(h264.ParameterSetError, match="pic_init_qp_minus26"):
        h264.check_pps(pps, {0: 8})


def test_emulation_prevention_bytes_are_removed() -> None:
    assert h264._rbsp(bytes.fromhex("1000000300")) == bytes.fromhex("10000000")
    assert h264._rbsp(bytes.fromhex("1000000100")) == bytes.fromhex("10")
