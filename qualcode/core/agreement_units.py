"""Units of analysis for inter-coder agreement, built from coded spans by interval arithmetic.

Agreement statistics need one value per coder per unit. The units here are characters,
segments (sentences, paragraphs) and whole documents; the value is 1 when the coder's spans of
one code cover (or overlap) the unit, else 0. Instead of a row per unit, every function
returns *pattern counts*: ``{(v_coder1, v_coder2, ...): number of units}``, which
:func:`qualcode.core.agreement.stats_from_patterns` turns into statistics exactly as if each
pattern were repeated. A 20k-character document with two coders therefore costs a sort of the
span boundaries, never a Python loop over characters.

Spans are half-open ``[start, end)`` code-point offsets (see ``core/spans.py``). A coder's spans
may overlap one another and come in any order; empty spans (``start == end``) cover nothing.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence

import numpy as np

__all__ = [
    "character_patterns",
    "document_patterns",
    "merged_bounds",
    "pool_patterns",
    "segment_patterns",
]

Pattern = tuple[int, ...]


def _span_array(spans, what: str) -> np.ndarray:
    """``spans`` as an (n, 2) int64 array, or ValueError naming ``what``."""
    if isinstance(spans, np.ndarray):
        arr = spans.astype(np.int64, copy=False)
    else:
        spans = list(spans)
        if not spans:
            return np.empty((0, 2), dtype=np.int64)
        try:
            arr = np.asarray(spans, dtype=np.int64)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{what} must be (start, end) pairs of whole numbers") from exc
    if arr.size == 0:
        return np.empty((0, 2), dtype=np.int64)
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise ValueError(f"{what} must be (start, end) pairs, got an array of shape {arr.shape}")
    return arr


def merged_bounds(spans, length: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Starts and ends of the union of ``spans``: sorted, disjoint, non-empty, non-touching.

    Touching spans (``[0, 5)`` and ``[5, 9)``) merge as well: for coverage they are one run
    of coded text, which is what every unit type here and alpha-u's binary sections mean.
    Returned as two int64 arrays so callers can ``searchsorted`` them. With ``length``, spans
    must lie inside ``[0, length]``.
    """
    arr = _span_array(spans, "spans")
    starts, ends = arr[:, 0], arr[:, 1]
    if len(arr):
        if (starts < 0).any():
            raise ValueError(f"span start must be >= 0, got {int(starts.min())}")
        bad = ends < starts
        if bad.any():
            i = int(np.argmax(bad))
            raise ValueError(f"span [{starts[i]}, {ends[i]}) is reversed: end must be >= start")
        if length is not None and (ends > length).any():
            raise ValueError(
                f"span end {int(ends.max())} lies beyond the continuum of length {length}")
    keep = ends > starts
    starts, ends = starts[keep], ends[keep]
    if len(starts) == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    order = np.argsort(starts, kind="stable")
    starts, ends = starts[order], ends[order]
    reach = np.maximum.accumulate(ends)
    # A span opens a new run when it starts after everything before it has ended.
    new_run = np.empty(len(starts), dtype=bool)
    new_run[0] = True
    new_run[1:] = starts[1:] > reach[:-1]
    first = np.flatnonzero(new_run)
    last = np.append(first[1:], len(starts)) - 1
    return starts[first], reach[last]


def _check_coders(spans_by_coder) -> list:
    coders = list(spans_by_coder)
    if not coders:
        raise ValueError("need the spans of at least one coder")
    return coders


def _count_rows(values: np.ndarray, weights: np.ndarray) -> dict[Pattern, int]:
    """``{row as tuple: total weight}`` for the rows of a (units, coders) 0/1 matrix."""
    if len(values) == 0:
        return {}
    m = values.shape[1]
    if m <= 62:
        # Pack each row into one integer: a 1-D unique is several times faster than axis=0.
        keys = values.astype(np.int64) @ (np.int64(1) << np.arange(m, dtype=np.int64))
        uniq, inverse = np.unique(keys, return_inverse=True)
        rows = (uniq[:, None] >> np.arange(m, dtype=np.int64)) & 1
    else:
        rows, inverse = np.unique(values, axis=0, return_inverse=True)
    totals = np.bincount(inverse.reshape(-1), weights=weights, minlength=len(rows))
    return {
        tuple(int(v) for v in row): int(total)
        for row, total in zip(rows, totals)
        if total > 0
    }


