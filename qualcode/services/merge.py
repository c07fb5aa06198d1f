"""Folding coders' copies of a project into one new project.

Team work: every coder codes a copy, then ``qualcode merge OUT A B ...`` builds OUT from the
copies. Things are matched by what identifies them for a researcher, not by database ids:

- documents by their text (sha256); a document whose name is taken by a *different* text is
  a conflict and is kept under a distinct name ``NAME (COPY)``;
- codes by path; the same path with different definitions is a conflict: the first copy's
  definition is kept and the others are appended to the code's memo, so none is lost;
- coders by name (a name in two copies is reported: it is taken to be one person); codings are
  deduplicated on (document, code, coder, start, end);
- cases by name, attributes by (name, scope), stories by title, story elements by label,
  tellings by (story, document, span, teller, role), memos by (target, text, coder).

Nothing is dropped silently: every row of every input is either in the output or counted as a
duplicate of a row that is, and differences between duplicates are reported as conflicts.
The inputs' change logs (audit) stay in the input files and are reported as not carried.
OUT is written in one transaction under a hidden name, and takes its name only when complete.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from ..core import codepaths
from ..errors import InvalidInput, ProjectError
from ..store import audit, database, documents as doc_store, transfer
from ..store.snapshots import publish, remove_files
from .progress import SILENT, Progress

# Tables merged below, in dependency order; meta and audit belong to each project itself.
MERGED = ("coder", "case_", "attribute", "document", "attribute_value", "document_case", "speaker_turn",
          "segment", "code", "codebook_version", "coding", "story", "story_element", "story_rejected_passage",
          "telling", "transmission", "realization", "memo")
OWN = ("meta", "audit")
DOC_FIELDS = ("kind", "interview_date", "period_discussed", "language", "memo")
CODE_TEXTS = ("definition", "inclusion", "exclusion", "example", "memo")
CODE_FIELDS = ("color", "status")
TOTALS = {"documents": "document", "codes": "code", "codings": "coding", "cases": "case_", "memos": "memo",
          "stories": "story", "tellings": "telling"}


@dataclass
class MergeReport:
    output: str
    inputs: list[dict] = field(default_factory=list)
    conflicts: list[dict] = field(default_factory=list)
    not_carried: list[dict] = field(default_factory=list)
    totals: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"output": self.output, "inputs": self.inputs, "totals": self.totals,
                "conflicts": self.conflicts, "not_carried": self.not_carried}


def _check_paths(out: Path, projects: Sequence[str | Path]) -> list[Path]:
    paths = [Path(p) for p in projects]
    if len(paths) < 2:
        raise InvalidInput("merge needs at least two projects to fold together")
    seen: dict[Path, Path] = {}
    for p in paths:
        key = p.resolve()
        if key in seen:
            raise InvalidInput(f"{p} is given twice; name each copy once")
        seen[key] = p
    if out.exists():
        raise ProjectError(f"{out} already exists; merge writes a new project, so choose another name")
    if not out.parent.exists():
        raise ProjectError(f"folder {out.parent} does not exist")
    return paths


def _labels(paths: list[Path]) -> list[str]:
    """Short, distinct names for the copies (file stems, or full paths where stems repeat)."""
    stems = [p.stem for p in paths]
    return [s if stems.count(s) == 1 else str(p) for s, p in zip(stems, paths)]


def merge_projects(out: str | Path, projects: Sequence[str | Path], progress: Progress = SILENT) -> MergeReport:
    """Build the new project ``out`` from ``projects``; returns what was merged and every conflict."""
    out = Path(out)
    paths = _check_paths(out, projects)
    snapshots = []
    for i, p in enumerate(paths):
        progress.report(i, len(paths) * 2, f"reading {p.name}")
        with database.open_db(p, readonly=True) as db:
            snapshots.append({t: transfer.read(db.conn, t) for t in transfer.user_tables(db.conn)})
    report = MergeReport(str(out))
    # Built under a hidden name and given OUT's name only when complete: a crash (even
    # kill -9) leaves no OUT that looks like a finished, empty merge.
    tmp = out.with_name(f".{out.name}.{os.getpid()}.merging")
    remove_files(tmp)
    db = database.create(tmp)
    try:
        merger = _Merger(report)
        with db.transaction() as conn:
            for i, (label, snap) in enumerate(zip(_labels(paths), snapshots)):
                progress.report(len(paths) + i, len(paths) * 2, f"merging {label}")
                report.inputs.append(merger.fold(conn, label, snap))
            report.totals = {name: transfer.count(conn, t) for name, t in TOTALS.items()}
            report.totals["coders"] = sorted(merger.coders)
            audit.record(conn, "project.merge", None, sources=[str(p) for p in paths],
                         conflicts=len(report.conflicts), totals=report.totals)
        db.close()
        publish(tmp, out)
        progress.report(len(paths) * 2, len(paths) * 2, "done")
    except BaseException:
        db.close()
        remove_files(tmp)
        raise
    return report


class _Merger:
    """The output side: what is already merged, by the keys that identify it."""

    def __init__(self, report: MergeReport):
        self.report = report
        self.coders: dict[str, int] = {}
        self.coder_from: dict[str, str] = {}
        self.cases: dict[str, dict] = {}
        self.attributes: dict[tuple[str, str], dict] = {}
        self.attribute_scope: dict[int, str] = {}
        self.values: dict[tuple[int, int], str | None] = {}
        self.docs: dict[str, dict] = {}  # sha256 -> output row
        self.doc_names: set[str] = set()
        self.new_docs: set[int] = set()  # documents first brought in by the copy being folded
        self.doc_cases: set[tuple[int, int]] = set()
        self.codes: dict[str, dict] = {}  # path -> output row
        self.versions: dict[str, str] = {}
        self.codings: dict[tuple, dict] = {}
        self.stories: dict[str, dict] = {}
        self.elements: dict[tuple[int, str], dict] = {}
        self.tellings: dict[tuple, int] = {}
        self.transmissions: set[tuple] = set()
        self.realizations: dict[tuple[int, int], dict] = {}
        self.rejected: set[tuple] = set()
        self.memos: set[tuple] = set()
        self.guids: dict[str, set[str]] = {}
        self.references: dict[str, set[str]] = {}

    # -- helpers ---------------------------------------------------------------------------------
    def conflict(self, kind: str, message: str) -> None:
        self.report.conflicts.append({"kind": kind, "message": message})

    def put(self, conn, table: str, row: dict, **changes) -> int:
        """Insert a copy of ``row`` without its id; a GUID already taken in the output is left
        for SQLite to generate afresh (two different rows must not share one). Every column
        that refers to another row must come in ``changes``, mapped to the output's ids: a
        reference copied as it was would point at the wrong row, so an unmapped one is a bug."""
        refs = self.references.setdefault(table, transfer.foreign_keys(conn, table))
        unmapped = {c for c in refs - set(changes) if row.get(c) is not None}
        if unmapped:
            raise RuntimeError(f"merge does not map {table}.{', '.join(sorted(unmapped))}")
        new = {k: v for k, v in row.items() if k != "id"}
        new.update(changes)
        guid = new.get("guid")
        if guid is not None:
            used = self.guids.setdefault(table, set())
            if guid in used:
                del new["guid"]
            else:
                used.add(guid)
        return transfer.insert(conn, table, new)

    # -- one input -------------------------------------------------------------------------------
    def fold(self, conn, label: str, snap: dict[str, list[dict]]) -> dict:
        self.label = label
        self.new_docs = set()
        self.stats: dict[str, dict[str, int]] = {}
        m: dict[str, dict] = {t: {} for t in MERGED}
        self.maps = m
        for table, rows in snap.items():
            if table not in MERGED and table not in OWN and rows:
                self.report.not_carried.append({"project": label, "table": table, "rows": len(rows),
                                                "reason": "QualCode's merge does not know this table"})
        if snap.get("audit"):
            self.report.not_carried.append({"project": label, "table": "audit", "rows": len(snap["audit"]),
                                            "reason": "the change history stays in the input file"})
        steps = [("coder", self._coder), ("case_", self._case), ("attribute", self._attribute),
                 ("document", self._document), ("attribute_value", self._value),
                 ("document_case", self._document_case), ("speaker_turn", self._turn),
                 ("segment", None), ("code", None), ("codebook_version", self._version),
                 ("coding", self._coding), ("story", self._story), ("story_element", self._element),
                 ("story_rejected_passage", self._rejected), ("telling", self._telling),
                 ("transmission", self._transmission),
                 ("realization", self._realization), ("memo", self._memo)]
        for table, step in steps:
            rows = snap.get(table, [])
            self.stats[table] = {"total": len(rows), "added": 0, "duplicates": 0}
            if table == "code":
                self._codes(conn, rows)
                continue
            if table == "segment":
                self._segments(conn, rows)
                continue
            for row in rows:
                added = step(conn, table, row)
                self.stats[table]["added" if added else "duplicates"] += 1
        self._case_parents(conn, snap.get("case_", []))
        return {"project": label, **{t.rstrip("_"): s for t, s in self.stats.items()}}

    # -- people and cases ------------------------------------------------------------------------
    def _coder(self, conn, table, row) -> bool:
        name = row["name"]
        if name in self.coders:
            self.maps[table][row["id"]] = self.coders[name]
            self.conflict("coder", f"coder {name!r} is in both {self.coder_from[name]} and {self.label}: "
                                   "taken as one person; codings found in both copies are kept once")
            return False
        self.coders[name] = self.maps[table][row["id"]] = self.put(conn, table, row)
        self.coder_from[name] = self.label
        return True

    def _case(self, conn, table, row) -> bool:
        kept = self.cases.get(row["name"])
        if kept is not None:
            self.maps[table][row["id"]] = kept["id"]
            for f in ("kind", "memo"):
                if row.get(f) and row.get(f) != kept.get(f):
                    self.conflict("case", f"case {row['name']!r}: {f} {row[f]!r} in {self.label} differs from "
                                          f"{kept[f]!r}; kept {kept[f]!r}")
            return False
        new_id = self.put(conn, table, row, parent_id=None)
        self.cases[row["name"]] = {**row, "id": new_id, "parent_id": None, "_parent": None}
        self.maps[table][row["id"]] = new_id
        return True

    def _case_parents(self, conn, rows) -> None:
        names = {r["id"]: r["name"] for r in rows}
        for r in rows:
            parent = names.get(r["parent_id"])
            kept = self.cases[r["name"]]
            if parent is None:
                continue
            if kept["_parent"] is None:
                kept["_parent"] = parent
                kept["parent_id"] = self.cases[parent]["id"]
                transfer.update(conn, "case_", kept["id"], parent_id=kept["parent_id"])
            elif kept["_parent"] != parent:
                self.conflict("case", f"case {r['name']!r}: parent {parent!r} in {self.label} differs from "
                                      f"{kept['_parent']!r}; kept {kept['_parent']!r}")

    def _attribute(self, conn, table, row) -> bool:
        key = (row["name"], row["scope"])
        kept = self.attributes.get(key)
        if kept is not None:
            self.maps[table][row["id"]] = kept["id"]
            if row["type"] != kept["type"]:
                self.conflict("attribute", f"{row['scope']} attribute {row['name']!r} is {row['type']} in "
                                           f"{self.label} but {kept['type']} before; kept {kept['type']}")
            return False
        new_id = self.put(conn, table, row)
        self.attributes[key] = {**row, "id": new_id}
        self.attribute_scope[new_id] = row["scope"]
        self.maps[table][row["id"]] = new_id
        return True

    def _value(self, conn, table, row) -> bool:
        attr = self.maps["attribute"][row["attribute_id"]]
        scope = self.attribute_scope[attr]
        owner = self.maps["case_" if scope == "case" else "document"].get(row["owner_id"])
        if owner is None:  # a value left behind by a deleted case or document
            self.stats[table]["total"] -= 1
            self.report.not_carried.append({"project": self.label, "table": table, "rows": 1,
                                            "reason": f"value of {scope} attribute for a {scope} that no longer exists"})
            return False
        key = (attr, owner)
        if key in self.values:
            if self.values[key] != row["value"]:
                self.conflict("attribute_value", f"{scope} attribute value {row['value']!r} in {self.label} "
                                                 f"differs from {self.values[key]!r}; kept {self.values[key]!r}")
            return False
        self.values[key] = row["value"]
        self.put(conn, table, row, attribute_id=attr, owner_id=owner)
        return True

    # -- documents -------------------------------------------------------------------------------
    def _document(self, conn, table, row) -> bool:
        kept = self.docs.get(row["sha256"])
        if kept is not None:
            self.maps[table][row["id"]] = kept["id"]
            if row["name"] != kept["name"]:
                self.conflict("document_name", f"document {row['name']!r} in {self.label} has the same text as "
                                               f"{kept['name']!r}; merged into {kept['name']!r}")
            for f in DOC_FIELDS:
                if row.get(f) and row.get(f) != kept.get(f):
                    self.conflict("document", f"document {kept['name']!r}: {f} {row[f]!r} in {self.label} differs "
                                              f"from {kept.get(f)!r}; kept {kept.get(f)!r}")
            return False
        name = row["name"]
        if name in self.doc_names:
            name = self._free_name(name)
            self.conflict("document_name", f"document {row['name']!r} in {self.label} has a different text from "
                                           f"the document of that name already merged; kept as {name!r}")
        new_id = self.put(conn, table, row, name=name)
        self.doc_names.add(name)
        self.docs[row["sha256"]] = {**row, "id": new_id, "name": name}
        self.maps[table][row["id"]] = new_id
        self.new_docs.add(new_id)
        return True

    def _free_name(self, name: str) -> str:
        candidate, n = f"{name} ({self.label})", 2
        while candidate in self.doc_names:
            candidate, n = f"{name} ({self.label} {n})", n + 1
        return candidate

    def _turn(self, conn, table, row) -> bool:
        """Speaker turns come with the first copy of a document's text."""
        doc = self.maps["document"][row["document_id"]]
        if doc not in self.new_docs:
            return False
        self.put(conn, table, row, document_id=doc, case_id=self.maps["case_"].get(row["case_id"]))
        return True

    def _segments(self, conn, rows) -> None:
        """Sentences and paragraphs come with the first copy of a document's text, stored the
        way an import stores them (paragraphs also go into the full-text index)."""
        groups: dict[tuple[int, str], list[tuple[int, int]]] = {}
        stat = self.stats["segment"]
        for row in rows:
            doc = self.maps["document"][row["document_id"]]
            if doc in self.new_docs:
                groups.setdefault((doc, row["kind"]), []).append((row["start"], row["end"]))
                stat["added"] += 1
            else:
                stat["duplicates"] += 1
        texts = {d["id"]: d["text"] for d in self.docs.values() if d["id"] in self.new_docs}
        for (doc, kind), spans in groups.items():
            doc_store.insert_segments(conn, doc, kind, spans, texts[doc])

    def _document_case(self, conn, table, row) -> bool:
        key = (self.maps["document"][row["document_id"]], self.maps["case_"][row["case_id"]])
        if key in self.doc_cases:
            return False
        self.doc_cases.add(key)
        self.put(conn, table, row, document_id=key[0], case_id=key[1])
        return True

    # -- codebook --------------------------------------------------------------------------------
    def _codes(self, conn, rows) -> None:
        paths = codepaths.build((r["id"], r["parent_id"], r["name"]) for r in rows)
        ordinal = max((c["ordinal"] for c in self.codes.values()), default=0)
        stat = self.stats["code"]
        for row in sorted(rows, key=lambda r: (paths[r["id"]].count(codepaths.SEP), r["ordinal"], r["id"])):
            path = paths[row["id"]]
            kept = self.codes.get(path)
            if kept is not None:
                self.maps["code"][row["id"]] = kept["id"]
                self._compare_code(conn, path, row, kept)
                stat["duplicates"] += 1
                continue
            ordinal += 1
            parent = self.codes[path.rsplit(codepaths.SEP, 1)[0]]["id"] if row["parent_id"] is not None else None
            new_id = self.put(conn, "code", row, parent_id=parent, merged_into=None, ordinal=ordinal)
            self.codes[path] = {**row, "id": new_id, "ordinal": ordinal, "merged_into": None}
            self.maps["code"][row["id"]] = new_id
            stat["added"] += 1
        for row in rows:
            if row["merged_into"] is not None:
                kept = self.codes[paths[row["id"]]]
                target = self.maps["code"][row["merged_into"]]
                if kept["merged_into"] is None and kept["status"] == row["status"] == "merged":
                    kept["merged_into"] = target
                    transfer.update(conn, "code", kept["id"], merged_into=target)

    def _compare_code(self, conn, path: str, row: dict, kept: dict) -> None:
        notes = []
        for f in CODE_TEXTS:
            if row[f] and row[f] != kept[f]:
                if f != "memo":
                    self.conflict("code_definition", f"code {path!r}: {f} in {self.label} differs; kept "
                                                     f"{kept[f]!r}, the other is noted in the code's memo")
                notes.append(f"[merge] {f} in {self.label}: {row[f]}")
        for f in CODE_FIELDS:
            if row[f] and row[f] != kept[f]:
                self.conflict("code", f"code {path!r}: {f} {row[f]!r} in {self.label} differs from "
                                      f"{kept[f]!r}; kept {kept[f]!r}")
        if notes:
            kept["memo"] = "\n".join(filter(None, [kept["memo"], *notes]))
            transfer.update(conn, "code", kept["id"], memo=kept["memo"])

    def _version(self, conn, table, row) -> bool:
        label, snapshot = row["label"], row["snapshot"]
        if self.versions.get(label) == snapshot:
            return False
        if label in self.versions:
            new_label = f"{label} ({self.label})"
            self.conflict("codebook_version", f"codebook version {label!r} in {self.label} differs from the one "
                                              f"already merged; kept as {new_label!r}")
            label = new_label
        self.versions[label] = snapshot
        self.put(conn, table, row, label=label, coder_id=self.maps["coder"].get(row["coder_id"]))
        return True

    # -- codings ---------------------------------------------------------------------------------
    def _coding(self, conn, table, row) -> bool:
        key = (self.maps["document"][row["document_id"]], self.maps["code"][row["code_id"]],
               self.maps["coder"][row["coder_id"]], row["start"], row["end"])
        kept = self.codings.get(key)
        if kept is not None:
            self.maps[table][row["id"]] = kept["id"]
            if row["memo"] and row["memo"] not in (kept["memo"] or ""):
                kept["memo"] = "\n".join(filter(None, [kept["memo"], row["memo"]]))
                transfer.update(conn, "coding", kept["id"], memo=kept["memo"])
                self.conflict("coding", f"a coding found in two copies has another memo in {self.label}; "
                                        f"both memos kept (coding at {row['start']}-{row['end']})")
            if row["evidence"] != kept["evidence"] and row["evidence"] != "unknown":
                self.conflict("coding", f"a coding found in two copies has evidence {row['evidence']!r} in "
                                        f"{self.label}; kept {kept['evidence']!r} (at {row['start']}-{row['end']})")
            return False
        new_id = self.put(conn, table, row, document_id=key[0], code_id=key[1], coder_id=key[2])
        self.codings[key] = {"id": new_id, "memo": row["memo"], "evidence": row["evidence"]}
        self.maps[table][row["id"]] = new_id
        return True

    # -- stories ---------------------------------------------------------------------------------
    def _story(self, conn, table, row) -> bool:
        kept = self.stories.get(row["title"])
        if kept is not None:
            self.maps[table][row["id"]] = kept["id"]
            for f in ("summary", "memo"):
                if row[f] and row[f] != kept[f]:
                    self.conflict("story", f"story {row['title']!r}: {f} in {self.label} differs; kept the first")
            return False
        new_id = self.put(conn, table, row)
        self.stories[row["title"]] = {**row, "id": new_id}
        self.maps[table][row["id"]] = new_id
        return True

    def _element(self, conn, table, row) -> bool:
        key = (self.maps["story"][row["story_id"]], row["label"])
        kept = self.elements.get(key)
        if kept is not None:
            self.maps[table][row["id"]] = kept["id"]
            if row["kind"] != kept["kind"]:
                self.conflict("story_element", f"story element {row['label']!r} is {row['kind']} in {self.label} "
                                               f"but {kept['kind']} before; kept {kept['kind']}")
            return False
        new_id = self.put(conn, table, row, story_id=key[0])
        self.elements[key] = {**row, "id": new_id}
        self.maps[table][row["id"]] = new_id
        return True

    def _telling(self, conn, table, row) -> bool:
        teller = self.maps["case_"].get(row["teller_case_id"])
        key = (self.maps["story"][row["story_id"]], self.maps["document"][row["document_id"]],
               row["start"], row["end"], teller, row["role"])
        if key in self.tellings:
            self.maps[table][row["id"]] = self.tellings[key]
            return False
        new_id = self.put(conn, table, row, story_id=key[0], document_id=key[1], teller_case_id=teller,
                          coding_id=self.maps["coding"].get(row.get("coding_id")))
        self.tellings[key] = self.maps[table][row["id"]] = new_id
        return True

    def _rejected(self, conn, table, row) -> bool:
        key = (self.maps["story"][row["story_id"]], self.maps["document"][row["document_id"]],
               row["start"], row["end"])
        if key in self.rejected:
            return False
        self.rejected.add(key)
        self.put(conn, table, row, story_id=key[0], document_id=key[1])
        return True

    def _transmission(self, conn, table, row) -> bool:
        changes = {"from_telling_id": self.maps["telling"].get(row["from_telling_id"]),
                   "from_case_id": self.maps["case_"].get(row["from_case_id"]),
                   "to_telling_id": self.maps["telling"][row["to_telling_id"]],
                   "evidence_document_id": self.maps["document"].get(row["evidence_document_id"])}
        new = {**row, **changes}
        key = tuple(v for k, v in sorted(new.items()) if k != "id")
        if key in self.transmissions:
            return False
        self.transmissions.add(key)
        self.put(conn, table, row, **changes)
        return True

    def _realization(self, conn, table, row) -> bool:
        key = (self.maps["telling"][row["telling_id"]], self.maps["story_element"][row["element_id"]])
        kept = self.realizations.get(key)
        if kept is not None:
            if {k: v for k, v in row.items() if k not in ("telling_id", "element_id")} != kept:
                self.conflict("realization", f"a story element's realization in a telling differs in "
                                             f"{self.label}; kept the first ({kept['status']})")
            return False
        self.realizations[key] = {k: v for k, v in row.items() if k not in ("telling_id", "element_id")}
        self.put(conn, table, row, telling_id=key[0], element_id=key[1])
        return True

    # -- memos -----------------------------------------------------------------------------------
    def _memo(self, conn, table, row) -> bool:
        targets = {"document": "document", "case": "case_", "code": "code", "coding": "coding",
                   "story": "story", "telling": "telling"}
        target = row["target_id"]
        if row["target_type"] in targets and target is not None:
            target = self.maps[targets[row["target_type"]]].get(target)
        coder = self.maps["coder"].get(row["coder_id"])
        key = (row["target_type"], target, row["text"], coder)
        if key in self.memos:
            return False
        self.memos.add(key)
        self.put(conn, table, row, target_id=target, coder_id=coder)
        return True
