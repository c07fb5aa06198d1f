"""Building a consensus coder from two or more coders' work.

Every decision sets what the consensus coder covers with one code inside a window of one
document, and keeps the consensus tidy: its codings of that code that overlap or touch the
window are replaced by the merged result, so accepting a stretch next to an agreed passage
extends that passage instead of leaving two fragments. Memos and evidence of the replaced
codings move to the coding that now covers them.

Each call is one transaction and returns a :class:`Change` (the codings it created and the
ones it removed, as full records), which :func:`undo` reverses exactly. Undo finds codings by
GUID, not id: a coding that undo puts back keeps its GUID but gets a new id, and an earlier
decision's undo must still find it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ..core.span_sets import clip, elementary_intervals, runs_where, subtract, union
from ..errors import InvalidInput
from ..store import audit, coders as coder_store, codings as coding_store, coverage
from ..store.database import Database
from ..store.models import Coding
from .agreement import select
from .disagreements import Disagreement


@dataclass(frozen=True)
class Change:
    """What one adjudication did: the codings it created and the codings it removed."""

    created: tuple[Coding, ...] = ()
    removed: tuple[Coding, ...] = ()

    def __add__(self, other: "Change") -> "Change":
        return Change(self.created + other.created, self.removed + other.removed)


@dataclass(frozen=True)
class AgreementsAccepted:
    change: Change
    into: str
    coders: tuple[str, ...]
    codes: int  # codes with at least one agreed stretch
    stretches: int  # agreed stretches (maximal, per code and document)
    characters: int  # agreed characters over all codes

    def as_dict(self) -> dict:
        return {"into": self.into, "from": list(self.coders), "codes": self.codes, "stretches": self.stretches,
                "characters": self.characters, "created": len(self.change.created),
                "replaced": len(self.change.removed)}


def _consensus_name(into: str, compared: Sequence[str]) -> str:
    name = (into or "").strip()
    if not name:
        raise InvalidInput("name the consensus coder (--into NAME)")
    if name in compared:
        raise InvalidInput(f"the consensus coder {name!r} is one of the coders being compared; choose another name")
    return name


def _set_coverage(conn, document_id: int, code_id: int, coder_id: int, windows: list[tuple[int, int]],
                  pieces: list[tuple[int, int]]) -> Change:
    """Make the coder cover exactly ``pieces`` inside ``windows`` (and keep what lies outside)."""
    reach = union(windows, pieces)
    existing = coverage.codings_of(conn, document_id, code_id, coder_id)
    affected = [c for c in existing if any(c.start <= e and c.end >= s for s, e in reach)]
    new = union(subtract([(c.start, c.end) for c in affected], windows), pieces)
    if sorted((c.start, c.end) for c in affected) == new:
        return Change()
    for c in affected:
        coding_store.delete(conn, c.id)
    created = []
    for s, e in new:
        inside = [c for c in affected if c.start < e and c.end > s]
        memos = list(dict.fromkeys(c.memo for c in inside if c.memo))
        evidence = {c.evidence for c in inside}
        new_id = coding_store.insert(conn, document_id, code_id, coder_id, s, e, "\n".join(memos) or None,
                                     evidence.pop() if len(evidence) == 1 else "unknown")
        created.append(coding_store.get(conn, new_id))
    return Change(tuple(created), tuple(affected))


def coverage_in(db: Database, document_id: int, code_id: int, coders: Sequence[str], start: int,
                end: int) -> dict[str, list[tuple[int, int]]]:
    """What each named coder covers with the code inside ``[start, end)`` of the document
    (merged; a coder not in the project covers nothing), for showing a passage side by side."""
    known = coder_store.ids_by_name(db.conn)
    out = {}
    for name in coders:
        spans = [] if name not in known else [
            (c.start, c.end) for c in coverage.codings_of(db.conn, document_id, code_id, known[name])]
        out[name] = clip(spans, start, end)
    return out


def decide(db: Database, disagreement: Disagreement, accept: Sequence[str], into: str) -> Change:
    """Set the consensus inside the disagreement's stretch to the union of the accepted coders'
    coverage there: one coder ("accept A"), several ("both") or none ("neither")."""
    d = disagreement
    into = _consensus_name(into, list(d.coverage))
    unknown = [c for c in accept if c not in d.coverage]
    if unknown:
        raise InvalidInput(f"coder {unknown[0]!r} is not one of the compared coders ({', '.join(d.coverage)})")
    pieces = union(*(d.coverage[c] for c in accept))
    with db.transaction() as conn:
        coder_id = coder_store.ensure(conn, into)
        change = _set_coverage(conn, d.document_id, d.code_id, coder_id, [(d.start, d.end)], pieces)
        audit.record(conn, "adjudicate.decide", coder_id, document=d.document_id, code=d.code_id,
                     start=d.start, end=d.end, accepted=list(accept),
                     created=[c.guid for c in change.created], removed=[c.guid for c in change.removed])
    return change


def accept_version(db: Database, disagreement: Disagreement, coder: str, into: str) -> Change:
    return decide(db, disagreement, [coder], into)


def accept_all(db: Database, disagreement: Disagreement, into: str) -> Change:
    return decide(db, disagreement, list(disagreement.coverage), into)


def reject(db: Database, disagreement: Disagreement, into: str) -> Change:
    return decide(db, disagreement, [], into)


def undo(db: Database, change: Change) -> None:
    """Reverse a :class:`Change`: delete what it created, put back what it removed."""
    with db.transaction() as conn:
        present = coverage.ids_of(conn, change.created)
        for coding_id in present.values():
            coding_store.delete(conn, coding_id)
        for c in change.removed:
            coding_store.insert(conn, c.document_id, c.code_id, c.coder_id, c.start, c.end, c.memo, c.evidence,
                                guid=c.guid)
        audit.record(conn, "adjudicate.undo", None, deleted=sorted(present), restored=[c.guid for c in change.removed])


def accept_agreements(db: Database, coders: Sequence[str] | str, into: str, codes: Sequence[str] | None = None,
                      documents: Sequence[str] | None = None) -> AgreementsAccepted:
    """Copy into coder ``into`` every stretch that all ``coders`` coded with the same code (the
    intersection of their coverage), merged with what the consensus already has. Running it
    again changes nothing."""
    sel = select(db, coders, codes, documents)
    into = _consensus_name(into, sel.coders)
    plan: list[tuple[int, int, list[tuple[int, int]]]] = []  # (code, document id, pieces)
    characters = stretches = 0
    codes_hit = set()
    for code_id in sel.code_ids:
        bounds, covered = elementary_intervals(sel.total, sel.spans(code_id), sel.cuts)
        starts, ends = runs_where(bounds, covered.all(axis=1), sel.cuts)
        if len(starts) == 0:
            continue
        codes_hit.add(code_id)
        stretches += len(starts)
        characters += int((ends - starts).sum())
        docs = np.searchsorted(sel.offsets, starts, side="right") - 1
        for d in np.unique(docs).tolist():
            base = int(sel.offsets[d])
            here = docs == d
            plan.append((code_id, sel.doc_ids[d],
                         list(zip((starts[here] - base).tolist(), (ends[here] - base).tolist()))))
    created: list[Coding] = []
    removed: list[Coding] = []
    with db.transaction() as conn:
        coder_id = coder_store.ensure(conn, into)
        for code_id, doc_id, pieces in plan:  # collected in lists: adding Changes would be quadratic
            step = _set_coverage(conn, doc_id, code_id, coder_id, pieces, pieces)
            created.extend(step.created)
            removed.extend(step.removed)
        change = Change(tuple(created), tuple(removed))
        audit.record(conn, "adjudicate.agreements", coder_id, coders=list(sel.coders), codes=len(codes_hit),
                     stretches=stretches, created=len(change.created), replaced=len(change.removed))
    return AgreementsAccepted(change, into, sel.coders, len(codes_hit), stretches, characters)
