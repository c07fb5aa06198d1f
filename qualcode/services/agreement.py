"""Inter-coder agreement of a project: per code and overall, for one unit of analysis.

What is compared (docs/agreement.md explains the choices):

- **Coders**: two or more, by name. Cohen's kappa only for exactly two.
- **Documents**: those named; by default every document in which at least one of the chosen
  coders coded anything (with any code). A document none of them touched is left out: it
  would add agreed "absent" units that nobody judged, inflating agreement. Name a document
  explicitly to count it anyway.
- **Codes**: those named (a code is compared as itself; its children are separate codes); by
  default every code that at least one of the chosen coders used in the chosen documents.
- **Units**: ``character`` (every character of every chosen document, per code),
  ``sentence``/``paragraph`` (stored segments; a coder's value is 1 if a coding overlaps the
  segment by at least one character), ``document`` (one unit per document and code), and
  ``unitized`` (Krippendorff's alpha-u over the coded spans, pooled over documents as in
  :mod:`qualcode.core.agreement_pooled`). ``overall`` pools the (code, unit) units of all
  chosen codes.

All chosen documents are laid end to end on one continuum (each shifted by the length of the
ones before it), so each code costs one call of the pattern counters whatever the number of
documents; that is exact for character, segment and document units, whose units never span
two documents. Alpha-u is the exception and is computed per document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from ..core.agreement import AgreementStats, stats_from_patterns
from ..core.agreement_pooled import PooledAlphaU
from ..core.agreement_units import character_patterns, pool_patterns, segment_patterns
from ..errors import InvalidInput, NotFound
from ..store import coders as coder_store, coverage, documents as doc_store
from ..store.database import Database
from . import codebook

UNITS = ("character", "sentence", "paragraph", "document", "unitized")
NAN = float("nan")


@dataclass(frozen=True)
class Selection:
    """The coders, codes and documents compared, and the coders' spans on the joined continuum.

    ``rows`` is an int64 array with one row per coding: code id, coder index (position in
    ``coders``), document index (position in ``doc_names``), start and end shifted by the
    document's offset. ``offsets[i]`` is where document i starts; ``offsets[-1]`` the total.
    """

    coders: tuple[str, ...]
    coder_ids: tuple[int, ...]
    code_ids: tuple[int, ...]
    paths: dict[int, str]
    doc_ids: tuple[int, ...]
    doc_names: tuple[str, ...]
    offsets: np.ndarray
    rows: np.ndarray
    _groups: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict, repr=False)

    @property
    def total(self) -> int:
        return int(self.offsets[-1])

    @property
    def cuts(self) -> np.ndarray:
        """Where one document ends and the next begins on the continuum."""
        return self.offsets[1:-1]

    def _rows(self, code_id: int, coder: int) -> np.ndarray:
        lo, hi = self._groups.get((code_id, coder), (0, 0))
        return self.rows[lo:hi]

    def spans(self, code_id: int) -> list[np.ndarray]:
        """Each coder's (start, end) spans of one code on the continuum."""
        return [self._rows(code_id, c)[:, 3:5] for c in range(len(self.coders))]

    def doc_indexes(self, code_id: int) -> list[np.ndarray]:
        """For each coder, the distinct indexes of the documents where they used the code."""
        return [np.unique(self._rows(code_id, c)[:, 2]) for c in range(len(self.coders))]

    def local(self, code_id: int, doc_index: int) -> list[np.ndarray]:
        """Each coder's spans of one code in one document, in that document's own offsets."""
        rows = (self._rows(code_id, c) for c in range(len(self.coders)))
        return [r[r[:, 2] == doc_index, 3:5] - self.offsets[doc_index] for r in rows]


@dataclass(frozen=True)
class Agreement:
    """The figures of one comparison; :meth:`as_json` is the ``qualcode agreement --json`` shape."""

    unit: str
    selection: Selection
    overall: AgreementStats
    per_code: dict[str, AgreementStats]
    parts: dict[str, object] = field(default_factory=dict, repr=False)  # per code: what pools into overall

    def updated(self, part: "Agreement") -> "Agreement":
        """This comparison with the codes of ``part`` (same coders, unit and documents, fewer
        codes) replaced, and ``overall`` pooled again: after a change to one code, only that
        code needs computing."""
        parts = {**self.parts, **part.parts}
        return Agreement(self.unit, self.selection, _overall(self.unit, parts.values(), len(self.selection.coders)),
                         {**self.per_code, **part.per_code}, parts)

    def as_json(self) -> dict:
        return {
            "unit": self.unit,
            "coders": list(self.selection.coders),
            "documents": len(self.selection.doc_names),
            "overall": {k: v for k, v in stats_json(self.overall).items() if k != "units"},
            "per_code": {path: stats_json(s) for path, s in self.per_code.items()},
        }


