"""Transactions and the rules the database enforces by itself (keys, triggers, checks)."""

from __future__ import annotations

import sqlite3

import pytest

from qualcode.core.text import sha256
from qualcode.store import codes, coders, codings, documents
from qualcode.store.database import open_db

from .conftest import DOC_TEXT, raw


def count(conn, table):
    return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def add_doc(conn, name, text):
    return documents.insert(conn, name=name, text=text, sha256=sha256(text))


# -- transactions ------------------------------------------------------------------------------

def test_committed_work_is_visible_to_another_connection(seeded_db):
    db, s = seeded_db
    with db.transaction() as conn:
        coders.ensure(conn, "ben")
    other = raw(db.path)
    try:
        assert [r[0] for r in other.execute("SELECT name FROM coder ORDER BY id")] == ["ana", "ben"]
    finally:
        other.close()


def test_uncommitted_work_is_invisible_to_another_connection(seeded_db):
    db, s = seeded_db
    other = raw(db.path)
    try:
        with db.transaction() as conn:
            coders.ensure(conn, "ben")
            assert count(other, "coder") == 1
        assert count(other, "coder") == 2
    finally:
        other.close()


def test_an_exception_rolls_back_the_whole_transaction(seeded_db):
    db, s = seeded_db
    error = ValueError("user cancelled")
    with pytest.raises(ValueError) as info:
        with db.transaction() as conn:
            doc = add_doc(conn, "02_varga", "Varga: we sold the mill.")
            coder = coders.ensure(conn, "ben")
            code = codes.insert(conn, "free-riding")
            codings.insert(conn, doc, code, coder, 0, 5)
            conn.execute("UPDATE document SET memo = 'changed' WHERE id = ?", (s.doc_id,))
            raise error
    assert info.value is error, "the original exception reaches the caller"
    for table, n in (("document", 1), ("coder", 1), ("code", 1), ("coding", 1)):
        assert count(db.conn, table) == n
    assert db.conn.execute("SELECT memo FROM document").fetchone()[0] is None
    assert not db.conn.in_transaction


def test_keyboard_interrupt_also_rolls_back(seeded_db):
    db, s = seeded_db
    with pytest.raises(KeyboardInterrupt):
        with db.transaction() as conn:
            coders.ensure(conn, "ben")
            raise KeyboardInterrupt
    assert count(db.conn, "coder") == 1


def test_database_usable_after_a_rollback(seeded_db):
    db, s = seeded_db
    with pytest.raises(sqlite3.IntegrityError):
        with db.transaction() as conn:
            coders.ensure(conn, "ben")
            conn.execute("INSERT INTO coder(name) VALUES ('ana')")  # unique name
    with db.transaction() as conn:
        coders.ensure(conn, "carla")
    assert [c.name for c in coders.list_all(db.conn)] == ["ana", "carla"]


def test_nested_failure_caught_rolls_back_only_the_inner_part(seeded_db):
    db, s = seeded_db
    with db.transaction() as conn:
        coders.ensure(conn, "outer-before")
        try:
            with db.transaction() as inner:
                coders.ensure(inner, "inner")
                codes.insert(inner, "inner-code")
                raise LookupError("inner failed")
        except LookupError:
            pass
        coders.ensure(conn, "outer-after")
    assert [c.name for c in coders.list_all(db.conn)] == ["ana", "outer-before", "outer-after"]
    assert [c.name for c in codes.list_all(db.conn)] == ["lock-in"]
    assert not db.conn.in_transaction


def test_nested_success_is_undone_when_the_outer_fails(seeded_db):
    db, s = seeded_db
    with pytest.raises(RuntimeError):
        with db.transaction() as conn:
            with db.transaction() as inner:
                coders.ensure(inner, "inner")
            with db.transaction() as inner:
                coders.ensure(inner, "inner2")
            raise RuntimeError("outer failed")
    assert [c.name for c in coders.list_all(db.conn)] == ["ana"]


def test_three_levels_middle_catches(seeded_db):
    db, s = seeded_db
    with db.transaction() as t1:
        coders.ensure(t1, "level1")
        with db.transaction() as t2:
            coders.ensure(t2, "level2")
            with pytest.raises(ZeroDivisionError):
                with db.transaction() as t3:
                    coders.ensure(t3, "level3")
                    1 / 0
            coders.ensure(t2, "level2-after")
    assert [c.name for c in coders.list_all(db.conn)] == ["ana", "level1", "level2", "level2-after"]
    # A fresh top-level transaction after nesting starts clean.
    with db.transaction() as conn:
        coders.ensure(conn, "later")
    assert db.conn.execute("SELECT name FROM coder ORDER BY id DESC LIMIT 1").fetchone()[0] == "later"


def test_work_survives_reopening(seeded_db, tmp_path):
    db, s = seeded_db
    with db.transaction() as conn:
        coders.ensure(conn, "ben")
    path = db.path
    db.close()
    with open_db(path) as again:
        assert [c.name for c in coders.list_all(again.conn)] == ["ana", "ben"]


# -- foreign keys ----------------------------------------------------------------------------

