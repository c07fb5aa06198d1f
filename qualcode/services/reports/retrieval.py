"""Coded-segment retrieval, with Boolean conditions across codes.

The segments of code A, each with its source (document, case, speaker, offsets, coder, memo)
and up to ``context`` characters of text on each side. Conditions narrow A's segments (all
conditions must hold; codings of any selected coder count):

- ``and_codes`` B: some coding of B in the same document shares at least one character
  with the segment (touching is not overlapping);
- ``not_codes`` B: no coding of B shares a character with it;
- ``near_codes`` B with ``within`` N: some coding of B lies at most N characters away
  (overlapping or touching codings are 0 characters away).

Conditions are tested for all of A's segments at once with one sorted sweep per condition
(:func:`qualcode.core.interval_groups.any_overlap`); the texts are then cut by SQLite.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Sequence

import numpy as np

from ...core.interval_groups import any_overlap
from ...errors import InvalidInput
from ...store import report_queries
from ...store.database import Database
from ..progress import SILENT, Progress
from .selection import CodeTree, Filters, columns_of, select
from .writers import Table

MAX_CONTEXT = 10_000
COLUMNS = ["document", "case", "speaker", "code", "coder", "start", "end", "before", "text", "after", "memo",
           "evidence"]


@dataclass
class Segment:
    coding_id: int
    document: str
    case: str | None
    speaker: str | None
    code: str
    coder: str
    start: int
    end: int
    before: str
    text: str
    after: str
    memo: str | None
    evidence: str


@dataclass
class Retrieval:
    code: str
    context: int
    segments: list[Segment]
    conditions: list[dict] = field(default_factory=list)  # {"op": "and"|"not"|"near", "code": path}
    within: int | None = None

    def describe(self) -> str:
        parts = [self.code]
        for c in self.conditions:
            op = {"and": "AND", "not": "NOT", "near": f"NEAR/{self.within}"}[c["op"]]
            parts.append(f"{op} {c['code']}")
        return " ".join(parts)

    def to_json(self) -> dict:
        return {"code": self.code, "context": self.context, "query": self.describe(), "conditions": self.conditions,
                "within": self.within, "segments": [asdict(s) for s in self.segments]}

    def tables(self) -> list[Table]:
        rows = [[getattr(s, c) for c in COLUMNS] for s in self.segments]
        return [Table(f"Coded segments: {self.describe()}", COLUMNS, rows,
                      wrap={"before", "text", "after", "memo"}, highlight="text")]


def _code_ids(tree: CodeTree, db: Database, ref: str, children: bool) -> list[int]:
    code_id = tree.resolve(db, [ref])[0]
    if not children:
        return [code_id]
    row = tree.row[code_id]
    return [tree.ids[r] for r, chain in enumerate(tree.ancestors) if row in chain]


def segments(db: Database, code: str, context: int = 0, filters: Filters | None = None, *,
             children: bool = False, and_codes: Sequence[str] = (), not_codes: Sequence[str] = (),
             near_codes: Sequence[str] = (), within: int | None = None,
             progress: Progress = SILENT) -> Retrieval:
    """Segments of ``code`` (and of the codes below it with ``children``; conditions then
    include the codes below theirs too)."""
    if not 0 <= context <= MAX_CONTEXT:
        raise InvalidInput(f"context must be between 0 and {MAX_CONTEXT} characters, got {context}")
    if near_codes and within is None:
        raise InvalidInput("a NEAR condition needs --within N (characters between the two codings)")
    if within is not None and within < 0:
        raise InvalidInput(f"--within must be 0 or more characters, got {within}")
    sel = select(db, filters)
    tree = CodeTree(db)
    a_ids = _code_ids(tree, db, code, children)
    conditions = [(op, ref, _code_ids(tree, db, ref, children))
                  for op, refs in (("and", and_codes), ("not", not_codes), ("near", near_codes)) for ref in refs]
    progress.report(0, 2, "finding segments")
    cid, doc, _code, _coder, start, end = columns_of(
        report_queries.coding_spans(db.conn, sel.document_ids, sel.coder_ids, a_ids), 6)
    keep = np.ones(len(cid), dtype=bool)
    for op, _ref, ids in conditions:
        _b, b_doc, _bc, _bk, b_start, b_end = columns_of(
            report_queries.coding_spans(db.conn, sel.document_ids, sel.coder_ids, ids), 6)
        reach = within + 1 if op == "near" else 0  # N characters between them: windows grow by N + 1
        hit = any_overlap(doc, start - reach, end + reach, b_doc, b_start, b_end)
        keep &= ~hit if op == "not" else hit
    progress.report(1, 2, "cutting texts")
    found = [Segment(i, d, case, speaker, tree.paths[tree.row[code_id]], coder, s, e, before, text, after, memo, ev)
             for i, d, case, speaker, code_id, coder, s, e, before, text, after, memo, ev
             in report_queries.coded_segments(db.conn, cid[keep].tolist(), context)]
    progress.report(2, 2, "done")
    return Retrieval(code=tree.paths[tree.row[a_ids[0]]], context=context, segments=found,
                     conditions=[{"op": op, "code": tree.paths[tree.row[ids[0]]]} for op, _r, ids in conditions],
                     within=within if near_codes else None)
