"""Merging coders' copies: counts add up, conflicts are reported, nothing is dropped silently."""

from __future__ import annotations

import shutil

import pytest

from qualcode.errors import InvalidInput, ProjectError
from qualcode.services import agreement, cases, codebook, coding, documents, memos, project, search
from qualcode.services.merge import merge_projects

from ._helpers import add_codes, add_document, write_csv

SHARED = {"d1": "The mill opened in spring. Everyone came.\n\nThen the river rose.",
          "d2": "A second interview, with other words in it."}


def base(path, tmp_path):
    """A project as a team lead hands it out: documents, codebook, one case with an attribute."""
    db = project.new_project(path)
    for name, text in SHARED.items():
        add_document(db, tmp_path, name, text)
    add_codes(db, tmp_path, "X", "X/sub", "Y")
    cases.import_cases(db, write_csv(tmp_path / "cases.csv", ["case", "kind", "region", "documents"],
                                     [["Mill", "organisation", "north", "d1"]]))
    return db


@pytest.fixture
def copies(tmp_path):
    """Two copies coded by A and by B, with every kind of conflict planted."""
    first, second = tmp_path / "a.qualcode", tmp_path / "b.qualcode"
    db = base(first, tmp_path)
    db.close()
    shutil.copy(first, second)
    with project.open_project(first) as a:
        coding.add_coding(a, "d1", "X", 0, 10, "A")
        coding.add_coding(a, "d1", "Y", 4, 20, "A", memo="first memo")
        coding.add_coding(a, "d2", "X/sub", 2, 8, "A")
        coding.add_coding(a, "d1", "X", 30, 40, "Shared")
        coding.add_coding(a, "d1", "X", 50, 55, "Shared")
        (tmp_path / "ta").mkdir()
        add_document(a, tmp_path / "ta", "d3", "Text of d3 in copy A.")
        codebook.import_file(a, write_csv(tmp_path / "defs_a.csv", ["path", "definition"], [["Y", "Y means yes"]]))
    with project.open_project(second) as b:
        coding.add_coding(b, "d1", "X", 5, 12, "B")
        coding.add_coding(b, "d2", "Y", 0, 9, "B")
        coding.add_coding(b, "d1", "X", 30, 40, "Shared")  # the same coding in both copies
        coding.add_coding(b, "d1", "Y", 60, 63, "Shared")
        (tmp_path / "tb").mkdir()
        add_document(b, tmp_path / "tb", "d3", "d3 has other text in B.")
        codebook.import_file(b, write_csv(tmp_path / "defs_b.csv", ["path", "definition"], [["Y", "Y means maybe"]]))
        cases.import_cases(b, write_csv(tmp_path / "cases_b.csv", ["case", "kind", "region"],
                                        [["Mill", "organisation", "south"]]))
        memos.add_memo(b, "document", documents.document_id(b, "d2"), "B's note on d2", "B")
    return first, second


def counts(path):
    with project.open_project(path, readonly=True) as db:
        return project.info(db), [(r.document, r.coder, r.start, r.end) for _, r in coding.export_rows(db)]


def test_counts_add_up_and_every_row_is_accounted_for(copies, tmp_path):
    out = tmp_path / "merged.qualcode"
    (info_a, rows_a), (info_b, rows_b) = counts(copies[0]), counts(copies[1])
    report = merge_projects(out, copies).as_dict()
    info, rows = counts(out)
    assert info["documents"] == 4  # d1, d2 shared; d3 twice with different texts
    assert sorted(info["coders"]) == ["A", "B", "Shared"]
    duplicates = len(set(rows_a) & set(rows_b))
    assert duplicates == 1
    assert info["codings"] == info_a["codings"] + info_b["codings"] - duplicates
    assert set(rows) == set(rows_a) | set(rows_b)
    for inp in report["inputs"]:
        for table, s in inp.items():
            if table != "project":
                assert s["added"] + s["duplicates"] == s["total"], (inp["project"], table)
    assert report["inputs"][1]["coding"] == {"total": info_b["codings"], "added": info_b["codings"] - 1,
                                             "duplicates": 1}
    assert report["totals"]["codings"] == info["codings"]
    assert {n["table"] for n in report["not_carried"]} == {"audit"}


