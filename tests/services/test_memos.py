"""qualcode.services.memos: add, edit, delete and restore, each one audited transaction."""

from __future__ import annotations

import pytest

from qualcode.errors import InvalidInput, NotFound
from qualcode.services import coding, documents, memos
from qualcode.store import audit

from ._helpers import add_codes, add_document, checksum


@pytest.fixture
def db(empty_project, tmp_path):
    add_document(empty_project, tmp_path, "lenz", "Lenz: The machines were old.\n")
    add_codes(empty_project, tmp_path, "work")
    return empty_project


def test_memo_lifecycle_on_a_document(db):
    doc = documents.document_id(db, "lenz")
    first = memos.add_memo(db, "document", doc, "  Talks about machines first. ", "ann")
    second = memos.add_memo(db, "document", doc, "Second thought.", "ben")
    listed = memos.list_memos(db, "document", doc)
    assert [m.text for m in listed] == ["Talks about machines first.", "Second thought."]
    assert memos.memo_counts(db, "document") == {doc: 2}
    assert memos.update_memo(db, first, "Edited.", "ann") == "Talks about machines first."
    assert memos.list_memos(db, "document", doc)[0].text == "Edited."
    gone = memos.delete_memo(db, second, "ann")
    assert [m.id for m in memos.list_memos(db, "document", doc)] == [first]
    assert memos.restore_memo(db, gone) == second
    assert memos.list_memos(db, "document", doc)[1] == gone
    actions = [a for _, _, a, _ in audit.entries(db.conn, "memo.")]
    assert actions == ["memo.add", "memo.add", "memo.edit", "memo.delete", "memo.restore"]


def test_project_and_coding_memos_are_kept_apart(db):
    cid = coding.add_coding(db, "lenz", "work", 0, 4, "ann")
    memos.add_memo(db, "project", None, "Overall impression.")
    memos.add_memo(db, "coding", cid, "Why this span.")
    assert [m.text for m in memos.list_memos(db, "project")] == ["Overall impression."]
    assert [m.text for m in memos.list_memos(db, "coding", cid)] == ["Why this span."]


def test_bad_memos_change_nothing(db):
    doc = documents.document_id(db, "lenz")
    before = checksum(db)
    with pytest.raises(InvalidInput, match="needs some text"):
        memos.add_memo(db, "document", doc, "   ")
    with pytest.raises(InvalidInput, match="one of"):
        memos.add_memo(db, "sticky", doc, "x")
    with pytest.raises(NotFound, match="no document with id"):
        memos.add_memo(db, "document", doc + 50, "x")
    with pytest.raises(NotFound):
        memos.update_memo(db, 12345, "x")
    m = memos.add_memo(db, "document", doc, "keep")
    before = checksum(db)
    with pytest.raises(InvalidInput):
        memos.update_memo(db, m, "")
    assert checksum(db) == before
