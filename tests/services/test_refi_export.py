"""REFI-QDA export of the sample project, and the round trip project -> .qdpx -> new project.

The export must be valid against the official schema, carry each text byte for byte with
its codings at the same code-point positions, and be the same file every time. The round
trip must give back the same documents, codebook, coders, codings, cases, attributes and
memos, GUIDs included.
"""

from __future__ import annotations

import zipfile
from xml.etree import ElementTree as ET

import pytest

from qualcode.core import guids
from qualcode.services import cases, codebook, coding, documents, memos, project
from qualcode.services.progress import Progress
from qualcode.services.refi import export_qdpx, import_qdpx
from qualcode.store import cases as case_store, codes as code_store, documents as doc_store, transfer

from ..io._refi import NS, assert_valid, read_qde

Q = f"{{{NS}}}"


def test_the_sample_export_is_valid_and_carries_texts_and_spans_exactly(sample_file, tmp_path):
    out = tmp_path / "demo.qdpx"
    with project.open_project(sample_file, readonly=True) as db:
        report = export_qdpx(db, out)
        stored = {d["guid"]: d for d in transfer.read(db.conn, "document")}
        codings = transfer.read(db.conn, "coding")
        coder_names = {c["guid"]: c["name"] for c in transfer.read(db.conn, "coder")}
        coder_of_id = {c["id"]: c["guid"] for c in transfer.read(db.conn, "coder")}
        code_guid = {c["id"]: c["guid"] for c in transfer.read(db.conn, "code")}
        doc_guid = {d["id"]: d["guid"] for d in stored.values()}
    xml = read_qde(out)
    assert_valid(xml)
    assert report.counts["documents"] == len(stored) and report.counts["codings"] == len(codings)
    assert report.not_carried["stories"] == 3 and report.not_carried["tellings"] > 0
    root = ET.fromstring(xml)
    users = {guids.normalise(u.get("guid")): u.get("name") for u in root.iter(Q + "User")}
    assert users == coder_names
    found = set()
    with zipfile.ZipFile(out) as zf:
        for src in root.iter(Q + "TextSource"):
            guid = guids.normalise(src.get("guid"))
            member = "sources/" + src.get("plainTextPath").removeprefix("internal://")
            assert zf.read(member) == stored[guid]["text"].encode("utf-8")  # byte for byte, UTF-8, LF
            assert src.get("name") == stored[guid]["name"]
            for sel in src.iter(Q + "PlainTextSelection"):
                coding_el = sel.find(Q + "Coding")
                found.add((guid, guids.normalise(coding_el.find(Q + "CodeRef").get("targetGUID")),
                           users[guids.normalise(coding_el.get("creatingUser"))],
                           int(sel.get("startPosition")), int(sel.get("endPosition"))))
    expected = {(doc_guid[c["document_id"]], code_guid[c["code_id"]], coder_names[coder_of_id[c["coder_id"]]],
                 c["start"], c["end"]) for c in codings}
    assert found == expected


def test_the_same_project_exports_to_the_same_bytes(sample_file, tmp_path):
    with project.open_project(sample_file, readonly=True) as db:
        export_qdpx(db, tmp_path / "a.qdpx")
        export_qdpx(db, tmp_path / "b.qdpx")
    assert (tmp_path / "a.qdpx").read_bytes() == (tmp_path / "b.qdpx").read_bytes()


def test_export_refuses_another_extension_and_a_missing_folder(sample_file, tmp_path):
    from qualcode.errors import InvalidInput

    with project.open_project(sample_file, readonly=True) as db:
        with pytest.raises(InvalidInput, match=r"\.qdpx"):
            export_qdpx(db, tmp_path / "demo.zip")
        with pytest.raises(InvalidInput, match="does not exist"):
            export_qdpx(db, tmp_path / "nowhere" / "demo.qdpx")
        progress = Progress()
        progress.cancel()
        assert export_qdpx(db, tmp_path / "c.qdpx", progress=progress).cancelled
    assert not list(tmp_path.iterdir())


