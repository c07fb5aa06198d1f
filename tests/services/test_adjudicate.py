"""Disagreements and building a consensus coder, on a hand-made project."""

from __future__ import annotations

import pytest

from qualcode.errors import InvalidInput
from qualcode.services import adjudicate, codebook, coding, disagreements, documents
from qualcode.store import audit

from ._helpers import add_codes, add_document, checksum

D1 = "Alpha beta gamma delta epsilon"  # 30 characters
D2 = "Zeta eta theta"  # 14


@pytest.fixture
def db(empty_project, tmp_path):
    add_document(empty_project, tmp_path, "d1", D1)
    add_document(empty_project, tmp_path, "d2", D2)
    add_codes(empty_project, tmp_path, "X", "Y", "V")
    rows = [("d1", "X", "A", 0, 10), ("d1", "X", "B", 5, 15),  # agree on [5,10)
            ("d1", "Y", "A", 0, 5), ("d1", "Y", "B", 5, 10),  # A then B, touching
            ("d1", "V", "A", 25, 30), ("d2", "V", "A", 0, 3)]  # runs up to a document boundary
    for doc, code, coder, s, e in rows:
        coding.add_coding(empty_project, doc, code, s, e, coder)
    return empty_project


def consensus(db, code="X", document="d1", coder="C"):
    ids = {c.name: c.id for c in coding.list_coders(db)}
    paths = {p: i for i, p in codebook.paths(db).items()}
    doc_id = {d.name: d.id for d in documents.list_documents(db)}
    if coder not in ids:
        return []
    return sorted((c.start, c.end) for c in coding.codings_for_document(db, doc_id[document])
                  if c.coder_id == ids[coder] and c.code_id == paths[code])


def by_code(items, code):
    return [(d.document, d.start, d.end, {k: list(v) for k, v in d.coverage.items()}) for d in items if d.code == code]


def test_disagreements_are_maximal_stretches_with_each_coders_part(db):
    items = disagreements.find(db, ["A", "B"])
    assert by_code(items, "X") == [("d1", 0, 5, {"A": [(0, 5)], "B": []}),
                                   ("d1", 10, 15, {"A": [], "B": [(10, 15)]})]
    # A alone then B alone, side by side: one disagreement
    assert by_code(items, "Y") == [("d1", 0, 10, {"A": [(0, 5)], "B": [(5, 10)]})]
    # never across the end of one document into the next
    assert by_code(items, "V") == [("d1", 25, 30, {"A": [(25, 30)], "B": []}),
                                   ("d2", 0, 3, {"A": [(0, 3)], "B": []})]
    x = items[0]
    assert x.text == D1[0:5] and x.coders == ["A"]
    assert x.as_dict()["coverage"] == {"A": [[0, 5]], "B": []}


def test_accept_agreements_copies_the_intersection_once(db):
    before = checksum(db)
    done = adjudicate.accept_agreements(db, ["A", "B"], "C")
    assert consensus(db, "X") == [(5, 10)]
    assert consensus(db, "Y") == [] and consensus(db, "V") == []
    assert (done.codes, done.stretches, done.characters, len(done.change.created)) == (1, 1, 5, 1)
    again = adjudicate.accept_agreements(db, ["A", "B"], "C")
    assert again.change.created == () and again.change.removed == ()
    assert audit.entries(db.conn, "adjudicate.agreements")[-1][3]["created"] == 0
    adjudicate.undo(db, done.change)
    assert consensus(db, "X") == []
    after = checksum(db)
    assert {t for t in before if before[t] != after[t]} <= {"audit", "coder"}  # the new coder C stays


