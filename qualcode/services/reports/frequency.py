"""Frequency tables: codes x documents | cases | coders | values of an attribute.

Each cell holds the number of codings and the number of distinct documents they lie in. SQLite
counts codings per (code, document[, coder]) with GROUP BY; numpy then maps documents to
column groups and codes to their ancestors and adds up, so no coding passes through Python
one by one.

Definitions (also in docs/reports.md):

- A document linked to several cases (or whose cases carry several values of the grouping
  attribute) counts in each of those columns; ``total`` counts it once. Documents without a
  case or without a value fall in the column ``(none)``.
- Roll-up: a parent's row counts the codings of the parent and of every code below it;
  ``documents`` is then the number of distinct documents among all of them.
- Coverage: the characters covered by the union of the code's codings (overlapping codings
  counted once) in the column's documents, divided by the total length of those documents,
  in per cent. For coders (and for ``total``) the divisor is the length of all selected
  documents.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...core.interval_groups import expand_ranges, union_lengths
from ...errors import InvalidInput
from ...store import cases as case_store, report_queries
from ...store.database import Database
from ..progress import SILENT, Progress
from .selection import NONE_LABEL, CodeTree, Filters, Selection, attribute_values, columns_of, select
from .writers import Table

BY_KINDS = ("document", "case", "coder")
_RESERVED = ("code", "total")


def parse_by(by: str | None) -> str | None:
    if by is None or by == "":
        return None
    if by in BY_KINDS or (by.startswith("attribute:") and by.partition(":")[2].strip()):
        return by
    raise InvalidInput(f"--by takes document, case, coder or attribute:NAME, got {by!r}")


@dataclass
class FrequencyTable:
    by: str | None
    columns: list[str]
    codes: list[str]  # full paths, in codebook order
    codings: np.ndarray  # codes x columns
    documents: np.ndarray
    total_codings: np.ndarray
    total_documents: np.ndarray
    coverage: np.ndarray | None = None  # per cent, codes x columns
    total_coverage: np.ndarray | None = None
    rollup: bool = False

    def _cell(self, i: int, j: int | None) -> dict:
        if j is None:
            cell = {"codings": int(self.total_codings[i]), "documents": int(self.total_documents[i])}
            if self.total_coverage is not None:
                cell["coverage"] = round(float(self.total_coverage[i]), 2)
            return cell
        cell = {"codings": int(self.codings[i, j]), "documents": int(self.documents[i, j])}
        if self.coverage is not None:
            cell["coverage"] = round(float(self.coverage[i, j]), 2)
        return cell

    def keys(self) -> list[str]:
        """Column keys for JSON rows: the labels, with ``code``/``total`` made unambiguous."""
        return [f"{c} (column)" if c in _RESERVED else c for c in self.columns]

    def to_json(self) -> dict:
        keys = self.keys()
        rows = []
        for i, path in enumerate(self.codes):
            row = {"code": path}
            for j, key in enumerate(keys):
                row[key] = self._cell(i, j)
            row["total"] = self._cell(i, None)
            rows.append(row)
        return {"by": self.by, "rows": rows}

    def tables(self) -> list[Table]:
        measures = ["codings", "documents"] + (["coverage %"] if self.coverage is not None else [])
        groups = self.columns + ["total"]
        header = ["code"] + [f"{g}: {m}" for g in groups for m in measures]
        rows = []
        for i, path in enumerate(self.codes):
            row: list = [path]
            for j in [*range(len(self.columns)), None]:
                cell = self._cell(i, j)
                row += [cell["codings"], cell["documents"]] + ([cell["coverage"]] if "coverage" in cell else [])
            rows.append(row)
        title = "Code frequencies" + (f" by {self.by}" if self.by else "") + (" (rolled up)" if self.rollup else "")
        return [Table(title, header, rows)]


def _column_groups(db: Database, sel: Selection, by: str) -> tuple[list[str], list[tuple[int, int]]]:
    """Column labels and (document id, column) pairs for grouping by documents, cases or an
    attribute; every selected document is in at least one column."""
    docs = list(sel.documents)
    if by == "document":
        return [sel.documents[d] for d in docs], [(d, j) for j, d in enumerate(docs)]
    if by == "case":
        names = {c.id: c.name for c in case_store.list_all(db.conn)}
        per_doc: dict[int, list[str]] = {}
        for d, c in report_queries.document_case_links(db.conn):
            per_doc.setdefault(d, []).append(names[c])
        key = str
    else:
        attr = attribute_values(db, by.partition(":")[2].strip())
        per_doc = attr.by_document
        key = attr.sort_key
    labels = sorted({v for d in docs for v in per_doc.get(d, [])}, key=key)
    if any(not per_doc.get(d) for d in docs):
        labels.append(NONE_LABEL)
    col = {label: j for j, label in enumerate(labels)}
    pairs = [(d, col[v]) for d in docs for v in (per_doc.get(d) or [NONE_LABEL])]
    return labels, pairs


def _explode(doc: np.ndarray, pairs: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    """(index into ``doc``, column) for every column each document belongs to."""
    pd_doc = np.array([d for d, _ in pairs], dtype=np.int64)
    pd_col = np.array([c for _, c in pairs], dtype=np.int64)
    order = np.argsort(pd_doc, kind="stable")
    pd_doc, pd_col = pd_doc[order], pd_col[order]
    owner, k = expand_ranges(np.searchsorted(pd_doc, doc, "left"), np.searchsorted(pd_doc, doc, "right"))
    return owner, pd_col[k]


def _lookup(mapping: dict[int, int], keys: np.ndarray) -> np.ndarray:
    """``mapping[key]`` for an array of keys (small integer ids, such as coder ids)."""
    table = np.zeros(max(mapping, default=0) + 1, dtype=np.int64)
    table[list(mapping)] = list(mapping.values())
    return table[keys]


def _cells(row, col, doc, n, shape: tuple[int, int], distinct: bool) -> tuple[np.ndarray, np.ndarray]:
    """Codings and distinct documents per (row, col). ``distinct``: (row, col, doc) may repeat
    and must be folded first (roll-up, or several coders' counts of one document)."""
    nrows, ncols = shape
    if distinct and len(row):
        key = (row * ncols + col) * (int(doc.max()) + 1) + doc
        uniq, inverse = np.unique(key, return_inverse=True)
        n = np.bincount(inverse, weights=n)
        flat = uniq // (int(doc.max()) + 1)
    else:
        flat = row * ncols + col
    size = nrows * ncols
    codings = np.bincount(flat, weights=n, minlength=size).astype(np.int64).reshape(shape)
    documents = np.bincount(flat, minlength=size).astype(np.int64).reshape(shape)
    return codings, documents


def _coverage(db: Database, sel: Selection, tree: CodeTree, by: str | None, pairs, coder_col: dict[int, int],
              ncols: int, rollup: bool) -> tuple[np.ndarray, np.ndarray]:
    nrows = len(tree.ids)
    _id, doc, code, coder, start, end = columns_of(
        report_queries.coding_spans(db.conn, sel.document_ids, sel.coder_ids), 6)
    row = tree.row_array(code)
    if rollup:
        owner, row = tree.rollup(row)
        doc, coder, start, end = doc[owner], coder[owner], start[owner], end[owner]
    lengths = sel.lengths(db)
    all_chars = max(sum(lengths.values()), 1)

    def covered(r, c, d, s, e, width: int) -> np.ndarray:
        """Characters covered per (row, column): the union per document, added up."""
        per_doc = int(d.max(initial=0)) + 1
        uniq, inverse = np.unique((r * width + c) * per_doc + d, return_inverse=True)
        union = union_lengths(inverse, s, e, len(uniq))
        return np.bincount(uniq // per_doc, weights=union, minlength=nrows * width)

    total = 100.0 * covered(row, np.zeros_like(row), doc, start, end, 1) / all_chars
    if by is None:
        return np.zeros((nrows, 0)), total
    if by == "coder":
        cells = covered(row, _lookup(coder_col, coder), doc, start, end, ncols).reshape(nrows, ncols)
        return 100.0 * cells / all_chars, total
    owner, col = _explode(doc, pairs)
    cells = covered(row[owner], col, doc[owner], start[owner], end[owner], ncols).reshape(nrows, ncols)
    col_chars = np.zeros(ncols)
    for d, j in pairs:
        col_chars[j] += lengths[d]
    return 100.0 * cells / np.maximum(col_chars, 1), total


def frequency(db: Database, by: str | None = None, filters: Filters | None = None, rollup: bool = False,
              coverage: bool = False, progress: Progress = SILENT) -> FrequencyTable:
    by = parse_by(by)
    sel = select(db, filters)
    tree = CodeTree(db)
    nrows = len(tree.ids)
    progress.report(0, 3, "counting codings")
    pairs: list[tuple[int, int]] = []
    coder_col: dict[int, int] = {}
    if by == "coder":
        labels = list(sel.coders.values())
        coder_col = {cid: j for j, cid in enumerate(sel.coders)}
    elif by is not None:
        labels, pairs = _column_groups(db, sel, by)
    else:
        labels = []
    ncols = len(labels)

    if by is None and not rollup:
        code, n, ndocs = columns_of(report_queries.code_totals(db.conn, sel.document_ids, sel.coder_ids), 3)
        rows = tree.row_array(code)
        total_codings = np.bincount(rows, weights=n, minlength=nrows).astype(np.int64)
        total_documents = np.bincount(rows, weights=ndocs, minlength=nrows).astype(np.int64)
        codings = documents = np.zeros((nrows, 0), dtype=np.int64)
    else:
        by_coder = by == "coder"
        counted = columns_of(report_queries.code_document_counts(db.conn, sel.document_ids, sel.coder_ids, by_coder),
                             4 if by_coder else 3)
        code, doc, n = counted[0], counted[1], counted[-1]
        rows = tree.row_array(code)
        progress.report(1, 3, "adding up")
        if rollup:
            owner, rows = tree.rollup(rows)
            doc, n, counted = doc[owner], n[owner], tuple(c[owner] for c in counted)
        total_codings, total_documents = (a[:, 0] for a in _cells(rows, np.zeros_like(rows), doc, n, (nrows, 1),
                                                                   distinct=rollup or by_coder))
        if by == "coder":
            codings, documents = _cells(rows, _lookup(coder_col, counted[2]), doc, n, (nrows, ncols), distinct=rollup)
        elif by is not None:
            owner, col = _explode(doc, pairs)
            codings, documents = _cells(rows[owner], col, doc[owner], n[owner], (nrows, ncols), distinct=rollup)
        else:
            codings = documents = np.zeros((nrows, 0), dtype=np.int64)

    cov = total_cov = None
    if coverage:
        progress.report(2, 3, "measuring coverage")
        cov, total_cov = _coverage(db, sel, tree, by, pairs, coder_col, ncols, rollup)
    progress.report(3, 3, "done")
    shown = tree.shown({int(r) for r in np.flatnonzero(total_codings)})
    return FrequencyTable(
        by=by, columns=labels, codes=[tree.paths[i] for i in shown], rollup=rollup,
        codings=codings[shown], documents=documents[shown],
        total_codings=total_codings[shown], total_documents=total_documents[shown],
        coverage=None if cov is None else cov[shown], total_coverage=None if total_cov is None else total_cov[shown],
    )
