"""Story lineage: the stored stories turned into the lineage JSON, and its exports.

Rows from the store become :mod:`qualcode.core.lineage` inputs (ids as ids, the teller as its
case name), :func:`~qualcode.core.lineage.analyse_story` derives every measure, and this module
adds what only the project knows: document names, spans, dates and realizations.

The JSON (STORY_LINEAGE.md, plus documented extras)::

    {"stories": [{"id", "title", "summary",
                  "elements": [{"id", "ordinal", "label", "kind"}],
                  "tellings": [{"id", "teller", "document", "start", "end", "role", "told_on",
                                "generation", "sequence", "kendall_tau", "swapped_pairs",
                                "core_kept", "discrepancies": [{"type", "elements", "detail"}],
                                "realizations": [{"element", "status", "position", "start",
                                                  "end", "variant"}]}],
                  "transmissions": [{"id", "from", "to", "basis", "from_case", "from_text",
                                     "evidence": {"document", "start", "end"} | null}],
                  "reference_telling", "cycles", "drift_by_generation", "suggested_relations"}]}

``from`` is the source telling's id, or null when the source is a case (``from_case``) or a
free-text description (``from_text``).

A stored variant says how a telling's version of an element differs from the element's label;
none means "as the label". So the wording compared for substitutions is the variant, else the
label: a protagonist who tells the element as labelled and a hearer who says "five workshops"
differ, two hearers who both say "on time" do not. (The canonical story, the reference when a
story has no protagonist, has no wording of its own, so against it only statuses and order
count: see :func:`qualcode.core.lineage.discrepancies`.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..core import lineage as core
from ..errors import InvalidInput
from ..store import cases as case_store, documents as doc_store, stories as store
from ..store.database import Database
from .stories import story_id

FORMATS = (".json", ".graphml", ".dot", ".csv", ".xlsx", ".html")


def _realization(r) -> dict:
    return {"element": r.element_id, "status": r.status, "position": r.position, "start": r.start, "end": r.end,
            "variant": r.variant}


def story_lineage(db: Database, sid: int, with_text: bool = False) -> dict[str, Any]:
    """One story's entry of the lineage JSON. ``with_text`` adds each telling's passage as
    ``text`` (for the HTML report)."""
    conn = db.conn
    story = store.get_story(conn, sid)
    elements = store.elements(conn, sid)
    tellings = store.tellings(conn, sid)
    names = store.telling_names(conn, sid)
    realized: dict[int, list] = {t.id: [] for t in tellings}
    for r in store.realizations(conn, sid):
        realized[r.telling_id].append(r)
    transmissions = store.transmissions(conn, sid)
    labels = {e.id: e.label for e in elements}
    analysed = core.analyse_story(
        [core.Element(e.id, e.ordinal, e.label, e.kind) for e in elements],
        [core.Telling(t.id, names[t.id][1], t.role, tuple(
            core.Realization(r.element_id, r.status, r.position, r.variant or labels[r.element_id])
            for r in realized[t.id]))
         for t in tellings],
        [core.Transmission(x.from_telling_id, x.to_telling_id, x.basis) for x in transmissions],
    )
    texts = doc_store.texts(conn, {t.document_id for t in tellings}) if with_text else {}
    rows = []
    for t, row in zip(tellings, analysed["tellings"]):
        out = {"id": t.id, "teller": row["teller"], "document": names[t.id][0], "start": t.start, "end": t.end,
               "role": t.role, "told_on": t.told_on}
        out.update((k, v) for k, v in row.items() if k not in out)
        out["realizations"] = [_realization(r) for r in realized[t.id]]
        if with_text:
            out["text"] = texts[t.document_id][t.start:t.end]
        rows.append(out)
    case_names = {c.id: c.name for c in case_store.list_all(conn)} if transmissions else {}
    doc_names = {i: name for name, (i, _) in doc_store.names_and_lengths(conn).items()} if transmissions else {}
    return {
        "id": story.id,
        "title": story.title,
        "summary": story.summary,
        "elements": [{"id": e.id, "ordinal": e.ordinal, "label": e.label, "kind": e.kind} for e in elements],
        "tellings": rows,
        "transmissions": [
            {"id": x.id, "from": x.from_telling_id, "to": x.to_telling_id, "basis": x.basis,
             "from_case": case_names.get(x.from_case_id), "from_text": x.from_text,
             "evidence": None if x.evidence_document_id is None else {
                 "document": doc_names.get(x.evidence_document_id), "start": x.evidence_start,
                 "end": x.evidence_end}}
            for x in transmissions
        ],
        "reference_telling": analysed["reference_telling"],
        "cycles": analysed["cycles"],
        "drift_by_generation": analysed["drift_by_generation"],
        "suggested_relations": analysed["suggested_relations"],
    }


def lineage(db: Database, story: int | str | None = None, with_text: bool = False) -> dict[str, Any]:
    """The lineage JSON of every story, or of one (by id or title)."""
    ids = [story_id(db, story)] if story is not None else [s.id for s in store.list_stories(db.conn)]
    return {"stories": [story_lineage(db, sid, with_text) for sid in ids]}


def export(db: Database, out: str | Path, story: int | str | None = None) -> int:
    """Write the lineage to ``out`` in the format its extension names; returns the number of
    stories written. Checks the target before computing anything."""
    from ..io import lineage_export, lineage_html

    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise InvalidInput(f"{out.name}: lineage is exported as {', '.join(FORMATS)}")
    if not out.parent.exists():
        raise InvalidInput(f"folder {out.parent} does not exist")
    if out.is_dir():
        raise InvalidInput(f"{out} is a folder; give a file name")
    doc = lineage(db, story, with_text=suffix == ".html")
    title = db.path.stem
    if suffix == ".html":
        lineage_html.write_html(doc, out, title)
    else:
        lineage_export.WRITERS[suffix](doc, out)
    return len(doc["stories"])
