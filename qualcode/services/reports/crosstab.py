"""Crosstab: in how many cases of each attribute value a code is present.

The unit is the case: a code is present in a case when at least one selected coding of it
(or, rolled up, of a code below it) lies in a document linked to that case. Only cases linked
to at least one selected document take part. Columns are the values of a case attribute
(``(none)`` for cases without a value). For each code and value:

- ``cases``: cases with that value in which the code is present;
- ``row %``: that number as a share of all the cases in which the code is present;
- ``column %``: that number as a share of all the cases with that value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd

from ...errors import InvalidInput, NotFound
from ...store import cases as case_store, report_queries
from ...store.database import Database
from ..progress import SILENT, Progress
from .selection import NONE_LABEL, CodeTree, Filters, attribute_names, attribute_values, columns_of, select
from .writers import Table


@dataclass
class Crosstab:
    attribute: str
    values: list[str]
    cases: list[int]  # cases per value (the column totals)
    codes: list[str]
    present: np.ndarray  # codes x values: cases where the code is present

    def _pct(self, part, whole) -> float | None:
        return round(100.0 * part / whole, 1) if whole else None

    def to_json(self) -> dict:
        rows = []
        all_cases = sum(self.cases)
        for i, code in enumerate(self.codes):
            row: dict = {"code": code}
            in_any = int(self.present[i].sum())
            for j, value in enumerate(self.values):
                n = int(self.present[i, j])
                key = f"{value} (column)" if value in ("code", "total") else value
                row[key] = {"cases": n, "row_percent": self._pct(n, in_any),
                            "column_percent": self._pct(n, self.cases[j])}
            row["total"] = {"cases": in_any, "percent": self._pct(in_any, all_cases)}
            rows.append(row)
        return {"attribute": self.attribute, "values": self.values, "cases": dict(zip(self.values, self.cases)),
                "rows": rows}

    def tables(self) -> list[Table]:
        header = ["code"]
        for value, n in zip(self.values, self.cases):
            header += [f"{value} (n={n}): cases", f"{value}: row %", f"{value}: column %"]
        header += [f"total (n={sum(self.cases)}): cases", "total: %"]
        rows = []
        for cell in self.to_json()["rows"]:
            row: list = [cell["code"]]
            for key in list(cell)[1:-1]:
                row += [cell[key]["cases"], cell[key]["row_percent"], cell[key]["column_percent"]]
            row += [cell["total"]["cases"], cell["total"]["percent"]]
            rows.append(row)
        return [Table(f"Code presence by case x {self.attribute}", header, rows)]


def crosstab(db: Database, attribute: str, codes: Sequence[str] = (), filters: Filters | None = None,
             rollup: bool = False, progress: Progress = SILENT) -> Crosstab:
    name = attribute.removeprefix("case/")
    known = attribute_names(db, "case")
    if name not in known:
        if name in attribute_names(db, "document"):
            raise InvalidInput(f"{name!r} is a document attribute; a crosstab counts cases "
                               f"(for documents use: report frequency --by attribute:{name})")
        raise NotFound(f"no case attribute {name!r} (case attributes: {', '.join(known) or 'none'})")
    attr = attribute_values(db, f"case/{name}")
    sel = select(db, filters)
    tree = CodeTree(db)
    progress.report(0, 2, "counting")
    links = pd.DataFrame(report_queries.document_case_links(db.conn), columns=["doc", "case"])
    links = links[links["doc"].isin(list(sel.documents))]
    values = case_store.values(db.conn, "case")
    links["value"] = [values.get(c, {}).get(attr.name) or NONE_LABEL for c in links["case"]]
    per_case = links.drop_duplicates("case")
    labels = sorted(set(per_case["value"]) - {NONE_LABEL}, key=attr.sort_key)
    labels += [NONE_LABEL] if (per_case["value"] == NONE_LABEL).any() else []

    code, doc, _n = columns_of(report_queries.code_document_counts(db.conn, sel.document_ids, sel.coder_ids), 3)
    rows = tree.row_array(code)
    if rollup:
        owner, rows = tree.rollup(rows)
        doc = doc[owner]
    coded = pd.DataFrame({"row": rows, "doc": doc}).merge(links, on="doc")
    presence = coded.drop_duplicates(["row", "case"])
    counts = pd.crosstab(presence["row"], presence["value"]).reindex(columns=labels, fill_value=0)

    shown = [tree.row[c] for c in tree.resolve(db, codes)] if codes else tree.shown(set(counts.index))
    counts = counts.reindex(index=shown, fill_value=0)
    per_value = per_case["value"].value_counts().reindex(labels, fill_value=0)
    progress.report(2, 2, "done")
    return Crosstab(attribute=attr.name, values=labels, cases=[int(n) for n in per_value],
                    codes=[tree.paths[r] for r in shown], present=counts.to_numpy(dtype=np.int64))