def test_conflicts_are_reported_and_the_other_version_kept(copies, tmp_path):
    out = tmp_path / "merged.qualcode"
    report = merge_projects(out, copies).as_dict()
    kinds = {c["kind"]: c["message"] for c in report["conflicts"]}
    assert "'Shared'" in kinds["coder"] and "'A'" not in kinds["coder"]
    assert "'d3'" in kinds["document_name"] and "'d3 (b)'" in kinds["document_name"]
    assert "'Y'" in kinds["code_definition"]
    assert "south" in kinds["attribute_value"] and "north" in kinds["attribute_value"]
    with project.open_project(out, readonly=True) as db:
        assert documents.document_text(db, "d3") == "Text of d3 in copy A."
        assert documents.document_text(db, "d3 (b)") == "d3 has other text in B."
        y = next(c for p, c in codebook.list_codes(db) if p == "Y")
        assert y.definition == "Y means yes" and "Y means maybe" in y.memo
        note = memos.list_memos(db, "document", documents.document_id(db, "d2"))
        assert [m.text for m in note] == ["B's note on d2"]
        assert [c.name for c in cases.list_cases(db)] == ["Mill"]
        assert [h.document for h in search.search(db, "river")] == ["d1"]  # paragraphs are indexed
        memo = [r.memo for _, r in coding.export_rows(db) if r.coder == "A" and r.start == 4]
        assert memo == ["first memo"]


def test_merged_copies_can_be_compared(copies, tmp_path):
    out = tmp_path / "merged.qualcode"
    merge_projects(out, copies)
    with project.open_project(out, readonly=True) as db:
        doc = agreement.compute(db, ["A", "B"], codes=["X"], documents=["d1"])
    length = len(SHARED["d1"])
    # A [0,10), B [5,12): 5 shared, 7 coded by one of them
    assert doc["per_code"]["X"]["percent"] == pytest.approx(100 * (length - 7) / length, abs=0.005)


def test_refusals_leave_no_output(copies, tmp_path):
    out = tmp_path / "merged.qualcode"
    with pytest.raises(InvalidInput, match="at least two"):
        merge_projects(out, copies[:1])
    with pytest.raises(InvalidInput, match="twice"):
        merge_projects(out, [copies[0], copies[0]])
    with pytest.raises(ProjectError, match="no project"):
        merge_projects(out, [copies[0], tmp_path / "missing.qualcode"])
    assert not out.exists()
    out.write_text("precious")
    with pytest.raises(ProjectError, match="already exists"):
        merge_projects(out, copies)
    assert out.read_text() == "precious"


def test_inputs_are_not_changed(copies, tmp_path):
    from ._helpers import table_checksums

    before = [table_checksums(p) for p in copies]
    merge_projects(tmp_path / "merged.qualcode", copies)
    assert [table_checksums(p) for p in copies] == before


def test_merging_the_sample_with_itself_keeps_everything_once(sample_file, tmp_path):
    copy = tmp_path / "copy.qualcode"
    shutil.copy(sample_file, copy)
    report = merge_projects(tmp_path / "m.qualcode", [sample_file, copy]).as_dict()
    with project.open_project(sample_file, readonly=True) as db:
        info = project.info(db)
    for key in ("documents", "codes", "codings", "cases", "stories", "tellings"):
        assert report["totals"][key] == info[key], key
    second = report["inputs"][1]
    assert all(s["added"] == 0 for t, s in second.items() if t != "project")
    assert {c["kind"] for c in report["conflicts"]} == {"coder"}


def test_an_unmapped_reference_fails_loudly_instead_of_pointing_at_the_wrong_row(empty_project):
    from qualcode.services.merge import MergeReport, _Merger

    row = {"id": 7, "document_id": 1, "code_id": 1, "coder_id": 1, "start": 0, "end": 1}
    with pytest.raises(RuntimeError, match="coding.code_id"):
        with empty_project.transaction() as conn:
            _Merger(MergeReport("x")).put(conn, "coding", row, document_id=1, coder_id=1)
