"""Cases and attributes from .xlsx sheets written here with openpyxl."""

from __future__ import annotations

import datetime as dt

import pytest

from qualcode.errors import InvalidInput
from qualcode.services import cases, documents
from qualcode.store import cases as case_store, documents as doc_store

from ..io._fixtures import rezip
from ._helpers import add_document, checksum

openpyxl = pytest.importorskip("openpyxl")


def sheet(path, rows):
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


@pytest.fixture
def db(empty_project, tmp_path):
    add_document(empty_project, tmp_path, "int-1", "Interviewer: Why?\n\nHalden: Because.\n\nHalden: More.\n")
    add_document(empty_project, tmp_path, "int-2", "Interviewer: And you?\n\nVarga: Me too.\n")
    return empty_project


def test_xlsx_types_documents_and_speaker_turns(db, tmp_path):
    f = sheet(tmp_path / "cases.xlsx", [
        ["case", "parent", "kind", "founded", "share", "exporter", "since", "documents"],
        ["Cluster", None, "cluster", None, None, None, None, None],
        ["Tomas Halden", "Cluster", "informant", 1958, 0.6, True, dt.datetime(2001, 5, 1), "int-1"],
        ["Varga", "Cluster", "informant", 1990, 0.25, False, dt.datetime(2010, 1, 31), "int-2"],
    ])
    assert cases.import_cases(db, f) == {"cases": 3, "attributes": ["founded", "share", "exporter", "since"]}
    assert dict(case_store.attributes(db.conn, "case")) == {
        "founded": "number", "share": "number", "exporter": "boolean", "since": "date"}
    ids = {c.name: c.id for c in cases.list_cases(db)}
    values = case_store.values(db.conn, "case")
    assert values[ids["Tomas Halden"]] == {"founded": "1958", "share": "0.6", "exporter": "True", "since": "2001-05-01"}
    for doc, label, case in (("int-1", "Halden", "Tomas Halden"), ("int-2", "Varga", "Varga")):
        doc_id = documents.document_id(db, doc)
        turns = doc_store.turns(db.conn, doc_id)
        assert {(t.label, t.case_id) for t in turns} == {("Interviewer", None), (label, ids[case])}
        assert next(d for d in documents.list_documents(db) if d.name == doc).cases == (case,)


def test_bad_xlsx_rows_write_nothing(db, tmp_path):
    before = checksum(db)
    f = sheet(tmp_path / "bad.xlsx", [["case", "kind"], ["A", "informant"], ["B", "tribe"]])
    with pytest.raises(InvalidInput, match="line 3: kind 'tribe'"):
        cases.import_cases(db, f)
    assert checksum(db) == before


def test_xlsx_zip_bomb_is_refused(db, tmp_path):
    good = sheet(tmp_path / "good.xlsx", [["case"], ["A"]]).read_bytes()
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(rezip(good, add={"xl/media/zeros.bin": bytes(4 * 1024 * 1024)}))
    before = checksum(db)
    with pytest.raises(InvalidInput, match="zip bomb"):
        cases.import_cases(db, bomb)
    assert checksum(db) == before
