"""Crosstab of code presence by case x case attribute, against cases.csv and the codings."""

from __future__ import annotations

import pytest

from qualcode.errors import InvalidInput, NotFound
from qualcode.services import documents, project
from qualcode.services.reports.crosstab import crosstab
from qualcode.services.reports.selection import Filters

from . import _oracle as oracle


@pytest.fixture(scope="module")
def db(sample_file):
    with project.open_project(sample_file, readonly=True) as d:
        yield d


def expected(attribute: str, rows, paths, rollup=False):
    doc_case = oracle.document_case()
    value = {c: v or "(none)" for c, v in oracle.case_attribute(attribute).items()}
    cases = set(doc_case.values())
    per_value = {}
    for c in cases:
        per_value[value[c]] = per_value.get(value[c], 0) + 1
    out = {}
    for p in paths:
        codes = oracle.descendants_or_self(p, paths) if rollup else {p}
        present = {doc_case[r["document"]] for r in rows if r["code"] in codes}
        out[p] = {v: len([c for c in present if value[c] == v]) for v in per_value}
    return per_value, out


@pytest.mark.parametrize("rollup", [False, True])
def test_presence_counts_and_percentages(db, rollup):
    rows, paths = oracle.codings(), oracle.code_paths()
    per_value, present = expected("firm_size", rows, paths, rollup)
    doc = crosstab(db, "firm_size", rollup=rollup).to_json()
    assert doc["values"] == ["large", "medium", "small", "(none)"]
    assert doc["cases"] == per_value
    assert [r["code"] for r in doc["rows"]] == paths
    for r in doc["rows"]:
        in_any = sum(present[r["code"]].values())
        for v, n in present[r["code"]].items():
            assert r[v]["cases"] == n
            assert r[v]["column_percent"] == pytest.approx(round(100 * n / per_value[v], 1))
            assert r[v]["row_percent"] == (pytest.approx(round(100 * n / in_any, 1)) if in_any else None)
        assert r["total"] == {"cases": in_any, "percent": pytest.approx(round(100 * in_any / 12, 1))}


def test_selected_codes_and_coder_filter(db):
    rows = [r for r in oracle.codings() if r["coder"] == "Mira"]
    codes = ["labour/wages", "trust"]
    _per_value, present = expected("firm_size", rows, oracle.code_paths())
    doc = crosstab(db, "firm_size", codes=codes, filters=Filters(coders=["Mira"])).to_json()
    assert [r["code"] for r in doc["rows"]] == codes
    for r in doc["rows"]:
        assert {v: r[v]["cases"] for v in present[r["code"]]} == present[r["code"]]
    assert sum(present["labour/wages"].values()) > 0


def test_document_attributes_and_unknown_names_are_refused(empty_project, tmp_path, db):
    with pytest.raises(NotFound, match="no case attribute 'shoe_size' .*firm_size"):
        crosstab(db, "shoe_size")
    f = tmp_path / "a.txt"
    f.write_text("Some text.", encoding="utf-8")
    documents.import_files(empty_project, [f], attributes={"language": "en"})
    with pytest.raises(InvalidInput, match="document attribute"):
        crosstab(empty_project, "language")
