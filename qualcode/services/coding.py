"""Applying, removing and exchanging codings.

One coding is one transaction with its audit entry. A codings CSV is validated row by row
before anything is written; the first bad row stops the import with its line number, and
the project stays as it was.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Sequence

from ..core import codepaths, csvrows, spans
from ..core.cells import guard, unguard
from ..errors import InvalidInput, NotFound
from ..store import audit, coders as coder_store, codes as code_store, codings as coding_store
from ..store import documents as doc_store
from ..store.database import Database
from ..store.models import Coder, Coding, CodingRow
from . import codebook

EVIDENCE = ("witnessed", "own experience", "hearsay", "unknown")
CSV_COLUMNS = ["document", "code", "coder", "start", "end", "text", "memo"]
_OPTIONAL = {"evidence"}


def _check_evidence(value: str | None) -> str:
    value = (value or "unknown").strip().lower()
    if value not in EVIDENCE:
        raise InvalidInput(f"evidence must be one of: {', '.join(EVIDENCE)} (got {value!r})")
    return value


def _coder_name(name: str | None) -> str:
    if name is None or not name.strip():
        raise InvalidInput("a coder name is needed (--coder NAME)")
    return name.strip()


def add_coding(db: Database, document: str | int, code: str | int, start: int, end: int, coder: str,
               memo: str | None = None, evidence: str | None = None) -> int:
    """Store one coding; returns its id. The code must exist (create it in the codebook first)."""
    coder = _coder_name(coder)
    evidence = _check_evidence(evidence)
    conn = db.conn
    if isinstance(document, int):
        doc_id = document
        # No SQL outside store/: find the name and length among (name -> (id, chars)).
        row = next(((n, chars) for n, (i, chars) in doc_store.names_and_lengths(conn).items() if i == doc_id), None)
        if row is None:
            raise NotFound(f"no document with id {doc_id}")
        doc_name, length = row
    else:
        found = doc_store.id_and_length(conn, document)
        if found is None:
            raise NotFound(f"no document {document!r} in the project")
        doc_id, length = found
        doc_name = document
    spans.validate(start, end, length, f"document {doc_name!r}")
    code_id = code if isinstance(code, int) else codebook.index(db).resolve(code)
    c = code_store.get(conn, code_id)
    if c is None:
        raise NotFound(f"no code with id {code_id}")
    if c.status != "active":
        raise InvalidInput(f"code {c.name!r} is {c.status}; code with an active code instead")
    with db.transaction() as tx:
        coder_id = coder_store.ensure(tx, coder)
        coding_id = coding_store.insert(tx, doc_id, code_id, coder_id, start, end, memo, evidence)
        audit.record(tx, "coding.add", coder_id, coding=coding_id, document=doc_id, code=code_id, start=start, end=end)
    return coding_id


def remove_coding(db: Database, coding_id: int) -> Coding:
    """Delete a coding; returns what was deleted so an undo can put it back."""
    with db.transaction() as tx:
        old = coding_store.get(tx, coding_id)
        if old is None:
            raise NotFound(f"no coding with id {coding_id}")
        coding_store.delete(tx, coding_id)
        audit.record(tx, "coding.remove", old.coder_id, coding=coding_id, document=old.document_id,
                     code=old.code_id, start=old.start, end=old.end)
    return old


def restore_coding(db: Database, old: Coding) -> int:
    """Put a removed coding back exactly (same GUID, and the same id while it is free, so
    later undo steps that name the coding still find it), for undo."""
    with db.transaction() as tx:
        new_id = coding_store.reinsert(tx, old)
        audit.record(tx, "coding.restore", old.coder_id, coding=new_id, guid=old.guid)
    return new_id


def _document_length(conn, document_id: int) -> int:
    length = next((chars for i, chars in doc_store.names_and_lengths(conn).values() if i == document_id), None)
    if length is None:
        raise NotFound(f"no document with id {document_id}")
    return length


def update_coding_span(db: Database, coding_id: int, start: int, end: int, coder: str | None = None) -> tuple[int, int]:
    """Move a coding's boundaries; returns the old ``(start, end)`` so an undo can move them back."""
    old = coding_store.get(db.conn, coding_id)
    if old is None:
        raise NotFound(f"no coding with id {coding_id}")
    spans.validate(start, end, _document_length(db.conn, old.document_id), "the document")
    with db.transaction() as tx:
        coding_store.update_span(tx, coding_id, start, end)
        audit.record(tx, "coding.resize", coder_store.acting(tx, coder), coding=coding_id, start=start, end=end,
                     old_start=old.start, old_end=old.end)
    return old.start, old.end


