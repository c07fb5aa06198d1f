"""Grouped interval arithmetic against brute force over explicit character sets."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from qualcode.core import interval_groups as ig


def random_spans(seed: int, n: int = 60, groups: int = 4, length: int = 40):
    rng = np.random.default_rng(seed)
    group = rng.integers(0, groups, n)
    start = rng.integers(0, length - 1, n)
    end = start + rng.integers(1, 12, n)
    return group, start, end


def chars(s, e) -> set[int]:
    return set(range(int(s), int(e)))


def brute_pairs(group, start, end) -> set[tuple[int, int]]:
    return {(i, j) for i, j in itertools.combinations(range(len(group)), 2)
            if group[i] == group[j] and start[i] < end[j] and start[j] < end[i]}


@pytest.mark.parametrize("seed", range(8))
def test_union_lengths_count_each_character_once(seed):
    group, start, end = random_spans(seed)
    expected = [len(set().union(*[chars(s, e) for g, s, e in zip(group, start, end) if g == k])) for k in range(5)]
    assert ig.union_lengths(group, start, end, 5).tolist() == expected


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("chunk", [1, 7, ig.PAIR_CHUNK])
def test_overlap_pairs_are_exactly_the_pairs_sharing_a_character(seed, chunk):
    group, start, end = random_spans(seed)
    found = [tuple(sorted(p)) for i, j in ig.iter_overlap_pairs(group, start, end, chunk=chunk)
             for p in zip(i.tolist(), j.tolist())]
    assert len(found) == len(set(found))  # each pair once, also across chunks
    assert set(found) == brute_pairs(group, start, end)


def test_touching_spans_are_not_a_pair_and_one_shared_character_is():
    # [0,5) and [5,9) touch; [0,5) and [4,9) share the character 4; the last is another group
    group, start, end = [0, 0, 1, 1, 2], [0, 5, 0, 4, 4], [5, 9, 5, 9, 9]
    pairs = {(int(i), int(j)) for a, b in ig.iter_overlap_pairs(group, start, end) for i, j in zip(a, b)}
    assert {tuple(sorted(p)) for p in pairs} == {(2, 3)}


@pytest.mark.parametrize("seed", range(6))
def test_merge_runs_is_the_union_without_touching_runs(seed):
    group, start, end = random_spans(seed)
    g, s, e = ig.merge_runs(group, start, end)
    for k in range(4):
        covered = set().union(*[chars(a, b) for gg, a, b in zip(group, start, end) if gg == k])
        runs = [(a, b) for gg, a, b in zip(g.tolist(), s.tolist(), e.tolist()) if gg == k]
        assert set().union(*[chars(a, b) for a, b in runs]) == covered
        assert all(b1 < a2 for (_, b1), (a2, _) in zip(runs, runs[1:]))  # disjoint, not touching


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("pad", [0, 3])
def test_any_overlap_matches_brute_force(seed, pad):
    group, start, end = random_spans(seed)
    qg, qs, qe = random_spans(seed + 100, n=30)
    hit = ig.any_overlap(qg, qs - pad, qe + pad, group, start, end)
    expected = [any(g == q and s < b + pad and e > a - pad for g, s, e in zip(group, start, end))
                for q, a, b in zip(qg, qs, qe)]
    assert hit.tolist() == expected


def test_segment_hits_need_a_shared_character():
    seg_group, seg_start, seg_end = [0, 0, 0, 1], [0, 10, 20, 0], [10, 20, 30, 10]
    # [5,15) spans two segments; [10,20) exactly one; [20,21) touches [10,20) only by its end
    group, start, end = [0, 0, 0, 1], [5, 10, 20, 9], [15, 20, 21, 10]
    span, seg = ig.segment_hits(group, start, end, seg_group, seg_start, seg_end)
    assert sorted(zip(span.tolist(), seg.tolist())) == [(0, 0), (0, 1), (1, 1), (2, 2), (3, 3)]


def test_pairs_within_runs_pairs_equal_neighbours_only():
    i, j = ig.pairs_within_runs([1, 1, 1, 4, 7, 7])
    assert sorted(zip(i.tolist(), j.tolist())) == [(0, 1), (0, 2), (1, 2), (4, 5)]