def stats_json(stats: AgreementStats) -> dict:
    """Percent as 0-100 with 2 decimals; coefficients with 4 decimals; undefined -> None."""
    return {
        "percent": _rounded(None if stats.percent is None else 100.0 * stats.percent, 2),
        "cohen_kappa": _rounded(stats.cohen_kappa, 4),
        "fleiss_kappa": _rounded(stats.fleiss_kappa, 4),
        "krippendorff_alpha": _rounded(stats.krippendorff_alpha, 4),
        "units": stats.units,
    }


def _rounded(value, digits: int):
    if value is None or value != value:  # NaN is the only value unequal to itself
        return None
    return round(float(value), digits) + 0.0  # + 0.0 turns -0.0 into 0.0


# -- selection --------------------------------------------------------------------------------

def _coder_names(coders: Sequence[str] | str) -> list[str]:
    if isinstance(coders, str):
        coders = coders.split(",")
    names = [c.strip() for c in coders if c and c.strip()]
    if len(set(names)) != len(names):
        twice = next(n for n in names if names.count(n) > 1)
        raise InvalidInput(f"coder {twice!r} is named twice; name each coder once")
    if len(names) < 2:
        raise InvalidInput("agreement needs at least two coders (--coders A,B)")
    return names


def select(db: Database, coders: Sequence[str] | str, codes: Sequence[str] | None = None,
           documents: Sequence[str] | None = None) -> Selection:
    """Resolve and validate what to compare (see the module docstring for the defaults)."""
    conn = db.conn
    names = _coder_names(coders)
    known = coder_store.ids_by_name(conn)
    for n in names:
        if n not in known:
            raise NotFound(f"no coder {n!r} in the project (coders: {', '.join(sorted(known)) or 'none yet'})")
    coder_ids = [known[n] for n in names]

    docs = doc_store.names_and_lengths(conn)  # name -> (id, chars)
    for d in documents or ():
        if d not in docs:
            raise NotFound(f"no document {d!r} in the project")
    index = codebook.index(db)
    chosen_codes = list(dict.fromkeys(index.resolve(c) for c in codes or ()))

    # Named codes and documents: only those codings are needed (the default documents depend
    # on every code the coders used).
    only = chosen_codes if chosen_codes and documents else None
    rows = np.array(coverage.coded_spans(conn, coder_ids, only), dtype=np.int64).reshape(-1, 5)
    if documents:
        doc_names = sorted(set(documents))
    else:
        coded = set(rows[:, 2].tolist())
        doc_names = sorted(n for n, (i, _) in docs.items() if i in coded)
    doc_ids = [docs[n][0] for n in doc_names]
    lengths = np.array([docs[n][1] for n in doc_names], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)

    lookup = np.full(max((i for i, _ in docs.values()), default=0) + 1, -1, dtype=np.int64)
    lookup[doc_ids] = np.arange(len(doc_ids))
    rows = rows[lookup[rows[:, 2]] >= 0]
    code_ids = chosen_codes or np.unique(rows[:, 0]).tolist()
    order = {c.id: i for i, (_, c) in enumerate(codebook.list_codes(db, include_merged=True))}
    code_ids = sorted(code_ids, key=lambda c: order.get(c, len(order)))
    rows = rows[np.isin(rows[:, 0], code_ids)]

    coder_pos = np.zeros(max(coder_ids) + 1, dtype=np.int64)
    coder_pos[coder_ids] = np.arange(len(coder_ids))
    out = np.empty_like(rows)
    out[:, 0] = rows[:, 0]
    out[:, 1] = coder_pos[rows[:, 1]]
    out[:, 2] = lookup[rows[:, 2]]
    shift = offsets[out[:, 2]]
    out[:, 3] = rows[:, 3] + shift
    out[:, 4] = rows[:, 4] + shift
    out = out[np.lexsort((out[:, 3], out[:, 1], out[:, 0]))]
    groups = {}
    if len(out):
        key = out[:, 0] * len(names) + out[:, 1]
        starts = np.flatnonzero(np.concatenate([[True], key[1:] != key[:-1]]))
        ends = np.append(starts[1:], len(out))
        groups = {(int(out[s, 0]), int(out[s, 1])): (int(s), int(e)) for s, e in zip(starts, ends)}
    paths = codebook.paths(db)
    return Selection(tuple(names), tuple(coder_ids), tuple(code_ids), {c: paths[c] for c in code_ids},
                     tuple(doc_ids), tuple(doc_names), offsets, out, groups)


