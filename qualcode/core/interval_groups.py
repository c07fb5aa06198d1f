"""Interval arithmetic over many groups of spans at once (pure numpy).

Reports ask the same questions of every document (or every document and coder): how much text
do a code's spans cover, which spans overlap, which spans touch which segments. Looping over
documents in Python would cost a call per document and a loop per coding; instead every span
carries a group number, and the group is folded into the sort key (``group * width + offset``
with ``width`` larger than any offset), so one sort and one sweep serve all groups and no
comparison ever crosses from one group into the next.

Spans are half-open ``[start, end)`` with ``start < end``. Two spans overlap when they share at
least one character: ``[0, 5)`` and ``[5, 9)`` touch but do not overlap.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

__all__ = [
    "any_overlap",
    "expand_ranges",
    "iter_overlap_pairs",
    "merge_runs",
    "pairs_within_runs",
    "segment_hits",
    "union_lengths",
]

# Pairs generated per chunk: bounds memory when many long spans overlap one another.
PAIR_CHUNK = 4_000_000


def _ints(a) -> np.ndarray:
    return np.asarray(a, dtype=np.int64)


def _width(*arrays: np.ndarray) -> int:
    return int(max((int(a.max()) for a in arrays if len(a)), default=0)) + 1


def expand_ranges(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each ``i`` and each ``k`` in ``range(lo[i], hi[i])``: the pair ``(i, k)``, as two
    arrays. Empty and reversed ranges yield nothing."""
    lo, hi = _ints(lo), _ints(hi)
    counts = np.maximum(hi - lo, 0)
    total = int(counts.sum())
    owner = np.repeat(np.arange(len(lo), dtype=np.int64), counts)
    first = np.cumsum(counts) - counts
    k = np.arange(total, dtype=np.int64) - np.repeat(first, counts) + np.repeat(lo, counts)
    return owner, k


def union_lengths(group, start, end, n_groups: int) -> np.ndarray:
    """Characters covered by the union of the spans of each group (touching and overlapping
    spans counted once), as an int64 array of length ``n_groups``."""
    group, start, end = _ints(group), _ints(start), _ints(end)
    if not len(group):
        return np.zeros(n_groups, dtype=np.int64)
    width = _width(end)
    s, e = group * width + start, group * width + end
    order = np.argsort(s, kind="stable")
    s, e, g = s[order], e[order], group[order]
    reach = np.maximum.accumulate(e)
    before = np.concatenate(([-1], reach[:-1]))
    gained = np.maximum(e - np.maximum(s, before), 0)
    return np.bincount(g, weights=gained, minlength=n_groups).astype(np.int64)


def merge_runs(group, start, end) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The union of each group's spans as runs ``(group, start, end)``: disjoint and not
    touching within a group, sorted by group then start."""
    group, start, end = _ints(group), _ints(start), _ints(end)
    if not len(group):
        empty = np.empty(0, dtype=np.int64)
        return empty, empty.copy(), empty.copy()
    width = _width(end)
    s, e = group * width + start, group * width + end
    order = np.argsort(s, kind="stable")
    s, e = s[order], e[order]
    reach = np.maximum.accumulate(e)
    new_run = np.concatenate(([True], s[1:] > reach[:-1]))
    firsts = np.flatnonzero(new_run)
    run_start = s[firsts]
    run_end = np.maximum.reduceat(e, firsts)
    run_group = run_start // width
    return run_group, run_start - run_group * width, run_end - run_group * width


def iter_overlap_pairs(group, start, end, chunk: int = PAIR_CHUNK) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Every unordered pair of spans ``(i, j)`` (indices into the inputs) of the same group that
    share at least one character, each pair once, in chunks of about ``chunk`` pairs.

    A sweep over spans sorted by start: the spans that overlap span ``i`` and start at or
    after it are exactly those between it and the first span starting at or after its end,
    found with one ``searchsorted`` for all spans. The cost is the number of overlapping
    pairs, never all pairs of a document.
    """
    group, start, end = _ints(group), _ints(start), _ints(end)
    n = len(group)
    if not n:
        return
    width = _width(end)
    s, e = group * width + start, group * width + end
    order = np.argsort(s, kind="stable")
    s_sorted, e_sorted = s[order], e[order]
    stop = np.searchsorted(s_sorted, e_sorted, side="left")
    idx = np.arange(n, dtype=np.int64)
    counts = np.maximum(stop - idx - 1, 0)
    ends = np.cumsum(counts)
    lo = 0
    while lo < n:
        # the largest hi with at most `chunk` pairs in [lo, hi), and at least one span
        base = ends[lo - 1] if lo else 0
        hi = max(int(np.searchsorted(ends, base + chunk, side="right")), lo + 1)
        hi = min(hi, n)
        owner, k = expand_ranges(idx[lo:hi] + 1, stop[lo:hi])
        if len(owner):
            yield order[owner + lo], order[k]
        lo = hi


def any_overlap(q_group, q_start, q_end, group, start, end) -> np.ndarray:
    """For each query span: does some span of the same group share a character with it?

    The spans sorted by start carry a running maximum of their ends; a query ``[qs, qe)`` is
    hit when, among the spans starting before ``qe``, the furthest-reaching end lies past
    ``qs``. Query spans may reach outside ``[0, ...)``; they are clipped to it.
    """
    q_group, q_start, q_end = _ints(q_group), np.maximum(_ints(q_start), 0), _ints(q_end)
    group, start, end = _ints(group), _ints(start), _ints(end)
    hit = np.zeros(len(q_group), dtype=bool)
    if not len(group) or not len(q_group):
        return hit
    width = _width(end, q_end)
    s, e = group * width + start, group * width + end
    order = np.argsort(s, kind="stable")
    s, e = s[order], e[order]
    reach = np.maximum.accumulate(e)
    qs, qe = q_group * width + q_start, q_group * width + q_end
    last = np.searchsorted(s, qe, side="left") - 1
    ok = last >= 0
    hit[ok] = reach[last[ok]] > qs[ok]
    return hit


def segment_hits(group, start, end, seg_group, seg_start, seg_end) -> tuple[np.ndarray, np.ndarray]:
    """Pairs ``(span index, segment index)`` where the span shares at least one character with
    the segment. Segments of one group must not overlap one another (paragraphs, sentences)."""
    group, start, end = _ints(group), _ints(start), _ints(end)
    seg_group, seg_start, seg_end = _ints(seg_group), _ints(seg_start), _ints(seg_end)
    if not len(group) or not len(seg_group):
        empty = np.empty(0, dtype=np.int64)
        return empty, empty.copy()
    width = _width(end, seg_end)
    ss, se = seg_group * width + seg_start, seg_group * width + seg_end
    order = np.argsort(ss, kind="stable")
    ss, se = ss[order], se[order]
    s, e = group * width + start, group * width + end
    first = np.searchsorted(se, s, side="right")  # first segment ending after the span starts
    after = np.searchsorted(ss, e, side="left")  # first segment starting at or after its end
    span, k = expand_ranges(first, after)
    return span, order[k]


def pairs_within_runs(keys) -> tuple[np.ndarray, np.ndarray]:
    """All pairs ``(i, j)``, ``i < j``, of positions holding equal values in the *sorted* array
    ``keys``: e.g. every pair of codes present in the same segment."""
    keys = _ints(keys)
    n = len(keys)
    if not n:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty.copy()
    run_end = np.searchsorted(keys, keys, side="right")
    return expand_ranges(np.arange(1, n + 1, dtype=np.int64), run_end)
