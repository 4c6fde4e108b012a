"""Fuzz, with ffprobe as the oracle: a mutated real MP4 that vidlint passes for every file marketplace
must open in ffprobe and decode a first video frame.

The mutations (``fuzzing.mutate``) hit the index: byte flips and zeroed ranges inside a box of the
moov (or of a moof), 32-bit fields set to big or zero values, truncations near the end of the moov
and anywhere else. The decoder configurations' bytes (avcC, esds) are left alone here: their
structure and parameter sets are checked, but a flipped flag can leave a valid parameter set that
decodes wrongly, which no header check can tell (the offline run counts those too). Seeded and
bounded: the same 100 cases every run (``derandomize``), ~10 s. ``python tests/probing/fuzzing.py
--cases 1000`` runs many more by hand.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .fuzzing import SEEDS, mutate, opens, passes_everywhere
from .support import SAMPLES


@pytest.fixture(scope="module")
def clips() -> dict[str, bytes]:
    return {name: (SAMPLES / name).read_bytes() for name in SEEDS}


@pytest.fixture(scope="module")
def fuzz_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("no_false_accepts") / "input.mp4"


@settings(
    max_examples=100,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(seed=st.sampled_from(SEEDS), rng=st.randoms(use_true_random=False))
def test_what_vidlint_passes_ffprobe_opens(
    clips: dict[str, bytes], fuzz_file: Path, seed: str, rng: random.Random
) -> None:
    data, how = mutate(clips[seed], rng, index_only=True)
    fuzz_file.write_bytes(data)
    if passes_everywhere(fuzz_file):
        ok, why = opens(fuzz_file)
        assert ok, f"false accept: {seed} mutated ({how}) passes, but {why}"


def test_the_seed_clips_pass_and_play() -> None:
    """The oracle's own baseline: every unmutated seed passes and plays."""
    for name in SEEDS:
        assert passes_everywhere(SAMPLES / name), name
        assert opens(SAMPLES / name)[0], name
