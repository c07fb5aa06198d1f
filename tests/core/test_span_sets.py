"""Coverage stretches against a brute-force walk over characters."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode.core.span_sets import clip, elementary_intervals, runs_where, subtract, union


@st.composite
def coded(draw, coders=3):
    length = draw(st.integers(0, 40))
    span = st.tuples(st.integers(0, length), st.integers(0, length)).map(lambda p: (min(p), max(p)))
    spans = [draw(st.lists(span, max_size=5)) for _ in range(draw(st.integers(1, coders)))]
    cuts = sorted(draw(st.sets(st.integers(1, max(1, length - 1)), max_size=3))) if length > 1 else []
    return length, spans, cuts


def cover(length, spans):
    flags = [0] * length
    for s, e in spans:
        for i in range(s, e):
            flags[i] = 1
    return flags


def brute_runs(flags, cuts):
    """Maximal runs of true characters, broken at cuts."""
    out, start = [], None
    for i, f in enumerate(flags + [False]):
        if start is not None and (not f or i in cuts):
            out.append((start, i))
            start = None
        if f and start is None:
            start = i
    return out


@settings(max_examples=150, deadline=None)
@given(coded())
def test_intervals_carry_each_coders_coverage(case):
    length, spans, cuts = case
    bounds, covered = elementary_intervals(length, spans, cuts)
    assert bounds[0] == 0 and bounds[-1] == length
    assert set(cuts) <= set(bounds.tolist())
    for j, coder in enumerate(spans):
        expanded = np.repeat(covered[:, j], np.diff(bounds)).tolist()
        assert expanded == cover(length, coder)


@settings(max_examples=150, deadline=None)
@given(coded())
def test_runs_where_mixed_coverage_match_brute_force(case):
    length, spans, cuts = case
    bounds, covered = elementary_intervals(length, spans, cuts)
    count = covered.sum(axis=1)
    mixed = (count > 0) & (count < len(spans))
    starts, ends = runs_where(bounds, mixed, cuts)
    flags = [0 < sum(c) < len(spans) for c in zip(*(cover(length, s) for s in spans))] if length else []
    assert list(zip(starts.tolist(), ends.tolist())) == brute_runs(flags, set(cuts))


def test_runs_never_cross_a_cut_even_when_both_sides_qualify():
    bounds, covered = elementary_intervals(10, [[(2, 8)], []], cuts=[5])
    starts, ends = runs_where(bounds, covered[:, 0] == 1, cuts=[5])
    assert list(zip(starts.tolist(), ends.tolist())) == [(2, 5), (5, 8)]


def test_subtract_union_clip_by_hand():
    assert subtract([(0, 10)], [(2, 4), (6, 7)]) == [(0, 2), (4, 6), (7, 10)]
    assert subtract([(0, 10)], [(0, 10)]) == []
    assert subtract([(0, 5), (8, 12)], [(4, 9)]) == [(0, 4), (9, 12)]
    assert subtract([(3, 6)], []) == [(3, 6)]
    assert union([(0, 3)], [(3, 5), (7, 9)], [(8, 10)]) == [(0, 5), (7, 10)]
    assert union([(4, 4)]) == []
    assert clip([(0, 5), (8, 20)], 3, 10) == [(3, 5), (8, 10)]
    assert clip([(0, 2)], 2, 9) == []


@settings(max_examples=100, deadline=None)
@given(coded(coders=2))
def test_subtract_is_set_difference(case):
    length, (spans, *rest), _ = case
    windows = rest[0] if rest else [(0, length // 2)]
    got = cover(length, subtract(spans, windows))
    want = [a and not b for a, b in zip(cover(length, spans), cover(length, windows))]
    assert got == [int(x) for x in want]
