"""What a report is about: the selected documents and coders, the code tree, attribute values.

Every report takes the same filters (coders, documents, cases, attribute values). They are
resolved here, once, into id lists the store can bind, with a plain error for any name that
does not exist, so a typo never yields an empty table that looks like a finding.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import chain
from typing import Sequence

import numpy as np

from ...core.interval_groups import expand_ranges
from ...errors import InvalidInput, NotFound
from ...store import cases as case_store, coders as coder_store, documents as doc_store
from ...store import report_queries
from ...store.database import Database
from .. import codebook

NONE_LABEL = "(none)"  # column of documents without a value for the grouping attribute or case


@dataclass
class Filters:
    """Which codings a report counts. Empty means "all". Attribute filters are
    ``{name: [allowed values]}``: values of one attribute are alternatives, several
    attributes must all match. A case selects the documents linked to it or to any case
    below it."""

    coders: Sequence[str] = ()
    documents: Sequence[str] = ()
    cases: Sequence[str] = ()
    where: dict[str, list[str]] = field(default_factory=dict)

    @staticmethod
    def parse_where(pairs: Sequence[str] | None) -> dict[str, list[str]]:
        """``["firm_size=small", "firm_size=medium", "wave=2"]`` -> ``{name: [values]}``."""
        out: dict[str, list[str]] = {}
        for pair in pairs or []:
            name, sep, value = pair.partition("=")
            if not sep or not name.strip():
                raise InvalidInput(f"an attribute filter is NAME=VALUE, got {pair!r}")
            out.setdefault(name.strip(), []).append(value.strip())
        return out


@dataclass
class Selection:
    """Resolved filters. ``document_ids``/``coder_ids`` are None when unfiltered (the store
    then adds no WHERE clause); ``documents`` and ``coders`` always list what is selected."""

    documents: dict[int, str]  # id -> name, selected documents, by name
    coders: dict[int, str]  # id -> name, selected coders, by name
    document_ids: list[int] | None
    coder_ids: list[int] | None

    def lengths(self, db: Database) -> dict[int, int]:
        """id -> length in characters of the selected documents (read only when needed)."""
        return {i: chars for i, chars in doc_store.names_and_lengths(db.conn).values() if i in self.documents}


@dataclass
class AttributeValues:
    """The values of one attribute per document; a case attribute reaches a document through
    the cases the document is linked to (several cases may give several values)."""

    name: str
    scope: str  # "document" or "case"
    type: str
    by_document: dict[int, list[str]]

    def sort_key(self, value: str):
        if self.type == "number":
            try:
                return (0, float(value), "")
            except ValueError:
                pass
        return (1, 0.0, value)


class CodeTree:
    """The codebook in tree order, with each code's ancestors, for roll-ups."""

    def __init__(self, db: Database):
        listed = codebook.list_codes(db, include_merged=True)
        self.ids = [c.id for _, c in listed]
        self.paths = [p for p, _ in listed]
        self.status = [c.status for _, c in listed]
        self.row = {cid: i for i, cid in enumerate(self.ids)}
        parent = {c.id: c.parent_id for _, c in listed}
        self.ancestors: list[list[int]] = []  # row -> rows of itself and every ancestor
        for cid in self.ids:
            lineage, node = [], cid
            while node is not None:
                lineage.append(self.row[node])
                node = parent[node]
            self.ancestors.append(lineage)

    def row_array(self, code_ids: np.ndarray) -> np.ndarray:
        """Row numbers for an array of code ids."""
        lookup = np.full(max(self.ids, default=0) + 1, -1, dtype=np.int64)
        lookup[self.ids] = np.arange(len(self.ids))
        return lookup[code_ids]

    def rollup(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(index into ``rows``, ancestor row) for each row and each of its ancestors
        (itself included): a parent then counts everything coded below it."""
        depth = np.array([len(a) for a in self.ancestors], dtype=np.int64)
        flat = np.array([r for a in self.ancestors for r in a], dtype=np.int64)
        first = np.concatenate(([0], np.cumsum(depth)[:-1]))
        owner, k = expand_ranges(first[rows], first[rows] + depth[rows])
        return owner, flat[k]

    def resolve(self, db: Database, refs: Sequence[str]) -> list[int]:
        """Code ids for paths (or unique names); NotFound names the unknown one."""
        index = codebook.index(db)
        return [index.resolve(r) for r in refs]

    def shown(self, counted_rows: set[int]) -> list[int]:
        """Rows to show: every code in use, plus merged codes only if codings still point at them."""
        return [i for i, s in enumerate(self.status) if s != "merged" or i in counted_rows]


def _coder_ids(db: Database, names: Sequence[str]) -> dict[int, str]:
    known = coder_store.ids_by_name(db.conn)
    if not names:
        return {i: n for n, i in known.items()}
    for n in names:
        if n not in known:
            raise NotFound(f"no coder {n!r} in the project (coders: {', '.join(sorted(known)) or 'none'})")
    return {known[n]: n for n in dict.fromkeys(names)}


def _case_documents(db: Database, names: Sequence[str]) -> set[int]:
    """Documents linked to any of the named cases or to a case below one of them."""
    all_cases = case_store.list_all(db.conn)
    by_name = {c.name: c.id for c in all_cases}
    children: dict[int | None, list[int]] = {}
    for c in all_cases:
        children.setdefault(c.parent_id, []).append(c.id)
    wanted: set[int] = set()
    for n in names:
        if n not in by_name:
            raise NotFound(f"no case {n!r} in the project")
        stack = [by_name[n]]
        while stack:
            node = stack.pop()
            if node not in wanted:
                wanted.add(node)
                stack.extend(children.get(node, []))
    return {d for d, c in report_queries.document_case_links(db.conn) if c in wanted}


def attribute_names(db: Database, scope: str) -> list[str]:
    """Names of the document or case attributes, in the order they were defined."""
    return [name for name, _type in case_store.attributes(db.conn, scope)]


def attribute_values(db: Database, name: str) -> AttributeValues:
    """The values of attribute ``name`` for every document. A name used both for documents and
    for cases must be qualified as ``document/NAME`` or ``case/NAME``."""
    scope_hint, bare = "", name
    if name.startswith(("document/", "case/")):
        scope_hint, _, bare = name.partition("/")
    found = [(scope, t) for scope in ("document", "case") for n, t in case_store.attributes(db.conn, scope)
             if n == bare and (not scope_hint or scope == scope_hint)]
    if not found:
        known = sorted({n for scope in ("document", "case") for n, _ in case_store.attributes(db.conn, scope)})
        raise NotFound(f"no attribute {bare!r} (attributes: {', '.join(known) or 'none'})")
    if len(found) > 1:
        raise InvalidInput(f"{bare!r} is both a document and a case attribute; write document/{bare} or case/{bare}")
    scope, type_ = found[0]
    owners = case_store.values(db.conn, scope)
    by_document: dict[int, list[str]] = {}
    if scope == "document":
        for doc, attrs in owners.items():
            if attrs.get(bare) not in (None, ""):
                by_document[doc] = [attrs[bare]]
    else:
        for doc, case in report_queries.document_case_links(db.conn):
            value = owners.get(case, {}).get(bare)
            if value not in (None, "") and value not in by_document.setdefault(doc, []):
                by_document[doc].append(value)
    return AttributeValues(bare, scope, type_, {d: v for d, v in by_document.items() if v})


def select(db: Database, filters: Filters | None = None) -> Selection:
    f = filters or Filters()
    docs = {name: i for i, name in report_queries.document_names(db.conn)}
    for n in f.documents:
        if n not in docs:
            raise NotFound(f"no document {n!r} in the project")
    chosen = {i for n, i in docs.items() if not f.documents or n in f.documents}
    filtered = bool(f.documents)
    if f.cases:
        chosen &= _case_documents(db, f.cases)
        filtered = True
    for name, allowed in f.where.items():
        values = attribute_values(db, name).by_document
        chosen = {d for d in chosen if set(values.get(d, [])) & set(allowed)}
        filtered = True
    coders = _coder_ids(db, f.coders)
    return Selection(
        documents={i: n for n, i in sorted(docs.items()) if i in chosen},
        coders=dict(sorted(coders.items(), key=lambda kv: kv[1])),
        document_ids=sorted(chosen) if filtered else None,
        coder_ids=sorted(coders) if f.coders else None,
    )


def columns_of(rows: list[tuple], width: int) -> tuple[np.ndarray, ...]:
    """Store rows (tuples of ints) as one int64 array per column, without a Python loop per row."""
    if not rows:
        return tuple(np.empty(0, dtype=np.int64) for _ in range(width))
    flat = np.fromiter(chain.from_iterable(rows), dtype=np.int64, count=len(rows) * width)
    table = flat.reshape(len(rows), width)
    return tuple(table[:, i] for i in range(width))