def character_patterns(length: int, spans_by_coder: Sequence) -> dict[Pattern, int]:
    """Every character of ``[0, length)`` is one unit, valued 1 for a coder whose spans cover it.

    One sweep over the sorted span boundaries: between two consecutive boundaries every
    character has the same pattern, so each elementary interval adds its length to one count.
    The counts sum to ``length``. Characters are independent units, so several documents can
    be pooled exactly by shifting each one's spans by its offset in their concatenation.
    """
    if length < 0:
        raise ValueError(f"length must be >= 0, got {length}")
    coders = [merged_bounds(spans, length) for spans in _check_coders(spans_by_coder)]
    if length == 0:
        return {}
    bounds = np.unique(np.concatenate([[0, length], *(b for pair in coders for b in pair)]))
    sizes = np.diff(bounds)
    covered = np.zeros((len(sizes), len(coders)), dtype=np.int8)
    for col, (starts, ends) in enumerate(coders):
        step = np.zeros(len(bounds), dtype=np.int8)
        # Merged runs are disjoint and non-touching, so these indices never collide.
        step[np.searchsorted(bounds, starts)] += 1
        step[np.searchsorted(bounds, ends)] -= 1
        covered[:, col] = np.cumsum(step[:-1])
    return _count_rows(covered, sizes)


def _overlap_flags(seg_starts: np.ndarray, seg_ends: np.ndarray, runs) -> np.ndarray:
    """For each segment, whether it shares at least one character with the merged runs."""
    starts, ends = runs
    if len(starts) == 0:
        return np.zeros(len(seg_starts), dtype=np.int8)
    # First run ending after the segment starts; the segment overlaps a run iff that run
    # also starts before the segment ends (runs are sorted and disjoint).
    k = np.searchsorted(ends, seg_starts, side="right")
    inside = k < len(starts)
    hit = np.zeros(len(seg_starts), dtype=bool)
    hit[inside] = starts[k[inside]] < seg_ends[inside]
    return hit.astype(np.int8)


def segment_patterns(segments, spans_by_coder: Sequence) -> dict[Pattern, int]:
    """Each segment ``[start, end)`` is one unit, valued 1 if a coder's span overlaps it.

    Overlap means at least one shared character: ``[0, 5)`` and ``[5, 9)`` only touch. Each
    coder costs a merge of their spans and one binary search per segment,
    O((n + m) log n) for n spans and m segments. Segments may overlap one another; an empty
    segment is rejected because it holds no text to agree on.
    """
    seg = _span_array(segments, "segments")
    if len(seg) and ((seg[:, 0] < 0).any() or (seg[:, 1] <= seg[:, 0]).any()):
        bad = np.flatnonzero((seg[:, 0] < 0) | (seg[:, 1] <= seg[:, 0]))[0]
        raise ValueError(
            f"segment {int(bad)} [{seg[bad, 0]}, {seg[bad, 1]}) is empty or has a negative start")
    coders = [merged_bounds(spans) for spans in _check_coders(spans_by_coder)]
    if len(seg) == 0:
        return {}
    values = np.stack([_overlap_flags(seg[:, 0], seg[:, 1], runs) for runs in coders], axis=1)
    return _count_rows(values, np.ones(len(seg)))


def document_patterns(
    doc_ids: Iterable[Hashable],
    spans_by_coder_by_doc: Mapping[Hashable, Sequence],
    n_coders: int | None = None,
) -> dict[Pattern, int]:
    """Each document is one unit, valued 1 for a coder with at least one non-empty span in it.

    ``spans_by_coder_by_doc[doc]`` lists each coder's spans in that document. A document
    absent from the mapping was coded by nobody; ``n_coders`` is then needed unless another
    document shows how many coders there are.
    """
    doc_ids = list(doc_ids)
    if len(set(doc_ids)) != len(doc_ids):
        raise ValueError("doc_ids must not repeat: each document is one unit")
    sizes = {len(spans_by_coder_by_doc[d]) for d in doc_ids if d in spans_by_coder_by_doc}
    if n_coders is not None:
        sizes.add(n_coders)
    if len(sizes) > 1:
        raise ValueError(f"every document needs spans for the same coders, got counts {sorted(sizes)}")
    if not sizes:
        if not doc_ids:
            return {}
        raise ValueError("cannot tell how many coders there are: pass n_coders")
    m = sizes.pop()
    if m < 1:
        raise ValueError("need the spans of at least one coder")
    values = np.zeros((len(doc_ids), m), dtype=np.int8)
    for row, doc in enumerate(doc_ids):
        for col, spans in enumerate(spans_by_coder_by_doc.get(doc, ())):
            values[row, col] = len(merged_bounds(spans)[0]) > 0
    return _count_rows(values, np.ones(len(doc_ids)))


def pool_patterns(pattern_counts: Iterable[Mapping[Pattern, int]]) -> dict[Pattern, int]:
    """Sum pattern counts, e.g. over codes for the ``overall`` figure (its units are
    (code, unit) pairs, so pooling is a plain sum)."""
    pooled: dict[Pattern, int] = {}
    width = None
    for counts in pattern_counts:
        for pattern, n in counts.items():
            pattern = tuple(pattern)
            if width is None:
                width = len(pattern)
            elif len(pattern) != width:
                raise ValueError(
                    f"cannot pool patterns of {width} and {len(pattern)} coders")
            pooled[pattern] = pooled.get(pattern, 0) + n
    return pooled
