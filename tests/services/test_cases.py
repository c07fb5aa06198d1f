"""qualcode.services.cases: typed attribute columns, parent links, document links, refusals."""

from __future__ import annotations

import datetime as dt

import pytest

from qualcode.errors import InvalidInput
from qualcode.services import cases, documents
from qualcode.store import cases as case_store

from ..cli._helpers import SAMPLE_DIR, read_csv
from ._helpers import add_document, checksum, write_csv


def tree(db) -> dict[str, tuple[str, str | None]]:
    all_cases = cases.list_cases(db)
    names = {c.id: c.name for c in all_cases}
    return {c.name: (c.kind, names.get(c.parent_id)) for c in all_cases}


def case_values(db) -> dict[str, dict]:
    names = {c.id: c.name for c in cases.list_cases(db)}
    return {names[i]: v for i, v in case_store.values(db.conn, "case").items()}


@pytest.fixture
def db(empty_project, tmp_path):
    add_document(empty_project, tmp_path, "int-1", "First interview.\n")
    add_document(empty_project, tmp_path, "int-2", "Second interview.\n")
    return empty_project


def test_attribute_columns_are_typed(db, tmp_path):
    f = write_csv(tmp_path / "c.csv", ["case", "parent", "kind", "staff", "founded", "region", "mixed", "member",
                                       "notadate", "blank"], [
        ["A", "", "organisation", "220", "1958-04-01", "north", "12", "yes", "2023-02-30", ""],
        ["B", "", "organisation", "-3.5", "2001-12-31", "12", "abc", "No", "2023-01-01", ""],
        ["C", "", "organisation", "", "", "south", "", "true", "", ""],
    ])
    result = cases.import_cases(db, f)
    assert result == {"cases": 3, "attributes": ["staff", "founded", "region", "mixed", "member", "notadate", "blank"]}
    assert dict(case_store.attributes(db.conn, "case")) == {
        "staff": "number", "founded": "date", "region": "text", "mixed": "text", "member": "boolean",
        "notadate": "text", "blank": "text"}
    vals = case_values(db)
    assert vals["A"]["staff"] == "220" and vals["B"]["founded"] == "2001-12-31"
    assert vals["C"]["staff"] is None  # an empty cell is no value, not ""


def test_parents_and_kinds_even_when_the_parent_comes_later(db, tmp_path):
    f = write_csv(tmp_path / "c.csv", ["case", "parent", "kind"], [
        ["Ann", "Firm", "informant"], ["Firm", "Cluster", "organisation"], ["Cluster", "", "cluster"],
        ["Loose", "", ""]])
    cases.import_cases(db, f)
    assert tree(db) == {"Ann": ("informant", "Firm"), "Firm": ("organisation", "Cluster"),
                        "Cluster": ("cluster", None), "Loose": ("other", None)}


def test_documents_column_links_documents(db, tmp_path):
    f = write_csv(tmp_path / "c.csv", ["case", "kind", "documents"],
                  [["Ann", "informant", "int-1; int-2"], ["Ben", "informant", ""]])
    cases.import_cases(db, f)
    linked = {d.name: d.cases for d in documents.list_documents(db)}
    assert linked == {"int-1": ("Ann",), "int-2": ("Ann",)}
    assert "documents" not in dict(case_store.attributes(db.conn, "case"))


def test_reimport_updates_cases_and_values(db, tmp_path):
    cases.import_cases(db, write_csv(tmp_path / "1.csv", ["case", "kind", "size"], [["A", "organisation", "small"]]))
    first = {c.name: c.guid for c in cases.list_cases(db)}
    cases.import_cases(db, write_csv(tmp_path / "2.csv", ["case", "kind", "size"], [["A", "organisation", "large"]]))
    assert {c.name: c.guid for c in cases.list_cases(db)} == first
    assert case_values(db)["A"]["size"] == "large"


@pytest.mark.parametrize("header,rows,needle", [
    (["case", "parent", "kind"], [["A", "B", "other"], ["B", "C", "other"], ["C", "A", "other"]], "cycle"),
    (["case", "parent", "kind"], [["A", "A", "other"]], "cycle"),
    (["case", "parent", "kind"], [["A", "", "tribe"]], "line 2.*kind 'tribe'"),
    (["case", "parent", "kind"], [["A", "", "other"], ["B", "Z", "other"]], "line 3.*parent"),
    (["case", "documents"], [["A", "int-1;ghost"]], "no document 'ghost'"),
    (["case", "kind"], [["A", "other"], ["", "other"]], "line 3.*empty case name"),
    (["case", "kind"], [["A", "other"], ["A", "cluster"]], "twice"),
    (["case", "kind"], [["A", "other", "extra"]], "more cells"),
    (["who", "kind"], [["A", "other"]], "first column"),
    (["case", "size", "size"], [["A", "1", "2"]], "twice"),
])
def test_bad_sheets_write_nothing(db, tmp_path, header, rows, needle):
    cases.import_cases(db, write_csv(tmp_path / "ok.csv", ["case", "kind"], [["Existing", "cluster"]]))
    before = checksum(db)
    with pytest.raises(InvalidInput, match=needle):
        cases.import_cases(db, write_csv(tmp_path / "bad.csv", header, rows))
    assert checksum(db) == before


def test_cycle_through_cases_already_in_the_project_is_refused(db, tmp_path):
    cases.import_cases(db, write_csv(tmp_path / "1.csv", ["case", "parent"], [["B", ""], ["A", "B"]]))
    before = checksum(db)
    with pytest.raises(InvalidInput, match="cycle"):
        cases.import_cases(db, write_csv(tmp_path / "2.csv", ["case", "parent"], [["B", "A"]]))
    assert checksum(db) == before
    assert tree(db) == {"B": ("other", None), "A": ("other", "B")}


def test_bad_files(db, tmp_path):
    for name, data, needle in [("e.csv", b"", "empty"), ("l.csv", "case\ncaf\u00e9\n".encode("cp1252"), "UTF-8"),
                               ("c.txt", b"case\nA\n", ".csv or .xlsx"), ("b.xlsx", b"not a zip", "xlsx")]:
        f = tmp_path / name
        f.write_bytes(data)
        with pytest.raises(InvalidInput, match=needle):
            cases.import_cases(db, f)
    assert cases.list_cases(db) == []


def test_xlsx_sheet(db, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["case", "parent", "kind", "interviewed", "staff", "documents"])
    ws.append(["Firm", None, "organisation", None, 40, None])
    ws.append(["Ann", "Firm", "informant", dt.datetime(2023, 3, 14), 1, "int-1"])
    path = tmp_path / "cases.xlsx"
    wb.save(path)
    assert cases.import_cases(db, path)["cases"] == 2
    assert tree(db) == {"Firm": ("organisation", None), "Ann": ("informant", "Firm")}
    assert dict(case_store.attributes(db.conn, "case")) == {"interviewed": "date", "staff": "number"}
    assert case_values(db)["Ann"]["interviewed"] == "2023-03-14"


def test_sample_sheet(sample_project):
    sheet = SAMPLE_DIR / "cases.csv"
    if not sheet.is_file():
        pytest.skip("no cases.csv in the sample")
    rows = read_csv(sheet)
    got = tree(sample_project)
    assert got == {r["case"]: (r["kind"] or "other", r["parent"] or None) for r in rows}
    linked = {d.name: set(d.cases) for d in documents.list_documents(sample_project) if d.cases}
    expected: dict[str, set] = {}
    for r in rows:
        for d in filter(None, (x.strip() for x in r.get("documents", "").split(";"))):
            expected.setdefault(d, set()).add(r["case"])
    assert linked == expected