@pytest.mark.parametrize("missing", ["document", "code", "coder"])
def test_coding_needs_existing_document_code_and_coder(seeded_db, missing):
    db, s = seeded_db
    ids = {"document": s.doc_id, "code": s.code_id, "coder": s.coder_id}
    ids[missing] = 999
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        with db.transaction() as conn:
            codings.insert(conn, ids["document"], ids["code"], ids["coder"], 0, 3)
    assert count(db.conn, "coding") == 1


def test_codes_and_coders_in_use_cannot_be_deleted(seeded_db):
    db, s = seeded_db
    for table, key in (("code", s.code_id), ("coder", s.coder_id)):
        with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
            with db.transaction() as conn:
                conn.execute(f"DELETE FROM {table} WHERE id = ?", (key,))
        assert count(db.conn, table) == 1


def test_a_parent_code_cannot_be_deleted_under_its_children(seeded_db):
    db, s = seeded_db
    with db.transaction() as conn:
        child = codes.insert(conn, "cognitive", parent_id=s.code_id)
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        with db.transaction() as conn:
            conn.execute("DELETE FROM code WHERE id = ?", (s.code_id,))
    assert codes.get(db.conn, child).parent_id == s.code_id


def test_deleting_a_document_cascades_to_its_codings_segments_and_turns(seeded_db):
    db, s = seeded_db
    with db.transaction() as conn:
        documents.insert_segments(conn, s.doc_id, "paragraph", [(0, 34)])
        conn.execute("INSERT INTO speaker_turn(document_id, start, \"end\", label) VALUES (?, 0, 34, 'Interviewer')",
                      (s.doc_id,))
    with db.transaction() as conn:
        conn.execute("DELETE FROM document WHERE id = ?", (s.doc_id,))
    for table in ("coding", "segment", "speaker_turn"):
        assert count(db.conn, table) == 0
    assert count(db.conn, "code") == 1 and count(db.conn, "coder") == 1


# -- triggers --------------------------------------------------------------------------------

def test_a_coding_may_end_exactly_at_the_document_end(seeded_db):
    db, s = seeded_db
    n = len(DOC_TEXT)
    with db.transaction() as conn:
        cid = codings.insert(conn, s.doc_id, s.code_id, s.coder_id, n - 3, n)
    assert codings.get(db.conn, cid).end == n


def test_a_coding_past_the_document_end_is_refused_by_the_database(seeded_db):
    db, s = seeded_db
    n = len(DOC_TEXT)
    with pytest.raises(sqlite3.IntegrityError, match="ends after the end of its document"):
        with db.transaction() as conn:
            codings.insert(conn, s.doc_id, s.code_id, s.coder_id, n - 3, n + 1)
    # Raw SQL outside the repositories gets the same answer.
    with pytest.raises(sqlite3.IntegrityError, match="ends after the end of its document"):
        with db.transaction() as conn:
            conn.execute('INSERT INTO coding(document_id, code_id, coder_id, start, "end") VALUES (?, ?, ?, 0, 10000)',
                         (s.doc_id, s.code_id, s.coder_id))
    assert count(db.conn, "coding") == 1


def test_document_length_is_in_code_points(seeded_db):
    """The emoji in the seed text is one code point (two UTF-16 units, four UTF-8 bytes)."""
    db, s = seeded_db
    assert db.conn.execute("SELECT chars FROM document").fetchone()[0] == len(DOC_TEXT)
    assert len(DOC_TEXT.encode("utf-16-le")) // 2 == len(DOC_TEXT) + 1
    with pytest.raises(sqlite3.IntegrityError):
        with db.transaction() as conn:
            codings.insert(conn, s.doc_id, s.code_id, s.coder_id, 0, len(DOC_TEXT) + 1)


def test_moving_a_coding_past_the_end_is_refused(seeded_db):
    db, s = seeded_db
    with db.transaction() as conn:
        short = add_doc(conn, "short", "Tiny.")
    with pytest.raises(sqlite3.IntegrityError, match="ends after the end"):
        with db.transaction() as conn:
            codings.update_span(conn, s.coding_id, 0, len(DOC_TEXT) + 5)
    with pytest.raises(sqlite3.IntegrityError, match="ends after the end"):
        with db.transaction() as conn:
            conn.execute("UPDATE coding SET document_id = ? WHERE id = ?", (short, s.coding_id))
    c = codings.get(db.conn, s.coding_id)
    assert (c.document_id, c.start, c.end) == (s.doc_id, 0, 11)
    with db.transaction() as conn:
        codings.update_span(conn, s.coding_id, 2, len(DOC_TEXT))
    assert codings.get(db.conn, s.coding_id).end == len(DOC_TEXT)


def test_the_text_of_a_coded_document_cannot_change(seeded_db):
    db, s = seeded_db
    with pytest.raises(sqlite3.IntegrityError, match="text of a coded document cannot change"):
        with db.transaction() as conn:
            conn.execute("UPDATE document SET text = 'rewritten' WHERE id = ?", (s.doc_id,))
    assert documents.text(db.conn, s.doc_id) == DOC_TEXT
    # Writing the same text back, or changing other columns, is fine.
    with db.transaction() as conn:
        conn.execute("UPDATE document SET text = text, memo = 'ok' WHERE id = ?", (s.doc_id,))


