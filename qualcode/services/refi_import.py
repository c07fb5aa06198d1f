"""Importing a REFI-QDA project (``.qdpx``) written by QualCode, NVivo, ATLAS.ti, MAXQDA,
QualCoder or any other tool, into a new QualCode project.

Three stages, so that nothing is written unless all of it can be:

1. the package is opened and checked (:mod:`qualcode.io.refi.archive`) and its XML read into
   plain records (:mod:`qualcode.io.refi.project`); a hostile or broken package stops here;
2. a *plan* (:mod:`.refi_plan`) maps every record onto QualCode's rows: names made unique
   and valid, GUIDs normalised, each text normalised as QualCode stores it with the writer's
   positions mapped through that normalisation (:class:`~qualcode.core.textmap.PositionMap`) and checked
   against it. What cannot be carried is listed with its reason, never guessed;
3. the plan is written into a temporary project file in one transaction, which is renamed
   to the requested name only when complete. On any failure or cancel the temporary file is
   deleted, so a failed import leaves no project behind.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ProjectError
from ..io.refi import archive
from ..io.refi.project import read_project
from ..store import audit, cases as case_store, codes as code_store, documents as doc_store, transfer
from ..store.database import Database
from ..store.snapshots import publish, remove_files
from . import documents, project as project_service
from .progress import SILENT, Progress
from .refi_plan import Plan, Planner


@dataclass
class ImportReport:
    project: str
    source: str
    origin: str | None = None
    imported: dict[str, int] = field(default_factory=dict)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (what, why)
    unknown: dict[str, int] = field(default_factory=dict)  # element path -> times met
    warnings: list[str] = field(default_factory=list)
    cancelled: bool = False

    def as_dict(self) -> dict:
        return {"project": self.project, "source": self.source, "origin": self.origin, "imported": self.imported,
                "skipped": [{"item": w, "reason": r} for w, r in self.skipped],
                "unknown_elements": self.unknown, "warnings": self.warnings, "cancelled": self.cancelled}


# -- writing ------------------------------------------------------------------------------------------

class _Cancelled(Exception):
    pass


def _row(**cols) -> dict:
    return {k: v for k, v in cols.items() if v is not None}


def _write(db: Database, plan: Plan, source_name: str, progress: Progress) -> None:
    with db.transaction() as conn:
        coders = [transfer.insert(conn, "coder", _row(name=c["name"], guid=c["guid"])) for c in plan.coders]
        codes: list[int] = []
        for c in plan.codes:  # parents come first
            fields = {k: v for k, v in c["fields"].items() if v is not None}
            codes.append(code_store.insert(conn, c["name"], codes[c["parent"]] if c["parent"] is not None else None,
                                           c["guid"], **fields))
            if c["status"] != "active":
                code_store.update(conn, codes[-1], status=c["status"])
        attributes = [case_store.ensure_attribute(conn, *a) for a in plan.attributes]
        docs: list[int] = []
        for i, d in enumerate(plan.docs):
            if progress.cancelled:
                raise _Cancelled
            progress.report(i, len(plan.docs) + 1, d["name"])
            docs.append(documents.store_document(db, name=d["name"], text=d["text"], source=source_name,
                                                 **_row(guid=d["guid"], **d["fields"])))
            if d["memo"]:
                doc_store.set_fields(conn, docs[-1], memo=d["memo"])
            if d["created"]:
                transfer.update(conn, "document", docs[-1], created_at=d["created"])
            for attr, value in d["values"]:
                case_store.set_value(conn, attributes[attr], docs[-1], value)
        progress.report(len(plan.docs), len(plan.docs) + 1, "codings, cases and memos")
        cases = [transfer.insert(conn, "case_", _row(name=c["name"], guid=c["guid"], kind=c["kind"], memo=c["memo"]))
                 for c in plan.cases]
        for c, case_id in zip(plan.cases, cases):
            if c["parent"] is not None:
                case_store.set_parent(conn, case_id, cases[c["parent"]])
            for attr, value in c["values"]:
                case_store.set_value(conn, attributes[attr], case_id, value)
            for d in c["docs"]:
                doc_store.link_case(conn, docs[d], case_id)
                # as a cases sheet does: the case speaks as "Tomas Halden:" or "Halden:"
                doc_store.assign_turns(conn, docs[d], {c["name"], c["name"].split()[-1]}, case_id)
        codings = [transfer.insert(conn, "coding", _row(
            document_id=docs[c["doc"]], code_id=codes[c["code"]], coder_id=coders[c["coder"]], start=c["start"],
            end=c["end"], memo=c["memo"], created_at=c["created"], guid=c["guid"])) for c in plan.codings]
        ids = {"document": docs, "case": cases, "code": codes, "coding": codings}
        for memo in plan.memos:
            target = ids[memo["target_type"]][memo["target"]] if memo["target_type"] != "project" else None
            transfer.insert(conn, "memo", _row(target_type=memo["target_type"], target_id=target, text=memo["text"],
                                               coder_id=coders[memo["coder"]] if memo["coder"] is not None else None,
                                               created_at=memo["created"], guid=memo["guid"]))
        audit.record(conn, "refi.import", source=source_name, documents=len(docs), codes=len(codes),
                     coders=len(coders), codings=len(codings), cases=len(cases), memos=len(plan.memos))


def import_qdpx(source: str | Path, project: str | Path, progress: Progress = SILENT) -> ImportReport:
    """Create the project ``project`` from the REFI-QDA package ``source``; refuses to
    overwrite. Returns what was imported and what was skipped, with reasons."""
    source, path = Path(source), Path(project)
    if path.exists():
        raise ProjectError(f"{path} already exists; import into a new project name")
    if not path.parent.is_dir():
        raise ProjectError(f"folder {path.parent} does not exist")
    progress.report(0, 1, f"reading {source.name}")
    p = read_project(archive.open_qdpx(source))
    report = ImportReport(str(path), str(source), p.origin, skipped=list(p.findings.skipped),
                          unknown=dict(sorted(p.findings.unknown.items())), warnings=list(p.findings.warnings))
    plan = Planner(p, report).make()
    tmp = path.with_name(f".{path.name}.{os.getpid()}.importing")
    remove_files(tmp)
    db = project_service.new_project(tmp)
    try:
        try:
            _write(db, plan, source.name, progress)
        finally:
            db.close()
        wal = Path(f"{tmp}-wal")
        if wal.exists() and wal.stat().st_size:  # closing checkpoints; a rest would be lost in the rename
            raise ProjectError(f"could not finish writing {path.name}; nothing was imported")
        publish(tmp, path)
    except _Cancelled:
        report.cancelled = True
        return report
    finally:
        remove_files(tmp)
    progress.report(1, 1, "done")
    report.imported = {"documents": len(plan.docs), "codes": len(plan.codes), "coders": len(plan.coders),
                       "codings": len(plan.codings), "cases": len(plan.cases), "variables": len(plan.attributes),
                       "memos": len(plan.memos)}
    return report
