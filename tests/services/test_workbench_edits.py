"""The edits the workbench makes, headless: coding spans, memo and evidence, codes created,
renamed, recoloured, moved and deleted, and the reverse of each (what undo calls)."""

from __future__ import annotations

import pytest

from qualcode.errors import InvalidInput, NotFound
from qualcode.services import codebook, coding, documents
from qualcode.store import audit, codes as code_store, codings as coding_store

from ._helpers import add_codes, add_document, checksum

TEXT = "Interviewer: And the 🧶 yarn?\n\nVarga: We never chose it. Halden sends the panels.\n"


@pytest.fixture
def db(empty_project, tmp_path):
    add_document(empty_project, tmp_path, "varga", TEXT)
    add_codes(empty_project, tmp_path, "lock-in", "lock-in/functional", "trust")
    return empty_project


def _ids(db):
    return {p: i for i, p in codebook.paths(db).items()}


# -- codings ---------------------------------------------------------------------------------

def test_resize_returns_the_old_span_and_is_audited(db):
    doc = documents.document_id(db, "varga")
    start = TEXT.index("We never")
    cid = coding.add_coding(db, doc, _ids(db)["trust"], start, start + 8, "ann")
    end = TEXT.index(" Halden")
    old = coding.update_coding_span(db, cid, start, end, coder="ann")
    assert old == (start, start + 8)
    c = coding_store.get(db.conn, cid)
    assert (c.start, c.end) == (start, end)
    (entry,) = audit.entries(db.conn, "coding.resize")
    assert entry[3]["old_start"] == start and entry[3]["end"] == end and entry[1] is not None
    coding.update_coding_span(db, cid, *old)
    assert (coding_store.get(db.conn, cid).start, coding_store.get(db.conn, cid).end) == (start, start + 8)


def test_resize_outside_the_document_changes_nothing(db):
    cid = coding.add_coding(db, "varga", "trust", 0, 5, "ann")
    before = checksum(db)
    with pytest.raises(InvalidInput, match="ends after the end"):
        coding.update_coding_span(db, cid, 3, len(TEXT) + 1)
    with pytest.raises(InvalidInput):
        coding.update_coding_span(db, cid, 4, 4)
    with pytest.raises(NotFound):
        coding.update_coding_span(db, cid + 100, 0, 1)
    assert checksum(db) == before


def test_memo_and_evidence_set_and_reverted(db):
    cid = coding.add_coding(db, "varga", "trust", 0, 5, "ann")
    old = coding.update_coding(db, cid, memo="  says it twice ", evidence="own experience", coder="ann")
    assert (old.memo, old.evidence) == (None, "unknown")
    c = coding_store.get(db.conn, cid)
    assert (c.memo, c.evidence) == ("says it twice", "own experience")
    coding.update_coding(db, cid, memo=old.memo, evidence=old.evidence)
    c = coding_store.get(db.conn, cid)
    assert (c.memo, c.evidence) == (None, "unknown")
    assert [e[2] for e in audit.entries(db.conn, "coding.update")] == ["coding.update", "coding.update"]
    before = checksum(db)
    with pytest.raises(InvalidInput, match="evidence must be one of"):
        coding.update_coding(db, cid, evidence="rumour")
    assert checksum(db) == before


def test_restore_keeps_the_id_so_later_undo_steps_still_find_the_coding(db):
    cid = coding.add_coding(db, "varga", "trust", 0, 5, "ann", memo="m")
    removed = coding.remove_coding(db, cid)
    assert coding.restore_coding(db, removed) == cid
    assert coding_store.get(db.conn, cid) == removed


