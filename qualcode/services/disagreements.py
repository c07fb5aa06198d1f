"""Where coders disagree: the passages an adjudicator has to look at.

A disagreement is a maximal stretch of one document where, for one code, some of the chosen
coders cover the text and others do not (with two coders: exactly one of them). Stretches are
found at character level whatever unit the statistics use, because characters are what a
consensus coding is made of; adjacent stretches with different patterns (A alone, then B
alone) form one disagreement, since resolving one side alone would leave a ragged boundary.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ..core.span_sets import elementary_intervals, runs_where
from ..store import documents as doc_store
from ..store.database import Database
from .agreement import Selection, select


@dataclass(frozen=True)
class Disagreement:
    """One stretch ``[start, end)`` of a document (document offsets) and, per coder, the parts
    of it they covered with the code (empty for a coder who coded none of it)."""

    code: str
    code_id: int
    document: str
    document_id: int
    start: int
    end: int
    text: str
    coverage: dict[str, tuple[tuple[int, int], ...]]

    @property
    def coders(self) -> list[str]:
        """The coders who coded some of the stretch."""
        return [c for c, pieces in self.coverage.items() if pieces]

    @property
    def key(self) -> tuple[int, int, int, int]:
        return (self.code_id, self.document_id, self.start, self.end)

    def as_dict(self) -> dict:
        return {"code": self.code, "document": self.document, "start": self.start, "end": self.end,
                "text": self.text, "coders": self.coders,
                "coverage": {c: [list(p) for p in pieces] for c, pieces in self.coverage.items()}}


def find(db: Database, coders: Sequence[str] | str, codes: Sequence[str] | None = None,
         documents: Sequence[str] | None = None, selection: Selection | None = None) -> list[Disagreement]:
    """Every disagreement, by code (codebook order), document and position. Pass a
    ``selection`` from :func:`qualcode.services.agreement.select` to reuse it."""
    sel = selection or select(db, coders, codes, documents)
    if sel.total == 0:
        return []
    found = []  # (code_id, stretch starts, stretch ends, {coder: (piece starts, ends)})
    needed: set[int] = set()
    for code_id in sel.code_ids:
        bounds, covered = elementary_intervals(sel.total, sel.spans(code_id), sel.cuts)
        count = covered.sum(axis=1)
        mixed = (count > 0) & (count < len(sel.coders))
        starts, ends = runs_where(bounds, mixed, sel.cuts)
        if len(starts) == 0:
            continue
        pieces = [runs_where(bounds, mixed & (covered[:, c] == 1), sel.cuts) for c in range(len(sel.coders))]
        found.append((code_id, starts, ends, pieces))
        needed.update(np.searchsorted(sel.offsets, starts, side="right") - 1)
    texts = doc_store.texts(db.conn, [sel.doc_ids[i] for i in sorted(needed)])
    out: list[Disagreement] = []
    for code_id, starts, ends, pieces in found:
        docs = np.searchsorted(sel.offsets, starts, side="right") - 1
        owner = [np.searchsorted(starts, ps, side="right") - 1 for ps, _ in pieces]
        per_stretch: list[dict[str, list[tuple[int, int]]]] = [{c: [] for c in sel.coders} for _ in starts]
        for c, ((ps, pe), k) in enumerate(zip(pieces, owner)):
            base = sel.offsets[docs[k]]
            for i, s, e in zip(k.tolist(), (ps - base).tolist(), (pe - base).tolist()):
                per_stretch[i][sel.coders[c]].append((s, e))
        for i, (s, e, d) in enumerate(zip(starts.tolist(), ends.tolist(), docs.tolist())):
            base = int(sel.offsets[d])
            doc_id = sel.doc_ids[d]
            out.append(Disagreement(
                sel.paths[code_id], code_id, sel.doc_names[d], doc_id, s - base, e - base,
                texts[doc_id][s - base:e - base],
                {c: tuple(p) for c, p in per_stretch[i].items()}))
    return out
