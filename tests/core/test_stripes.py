"""qualcode.core.stripes: lanes never collide, use as few lanes as possible, and pieces tile
the covered text exactly."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings, strategies as st

from qualcode.core import stripes


def test_block_starts_follow_line_breaks():
    text = "ab\ncd\n\nef\u2029g"
    assert stripes.block_starts(text).tolist() == [0, 3, 6, 7, 10]
    assert stripes.block_of(stripes.block_starts(text), np.array([0, 2, 3, 6, 9, 10])).tolist() == [0, 0, 1, 2, 3, 4]


def test_enclosing_coding_is_nearer_the_text_and_lanes_are_reused():
    text = "one\ntwo\nthree\nfour\nfive\n"
    b = stripes.block_starts(text)
    # spans: whole text; "two"; "four"; "one two" -> blocks [0,4], [1,1], [3,3], [0,1]
    starts = np.array([0, 4, 14, 0])
    ends = np.array([len(text) - 1, 7, 18, 7])
    lay = stripes.layout(b, starts, ends)
    assert lay.first_block.tolist() == [0, 1, 3, 0]
    assert lay.last_block.tolist() == [4, 1, 3, 1]
    assert lay.lanes.tolist() == [0, 2, 1, 1]
    assert lay.lane_count == 3


def test_codings_in_one_paragraph_never_share_a_lane_even_if_disjoint():
    text = "a long paragraph with two codings far apart\nnext"
    lay = stripes.layout(stripes.block_starts(text), np.array([0, 30]), np.array([5, 35]))
    assert sorted(lay.lanes.tolist()) == [0, 1]


def test_empty():
    lay = stripes.layout(np.array([0]), np.array([], dtype=np.int64), np.array([], dtype=np.int64))
    assert lay.lane_count == 0 and stripes.pieces(np.array([]), np.array([]), np.array([], dtype=int), 0, 9) == []


spans_strategy = st.lists(st.tuples(st.integers(0, 60), st.integers(1, 25)), min_size=1, max_size=40)


@settings(max_examples=200, deadline=None)
@given(spans_strategy, st.sets(st.integers(1, 80), max_size=12))
def test_lanes_are_collision_free_and_minimal(raw, breaks):
    text = "".join("\n" if i in breaks else "x" for i in range(100))
    starts = np.array([s for s, _ in raw])
    ends = np.array([s + n for s, n in raw])
    lay = stripes.layout(stripes.block_starts(text), starts, ends)
    # independent oracle: block index by counting line breaks before a position
    blocks = [text[:p].count("\n") for p in range(101)]
    ranges = [(blocks[s], blocks[e - 1]) for s, e in zip(starts, ends)]
    assert list(zip(lay.first_block.tolist(), lay.last_block.tolist())) == ranges
    for i in range(len(raw)):
        for j in range(i):
            if lay.lanes[i] == lay.lanes[j]:
                (a, b), (c, d) = ranges[i], ranges[j]
                assert b < c or d < a, "two bars in one lane share a paragraph"
    depth = max(sum(1 for a, b in ranges if a <= k <= b) for k in range(max(blocks) + 1))
    assert lay.lane_count == depth


@settings(max_examples=200, deadline=None)
@given(spans_strategy, st.integers(0, 50), st.integers(1, 60))
def test_pieces_tile_the_covered_positions(raw, lo, width):
    hi = lo + width
    starts = np.array([s for s, _ in raw])
    ends = np.array([s + n for s, n in raw])
    idx = stripes.overlapping(starts, ends, lo, hi)
    got = stripes.pieces(starts, ends, idx, lo, hi)
    cover = {p: sorted(i for i in range(len(raw)) if starts[i] <= p < ends[i]) for p in range(lo, hi)}
    seen = {}
    for a, b, members in got:
        assert lo <= a < b <= hi
        for p in range(a, b):
            seen[p] = sorted(members.tolist())
    assert seen == {p: c for p, c in cover.items() if c}
    assert [a for a, _, _ in got] == sorted(a for a, _, _ in got)

