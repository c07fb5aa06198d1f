"""store.stories: plain reads and writes, cascades, and the database-level guards on tellings."""

from __future__ import annotations

import sqlite3

import pytest

from qualcode.store import cases, documents, stories
from qualcode.store.models import Realization

from .conftest import DOC_TEXT


@pytest.fixture
def told(seeded_db):
    db, s = seeded_db
    with db.transaction() as conn:
        case = cases.upsert(conn, "Halden", "informant")
        sid = stories.insert_story(conn, "The flood", "summary")
        e1 = stories.insert_element(conn, sid, 1, "floods", "core")
        e2 = stories.insert_element(conn, sid, stories.next_ordinal(conn, sid), "nights", "detail")
        t1 = stories.insert_telling(conn, sid, s.doc_id, 0, 20, case, "protagonist", "2023-03-14")
        t2 = stories.insert_telling(conn, sid, s.doc_id, 20, 40, None, "hearsay")
        stories.put_realization(conn, Realization(t1, e1, "present", 1, 2, 8, None))
        stories.put_realization(conn, Realization(t2, e2, "implied", 1))
        x = stories.insert_transmission(conn, t2, from_telling_id=t1, evidence_document_id=s.doc_id,
                                        evidence_start=20, evidence_end=25)
    return db, s, sid, (e1, e2), (t1, t2), x, case


def test_reads_return_what_was_written(told):
    db, s, sid, (e1, e2), (t1, t2), x, case = told
    conn = db.conn
    assert stories.get_story(conn, sid).title == "The flood" == stories.list_stories(conn)[0].title
    assert stories.story_id_by_title(conn, "The flood") == sid
    assert [(e.id, e.ordinal) for e in stories.elements(conn, sid)] == [(e1, 1), (e2, 2)]
    assert stories.element_id_by_label(conn, sid, "nights") == e2
    assert stories.telling_names(conn, sid) == {t1: ("01_halden", "Halden"), t2: ("01_halden", None)}
    assert [(r.telling_id, r.element_id, r.status) for r in stories.realizations(conn, sid)] == [
        (t1, e1, "present"), (t2, e2, "implied")]
    (tr,) = stories.transmissions(conn, sid)
    assert (tr.id, tr.from_telling_id, tr.to_telling_id, tr.evidence_end) == (x, t1, t2, 25)
    assert stories.transmissions_touching(conn, t1) == [tr] == stories.transmissions_touching(conn, t2)
    assert [t.id for t in stories.tellings_in_document(conn, s.doc_id)] == [t1, t2]


def test_deleting_a_telling_cascades_and_reinsert_restores_the_same_row(told):
    db, s, sid, (e1, e2), (t1, t2), x, case = told
    conn = db.conn
    old = stories.get_telling(conn, t1)
    with db.transaction() as tx:
        stories.delete_telling(tx, t1)
    assert stories.realizations_of_telling(conn, t1) == [] and stories.transmissions(conn, sid) == []
    with db.transaction() as tx:
        assert stories.reinsert_telling(tx, old) == t1
    assert stories.get_telling(conn, t1) == old


def test_deleting_a_story_removes_everything_under_it(told):
    db, s, sid, *_ = told
    with db.transaction() as tx:
        stories.reject_passage(tx, sid, s.doc_id, 0, 5)
        stories.delete_story(tx, sid)
    for table in ("story", "story_element", "telling", "transmission", "realization", "story_rejected_passage"):
        assert db.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table


def test_database_guards_spans_and_told_text(told):
    db, s, sid, (e1, _), (t1, _), _, case = told
    with pytest.raises(sqlite3.IntegrityError, match="after the end"):
        with db.transaction() as tx:
            stories.insert_telling(tx, sid, s.doc_id, 0, len(DOC_TEXT) + 1, case, "hearsay")
    with pytest.raises(sqlite3.IntegrityError, match="after the end"):
        with db.transaction() as tx:
            stories.update_telling(tx, t1, end=len(DOC_TEXT) + 1)
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        with db.transaction() as tx:
            stories.put_realization(tx, Realization(t1, e1, "present", 1, 5, None))
    with pytest.raises(sqlite3.IntegrityError):
        with db.transaction() as tx:
            documents.set_fields(tx, s.doc_id, memo="fine")  # allowed: not the text
            tx.execute("DELETE FROM coding")  # no codings left, yet the telling still pins the text
            tx.execute("UPDATE document SET text = 'changed' WHERE id = ?", (s.doc_id,))
    assert documents.text(db.conn, s.doc_id) == DOC_TEXT


def test_rejected_passages_are_a_set(told):
    db, s, sid, *_ = told
    with db.transaction() as tx:
        assert stories.reject_passage(tx, sid, s.doc_id, 3, 9) is True
        assert stories.reject_passage(tx, sid, s.doc_id, 3, 9) is False
    assert stories.rejected_passages(db.conn, sid) == [(s.doc_id, 3, 9)]
    with db.transaction() as tx:
        stories.unreject_passage(tx, sid, s.doc_id, 3, 9)
    assert stories.rejected_passages(db.conn, sid) == []
