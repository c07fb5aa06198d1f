"""Frequency tables on the sample project against counts taken straight from its CSV files."""

from __future__ import annotations

import pytest

from qualcode.errors import InvalidInput, NotFound
from qualcode.services import documents, project
from qualcode.services.reports.frequency import frequency
from qualcode.services.reports.selection import Filters

from . import _oracle as oracle


@pytest.fixture(scope="module")
def db(sample_file):
    with project.open_project(sample_file, readonly=True) as d:
        yield d


@pytest.fixture(scope="module")
def rows():
    return oracle.codings()


def cell(codings):
    return oracle.tally(codings)


def test_default_is_one_total_per_code_in_codebook_order(db, rows):
    doc = frequency(db).to_json()
    assert set(doc) == {"by", "rows"} and doc["by"] is None
    paths = oracle.code_paths()
    assert [r["code"] for r in doc["rows"]] == paths
    by_code = oracle.group(rows, lambda r: r["code"])
    for r in doc["rows"]:
        assert set(r) == {"code", "total"}
        assert r["total"] == cell(by_code.get(r["code"], []))


def test_by_document_lists_every_document_and_counts_each_cell(db, rows):
    doc = frequency(db, by="document").to_json()
    names = sorted(d.name for d in documents.list_documents(db))
    by_pair = oracle.group(rows, lambda r: (r["code"], r["document"]))
    for r in doc["rows"]:
        assert list(r) == ["code", *names, "total"]
        for name in names:
            expected = by_pair.get((r["code"], name), [])
            assert r[name] == {"codings": len(expected), "documents": 1 if expected else 0}
    # documents without any coding still get a column, all zero
    uncoded = set(names) - {r["document"] for r in rows}
    assert uncoded and all(r[n]["codings"] == 0 for r in doc["rows"] for n in uncoded)


def test_by_coder_with_a_coder_filter(db, rows):
    doc = frequency(db, by="coder", filters=Filters(coders=["Mira"])).to_json()
    mira = oracle.group([r for r in rows if r["coder"] == "Mira"], lambda r: r["code"])
    for r in doc["rows"]:
        assert list(r) == ["code", "Mira", "total"]
        assert r["Mira"] == r["total"] == cell(mira.get(r["code"], []))


def test_by_coder_totals_count_a_document_once_across_coders(db, rows):
    doc = frequency(db, by="coder").to_json()
    by_code = oracle.group(rows, lambda r: r["code"])
    by_pair = oracle.group(rows, lambda r: (r["code"], r["coder"]))
    for r in doc["rows"]:
        assert r["total"] == cell(by_code.get(r["code"], []))
        for coder in ("Jonas", "Mira"):
            assert r[coder] == cell(by_pair.get((r["code"], coder), []))


def test_by_case_goes_through_the_documents_case_links(db, rows):
    doc_case = oracle.document_case()
    doc = frequency(db, by="case").to_json()
    assert list(doc["rows"][0])[1:-1] == sorted(set(doc_case.values()))
    by_pair = oracle.group(rows, lambda r: (r["code"], doc_case[r["document"]]))
    for r in doc["rows"]:
        for case in doc_case.values():
            assert r[case] == cell(by_pair.get((r["code"], case), []))


def test_by_case_attribute_groups_documents_by_value(db, rows):
    doc_case = oracle.document_case()
    size = oracle.case_attribute("firm_size")
    value_of = {d: size[c] or "(none)" for d, c in doc_case.items()}
    doc = frequency(db, by="attribute:firm_size").to_json()
    assert list(doc["rows"][0])[1:-1] == ["large", "medium", "small", "(none)"]
    by_pair = oracle.group(rows, lambda r: (r["code"], value_of[r["document"]]))
    for r in doc["rows"]:
        for value in ("large", "medium", "small", "(none)"):
            assert r[value] == cell(by_pair.get((r["code"], value), []))


