"""The block cache behind the URL and bucket readers: reads give the source's bytes as far as the
fetched blocks reach, and the missing runs are exactly the blocks not fetched, consecutive ones joined."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from vidlint.probing.reading import BlockCache

BLOCK = 16


def _cache(source: bytes, fetched: set[int]) -> BlockCache:
    cache = BlockCache(BLOCK)
    for index in fetched:
        cache.store(index * BLOCK, source[index * BLOCK : (index + 1) * BLOCK])
    return cache


@given(
    source=st.binary(min_size=1, max_size=200), fetched=st.sets(st.integers(0, 12)), pos=st.integers(0, 220)
)
def test_a_read_gives_the_source_up_to_the_first_gap(source: bytes, fetched: set[int], pos: int) -> None:
    read = _cache(source, fetched).read(pos, len(source))
    gap = next(i for i in itertools.count(pos // BLOCK) if i not in fetched)  # the first block not fetched
    assert read == source[pos : max(pos, gap * BLOCK)]


@given(fetched=st.sets(st.integers(0, 12)), start=st.integers(0, 200), length=st.integers(1, 60))
def test_the_missing_runs_are_the_blocks_not_fetched(fetched: set[int], start: int, length: int) -> None:
    runs = _cache(bytes(BLOCK * 13), fetched).missing_runs(start, start + length)
    wanted = range(start // BLOCK, (start + length - 1) // BLOCK + 1)
    assert [i for first, last in runs for i in range(first, last + 1)] == [
        i for i in wanted if i not in fetched
    ]
    assert all(later[0] > earlier[1] + 1 for earlier, later in itertools.pairwise(runs))  # one request a run