# -- round trip ---------------------------------------------------------------------------------------

def _enrich(db) -> None:
    """What the sample lacks: memos of every kind, a code memo, a retired code, a non-ASCII
    document with emoji and codings after them, typed document attributes, a document memo."""
    text = "Grüße aus Köln 😀😀 — naïve café, ﬁne 𠀋 text.\nZweite Zeile 🧶 mit Wolle."
    doc = documents.store_document(db, name="köln 😀", text=text, attributes={"site": "Köln"},
                                   language="de", interview_date="2024-03-01")
    wolle = text.index("Wolle")
    coding.add_coding(db, doc, "governance/lead-firm-power", wolle, wolle + 5, "Ülkü")
    cafe = text.index("café")
    cid = coding.add_coding(db, doc, "lock-in", cafe, cafe + 4, "Mira", memo="a coding memo 🧵")
    memos.add_memo(db, "project", None, "Project memo, with ümlauts", coder="Mira")
    memos.add_memo(db, "document", doc, "A memo on the Köln document")
    memos.add_memo(db, "coding", cid, "Memo about this coding", coder="Jonas")
    code_id = codebook.index(db).resolve("lock-in")
    memos.add_memo(db, "code", code_id, "Memo on lock-in")
    case = next(c for c in cases.list_cases(db) if c.kind == "informant")
    memos.add_memo(db, "case", case.id, f"Memo on {case.name}", coder="Jonas")
    with db.transaction() as conn:
        code_store.update(conn, code_id, memo="The code's own memo field")
        doc_store.set_fields(conn, doc, memo="The document's own memo field")
        spare = code_store.insert(conn, "unused code", None, color="#123456")
        code_store.update(conn, spare, status="retired")


def _snapshot(db) -> dict:
    """Everything the exchange promises to keep, keyed by GUID and name, never by row id."""
    conn = db.conn
    rows = {t: transfer.read(conn, t) for t in ("document", "coder", "code", "coding", "case_", "attribute",
                                                "attribute_value", "document_case", "memo", "speaker_turn")}
    doc = {r["id"]: r["guid"] for r in rows["document"]}
    coder = {r["id"]: r["name"] for r in rows["coder"]}
    case = {r["id"]: r for r in rows["case_"]}
    code = {r["id"]: r["guid"] for r in rows["code"]}
    coding_guid = {r["id"]: r["guid"] for r in rows["coding"]}
    paths = codebook.paths(db)
    attr = {r["id"]: r for r in rows["attribute"]}
    owner = {"document": doc, "case": {i: r["guid"] for i, r in case.items()}}
    target = {"document": doc, "case": owner["case"], "code": code, "coding": coding_guid, "project": {None: None}}
    return {
        "documents": {r["guid"]: (r["name"], r["text"].encode("utf-8"), r["kind"], r["interview_date"],
                                  r["period_discussed"], r["language"], r["memo"]) for r in rows["document"]},
        "codes": {r["guid"]: (paths[r["id"]], r["color"], r["definition"], r["inclusion"], r["exclusion"],
                              r["example"], r["memo"], r["status"]) for r in rows["code"]},
        "coders": {(r["guid"], r["name"]) for r in rows["coder"]},
        "codings": {r["guid"]: (doc[r["document_id"]], code[r["code_id"]], coder[r["coder_id"]], r["start"], r["end"],
                                r["memo"], r["created_at"]) for r in rows["coding"]},
        "cases": {r["guid"]: (r["name"], r["kind"], case[r["parent_id"]]["name"] if r["parent_id"] else None, r["memo"])
                  for r in rows["case_"]},
        "attributes": {(r["name"], r["scope"], r["type"]) for r in rows["attribute"]},
        "values": {(attr[r["attribute_id"]]["scope"], owner[attr[r["attribute_id"]]["scope"]][r["owner_id"]],
                    attr[r["attribute_id"]]["name"], r["value"]) for r in rows["attribute_value"]},
        "links": {(doc[r["document_id"]], case[r["case_id"]]["guid"]) for r in rows["document_case"]},
        "memos": {r["guid"]: (r["target_type"], target[r["target_type"]][r["target_id"]], r["text"],
                              coder.get(r["coder_id"]), r["created_at"]) for r in rows["memo"]},
        "turn_cases": {(doc[r["document_id"]], r["start"], r["end"], r["label"], case[r["case_id"]]["guid"])
                       for r in rows["speaker_turn"] if r["case_id"]},
    }


