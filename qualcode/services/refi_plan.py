"""The plan of a REFI-QDA import: another tool's project mapped onto QualCode's rows.

Nothing here touches a project. Every record read from the package is given a valid, unique
name and its GUID in stored form (or none, for a fresh one); every text is normalised as
QualCode stores it, with the writer's positions mapped through that normalisation and checked
against it (:class:`~qualcode.core.textmap.PositionMap`). What cannot be carried goes into the
report with its reason -- never a guess, never a crash. Rows refer to each other by their
position in the plan's lists; :mod:`.refi_import` writes them in that order.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..core.textmap import PositionMap
from ..errors import InvalidInput
from ..io import qdc
from ..io.refi import model as m, variables as refi_vars
from ..io.refi.xmltools import is_guid
from ..store import cases as case_store

if TYPE_CHECKING:
    from .refi_import import ImportReport


class Names:
    """Unique names in one namespace: a name already taken gets " (2)", " (3)", ..."""

    def __init__(self):
        self.taken: set[str] = set()

    def take(self, name: str) -> str:
        out, n = name, 1
        while out in self.taken:
            n += 1
            out = f"{name} ({n})"
        self.taken.add(out)
        return out


def clean(name: str | None) -> str:
    return " ".join((name or "").split())


def seconds(when: str | None) -> int | None:
    """Unix seconds of an xsd:dateTime, None when absent or unreadable."""
    if not when:
        return None
    try:
        stamp = dt.datetime.fromisoformat(when.strip())
    except ValueError:
        return None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.timezone.utc)
    return int(stamp.timestamp())


@dataclass
class Plan:
    coders: list[dict] = field(default_factory=list)  # {"name", "guid"?}
    codes: list[dict] = field(default_factory=list)  # {"name", "parent", "guid", "fields", "status"}
    attributes: list[tuple[str, str, str]] = field(default_factory=list)  # (name, scope, type)
    docs: list[dict] = field(default_factory=list)  # {"name", "text", "guid", "memo", "fields", "values", "created"}
    cases: list[dict] = field(default_factory=list)  # {"name", "guid", "kind", "memo", "parent", "values", "docs"}
    codings: list[dict] = field(default_factory=list)  # {"doc", "code", "coder", "start", "end", ...}
    memos: list[dict] = field(default_factory=list)  # {"target_type", "target", "text", "coder", ...}


class Planner:
    """Maps a read project onto QualCode rows (keys are list positions in the plan)."""

    def __init__(self, p: m.Project, report: ImportReport):
        self.p, self.report, self.plan = p, report, Plan()
        self.guids: dict[str, set[str]] = {}
        self.coder_of: dict[str, int] = {}
        self.coder_names = Names()
        self.anonymous: int | None = None
        self.code_of: dict[str, int] = {}
        self.doc_of: dict[str, int] = {}
        self.case_of: dict[str, int] = {}
        self.coding_of: dict[str, int] = {}
        self.selection_of: dict[str, tuple[int, int | None, str]] = {}  # guid -> (doc, first coding, prefix)
        self.attribute_of: dict[tuple[str, str], int] = {}
        self.dead: set[str] = set(p.other_sources)  # sources not imported: references to them are expected
        self.note_targets: list[tuple[str, str, int | None, str]] = []  # (note, target type, key, prefix)
        self.variables = {v.guid: v for v in p.variables}

    def _guid(self, table: str, guid: str | None, what: str) -> str | None:
        """``guid`` when it can be this row's GUID; None (a fresh one) when it is no GUID or taken."""
        if not guid:
            return None
        used = self.guids.setdefault(table, set())
        if not is_guid(guid):
            self.report.warnings.append(f"{what}: {guid!r} is not a GUID; a new one was given")
            return None
        if guid in used:
            self.report.warnings.append(f"{what}: GUID {guid} is used twice; the second gets a new one")
            return None
        used.add(guid)
        return guid

    # -- coders ---------------------------------------------------------------------------------------
    def _add_coder(self, name: str, guid: str | None) -> int:
        self.plan.coders.append({"name": self.coder_names.take(name),
                                 "guid": self._guid("coder", guid, f"user {name!r}")})
        return len(self.plan.coders) - 1

    def users(self) -> None:
        for u in self.p.users:
            if u.guid in self.coder_of:
                continue
            name = clean(u.name) or f"user {u.guid[:8] or len(self.plan.coders) + 1}"
            self.coder_of[u.guid] = self._add_coder(name, u.guid)

    def coder(self, *candidates: str | None) -> int:
        """The coder of the first user named among ``candidates`` (most specific first)."""
        guid = next((g for g in candidates if g), None)
        if guid is None:
            if self.anonymous is None:
                self.anonymous = self._add_coder("unknown coder", None)
                self.report.warnings.append("some codings name no user; they are stored under 'unknown coder'")
            return self.anonymous
        if guid not in self.coder_of:
            self.coder_of[guid] = self._add_coder(f"user {guid[:8]}", guid)
            self.report.warnings.append(f"user {guid} is not listed in the project's Users; "
                                        f"imported as coder 'user {guid[:8]}'")
        return self.coder_of[guid]

    # -- codes ----------------------------------------------------------------------------------------
    def codes(self) -> None:
        key_of: dict[int, int] = {}
        siblings: dict[int | None, Names] = {}
        for code, parent in m.walk_codes(self.p.codes):
            parent_key = key_of[id(parent)] if parent is not None else None
            raw = clean(code.name)
            name = raw.replace("/", "\u2215") or "(unnamed code)"
            name = siblings.setdefault(parent_key, Names()).take(name)
            if name != code.name:
                self.report.warnings.append(f"code {code.name!r} imported as {name!r}"
                                            + (" (a code name cannot contain '/')" if "/" in raw else ""))
            color = qdc.color(code.color)
            if code.color and code.color.strip() and color is None:
                self.report.warnings.append(f"code {name!r}: colour {code.color!r} is not a colour; left out")
            fields: dict[str, str | None] = dict(qdc.parse_description(code.description), color=color)
            key = key_of[id(code)] = len(self.plan.codes)
            self.plan.codes.append({"name": name, "parent": parent_key, "fields": fields,
                                    "guid": self._guid("code", code.guid, f"code {name!r}"),
                                    "status": "active" if code.codable else "retired"})
            if code.guid:
                self.code_of.setdefault(code.guid, key)
            own_memo = m.code_memo_guid(code.guid) if code.guid else None
            self.note_targets += [(n, "code.memo" if n == own_memo else "code", key, "") for n in code.notes]

    # -- variables ------------------------------------------------------------------------------------
    def _values(self, values: list[m.Value], scope: str, where: str) -> tuple[dict[str, str | None], list]:
        """(QualCode fields from ``QualCode:`` variables, [(attribute key, value)])."""
        own, attrs = {}, []
        for v in values:
            var = self.variables.get(v.variable)
            if var is None:
                self.report.skipped.append((f"{where}: a variable value", f"variable {v.variable} is not defined"))
                continue
            field_name = refi_vars.reserved(var.name)
            allowed = refi_vars.CASE_FIELDS if scope == "case" else refi_vars.DOCUMENT_FIELDS
            if field_name in allowed:
                own[field_name] = v.value
                continue
            name = clean(var.name) or f"variable {var.guid[:8]}"
            key = self.attribute_of.get((name, scope))
            if key is None:
                type_ = refi_vars.FROM_REFI.get(var.type)
                if type_ is None:
                    self.report.warnings.append(f"variable {name!r}: unknown type {var.type!r}; imported as text")
                key = self.attribute_of[(name, scope)] = len(self.plan.attributes)
                self.plan.attributes.append((name, scope, type_ or "text"))
            attrs.append((key, v.value))
        return own, attrs

    # -- documents and codings ------------------------------------------------------------------------
    def documents(self) -> None:
        crlf_is_one = "atlas" in (self.p.origin or "").lower()
        if crlf_is_one:
            self.report.warnings.append("positions read with each line end counted once, as ATLAS.ti writes them")
        names = Names()
        for src in self.p.sources:
            label = f"text source {src.name or src.guid!r}"
            if src.text is None:  # the reader said why
                self.dead.add(src.guid)
                continue
            try:
                pm = PositionMap(src.text, label, crlf_is_one)
            except InvalidInput as exc:
                self.report.skipped.append((label, str(exc)))
                self.dead.add(src.guid)
                continue
            if src.encoding not in (None, "utf-8", "utf-8-sig"):
                self.report.warnings.append(f"{label} is not UTF-8; read as {src.encoding}")
            own, values = self._values(src.values, "document", label)
            key = len(self.plan.docs)
            self.plan.docs.append({"name": names.take(clean(src.name) or f"source {src.guid[:8]}"),
                                   "text": pm.text, "guid": self._guid("document", src.guid, label),
                                   "memo": src.description or None, "values": values,
                                   "created": src.created if seconds(src.created) is not None else None,
                                   "fields": {k: v for k, v in own.items() if v is not None}})
            if src.guid:
                self.doc_of.setdefault(src.guid, key)
            self.note_targets += [(n, "document", key, "") for n in src.notes]
            self._codings(src, key, pm, label)

    def _codings(self, src: m.TextSource, doc: int, pm: PositionMap, label: str) -> None:
        bad: Counter = Counter()
        example: dict[str, str] = {}
        seen: set[tuple] = set()
        whole = [m.Selection("", 0, pm.length, codings=src.codings)] if src.codings else []
        for sel in src.selections + whole:
            n = max(len(sel.codings), 1)
            if not 0 <= sel.start < sel.end <= pm.length:
                bad["outside"] += n
                example.setdefault("outside", f"{sel.start}-{sel.end}")
                continue
            start, end = pm.map(sel.start), pm.map(sel.end)
            if end <= start:
                bad["empty"] += n
                continue
            first = None
            for c in sel.codings:
                code = self.code_of.get(c.code)
                if code is None:
                    bad["code"] += 1
                    continue
                coder = self.coder(c.user, sel.user, src.user, self.p.user)
                if (code, coder, start, end) in seen:
                    bad["duplicate"] += 1
                    continue
                seen.add((code, coder, start, end))
                key = len(self.plan.codings)
                self.plan.codings.append({"doc": doc, "code": code, "coder": coder, "start": start, "end": end,
                                          "memo": sel.description or None,
                                          "created": seconds(c.created or sel.created),
                                          "guid": self._guid("coding", c.guid, f"{label}: coding")})
                first = key if first is None else first
                if c.guid:
                    self.coding_of.setdefault(c.guid, key)
                self.note_targets += [(n, "coding", key, "") for n in c.notes]
            where = f"On characters {start}-{end}: "
            if sel.guid:
                self.selection_of.setdefault(sel.guid, (doc, first, where))
            target = ("coding", first, "") if first is not None else ("document", doc, where)
            self.note_targets += [(n, *target) for n in sel.notes]
            if not sel.codings:
                if sel.description:
                    self.note_targets.append(("", "document", doc, where + sel.description))
                elif not sel.notes:
                    bad["uncoded"] += 1
        reasons = {
            "outside": f"their positions lie outside the text ({pm.length} characters; e.g. {example.get('outside')})",
            "empty": "their passage is empty once line ends and characters are normalised",
            "code": "they refer to a code the file does not define",
            "uncoded": "a selection without a code or note has nothing to carry",
        }
        for why, n in bad.items():
            if why == "duplicate":
                self.report.warnings.append(f"{label}: {n} duplicate coding(s) (same code, coder and passage) merged")
            else:
                what = "selection(s)" if why == "uncoded" else "coding(s)"
                self.report.skipped.append((f"{label}: {n} {what}", reasons[why]))

    # -- cases ----------------------------------------------------------------------------------------
    def cases(self) -> None:
        names = Names()
        first_of_name: dict[str, int] = {}
        parents: dict[int, str] = {}
        for case in self.p.cases:
            label = f"case {case.name or case.guid!r}"
            own, values = self._values(case.values, "case", label)
            kind = own.get("kind") or "other"
            if kind not in case_store.KINDS:
                self.report.warnings.append(f"{label}: kind {kind!r} is not one of {', '.join(case_store.KINDS)}; "
                                            "imported as 'other'")
                kind = "other"
            docs, lost = [], 0
            for ref in case.sources:
                ref = self.p.aliases.get(ref, ref)
                if ref in self.doc_of:
                    docs.append(self.doc_of[ref])
                elif ref in self.dead:
                    lost += 1
                else:
                    self.report.warnings.append(f"{label} refers to source {ref}, which the file does not contain")
            if lost:
                self.report.skipped.append((f"{label}: {lost} link(s) to sources", "those sources were not imported"))
            key = len(self.plan.cases)
            original = clean(case.name) or f"case {case.guid[:8]}"
            first_of_name.setdefault(original, key)
            self.plan.cases.append({"name": names.take(original), "guid": self._guid("case", case.guid, label),
                                    "kind": kind, "memo": case.description or None, "parent": None,
                                    "values": values, "docs": sorted(set(docs))})
            if case.guid:
                self.case_of.setdefault(case.guid, key)
            if own.get("parent"):
                parents[key] = own["parent"]
        for key, parent in parents.items():
            self.plan.cases[key]["parent"] = first_of_name.get(parent)
            if self.plan.cases[key]["parent"] is None:
                self.report.warnings.append(f"case {self.plan.cases[key]['name']!r}: parent {parent!r} not found")
        for key in parents:  # a cycle of parents is cut where it closes
            seen, node = set(), key
            while node is not None and node not in seen:
                seen.add(node)
                nxt = self.plan.cases[node]["parent"]
                if nxt in seen:
                    self.plan.cases[node]["parent"] = None
                    self.report.warnings.append(f"case {self.plan.cases[node]['name']!r}: its parents form a cycle; "
                                                "the link that closes it was dropped")
                node = nxt

    # -- notes ----------------------------------------------------------------------------------------
    def _target(self, guid: str | None) -> tuple[str, int | None, str] | None:
        if guid in self.case_of:
            return "case", self.case_of[guid], ""
        if guid in self.doc_of:
            return "document", self.doc_of[guid], ""
        if guid in self.code_of:
            return "code", self.code_of[guid], ""
        if guid in self.coding_of:
            return "coding", self.coding_of[guid], ""
        if guid in self.selection_of:
            doc, first, where = self.selection_of[guid]
            return ("coding", first, "") if first is not None else ("document", doc, where)
        return None

    def notes(self) -> None:
        notes = {n.guid: n for n in self.p.notes}
        for link in self.p.links:
            for note, other in ((link.origin, link.target), (link.target, link.origin)):
                target = self._target(other) if note in notes else None
                if target:
                    self.note_targets.append((note, *target))
        self.note_targets += [(n, "project", None, "") for n in self.p.note_refs]
        used = {t[0] for t in self.note_targets}
        self.note_targets += [(g, "project", None, "") for g in notes if g not in used]  # free-standing memos
        if self.p.description:
            self.note_targets.append(("", "project", None, self.p.description))
        for guid, target_type, key, prefix in self.note_targets:
            note = notes.get(guid) if guid else m.Note("", None, "")
            if note is None:
                self.report.skipped.append((f"a reference to note {guid}", "the file does not contain that note"))
                continue
            if note.text is None:  # unreadable; the reader said why
                continue
            text = note.text.strip()
            title = clean(note.name)
            if title and not text.startswith(title):
                text = f"{title}\n\n{text}" if text else title
            text = prefix + text if text else prefix.strip()
            if not text:
                self.report.skipped.append((f"note {note.name or guid!r}", "it is empty"))
                continue
            if target_type == "code.memo":  # the code's own memo field, as QualCode exports it
                self.plan.codes[key]["fields"]["memo"] = text
                continue
            self.plan.memos.append({"target_type": target_type, "target": key, "text": text,
                                    "coder": self.coder(note.user) if note.user else None,
                                    "created": note.created if seconds(note.created) is not None else None,
                                    "guid": self._memo_guid(guid, note)})

    def _memo_guid(self, guid: str, note: m.Note) -> str | None:
        """A note about several things becomes several memos; the first keeps its GUID."""
        if guid in self.guids.get("memo", ()):
            return None
        return self._guid("memo", guid, f"note {note.name or guid!r}")

    def make(self) -> Plan:
        self.users()
        self.codes()
        self.documents()
        self.cases()
        self.notes()
        return self.plan