def test_counts_and_listing_filtered_by_coder(db):
    ids = _ids(db)
    doc = documents.document_id(db, "varga")
    coding.add_coding(db, doc, ids["trust"], 0, 5, "ann")
    coding.add_coding(db, doc, ids["trust"], 6, 9, "ben")
    coding.add_coding(db, doc, ids["lock-in/functional"], 10, 20, "ben")
    ben = next(c.id for c in coding.list_coders(db) if c.name == "ben")
    assert [c.name for c in coding.list_coders(db)] == ["ann", "ben"]
    assert coding.counts_by_code(db) == {ids["trust"]: 2, ids["lock-in/functional"]: 1}
    assert coding.counts_by_code(db, ben) == {ids["trust"]: 1, ids["lock-in/functional"]: 1}
    assert coding.counts_by_document(db) == {doc: 3}
    assert coding.counts_by_document(db, ben) == {doc: 2}
    assert [(c.start, c.end) for c in coding.codings_for_document(db, doc, ben)] == [(6, 9), (10, 20)]
    rows = coding.codings_for_codes(db, [ids["trust"]])
    assert [(r.coder, r.text) for r in rows] == [("ann", TEXT[0:5]), ("ben", TEXT[6:9])]
    assert [r.coder for r in coding.codings_for_codes(db, [ids["trust"]], ben)] == ["ben"]


# -- codes ------------------------------------------------------------------------------------

def test_create_code_under_a_parent_and_refuse_bad_names(db):
    ids = _ids(db)
    new = codebook.create_code(db, " design   stealing ", ids["lock-in"], "#A0B0C0", coder="ann")
    assert codebook.paths(db)[new] == "lock-in/design stealing"
    assert code_store.get(db.conn, new).color == "#a0b0c0"
    (entry,) = [e for e in audit.entries(db.conn, "code.create") if e[3].get("code") == new]
    assert entry[3]["path"] == "lock-in/design stealing"
    before = checksum(db)
    for name, parent, color, msg in [("a/b", None, None, "cannot contain"), ("  ", None, None, "needs a name"),
                                     ("functional", ids["lock-in"], None, "already a code"),
                                     ("new", None, "red", "#rrggbb")]:
        with pytest.raises(InvalidInput, match=msg):
            codebook.create_code(db, name, parent, color)
    with pytest.raises(NotFound):
        codebook.create_code(db, "x", 9999)
    assert checksum(db) == before


def test_edit_code_returns_old_values_that_undo_it(db):
    ids = _ids(db)
    code = ids["lock-in/functional"]
    old = codebook.edit_code(db, code, name="functional split", color="#112233", parent_id=None)
    assert old == {"name": "functional", "color": None, "parent_id": ids["lock-in"]}
    assert codebook.paths(db)[code] == "functional split"
    assert code_store.get(db.conn, code).color == "#112233"
    codebook.edit_code(db, code, **old)
    assert codebook.paths(db)[code] == "lock-in/functional"
    assert codebook.edit_code(db, code, name="functional") == {}  # no change, no write


def test_move_refuses_cycles_and_name_clashes(db, tmp_path):
    ids = _ids(db)
    with pytest.raises(InvalidInput, match="under itself"):
        codebook.edit_code(db, ids["lock-in"], parent_id=ids["lock-in/functional"])
    with pytest.raises(InvalidInput, match="under itself"):
        codebook.edit_code(db, ids["lock-in"], parent_id=ids["lock-in"])
    clash = codebook.create_code(db, "functional")
    before = checksum(db)
    with pytest.raises(InvalidInput, match="already a code 'functional'"):
        codebook.edit_code(db, clash, parent_id=ids["lock-in"])
    assert checksum(db) == before


def test_delete_and_restore_code(db):
    ids = _ids(db)
    new = codebook.create_code(db, "tmp", ids["trust"])
    gone = codebook.delete_code(db, new)
    assert new not in codebook.paths(db)
    assert codebook.restore_code(db, gone) == new
    assert code_store.get(db.conn, new) == gone
    before = checksum(db)
    with pytest.raises(InvalidInput, match="has subcodes"):
        codebook.delete_code(db, ids["lock-in"])
    assert checksum(db) == before
    coding.add_coding(db, "varga", "trust/tmp", 0, 3, "ann")
    before = checksum(db)
    with pytest.raises(InvalidInput, match="used by 1 coding"):
        codebook.delete_code(db, new)
    assert checksum(db) == before
