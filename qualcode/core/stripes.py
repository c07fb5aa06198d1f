"""Layout of coding stripes and highlights, without Qt.

The document view draws one bar per coding in a margin beside the text. Bars of codings that
share a paragraph would collide however the text wraps, so lanes are assigned over the
paragraph ranges each coding touches: an interval-partitioning sweep that uses the fewest
lanes any assignment can (the largest number of codings sharing one paragraph range). The
result depends only on the text and the spans, never on the window width, so it is computed
once per document and painting only looks it up.

Positions are plain integers: the view passes UTF-16 offsets, tests pass code points; the
arithmetic is the same as long as one call uses one unit.
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass

import numpy as np

# Where the text view starts a new block (paragraph). Qt's plain-text layout breaks blocks
# at these three characters; each still occupies one position, so offsets do not shift.
_BLOCK_BREAK = re.compile("[\n\r\u2029]")


def block_starts(text: str) -> np.ndarray:
    """Start offset of every block of ``text`` (the first is 0)."""
    return np.array([0] + [m.end() for m in _BLOCK_BREAK.finditer(text)], dtype=np.int64)


def block_of(starts_of_blocks: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """Index of the block holding each position."""
    return np.searchsorted(starts_of_blocks, positions, side="right") - 1


def assign_lanes(first: np.ndarray, last: np.ndarray) -> np.ndarray:
    """Lane of each inclusive ``[first, last]`` range so that ranges in one lane never meet.

    Ranges are taken by start, longer first at equal start (an enclosing coding gets the lane
    nearer the text); a lane is free again after its range's last block, and the lowest free
    lane is reused, so the lane count equals the largest overlap.
    """
    n = len(first)
    lanes = np.zeros(n, dtype=np.int64)
    if n == 0:
        return lanes
    order = np.lexsort((-np.asarray(last), np.asarray(first))).tolist()
    f, la = np.asarray(first).tolist(), np.asarray(last).tolist()
    active: list[tuple[int, int]] = []  # (last block, lane)
    free: list[int] = []
    used = 0
    for i in order:
        while active and active[0][0] < f[i]:
            heapq.heappush(free, heapq.heappop(active)[1])
        if free:
            lane = heapq.heappop(free)
        else:
            lane, used = used, used + 1
        heapq.heappush(active, (la[i], lane))
        lanes[i] = lane
    return lanes


@dataclass(frozen=True)
class StripeLayout:
    """Per coding (in the caller's order): lane and the blocks it runs through."""

    lanes: np.ndarray
    first_block: np.ndarray
    last_block: np.ndarray

    @property
    def lane_count(self) -> int:
        return int(self.lanes.max()) + 1 if len(self.lanes) else 0


def layout(starts_of_blocks: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> StripeLayout:
    """Lanes for half-open spans ``[start, end)`` over a text with the given block starts."""
    starts = np.asarray(starts, dtype=np.int64)
    ends = np.asarray(ends, dtype=np.int64)
    first = block_of(starts_of_blocks, starts)
    last = block_of(starts_of_blocks, np.maximum(ends - 1, starts))
    return StripeLayout(assign_lanes(first, last), first, last)


def overlapping(starts: np.ndarray, ends: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """Indices of spans that share at least one position with ``[lo, hi)``."""
    return np.flatnonzero((starts < hi) & (ends > lo))


def pieces(starts: np.ndarray, ends: np.ndarray, idx: np.ndarray, lo: int, hi: int
           ) -> list[tuple[int, int, np.ndarray]]:
    """The spans ``idx`` cut at every boundary inside ``[lo, hi)``: ``(start, end, covering
    indices)`` for each stretch covered by at least one span, in text order. Meant for the few
    spans on screen, so a dense boundary-by-span matrix is cheap."""
    if len(idx) == 0:
        return []
    s = np.maximum(starts[idx], lo)
    e = np.minimum(ends[idx], hi)
    keep = s < e
    idx, s, e = idx[keep], s[keep], e[keep]
    if len(idx) == 0:
        return []
    bounds = np.unique(np.concatenate([s, e]))
    covers = (s[:, None] <= bounds[None, :-1]) & (e[:, None] >= bounds[None, 1:])
    out = []
    for j in np.flatnonzero(covers.any(axis=0)).tolist():
        out.append((int(bounds[j]), int(bounds[j + 1]), idx[covers[:, j]]))
    return out
