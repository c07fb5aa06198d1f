"""REFI-QDA project exchange: export a project as ``.qdpx``; import one from any tool
(:mod:`.refi_import`).

The export carries what REFI-QDA can hold -- documents with their plain text, the codebook
with GUIDs and colours, coders as users, every coding as a selection with its code and coder,
cases with their variables and documents, document variables, and memos as notes -- and
counts what it cannot (stories, tellings, evidence bases, codebook versions). Everything is
sorted and every derived GUID is computed from stored ones, so exporting the same project
twice gives the same file byte for byte.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..errors import InvalidInput
from ..io import qdc
from ..io.refi import archive, model as m, variables as refi_vars
from ..io.refi.model import code_memo_guid, derived_guid
from ..io.refi.project import write_project
from ..store import cases as case_store, coders as coder_store, codes as code_store, codings as coding_store
from ..store import transfer
from ..store.database import Database
from .progress import SILENT, Progress
from .refi_import import ImportReport, import_qdpx

__all__ = ["ExportReport", "ImportReport", "export_qdpx", "import_qdpx"]

MEMO_TARGETS = ("project", "document", "case", "code", "coding")


@dataclass
class ExportReport:
    output: str
    counts: dict[str, int] = field(default_factory=dict)
    not_carried: dict[str, int] = field(default_factory=dict)
    cancelled: bool = False

    def as_dict(self) -> dict:
        return {"output": self.output, "exported": self.counts, "not_carried": self.not_carried,
                "cancelled": self.cancelled}


def _timestamp(seconds: int | None) -> str | None:
    if seconds is None:
        return None
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _variables(conn, scope: str, owners: dict[int, str], fields: dict[str, dict[int, str | None]]):
    """(variables, owner guid -> values) for the attributes of one scope plus QualCode's own
    fields, each typed by the values it holds."""
    values = case_store.values(conn, scope)
    columns = {name: (type_, {o: v.get(name) for o, v in values.items() if name in v})
               for name, type_ in case_store.attributes(conn, scope)}
    for name, by_owner in fields.items():
        if any(v is not None for v in by_owner.values()):
            columns[refi_vars.PREFIX + name] = ("text", by_owner)
    variables, per_owner = [], {}
    for name in sorted(columns):
        type_, by_owner = columns[name]
        refi = refi_vars.refi_type(type_, list(by_owner.values()))
        var = m.Variable(derived_guid("variable", scope, name), name, refi)
        variables.append(var)
        for owner, value in by_owner.items():
            if owner in owners:
                per_owner.setdefault(owners[owner], []).append(m.Value(var.guid, refi_vars.refi_value(refi, value)))
    return variables, per_owner


def _memos(conn, guid_of: dict[tuple[str, int | None], str], coders: dict[int, str], report: ExportReport):
    """(notes, target guid -> note guids, links for cases) from the memo table."""
    notes, refs, links = [], {}, []
    skipped = {"memos on stories or tellings": 0, "memos on deleted items": 0}
    for row in sorted(transfer.read(conn, "memo"), key=lambda r: (r["created_at"], r["guid"])):
        target = guid_of.get((row["target_type"], row["target_id"]))
        if row["target_type"] not in MEMO_TARGETS:
            skipped["memos on stories or tellings"] += 1
            continue
        if target is None:
            skipped["memos on deleted items"] += 1
            continue
        notes.append(m.Note(row["guid"], None, row["text"], coders.get(row["coder_id"]), row["created_at"]))
        if row["target_type"] == "case":  # a REFI case has no NoteRef: link the note to it
            links.append(m.Link(derived_guid("link", row["guid"], target), row["guid"], target))
        else:
            refs.setdefault(target, []).append(row["guid"])
    report.not_carried.update({what: n for what, n in skipped.items() if n})
    return notes, refs, links


def _code_tree(conn, notes: dict[str, list[str]], memo_notes: list[m.Note]) -> list[m.Code]:
    """The codebook as a tree; a code's own memo field travels as a note of its own
    (``memo_notes``), which an import recognises by its GUID and puts back in that field."""
    rows = code_store.list_all(conn)  # in codebook order
    nodes = {}
    for c in rows:
        refs = list(notes.get(c.guid, []))
        if c.memo:
            memo_notes.append(m.Note(code_memo_guid(c.guid), None, c.memo))
            refs.insert(0, memo_notes[-1].guid)
        description = qdc.describe({"definition": c.definition, "inclusion": c.inclusion,
                                    "exclusion": c.exclusion, "example": c.example})
        nodes[c.id] = m.Code(c.guid, c.name, c.status == "active", c.color, description or None, refs)
    top = []
    for c in rows:
        (nodes[c.parent_id].children if c.parent_id in nodes else top).append(nodes[c.id])
    return top


def export_qdpx(db: Database, out: str | Path, progress: Progress = SILENT) -> ExportReport:
    """Write the project as a REFI-QDA package ``out`` (``.qdpx``)."""
    out = Path(out)
    if out.suffix.lower() != ".qdpx":
        raise InvalidInput(f"{out.name}: a REFI-QDA project is written as .qdpx")
    if not out.parent.is_dir():
        raise InvalidInput(f"folder {out.parent} does not exist")
    conn = db.conn
    report = ExportReport(str(out))
    coders = coder_store.list_all(conn)
    coder_guid = {c.id: c.guid for c in coders}
    documents = sorted(transfer.read(conn, "document"), key=lambda d: (d["name"], d["guid"]))
    cases = sorted(case_store.list_all(conn), key=lambda c: (c.name, c.guid))
    code_guid = {c.id: c.guid for c in code_store.list_all(conn)}
    guid_of: dict[tuple[str, int | None], str] = {("project", None): "project"}
    guid_of.update({("document", d["id"]): d["guid"] for d in documents})
    guid_of.update({("case", c.id): c.guid for c in cases})
    guid_of.update({("code", i): g for i, g in code_guid.items()})
    coding_rows = {d["id"]: coding_store.for_document(conn, d["id"]) for d in documents}
    guid_of.update({("coding", c.id): c.guid for rows in coding_rows.values() for c in rows})
    notes, note_refs, links = _memos(conn, guid_of, coder_guid, report)

    case_name = {c.id: c.name for c in cases}
    case_vars, case_values = _variables(conn, "case", {c.id: c.guid for c in cases}, {
        "kind": {c.id: c.kind for c in cases},
        "parent": {c.id: case_name.get(c.parent_id) for c in cases}})
    doc_vars, doc_values = _variables(conn, "document", {d["id"]: d["guid"] for d in documents}, {
        f: {d["id"]: d[f] for d in documents} for f in refi_vars.DOCUMENT_FIELDS})
    linked: dict[int, list[str]] = {}
    doc_guid = {d["id"]: d["guid"] for d in documents}
    for row in transfer.read(conn, "document_case"):
        linked.setdefault(row["case_id"], []).append(doc_guid[row["document_id"]])

    meta = db.meta()
    code_memos: list[m.Note] = []
    project = m.Project(name=db.path.stem, origin=f"QualCode {__version__}", created=meta.get("created_at"),
                        users=[m.User(c.guid, c.name) for c in sorted(coders, key=lambda c: (c.name, c.guid))],
                        codes=_code_tree(conn, note_refs, code_memos), variables=case_vars + doc_vars,
                        links=links, note_refs=note_refs.get("project", []))
    project.notes = code_memos + notes
    project.cases = [m.Case(c.guid, c.name, c.memo, case_values.get(c.guid, []), sorted(linked.get(c.id, [])))
                     for c in cases]
    evidence = 0
    for i, d in enumerate(documents):
        progress.report(i, len(documents), d["name"])
        if progress.cancelled:  # nothing has been written yet
            report.cancelled = True
            return report
        source = m.TextSource(d["guid"], d["name"], d["text"], created=d["created_at"], description=d["memo"],
                              notes=note_refs.get(d["guid"], []), values=doc_values.get(d["guid"], []))
        for c in sorted(coding_rows[d["id"]], key=lambda c: (c.start, c.end, c.guid)):
            user, when = coder_guid[c.coder_id], _timestamp(c.created_at)
            coding = m.Coding(c.guid, code_guid[c.code_id], user, when, note_refs.get(c.guid, []))
            source.selections.append(m.Selection(derived_guid("selection", c.guid), c.start, c.end, user, when,
                                                 c.memo, [coding]))
            evidence += c.evidence != "unknown"
        project.sources.append(source)
    qde, files = write_project(project)
    archive.write_zip(out, [(archive.PROJECT_XML, qde), *files])
    progress.report(len(documents), len(documents), "done")
    report.counts = {"documents": len(documents), "codes": len(code_guid), "coders": len(coders),
                     "codings": sum(len(r) for r in coding_rows.values()), "cases": len(cases),
                     "variables": len(project.variables), "memos": len(notes)}
    for what, n in (("stories", transfer.count(conn, "story")), ("tellings", transfer.count(conn, "telling")),
                    ("coding evidence bases", evidence),
                    ("codebook versions", transfer.count(conn, "codebook_version"))):
        if n:
            report.not_carried[what] = n
    return report