def test_round_trip_gives_back_the_same_project(sample_project, tmp_path):
    _enrich(sample_project)
    before = _snapshot(sample_project)
    out = tmp_path / "demo.qdpx"
    export_qdpx(sample_project, out)
    assert_valid(read_qde(out))
    report = import_qdpx(out, tmp_path / "back.qualcode")
    assert report.skipped == [] and report.unknown == {} and report.warnings == []
    with project.open_project(tmp_path / "back.qualcode", readonly=True) as back:
        after = _snapshot(back)
        export_qdpx(back, tmp_path / "again.qdpx")
    for part in before:
        assert after[part] == before[part], part
    assert len(before["memos"]) == 5 and before["turn_cases"]
    assert report.imported == {"documents": len(before["documents"]), "codes": len(before["codes"]),
                               "coders": len(before["coders"]), "codings": len(before["codings"]),
                               "cases": len(before["cases"]), "variables": len(before["attributes"]), "memos": 5}
    # exporting the imported project again gives the same XML but for the project's own name and date
    first, again = ET.fromstring(read_qde(out)), ET.fromstring(read_qde(tmp_path / "again.qdpx"))
    for root in (first, again):
        root.attrib.clear()
    assert ET.tostring(first) == ET.tostring(again)


def test_typed_attributes_export_validly_and_come_back_typed(empty_project, tmp_path):
    """Booleans written yes/no come back true/false (the schema's spelling); a number
    attribute holding a value that is no number is exported, and comes back, as text."""
    db = empty_project
    documents.store_document(db, name="d", text="Some text.")
    sheet = tmp_path / "cases.csv"
    sheet.write_text("case,kind,member,score,size,documents\nA,informant,yes,1.5,3,d\nB,informant,no,2,4,\n",
                     encoding="utf-8")
    cases.import_cases(db, sheet)
    with db.transaction() as conn:
        size = case_store.ensure_attribute(conn, "size", "case", "number")
        case_store.set_value(conn, size, case_store.id_by_name(conn, "B"), "about four")
    export_qdpx(db, tmp_path / "t.qdpx")
    assert_valid(read_qde(tmp_path / "t.qdpx"))
    import_qdpx(tmp_path / "t.qdpx", tmp_path / "back.qualcode")
    with project.open_project(tmp_path / "back.qualcode", readonly=True) as back:
        types = {(a["name"], a["type"]) for a in transfer.read(back.conn, "attribute")}
        values = {c.name: cases.attribute_values(back, "case")[c.id] for c in cases.list_cases(back)}
        assert documents.document_text(back, "d") == "Some text."
    assert types == {("member", "boolean"), ("score", "number"), ("size", "text")}
    assert values == {"A": {"member": "true", "score": "1.5", "size": "3"},
                      "B": {"member": "false", "score": "2", "size": "about four"}}


def test_an_empty_project_exports_validly_and_imports_as_an_empty_project(empty_project, tmp_path):
    report = export_qdpx(empty_project, tmp_path / "empty.qdpx")
    assert_valid(read_qde(tmp_path / "empty.qdpx"))
    assert set(report.counts.values()) == {0}
    back = import_qdpx(tmp_path / "empty.qdpx", tmp_path / "back.qualcode")
    assert set(back.imported.values()) == {0} and (tmp_path / "back.qualcode").exists()
