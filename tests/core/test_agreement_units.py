"""Units from spans: the interval arithmetic against a per-character brute force that lives
only here, in the test."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode.core.agreement_units import (
    character_patterns,
    document_patterns,
    merged_bounds,
    pool_patterns,
    segment_patterns,
)


def coverage(length, spans):
    """Per-character 0/1 list: the slow, obvious definition."""
    covered = [0] * length
    for start, end in spans:
        for x in range(start, end):
            covered[x] = 1
    return covered


def brute_characters(length, spans_by_coder):
    columns = [coverage(length, spans) for spans in spans_by_coder]
    return dict(Counter(tuple(col[x] for col in columns) for x in range(length)))


def brute_segments(length, segments, spans_by_coder):
    columns = [coverage(length, spans) for spans in spans_by_coder]
    return dict(Counter(tuple(int(any(col[s:e])) for col in columns) for s, e in segments))


@st.composite
def coded_text(draw, min_coders=1, max_coders=4):
    length = draw(st.integers(0, 80))
    span = st.tuples(st.integers(0, length), st.integers(0, length)).map(lambda p: tuple(sorted(p)))
    coders = draw(st.lists(st.lists(span, max_size=6), min_size=min_coders, max_size=max_coders))
    return length, coders


# --------------------------------------------------------------------------- merged_bounds

def test_merged_bounds_merges_overlapping_touching_and_unsorted_spans():
    starts, ends = merged_bounds([(10, 12), (0, 3), (2, 5), (5, 7), (4, 6), (20, 20), (11, 15)])
    assert starts.tolist() == [0, 10]
    assert ends.tolist() == [7, 15]
    starts, ends = merged_bounds([(0, 10), (2, 3)])  # nested
    assert (starts.tolist(), ends.tolist()) == ([0], [10])
    starts, ends = merged_bounds([])
    assert len(starts) == len(ends) == 0
    starts, ends = merged_bounds(np.array([[4, 6], [0, 2]]))
    assert (starts.tolist(), ends.tolist()) == ([0, 4], [2, 6])


@settings(max_examples=100, deadline=None)
@given(coded_text(max_coders=1))
def test_merged_bounds_covers_exactly_the_union(case):
    length, (spans,) = case
    starts, ends = merged_bounds(spans, length)
    assert coverage(length, zip(starts.tolist(), ends.tolist())) == coverage(length, spans)
    assert (ends > starts).all()
    assert (starts[1:] > ends[:-1]).all()  # disjoint and not touching


def test_merged_bounds_rejects_bad_spans():
    with pytest.raises(ValueError, match="reversed"):
        merged_bounds([(5, 3)])
    with pytest.raises(ValueError, match=">= 0"):
        merged_bounds([(-1, 3)])
    with pytest.raises(ValueError, match="beyond"):
        merged_bounds([(0, 11)], length=10)
    with pytest.raises(ValueError, match="pairs"):
        merged_bounds([(0, 1, 2)])
    with pytest.raises(ValueError, match="pairs"):
        merged_bounds([("a", "b")])


# --------------------------------------------------------------------------- characters

@settings(max_examples=150, deadline=None)
@given(coded_text())
def test_character_patterns_match_brute_force(case):
    length, coders = case
    patterns = character_patterns(length, coders)
    assert patterns == brute_characters(length, coders)
    assert sum(patterns.values()) == length


@pytest.mark.parametrize("spans_by_coder, expected", [
    # touching spans of two coders share no character
    ([[(0, 5)], [(5, 9)]], {(1, 0): 5, (0, 1): 4, (0, 0): 11}),
    # nobody coded anything
    ([[], []], {(0, 0): 20}),
    # both cover everything
    ([[(0, 20)], [(0, 10), (10, 20)]], {(1, 1): 20}),
    # non-overlapping coders, the rest uncoded
    ([[(0, 3), (10, 12)], [(4, 8)]], {(1, 0): 5, (0, 1): 4, (0, 0): 11}),
    # empty spans cover nothing
    ([[(3, 3)], [(7, 7), (0, 1)]], {(0, 1): 1, (0, 0): 19}),
])
def test_character_patterns_boundary_cases(spans_by_coder, expected):
    assert character_patterns(20, spans_by_coder) == expected


def test_character_patterns_edges_and_errors():
    assert character_patterns(0, [[], []]) == {}
    assert character_patterns(5, [[(1, 3)]]) == {(0,): 3, (1,): 2}  # one coder is fine here
    with pytest.raises(ValueError, match="beyond"):
        character_patterns(5, [[(0, 6)], []])
    with pytest.raises(ValueError, match="at least one coder"):
        character_patterns(5, [])
    with pytest.raises(ValueError, match="length"):
        character_patterns(-1, [[]])


def test_character_patterns_with_many_coders():
    # Beyond 62 coders the patterns no longer pack into one integer; same answer either way.
    rng = np.random.default_rng(7)
    coders = []
    for _ in range(64):
        starts = rng.integers(0, 50, 3)
        coders.append([(int(s), int(s + rng.integers(0, 10))) for s in starts])
    assert character_patterns(60, coders) == brute_characters(60, coders)
    assert character_patterns(60, coders[:62]) == brute_characters(60, coders[:62])


# --------------------------------------------------------------------------- segments

@st.composite
def segmented_text(draw):
    length, coders = draw(coded_text())
    if length == 0:
        return length, [], coders
    seg = st.tuples(st.integers(0, length - 1), st.integers(1, length)).filter(
        lambda p: p[0] < p[1])
    return length, draw(st.lists(seg, max_size=8)), coders


@settings(max_examples=150, deadline=None)
@given(segmented_text())
def test_segment_patterns_match_brute_force(case):
    length, segments, coders = case
    patterns = segment_patterns(segments, coders)
    assert patterns == brute_segments(length, segments, coders)
    assert sum(patterns.values()) == len(segments)


def test_segment_overlap_needs_a_shared_character():
    sentences = [(0, 5), (5, 9), (9, 15)]
    # [0,5) touches sentence 2 without sharing a character.
    assert segment_patterns(sentences, [[(0, 5)], [(5, 6)]]) == {(1, 0): 1, (0, 1): 1, (0, 0): 1}
    # One character inside each of the first two sentences marks both.
    assert segment_patterns(sentences, [[(4, 6)], [(4, 6)]]) == {(1, 1): 2, (0, 0): 1}
    # Spans covering everything mark every sentence; no spans mark none.
    assert segment_patterns(sentences, [[(0, 15)], []]) == {(1, 0): 3}


def test_segment_patterns_edges_and_errors():
    assert segment_patterns([], [[(0, 3)], []]) == {}
    assert segment_patterns(np.array([[0, 4], [4, 8]]), [[(2, 3)], [(7, 9)]]) == {
        (1, 0): 1, (0, 1): 1}
    with pytest.raises(ValueError, match="empty"):
        segment_patterns([(3, 3)], [[], []])
    with pytest.raises(ValueError, match="reversed"):
        segment_patterns([(0, 3)], [[(3, 1)], []])


# --------------------------------------------------------------------------- documents

def test_document_patterns():
    spans = {
        "d1": [[(0, 4)], [(10, 12)]],
        "d2": [[(1, 2)], []],
        "d3": [[(5, 5)], []],  # an empty span is no coding
    }
    assert document_patterns(["d1", "d2", "d3", "d4"], spans) == {
        (1, 1): 1, (1, 0): 1, (0, 0): 2}
    assert document_patterns(["d4"], {}, n_coders=3) == {(0, 0, 0): 1}
    assert document_patterns([], {}) == {}
    with pytest.raises(ValueError, match="n_coders"):
        document_patterns(["d4"], {})
    with pytest.raises(ValueError, match="same coders"):
        document_patterns(["d1", "x"], {"d1": [[], []], "x": [[]]})
    with pytest.raises(ValueError, match="repeat"):
        document_patterns(["d1", "d1"], spans)


# --------------------------------------------------------------------------- pooling

def test_pool_patterns_sums_counts():
    pooled = pool_patterns([{(0, 0): 5, (1, 0): 2}, {(1, 0): 3, (1, 1): 1}, {}])
    assert pooled == {(0, 0): 5, (1, 0): 5, (1, 1): 1}
    with pytest.raises(ValueError, match="cannot pool"):
        pool_patterns([{(0, 0): 1}, {(0, 0, 0): 1}])


@settings(max_examples=60, deadline=None)
@given(st.lists(coded_text(min_coders=2, max_coders=2), min_size=1, max_size=4))
def test_documents_concatenate_exactly_for_characters(docs):
    # Pooling documents' character patterns equals one sweep over their concatenation with
    # shifted spans: what lets a service make one call per code instead of one per document.
    offset, joined = 0, [[], []]
    for length, coders in docs:
        for col, spans in enumerate(coders):
            joined[col].extend((s + offset, e + offset) for s, e in spans)
        offset += length
    pooled = pool_patterns(character_patterns(length, coders) for length, coders in docs)
    assert pooled == character_patterns(offset, joined)