_KEEP = object()


def update_coding(db: Database, coding_id: int, *, memo=_KEEP, evidence=_KEEP, coder: str | None = None) -> Coding:
    """Set a coding's memo and/or evidence basis; returns the coding as it was before."""
    old = coding_store.get(db.conn, coding_id)
    if old is None:
        raise NotFound(f"no coding with id {coding_id}")
    fields = {}
    if memo is not _KEEP:
        fields["memo"] = (memo.strip() or None) if isinstance(memo, str) else None
    if evidence is not _KEEP:
        fields["evidence"] = _check_evidence(evidence)
    if not fields:
        return old
    with db.transaction() as tx:
        coding_store.update_fields(tx, coding_id, **fields)
        audit.record(tx, "coding.update", coder_store.acting(tx, coder), coding=coding_id, **fields)
    return old


def get_coding(db: Database, coding_id: int) -> Coding:
    found = coding_store.get(db.conn, coding_id)
    if found is None:
        raise NotFound(f"no coding with id {coding_id}")
    return found


def codings_for_document(db: Database, document_id: int, coder_id: int | None = None) -> list[Coding]:
    """The document's codings in text order, of one coder when ``coder_id`` is given."""
    return coding_store.for_document(db.conn, document_id, coder_id)


def codings_for_codes(db: Database, code_ids: Sequence[int], coder_id: int | None = None) -> list[CodingRow]:
    """Retrieval: the coded segments of some codes across every document."""
    return coding_store.rows_for_codes(db.conn, list(code_ids), coder_id)


def counts_by_code(db: Database, coder_id: int | None = None) -> dict[int, int]:
    return coding_store.counts_by_code(db.conn, coder_id)


def counts_by_document(db: Database, coder_id: int | None = None) -> dict[int, int]:
    return coding_store.counts_by_document(db.conn, coder_id)


def list_coders(db: Database) -> list[Coder]:
    return coder_store.list_all(db.conn)


def last_coder(db: Database) -> str | None:
    """Who coded last in this project (else its first coder; None when it has no coders): the
    natural coder to carry on as when the user has not named one."""
    return coder_store.most_recent(db.conn)


# -- CSV exchange ------------------------------------------------------------------------------

def _coder_ids(db: Database, names: Sequence[str] | None) -> list[int] | None:
    if not names:
        return None
    known = coder_store.ids_by_name(db.conn)
    missing = [n for n in names if n not in known]
    if missing:
        raise NotFound(f"no coder {missing[0]!r} (coders: {', '.join(known) or 'none yet'})")
    return [known[n] for n in names]


def export_rows(db: Database, coders: Sequence[str] | None = None) -> list[tuple[str, CodingRow]]:
    """(code path, row) for every coding, optionally of some coders only."""
    paths = codebook.paths(db)
    return [(paths[r.code_id], r) for r in coding_store.rows(db.conn, _coder_ids(db, coders))]


