"""Cases and their attributes from a spreadsheet.

Columns: ``case, parent, kind``, then one column per attribute. An optional ``documents``
column (names separated by ``;``) links the case to documents already in the project. Each
attribute column is typed from its values (number, date, boolean, else text). The whole sheet
is validated first and written in one transaction.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

from ..core import csvrows
from ..core.cells import unguard
from ..errors import InvalidInput
from ..io.safezip import open_zip
from ..store import audit, cases as case_store, documents as doc_store
from ..store.database import Database
from ..store.models import Case

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")


def _column_type(values: list[str]) -> str:
    vals = [v for v in values if v]
    if not vals:
        return "text"
    if all(_NUMBER.match(v) for v in vals):
        return "number"
    if all(_DATE.match(v) for v in vals):
        try:
            for v in vals:
                dt.date.fromisoformat(v)
            return "date"
        except ValueError:
            return "text"
    if all(v.lower() in ("true", "false", "yes", "no") for v in vals):
        return "boolean"
    return "text"


def _read_rows(path: Path) -> list[list[str]]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        try:
            raw = path.read_bytes().decode("utf-8-sig")
        except OSError as exc:
            raise InvalidInput(f"cannot read {path}: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise InvalidInput(f"{path.name} is not UTF-8 text") from None
        return [[unguard(c.strip()) for c in row] for row in csvrows.rows(raw, path.name)]
    if suffix == ".xlsx":
        try:
            import openpyxl
        except ImportError:  # pragma: no cover - a declared dependency
            raise InvalidInput("reading .xlsx needs openpyxl") from None
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InvalidInput(f"cannot read {path}: {exc.strerror}") from None
        open_zip(data, path.name, what=".xlsx workbook")  # zip-bomb limits before openpyxl inflates anything
        try:
            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:  # a read-only workbook parses its sheet only now, so a damaged sheet fails here
                rows = [["" if v is None else (v.date().isoformat() if isinstance(v, dt.datetime) else str(v)).strip()
                         for v in row] for row in wb.worksheets[0].iter_rows(values_only=True)]
            finally:
                wb.close()
        except Exception as exc:  # openpyxl raises many types for a bad file
            raise InvalidInput(f"{path.name} is not a readable .xlsx workbook ({type(exc).__name__})") from None
        return rows
    raise InvalidInput(f"{path.name}: cases are imported from .csv or .xlsx")


def import_cases(db: Database, path: str | Path) -> dict:
    path = Path(path)
    rows = [r for r in _read_rows(path) if any(r)]
    if not rows:
        raise InvalidInput(f"{path.name} is empty")
    header = [h.strip() for h in rows[0]]
    lower = [h.lower() for h in header]
    if not lower or lower[0] != "case":
        raise InvalidInput(f"{path.name}: the first column must be 'case' (then parent, kind, attributes...)")
    if len(set(lower)) != len(lower):
        raise InvalidInput(f"{path.name}: a column name appears twice")
    i_parent = lower.index("parent") if "parent" in lower else None
    i_kind = lower.index("kind") if "kind" in lower else None
    i_docs = lower.index("documents") if "documents" in lower else None
    attr_cols = [i for i in range(1, len(header)) if i not in (i_parent, i_kind, i_docs)]
    body = rows[1:]
    names: dict[str, int] = {}
    known_docs = set(doc_store.names_and_lengths(db.conn))
    stored = case_store.list_all(db.conn)
    existing = {c.name for c in stored}
    for line, row in enumerate(body, start=2):
        row += [""] * (len(header) - len(row))
        if len(row) > len(header):
            raise InvalidInput(f"{path.name} line {line}: more cells than columns")
        name = row[0]
        if not name:
            raise InvalidInput(f"{path.name} line {line}: empty case name")
        if name in names:
            raise InvalidInput(f"{path.name} line {line}: case {name!r} appears twice (first on line {names[name]})")
        names[name] = line
        kind = (row[i_kind] if i_kind is not None else "") or "other"
        if kind not in case_store.KINDS:
            raise InvalidInput(f"{path.name} line {line}: kind {kind!r} is not one of {', '.join(case_store.KINDS)}")
        if i_docs is not None:
            for d in filter(None, (x.strip() for x in row[i_docs].split(";"))):
                if d not in known_docs:
                    raise InvalidInput(f"{path.name} line {line}: no document {d!r} in the project")
    for line, row in enumerate(body, start=2):
        parent = row[i_parent] if i_parent is not None else ""
        if parent and parent not in names and parent not in existing:
            raise InvalidInput(f"{path.name} line {line}: parent case {parent!r} is not in the sheet or project")
    # The tree after the import: the project's parent links, overridden by the sheet's rows
    # (a cycle may run through cases that are already in the project).
    stored_name = {c.id: c.name for c in stored}
    parents = {c.name: stored_name.get(c.parent_id, "") if c.parent_id else "" for c in stored}
    parents.update({row[0]: (row[i_parent] if i_parent is not None else "") for row in body})
    for start in parents:  # refuse cycles before writing
        seen, node = set(), start
        while node:
            if node in seen:
                raise InvalidInput(f"{path.name}: cases form a cycle through {node!r}")
            seen.add(node)
            node = parents.get(node, "")
    types = {i: _column_type([row[i] for row in body]) for i in attr_cols}
    with db.transaction() as conn:
        ids: dict[str, int] = {}
        for row in body:  # first pass: every case exists, so parents can point forward
            ids[row[0]] = case_store.upsert(conn, row[0], (row[i_kind] if i_kind is not None else "") or "other")
        for row in body:
            parent = row[i_parent] if i_parent is not None else ""
            if parent:
                pid = ids.get(parent) or case_store.id_by_name(conn, parent)
                case_store.set_parent(conn, ids[row[0]], pid)
            for i in attr_cols:
                attr = case_store.ensure_attribute(conn, header[i], "case", types[i])
                case_store.set_value(conn, attr, ids[row[0]], row[i] or None)
            if i_docs is not None:
                for d in filter(None, (x.strip() for x in row[i_docs].split(";"))):
                    doc_id = doc_store.id_by_name(conn, d)
                    doc_store.link_case(conn, doc_id, ids[row[0]])
                    # "Tomas Halden" speaks as "Tomas Halden:" or "Halden:" in his transcript
                    doc_store.assign_turns(conn, doc_id, {row[0], row[0].split()[-1]}, ids[row[0]])
        audit.record(conn, "cases.import", source=path.name, cases=len(body))
    return {"cases": len(body), "attributes": [header[i] for i in attr_cols]}


def list_cases(db: Database) -> list[Case]:
    return case_store.list_all(db.conn)


def attribute_values(db: Database, scope: str) -> dict[int, dict[str, str | None]]:
    """owner id -> {attribute: value} for every case (scope "case") or document ("document")."""
    return case_store.values(db.conn, scope)
