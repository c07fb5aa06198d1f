"""Where coders' coverage agrees or differs, as stretches of text: pure numpy and plain lists.

:mod:`qualcode.core.agreement_units` counts *how many* characters show each coverage pattern;
adjudication and the disagreement list need *where* they are. Both work on the same idea: cut
the continuum at every span boundary, so each elementary interval has one coverage per coder.
Several documents share one continuum (each shifted by its offset); the document offsets are
passed as ``cuts``, so no stretch ever runs from one document into the next.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from .agreement_units import merged_bounds
from .spans import merge

Spans = list[tuple[int, int]]


def elementary_intervals(length: int, spans_by_coder: Sequence, cuts=()) -> tuple[np.ndarray, np.ndarray]:
    """``bounds`` (k + 1 sorted positions from 0 to ``length``) and ``covered`` (k x coders, 0/1):
    every character of ``[bounds[i], bounds[i + 1])`` is covered by coder j iff covered[i, j].
    ``cuts`` are extra positions to cut at (document starts)."""
    runs = [merged_bounds(spans, length) for spans in spans_by_coder]
    cuts = np.asarray(list(cuts), dtype=np.int64)
    bounds = np.unique(np.concatenate([np.array([0, length], np.int64), cuts, *(b for r in runs for b in r)]))
    covered = np.zeros((len(bounds) - 1, len(runs)), dtype=np.int8)
    for col, (starts, ends) in enumerate(runs):
        step = np.zeros(len(bounds), dtype=np.int8)
        step[np.searchsorted(bounds, starts)] += 1
        step[np.searchsorted(bounds, ends)] -= 1
        covered[:, col] = np.cumsum(step[:-1])
    return bounds, covered


def runs_where(bounds: np.ndarray, mask: np.ndarray, cuts=()) -> tuple[np.ndarray, np.ndarray]:
    """Starts and ends of the maximal stretches of consecutive intervals where ``mask`` holds;
    a stretch never continues across a position in ``cuts``."""
    idx = np.flatnonzero(mask)
    if len(idx) == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    new = np.ones(len(idx), dtype=bool)
    new[1:] = (idx[1:] != idx[:-1] + 1) | np.isin(bounds[idx[1:]], np.asarray(list(cuts), dtype=np.int64))
    first = idx[new]
    last = idx[np.append(new[1:], True)]
    return bounds[first], bounds[last + 1]


def subtract(spans: Iterable[tuple[int, int]], windows: Iterable[tuple[int, int]]) -> Spans:
    """The parts of ``spans`` outside every window (all half-open); the result is merged."""
    out: Spans = []
    cut = sorted((s, e) for s, e in windows if e > s)
    for s, e in _merge(spans):
        pos = s
        for ws, we in cut:
            if we <= pos or ws >= e:
                continue
            if ws > pos:
                out.append((pos, ws))
            pos = max(pos, we)
            if pos >= e:
                break
        if pos < e:
            out.append((pos, e))
    return out


def union(*span_lists: Iterable[tuple[int, int]]) -> Spans:
    """Merged union; spans that touch become one, as one stretch of coded text."""
    return _merge(s for spans in span_lists for s in spans)


def clip(spans: Iterable[tuple[int, int]], start: int, end: int) -> Spans:
    """``spans`` cut to ``[start, end)``, merged."""
    return _merge((max(s, start), min(e, end)) for s, e in spans if s < end and e > start)


def _merge(spans: Iterable[tuple[int, int]]) -> Spans:
    """:func:`qualcode.core.spans.merge` on whole numbers, empty spans dropped."""
    return merge((int(s), int(e)) for s, e in spans if e > s)