def export_csv(db: Database, out: str | Path, coders: Sequence[str] | None = None,
               pseudonym_map: str | Path | None = None, with_evidence: bool = False) -> int:
    """Write the codings in the contract's columns (plus ``evidence`` when asked); with
    ``pseudonym_map`` (CSV original,pseudonym) the names in the coded text and memos are
    replaced (offsets still point into the original text)."""
    from .pseudonyms import pseudonymiser

    out = Path(out)
    if out.suffix.lower() != ".csv":
        raise InvalidInput(f"{out.name}: codings are exported as .csv")
    hide = pseudonymiser(pseudonym_map)
    rows = export_rows(db, coders)
    if not out.parent.exists():
        raise InvalidInput(f"folder {out.parent} does not exist")
    with open(out, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(CSV_COLUMNS + (["evidence"] if with_evidence else []))
        for path, r in rows:
            row = [guard(r.document), guard(path), guard(r.coder), r.start, r.end, guard(hide(r.text)),
                   guard(hide(r.memo or ""))]
            w.writerow(row + [r.evidence] if with_evidence else row)
    return len(rows)


def import_csv(db: Database, path: str | Path, coder: str | None = None) -> int:
    """Import codings; creates missing codes and coders. ``coder`` assigns every row to that
    coder (for importing a colleague's file under their name). Returns how many were added."""
    path = Path(path)
    try:
        raw = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"{path.name} is not UTF-8 text") from None
    reader = csvrows.rows(raw, path.name)
    header = [h.strip().lower() for h in next(reader, [])]
    if not header:
        raise InvalidInput(f"{path.name} is empty")
    required = ["document", "code", "start", "end"] + ([] if coder else ["coder"])
    missing = [c for c in required if c not in header]
    if missing:
        raise InvalidInput(f"{path.name}: missing column(s) {', '.join(missing)} (columns: {', '.join(CSV_COLUMNS)})")
    unknown = [h for h in header if h not in CSV_COLUMNS and h not in _OPTIONAL]
    if unknown:
        raise InvalidInput(f"{path.name}: unknown column(s) {', '.join(unknown)}")
    col = {h: i for i, h in enumerate(header)}
    i_doc, i_code, i_start, i_end = col["document"], col["code"], col["start"], col["end"]
    i_coder, i_memo, i_ev = col.get("coder"), col.get("memo"), col.get("evidence")
    docs = doc_store.names_and_lengths(db.conn)
    index = codebook.index(db)
    status = {c.id: c.status for c in code_store.list_all(db.conn)}
    forced = _coder_name(coder) if coder else None
    ncols = len(header)
    parsed = []
    code_refs: dict[str, int | None] = {}  # raw cell -> code id (None: a new path to create)
    coder_cells: dict[str, str] = {}
    evidence_cells: dict[str, str] = {}
    for line, row in enumerate(reader, start=2):
        if (len(row) != ncols or not row[i_doc].strip()) and not any(c.strip() for c in row):
            continue  # a blank line, or a row of empty cells as spreadsheets save them
        if len(row) != ncols:
            raise InvalidInput(f"{path.name} line {line}: {len(row)} cells, expected {ncols}")
        name = row[i_doc]
        if name[:1] == "'":  # cheap test first: only guarded cells pay for unguard()
            name = unguard(name)
        doc = docs.get(name)
        if doc is None:
            raise InvalidInput(f"{path.name} line {line}: no document {name!r} in the project")
        try:
            start, end = int(row[i_start]), int(row[i_end])
        except ValueError:
            raise InvalidInput(f"{path.name} line {line}: start and end must be whole numbers, "
                               f"got {row[i_start]!r} and {row[i_end]!r}") from None
        if not (0 <= start < end <= doc[1]):
            try:
                spans.validate(start, end, doc[1], f"document {name!r}")
            except InvalidInput as exc:
                raise InvalidInput(f"{path.name} line {line}: {exc}") from None
        ref = row[i_code]
        if ref not in code_refs:
            try:
                found = index.find(unguard(ref))
                if found is None:
                    codepaths.split(unguard(ref))  # a new path must at least be well formed
                elif status[found] != "active":
                    raise InvalidInput(f"code {unguard(ref).strip()!r} is {status[found]}; "
                                       "code with an active code instead")
            except (InvalidInput, NotFound) as exc:
                raise InvalidInput(f"{path.name} line {line}: {exc}") from None
            code_refs[ref] = found
        if forced:
            who = forced
        else:
            who = coder_cells.get(row[i_coder])  # type: ignore[index]
            if who is None:
                who = coder_cells[row[i_coder]] = unguard(row[i_coder]).strip()  # type: ignore[index]
            if not who:
                raise InvalidInput(f"{path.name} line {line}: empty coder (or pass --coder NAME)")
        memo = unguard(row[i_memo]) if i_memo is not None and row[i_memo] else None
        if i_ev is None:
            ev = "unknown"
        else:
            ev = evidence_cells.get(row[i_ev])
            if ev is None:
                try:
                    ev = evidence_cells[row[i_ev]] = _check_evidence(row[i_ev]) if row[i_ev].strip() else "unknown"
                except InvalidInput as exc:
                    raise InvalidInput(f"{path.name} line {line}: {exc}") from None
        parsed.append((doc[0], ref, who, start, end, memo, ev))
    with db.transaction() as tx:
        idx = dict(index.by_path)
        code_ids = {}
        for ref, found in code_refs.items():
            code_ids[ref] = found if found is not None else codebook.ensure_path(tx, unguard(ref).strip(), idx)
        # first-appearance order (not set order), so ids and `info` coders are reproducible
        coder_ids = {name: coder_store.ensure(tx, name) for name in dict.fromkeys(p[2] for p in parsed)}
        n = coding_store.insert_many(
            tx, [(d, code_ids[r], coder_ids[w], s, e, m, ev) for d, r, w, s, e, m, ev in parsed])
        audit.record(tx, "codings.import", None, source=path.name, count=n)
    return n


def get_codings(db: Database, coding_ids: Sequence[int]) -> list[Coding]:
    """The codings that still exist among ``coding_ids`` (an edit's view refresh reads these)."""
    return [c for c in (coding_store.get(db.conn, i) for i in coding_ids) if c is not None]