def test_the_text_of_an_uncoded_document_may_change(seeded_db):
    db, s = seeded_db
    with db.transaction() as conn:
        doc = add_doc(conn, "draft", "first version")
        conn.execute("UPDATE document SET text = 'second version' WHERE id = ?", (doc,))
    assert documents.text(db.conn, doc) == "second version"


def test_text_is_frozen_from_the_first_coding_on(seeded_db):
    db, s = seeded_db
    with db.transaction() as conn:
        doc = add_doc(conn, "draft", "first version")
        cid = codings.insert(conn, doc, s.code_id, s.coder_id, 0, 5)
    with pytest.raises(sqlite3.IntegrityError):
        with db.transaction() as conn:
            conn.execute("UPDATE document SET text = 'other' WHERE id = ?", (doc,))
    with db.transaction() as conn:
        codings.delete(conn, cid)
        conn.execute("UPDATE document SET text = 'other' WHERE id = ?", (doc,))
    assert documents.text(db.conn, doc) == "other"


# -- CHECK constraints -----------------------------------------------------------------------

@pytest.mark.parametrize("evidence", ["witnessed", "own experience", "hearsay", "unknown"])
def test_known_evidence_values_are_accepted(seeded_db, evidence):
    db, s = seeded_db
    with db.transaction() as conn:
        cid = codings.insert(conn, s.doc_id, s.code_id, s.coder_id, 1, 4, evidence=evidence)
    assert codings.get(db.conn, cid).evidence == evidence


@pytest.mark.parametrize("evidence", ["rumour", "Hearsay", "", None])
def test_other_evidence_values_are_refused(seeded_db, evidence):
    db, s = seeded_db
    with pytest.raises(sqlite3.IntegrityError):
        with db.transaction() as conn:
            codings.insert(conn, s.doc_id, s.code_id, s.coder_id, 1, 4, evidence=evidence)
    assert count(db.conn, "coding") == 1


@pytest.mark.parametrize("start, end", [(5, 5), (6, 5), (-1, 4)])
def test_empty_reversed_or_negative_spans_are_refused(seeded_db, start, end):
    db, s = seeded_db
    for table, extra_cols, extra_vals in (
        ("coding", "code_id, coder_id", (s.code_id, s.coder_id)),
        ("segment", "kind", ("sentence",)),
        ("speaker_turn", "label", ("Interviewer",)),
    ):
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            with db.transaction() as conn:
                placeholders = ", ".join("?" * (3 + len(extra_vals)))
                conn.execute(f'INSERT INTO {table}(document_id, {extra_cols}, start, "end") VALUES ({placeholders})',
                             (s.doc_id, *extra_vals, start, end))
        assert count(db.conn, table) == (1 if table == "coding" else 0)


@pytest.mark.parametrize("name", ["", "   ", "a/b"])
def test_bad_code_names_are_refused(seeded_db, name):
    db, s = seeded_db
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        with db.transaction() as conn:
            codes.insert(conn, name)


def test_sibling_code_names_are_unique_but_cousins_may_share(seeded_db):
    db, s = seeded_db
    with db.transaction() as conn:
        a = codes.insert(conn, "free-riding")
        codes.insert(conn, "design", parent_id=a)
        codes.insert(conn, "design", parent_id=s.code_id)
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        with db.transaction() as conn:
            codes.insert(conn, "design", parent_id=a)
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        with db.transaction() as conn:
            codes.insert(conn, "lock-in")  # a second root of the same name


@pytest.mark.parametrize("table, column, value", [
    ("code", "status", "deleted"), ("case_", "kind", "village"), ("segment", "kind", "line"),
])
def test_enumerated_columns_are_checked(seeded_db, table, column, value):
    db, s = seeded_db
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        with db.transaction() as conn:
            if table == "code":
                conn.execute("UPDATE code SET status = ? WHERE id = ?", (value, s.code_id))
            elif table == "case_":
                conn.execute("INSERT INTO case_(name, kind) VALUES ('x', ?)", (value,))
            else:
                conn.execute('INSERT INTO segment(document_id, kind, start, "end") VALUES (?, ?, 0, 1)',
                             (s.doc_id, value))


def test_names_are_unique_and_non_blank(seeded_db):
    db, s = seeded_db
    for sql, args in (
        ("INSERT INTO coder(name) VALUES (?)", ("ana",)),
        ("INSERT INTO coder(name) VALUES (?)", (" ",)),
        ("INSERT INTO document(name, text, chars, sha256) VALUES (?, 'x', 1, 'h')", ("01_halden",)),
        ("INSERT INTO document(name, text, chars, sha256) VALUES (?, 'x', 1, 'h')", ("",)),
    ):
        with pytest.raises(sqlite3.IntegrityError):
            with db.transaction() as conn:
                conn.execute(sql, args)
    assert count(db.conn, "coder") == 1 and count(db.conn, "document") == 1