def test_accepting_a_version_extends_the_agreed_passage_and_undo_restores_it(db):
    agreed = adjudicate.accept_agreements(db, ["A", "B"], "C").change.created[0]
    coding.update_coding(db, agreed.id, memo="keep me")
    first, second = [d for d in disagreements.find(db, ["A", "B"]) if d.code == "X"]
    change = adjudicate.accept_version(db, first, "A", "C")
    assert consensus(db, "X") == [(0, 10)]  # one coding, not two fragments
    assert [c.guid for c in change.removed] == [agreed.guid]
    merged = coding.get_coding(db, change.created[0].id)
    assert merged.memo == "keep me"
    both = adjudicate.accept_all(db, second, "C")
    assert consensus(db, "X") == [(0, 15)]
    adjudicate.undo(db, both)
    assert consensus(db, "X") == [(0, 10)]
    adjudicate.undo(db, change)
    assert consensus(db, "X") == [(5, 10)]
    restored = [c for c in coding.codings_for_document(db, agreed.document_id) if c.guid == agreed.guid]
    assert len(restored) == 1 and restored[0].memo == "keep me"


def test_neither_removes_consensus_coverage_inside_the_stretch_only(db):
    y = next(d for d in disagreements.find(db, ["A", "B"]) if d.code == "Y")
    adjudicate.accept_all(db, y, "C")
    assert consensus(db, "Y") == [(0, 10)]
    coding.add_coding(db, "d1", "Y", 20, 25, "C")
    change = adjudicate.reject(db, y, "C")
    assert consensus(db, "Y") == [(20, 25)]
    assert len(change.removed) == 1 and change.created == ()
    assert adjudicate.reject(db, y, "C") == adjudicate.Change()  # already so: nothing to do
    adjudicate.undo(db, change)
    assert consensus(db, "Y") == [(0, 10), (20, 25)]


def test_accepting_one_side_of_a_mixed_stretch_takes_only_that_sides_part(db):
    y = next(d for d in disagreements.find(db, ["A", "B"]) if d.code == "Y")
    adjudicate.accept_version(db, y, "B", "C")
    assert consensus(db, "Y") == [(5, 10)]
    adjudicate.decide(db, y, ["A"], "C")
    assert consensus(db, "Y") == [(0, 5)]


def test_undo_finds_codings_by_guid_after_an_earlier_undo_put_them_back(db):
    first, second = [d for d in disagreements.find(db, ["A", "B"]) if d.code == "X"]
    one = adjudicate.accept_version(db, first, "A", "C")  # creates [0,5)
    two = adjudicate.accept_version(db, second, "B", "C")  # [10,15): does not touch [0,5)
    three = adjudicate.accept_all(db, first, "C")  # same as one: nothing to do
    assert three == adjudicate.Change()
    adjudicate.undo(db, two)
    adjudicate.undo(db, one)
    assert consensus(db, "X") == []


def test_decisions_are_validated_before_anything_is_written(db):
    d = disagreements.find(db, ["A", "B"])[0]
    before = checksum(db)
    with pytest.raises(InvalidInput, match="one of the coders being compared"):
        adjudicate.accept_version(db, d, "A", "A")
    with pytest.raises(InvalidInput, match="not one of the compared coders"):
        adjudicate.accept_version(db, d, "Z", "C")
    with pytest.raises(InvalidInput, match="consensus coder"):
        adjudicate.accept_agreements(db, ["A", "B"], " ")
    with pytest.raises(InvalidInput, match="one of the coders being compared"):
        adjudicate.accept_agreements(db, ["A", "B"], "B")
    assert checksum(db) == before


def test_each_decision_is_one_audited_transaction(db):
    d = disagreements.find(db, ["A", "B"])[0]
    change = adjudicate.accept_version(db, d, "A", "C")
    entry = audit.entries(db.conn, "adjudicate.decide")[-1][3]
    assert entry["accepted"] == ["A"] and entry["created"] == [c.guid for c in change.created]
    adjudicate.undo(db, change)
    assert audit.entries(db.conn, "adjudicate.undo")


def test_coverage_in_clips_to_the_window(db):
    d1 = disagreements.find(db, ["A", "B"])[0].document_id
    x = disagreements.find(db, ["A", "B"])[0].code_id
    assert adjudicate.coverage_in(db, d1, x, ["A", "B", "Nobody"], 3, 12) == {
        "A": [(3, 10)], "B": [(5, 12)], "Nobody": []}