def test_rollup_counts_parent_and_descendants_with_distinct_documents(db, rows):
    paths = oracle.code_paths()
    doc = frequency(db, by="coder", rollup=True).to_json()
    for r in doc["rows"]:
        below = oracle.descendants_or_self(r["code"], paths)
        mine = [x for x in rows if x["code"] in below]
        assert r["total"] == cell(mine)
        for coder in ("Jonas", "Mira"):
            assert r[coder] == cell([x for x in mine if x["coder"] == coder])
    parents = [r for r in doc["rows"] if "/" not in r["code"]]
    assert any(r["total"]["codings"] > 0 for r in parents)  # the sample codes children, not parents
    assert frequency(db, rollup=True).to_json()["rows"] == [{"code": r["code"], "total": r["total"]}
                                                            for r in doc["rows"]]


def test_filters_by_case_below_an_organisation_and_by_attribute_value(db, rows):
    cases = oracle.cases()
    doc_case = oracle.document_case()
    informants = {c["case"] for c in cases if c["parent"] == "Halden Knits"}
    halden_docs = {d for d, c in doc_case.items() if c in informants}
    assert len(halden_docs) == 2
    got = frequency(db, filters=Filters(cases=["Halden Knits"])).to_json()
    by_code = oracle.group([r for r in rows if r["document"] in halden_docs], lambda r: r["code"])
    assert [r["total"] for r in got["rows"]] == [cell(by_code.get(p, [])) for p in oracle.code_paths()]

    size = oracle.case_attribute("firm_size")
    wanted = {d for d, c in doc_case.items() if size[c] in ("small", "medium")}
    got = frequency(db, by="document", filters=Filters(where={"firm_size": ["small", "medium"]})).to_json()
    assert set(got["rows"][0]) - {"code", "total"} == wanted
    by_code = oracle.group([r for r in rows if r["document"] in wanted], lambda r: r["code"])
    assert [r["total"] for r in got["rows"]] == [cell(by_code.get(p, [])) for p in oracle.code_paths()]


def test_document_filter_and_unknown_names(db, rows):
    got = frequency(db, filters=Filters(documents=["02_varga"])).to_json()
    by_code = oracle.group([r for r in rows if r["document"] == "02_varga"], lambda r: r["code"])
    assert [r["total"] for r in got["rows"]] == [cell(by_code.get(p, [])) for p in oracle.code_paths()]
    with pytest.raises(NotFound, match="no coder 'Nobody'"):
        frequency(db, filters=Filters(coders=["Nobody"]))
    with pytest.raises(NotFound, match="no document"):
        frequency(db, filters=Filters(documents=["99_none"]))
    with pytest.raises(NotFound, match="no attribute"):
        frequency(db, by="attribute:shoe_size")
    with pytest.raises(InvalidInput, match="--by"):
        frequency(db, by="weather")


def covered(spans) -> set[int]:
    return {i for s, e in spans for i in range(s, e)}


def test_coverage_is_the_union_of_coded_characters_over_document_length(db, rows):
    lengths = {d.name: d.chars for d in documents.list_documents(db)}
    table = frequency(db, by="document", coverage=True)
    doc = table.to_json()
    all_chars = sum(lengths.values())
    for r in doc["rows"]:
        mine = [x for x in rows if x["code"] == r["code"]]
        total = sum(len(covered([(x["start"], x["end"]) for x in mine if x["document"] == d])) for d in lengths)
        assert r["total"]["coverage"] == pytest.approx(round(100 * total / all_chars, 2))
        for d, n in lengths.items():
            here = covered([(x["start"], x["end"]) for x in mine if x["document"] == d])
            assert r[d]["coverage"] == pytest.approx(round(100 * len(here) / n, 2))
    # two coders coding overlapping passages: coverage counts shared characters once
    assert any(r["total"]["coverage"] < 100 * sum(x["end"] - x["start"] for x in rows if x["code"] == r["code"])
               / all_chars - 0.01 for r in doc["rows"])
