"""Code co-occurrence: codes x codes, as counts and as Jaccard similarity.

Two units (also in docs/reports.md):

- ``overlap`` (default): the count for codes A and B is the number of pairs (a coding of A,
  a coding of B) in the same document that share at least one character; touching codings
  (``[0, 5)`` and ``[5, 9)``) do not co-occur. Jaccard is measured on coded text: the
  characters covered by both A and B divided by the characters covered by A or B (each
  code's codings merged first, so overlapping codings of one code count once).
- ``paragraph`` / ``sentence``: the count is the number of segments that at least one coding
  of A and at least one coding of B overlap; Jaccard is that number divided by the number of
  segments touched by A or by B.

The diagonal holds each code's own total (codings, or segments touched) and Jaccard 1.
Codings of different coders co-occur unless ``same_coder`` is set; then only pairs by one
coder count (and for Jaccard, coverage is taken per coder).

The pairs come from a sweep over spans sorted by start (:mod:`qualcode.core.interval_groups`),
so the cost grows with the number of overlapping pairs, not with all pairs of codings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from ...core.interval_groups import iter_overlap_pairs, merge_runs, pairs_within_runs, segment_hits
from ...errors import InvalidInput
from ...store import report_queries
from ...store.database import Database
from ..progress import SILENT, Progress
from .selection import CodeTree, Filters, columns_of, select
from .writers import Table

UNITS = ("overlap", "paragraph", "sentence")
MEASURES = ("count", "jaccard")


@dataclass
class Cooccurrence:
    unit: str
    same_coder: bool
    codes: list[str]
    counts: np.ndarray  # codes x codes, symmetric, int
    jaccard: np.ndarray  # codes x codes, symmetric, in [0, 1]
    coders: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "unit": self.unit,
            "same_coder": self.same_coder,
            "coders": self.coders,
            "codes": self.codes,
            "counts": self.counts.astype(int).tolist(),
            "jaccard": np.round(self.jaccard, 4).tolist(),
        }

    def tables(self, measure: str = "count") -> list[Table]:
        count = Table(f"Co-occurrence ({self.unit})", ["code", *self.codes],
                      [[c, *map(int, row)] for c, row in zip(self.codes, self.counts)])
        jac = Table(f"Jaccard ({self.unit})", ["code", *self.codes],
                    [[c, *(round(float(v), 4) for v in row)] for c, row in zip(self.codes, self.jaccard)])
        return [jac, count] if measure == "jaccard" else [count, jac]

    def graph(self):
        """An undirected networkx graph: a node per code (with its total), an edge per pair
        that co-occurs (weight = count, and jaccard)."""
        import networkx as nx

        g = nx.Graph(unit=self.unit, same_coder=self.same_coder)
        for i, code in enumerate(self.codes):
            g.add_node(code, label=code, total=int(self.counts[i, i]))
        a, b = np.nonzero(np.triu(self.counts, k=1))
        for i, j in zip(a.tolist(), b.tolist()):
            g.add_edge(self.codes[i], self.codes[j], weight=int(self.counts[i, j]),
                       jaccard=round(float(self.jaccard[i, j]), 4))
        return g


def _symmetric(upper: np.ndarray, k: int) -> np.ndarray:
    m = upper.reshape(k, k)
    return m + m.T


def _pair_counts(a: np.ndarray, b: np.ndarray, k: int, weights=None) -> np.ndarray:
    """Off-diagonal sums over pairs of codes (a, b), folded into the upper triangle."""
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    keep = lo != hi
    w = None if weights is None else weights[keep]
    return np.bincount(lo[keep] * k + hi[keep], weights=w, minlength=k * k)


def _overlap(group, code, start, end, k: int) -> tuple[np.ndarray, np.ndarray]:
    counts = np.zeros(k * k)
    for i, j in iter_overlap_pairs(group, start, end):
        counts += _pair_counts(code[i], code[j], k)
    totals = np.bincount(code, minlength=k)
    # Jaccard on coded characters: merge each code's spans per group, then intersect runs.
    run_key, rs, re = merge_runs(group * k + code, start, end)
    run_code = run_key % k
    run_group = run_key // k
    covered = np.bincount(run_code, weights=re - rs, minlength=k)
    inter = np.zeros(k * k)
    for i, j in iter_overlap_pairs(run_group, rs, re):
        shared = np.minimum(re[i], re[j]) - np.maximum(rs[i], rs[j])
        inter += _pair_counts(run_code[i], run_code[j], k, shared)
    inter = _symmetric(inter, k)
    union = covered[:, None] + covered[None, :] - inter
    return _finish(_symmetric(counts, k), totals, inter, union)


def _segments(db: Database, kind: str, document_ids, group_doc, coder_of, code, start, end, k: int,
              same_coder: bool) -> tuple[np.ndarray, np.ndarray]:
    seg_doc, seg_s, seg_e = columns_of(report_queries.segment_spans(db.conn, kind, document_ids), 3)
    span, seg = segment_hits(group_doc, start, end, seg_doc, seg_s, seg_e)
    unit = seg * (int(coder_of.max(initial=0)) + 1) + coder_of[span] if same_coder else seg
    present = np.unique(unit * k + code[span])  # (unit, code) once each, sorted by unit
    units, codes = present // k, present % k
    totals = np.bincount(codes, minlength=k)
    i, j = pairs_within_runs(units)
    both = _symmetric(_pair_counts(codes[i], codes[j], k), k)
    union = totals[:, None] + totals[None, :] - both
    return _finish(both, totals, both, union)


def _finish(counts, totals, inter, union) -> tuple[np.ndarray, np.ndarray]:
    counts = counts.astype(np.int64)
    np.fill_diagonal(counts, totals)
    with np.errstate(divide="ignore", invalid="ignore"):
        jaccard = np.where(union > 0, inter / np.where(union > 0, union, 1), 0.0)
    np.fill_diagonal(jaccard, (totals > 0).astype(float))
    return counts, jaccard


def cooccurrence(db: Database, filters: Filters | None = None, codes: Sequence[str] = (), unit: str = "overlap",
                 same_coder: bool = False, progress: Progress = SILENT) -> Cooccurrence:
    if unit not in UNITS:
        raise InvalidInput(f"unit must be one of {', '.join(UNITS)}, got {unit!r}")
    sel = select(db, filters)
    tree = CodeTree(db)
    wanted = tree.resolve(db, codes) if codes else None
    progress.report(0, 3, "reading codings")
    _id, doc, code_id, coder, start, end = columns_of(
        report_queries.coding_spans(db.conn, sel.document_ids, sel.coder_ids, wanted), 6)
    rows = tree.row_array(code_id)
    shown = sorted(set(tree.row[c] for c in wanted) if wanted else set(np.unique(rows).tolist()))
    k = len(shown)
    position = np.full(len(tree.ids), -1, dtype=np.int64)
    position[shown] = np.arange(k)
    code = position[rows]
    progress.report(1, 3, "sweeping spans")
    if unit == "overlap":
        group = doc * (int(coder.max(initial=0)) + 1) + coder if same_coder else doc
        counts, jaccard = _overlap(group, code, start, end, k)
    else:
        counts, jaccard = _segments(db, unit, sel.document_ids, doc, coder, code, start, end, k, same_coder)
    progress.report(3, 3, "done")
    return Cooccurrence(unit=unit, same_coder=same_coder, codes=[tree.paths[r] for r in shown], counts=counts,
                        jaccard=jaccard, coders=list(sel.coders.values()))