# -- statistics -------------------------------------------------------------------------------

def check_unit(unit: str) -> str:
    if unit not in UNITS:
        raise InvalidInput(f"unknown unit {unit!r}: use one of {', '.join(UNITS)}")
    return unit


def measure(db: Database, coders: Sequence[str] | str, unit: str = "character",
            codes: Sequence[str] | None = None, documents: Sequence[str] | None = None) -> Agreement:
    """The agreement figures per code and overall (see the module docstring)."""
    check_unit(unit)
    sel = select(db, coders, codes, documents)
    if unit == "unitized":
        return _unitized(sel)
    segments = _segments(db, sel, unit) if unit in ("sentence", "paragraph") else None
    per_code, parts = {}, {}
    for code_id in sel.code_ids:
        if unit == "character":
            counts = character_patterns(sel.total, sel.spans(code_id))
        elif unit == "document":
            # One unit per document: document i is the character [i, i + 1) of a continuum
            # as long as the number of documents.
            counts = character_patterns(len(sel.doc_names), [np.stack([d, d + 1], axis=1)
                                                             for d in sel.doc_indexes(code_id)])
        else:
            counts = segment_patterns(segments, sel.spans(code_id))
        parts[sel.paths[code_id]] = counts
        per_code[sel.paths[code_id]] = stats_from_patterns(_complete(counts, len(sel.coders)))
    return Agreement(unit, sel, _overall(unit, parts.values(), len(sel.coders)), per_code, parts)


def compute(db: Database, coders: Sequence[str] | str, unit: str = "character",
            codes: Sequence[str] | None = None, documents: Sequence[str] | None = None) -> dict:
    """The ``qualcode agreement --json`` document."""
    return measure(db, coders, unit, codes, documents).as_json()


def _overall(unit: str, parts, m: int) -> AgreementStats:
    """Pool per-code pattern counts (or alpha-u sums) into the overall figure."""
    if unit == "unitized":
        total = sum(parts, PooledAlphaU())
        return AgreementStats(NAN, None, NAN, total.alpha, total.units)
    return stats_from_patterns(_complete(pool_patterns(parts), m))


def _complete(counts: dict, m: int) -> dict:
    """Pattern counts with at least one entry, so the number of coders is always known
    (no units at all gives undefined figures, and Cohen's kappa None beyond two coders)."""
    return counts if counts else {(0,) * m: 0}


def _segments(db: Database, sel: Selection, kind: str) -> np.ndarray:
    """The stored segments of the chosen documents, shifted onto the continuum."""
    seg = np.array(coverage.segment_bounds(db.conn, kind), dtype=np.int64).reshape(-1, 3)
    pos = {d: i for i, d in enumerate(sel.doc_ids)}
    index = np.array([pos.get(d, -1) for d in seg[:, 0].tolist()], dtype=np.int64)
    keep = index >= 0
    shift = sel.offsets[index[keep]]
    return np.stack([seg[keep, 1] + shift, seg[keep, 2] + shift], axis=1)


def _unitized(sel: Selection) -> Agreement:
    """Alpha-u per code, pooled over documents; ``units`` counts the coded stretches (each
    coder's merged spans) of all coders, the N of Krippendorff's formula. Percent and the
    kappas have no meaning for unitizing and are left undefined."""
    per_code: dict[str, AgreementStats] = {}
    parts: dict[str, PooledAlphaU] = {}
    lengths = np.diff(sel.offsets)
    for code_id in sel.code_ids:
        pool = PooledAlphaU()
        docs = np.unique(np.concatenate(sel.doc_indexes(code_id)))
        for d in docs.tolist():
            pool.add(int(lengths[d]), sel.local(code_id, d))
        per_code[sel.paths[code_id]] = AgreementStats(NAN, None, NAN, pool.alpha, pool.units)
        parts[sel.paths[code_id]] = pool
    return Agreement("unitized", sel, _overall("unitized", parts.values(), len(sel.coders)), per_code, parts)
