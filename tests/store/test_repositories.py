"""The repositories: plain records in, plain records out, offsets in code points."""

from __future__ import annotations

import re
import time

import pytest

from qualcode.core.text import sha256
from qualcode.store import audit, cases, codes, coders, codings, documents, project_counts
from qualcode.store.models import Span

ASTRAL = "Ana 😀 met 𠀀 Li. Then Ben 👩‍🔬 spoke."


def add_doc(conn, name, text, **kw):
    return documents.insert(conn, name=name, text=text, sha256=sha256(text), **kw)


# -- coders ------------------------------------------------------------------------------------

def test_coders_ensure_is_idempotent(empty_project):
    with empty_project.transaction() as conn:
        a = coders.ensure(conn, "ana", "#ff0000")
        assert coders.ensure(conn, "ana", "#00ff00") == a
        b = coders.ensure(conn, "ben")
    listed = coders.list_all(empty_project.conn)
    assert [(c.id, c.name, c.color) for c in listed] == [(a, "ana", "#ff0000"), (b, "ben", None)]
    assert re.fullmatch(r"[0-9a-f]{32}", listed[0].guid) and listed[0].guid != listed[1].guid
    assert coders.id_by_name(empty_project.conn, "ben") == b
    assert coders.id_by_name(empty_project.conn, "carla") is None
    assert coders.ids_by_name(empty_project.conn) == {"ana": a, "ben": b}


# -- codes -------------------------------------------------------------------------------------

def test_codes_insert_get_update(empty_project):
    with empty_project.transaction() as conn:
        root = codes.insert(conn, "lock-in", definition="stuck", color="#123456")
        child = codes.insert(conn, "cognitive", parent_id=root, example="we always did it so")
        guided = codes.insert(conn, "trust", guid="11111111222243338444555555555555")
    conn = empty_project.conn
    c = codes.get(conn, child)
    assert (c.name, c.parent_id, c.example, c.status) == ("cognitive", root, "we always did it so", "active")
    assert codes.get(conn, guided).guid == "11111111222243338444555555555555"
    assert codes.get(conn, 999) is None
    ordinals = [c.ordinal for c in codes.list_all(conn)]
    assert ordinals == sorted(ordinals) and len(set(ordinals)) == 3
    with empty_project.transaction() as tx:
        codes.update(tx, child, name="habit", definition="routine", status="retired")
    c = codes.get(conn, child)
    assert (c.name, c.definition, c.status) == ("habit", "routine", "retired")
    assert codes.count(conn) == 3


@pytest.mark.parametrize("call", [
    lambda conn: codes.insert(conn, "x", guid_typo="g"),
    lambda conn: codes.insert(conn, "x", status="merged"),
    lambda conn: codes.update(conn, 1, ordinal=5),
    lambda conn: codes.update(conn, 1, id=7),
])
def test_codes_refuse_unknown_fields(empty_project, call):
    with pytest.raises(ValueError, match="not a code field"):
        with empty_project.transaction() as conn:
            codes.insert(conn, "seed")
            call(conn)
    assert codes.count(empty_project.conn) == 0


# -- documents ---------------------------------------------------------------------------------

def test_document_insert_counts_code_points(empty_project):
    with empty_project.transaction() as conn:
        doc = add_doc(conn, "astral", ASTRAL, interview_date="2023-03-14", language="en")
    conn = empty_project.conn
    assert documents.id_and_length(conn, "astral") == (doc, len(ASTRAL))
    assert documents.names_and_lengths(conn) == {"astral": (doc, len(ASTRAL))}
    assert documents.text(conn, doc) == ASTRAL
    assert documents.text(conn, 999) == ""
    assert documents.name_by_sha256(conn, sha256(ASTRAL)) == "astral"
    assert documents.name_by_sha256(conn, sha256("other")) is None
    info = documents.get_info(conn, doc)
    assert (info.name, info.chars, info.interview_date, info.language, info.codings) == (
        "astral", len(ASTRAL), "2023-03-14", "en", 0)
    assert documents.get_info(conn, 999) is None


def test_document_set_fields(empty_project):
    with empty_project.transaction() as conn:
        doc = add_doc(conn, "d", "Some text.")
        documents.set_fields(conn, doc, memo="note", period_discussed="1990s", name="renamed")
        with pytest.raises(ValueError, match="not a document field"):
            documents.set_fields(conn, doc, text="sneaky")
        with pytest.raises(ValueError, match="not a document field"):
            documents.set_fields(conn, doc, chars=1)
    info = documents.get_info(empty_project.conn, doc)
    assert (info.name, info.period_discussed) == ("renamed", "1990s")
    assert documents.text(empty_project.conn, doc) == "Some text."


def test_texts_reads_many_documents_in_chunks(empty_project):
    with empty_project.transaction() as conn:
        ids = [add_doc(conn, f"doc{i:04d}", f"Text number {i}.") for i in range(1203)]
    got = documents.texts(empty_project.conn, ids)
    assert len(got) == 1203
    assert all(got[i] == f"Text number {n}." for n, i in enumerate(ids))
    assert documents.texts(empty_project.conn, []) == {}
    assert documents.count(empty_project.conn) == 1203


def test_turns_segments_and_case_links(empty_project):
    text = "Interviewer: Hi.\n\nAna: Hello. Bye."
    with empty_project.transaction() as conn:
        doc = add_doc(conn, "d", text)
        ana = cases.upsert(conn, "Ana", "informant")
        acme = cases.upsert(conn, "Acme", "organisation")
        documents.insert_turns(conn, doc, [Span(18, 34, "Ana", ana), Span(0, 16, "Interviewer")])
        documents.insert_segments(conn, doc, "sentence", [(29, 33), (18, 28), (0, 16)])
        documents.insert_segments(conn, doc, "paragraph", [(0, 16), (18, 34)])
        documents.link_case(conn, doc, ana)
        documents.link_case(conn, doc, ana)  # twice is harmless
        documents.link_case(conn, doc, acme)
    conn = empty_project.conn
    assert documents.turns(conn, doc) == [Span(0, 16, "Interviewer", None), Span(18, 34, "Ana", ana)]
    assert documents.segments(conn, doc, "sentence") == [(0, 16), (18, 28), (29, 33)]
    assert documents.segments(conn, doc, "paragraph") == [(0, 16), (18, 34)]
    assert documents.get_info(conn, doc).cases == ("Acme", "Ana")
    assert conn.execute("SELECT count(*) FROM document_case").fetchone()[0] == 2


# -- codings -----------------------------------------------------------------------------------

@pytest.fixture
def coded(empty_project):
    db = empty_project
    with db.transaction() as conn:
        doc = add_doc(conn, "b_astral", ASTRAL)
        other = add_doc(conn, "a_plain", "Plain words here.")
        ana, ben = coders.ensure(conn, "ana"), coders.ensure(conn, "ben")
        code = codes.insert(conn, "people")
    return db, doc, other, ana, ben, code


def test_coding_rows_cut_text_by_code_points(coded):
    """SQLite's substr counts characters; the rows must equal Python slices even past emoji."""
    db, doc, other, ana, ben, code = coded
    spans = [(0, 3), (4, 5), (10, 13), (18, 30), (27, len(ASTRAL))]
    with db.transaction() as conn:
        for s, e in spans:
            codings.insert(conn, doc, code, ana, s, e)
        codings.insert(conn, other, code, ben, 0, 5, memo="m", evidence="hearsay")
    rows = codings.rows(db.conn)
    assert [r.document for r in rows] == ["a_plain"] + ["b_astral"] * len(spans)
    assert rows[0].text == "Plain" and rows[0].memo == "m" and rows[0].evidence == "hearsay"
    for r, (s, e) in zip(rows[1:], spans):
        assert (r.start, r.end, r.coder) == (s, e, "ana")
        assert r.text == ASTRAL[s:e]
    assert ASTRAL[4:5] == "😀"
    assert [r.coder for r in codings.rows(db.conn, [ben])] == ["ben"]
    assert len(codings.rows(db.conn, [ana, ben])) == len(spans) + 1


def test_codings_insert_get_update_delete(coded):
    db, doc, other, ana, ben, code = coded
    guid = "aaaaaaaabbbb4ccc8dddeeeeeeeeeeee"
    with db.transaction() as conn:
        cid = codings.insert(conn, doc, code, ana, 5, 9, memo="first", evidence="witnessed", guid=guid)
        codings.insert(conn, doc, code, ana, 0, 12)
        codings.insert(conn, doc, code, ben, 0, 4)
    c = codings.get(db.conn, cid)
    assert (c.guid, c.start, c.end, c.memo, c.evidence) == (guid, 5, 9, "first", "witnessed")
    assert isinstance(c.created_at, int) and abs(c.created_at - time.time()) < 120  # Unix seconds
    assert [(x.start, x.end) for x in codings.for_document(db.conn, doc)] == [(0, 4), (0, 12), (5, 9)]
    with db.transaction() as conn:
        codings.update_span(conn, cid, 6, 8)
        codings.update_fields(conn, cid, memo=None, evidence="hearsay")
        with pytest.raises(ValueError, match="not a coding field"):
            codings.update_fields(conn, cid, start=0)
    c = codings.get(db.conn, cid)
    assert (c.start, c.end, c.memo, c.evidence) == (6, 8, None, "hearsay")
    with db.transaction() as conn:
        codings.delete(conn, cid)
    assert codings.get(db.conn, cid) is None
    assert codings.count(db.conn) == 2
    assert codes.coding_counts(db.conn) == {code: 2}


def test_insert_many_reports_how_many(coded):
    db, doc, other, ana, ben, code = coded
    rows = [(doc, code, ana, i, i + 2, None, "unknown") for i in range(0, 20, 2)]
    with db.transaction() as conn:
        assert codings.insert_many(conn, rows) == 10
    assert codings.count(db.conn) == 10
    assert documents.get_info(db.conn, doc).codings == 10


# -- cases and attributes ----------------------------------------------------------------------

def test_cases_upsert_updates_in_place(empty_project):
    with empty_project.transaction() as conn:
        cluster = cases.upsert(conn, "Brenmoor", "cluster")
        firm = cases.upsert(conn, "Halden Knits", "other")
        again = cases.upsert(conn, "Halden Knits", "organisation", parent_id=cluster)
        cases.upsert(conn, "Kessler", guid="12345678123442348234123456789abc")
    assert again == firm
    listed = cases.list_all(empty_project.conn)
    assert [(c.name, c.kind, c.parent_id) for c in listed] == [
        ("Brenmoor", "cluster", None), ("Halden Knits", "organisation", cluster), ("Kessler", "other", None)]
    assert listed[2].guid == "12345678123442348234123456789abc"
    with empty_project.transaction() as conn:
        cases.set_parent(conn, firm, None)
    assert cases.list_all(empty_project.conn)[1].parent_id is None
    assert cases.id_by_name(empty_project.conn, "nobody") is None
    assert cases.count(empty_project.conn) == 3


def test_attributes_and_values(empty_project):
    with empty_project.transaction() as conn:
        a = cases.upsert(conn, "A")
        b = cases.upsert(conn, "B")
        size = cases.ensure_attribute(conn, "size", "case", "number")
        assert cases.ensure_attribute(conn, "size", "case") == size  # "text" never downgrades
        founded = cases.ensure_attribute(conn, "founded", "case")
        assert cases.ensure_attribute(conn, "founded", "case", "date") == founded  # but upgrades
        doc_attr = cases.ensure_attribute(conn, "size", "document")
        cases.set_value(conn, size, a, "220")
        cases.set_value(conn, size, a, "226")  # replaces
        cases.set_value(conn, founded, b, None)
        cases.set_value(conn, doc_attr, a, "doc value")
    conn = empty_project.conn
    assert doc_attr != size
    assert cases.attributes(conn, "case") == [("size", "number"), ("founded", "date")]
    assert cases.values(conn, "case") == {a: {"size": "226"}, b: {"founded": None}}
    assert cases.values(conn, "document") == {a: {"size": "doc value"}}


# -- audit and counts --------------------------------------------------------------------------

def test_audit_entries_keep_order_prefix_and_unicode(coded):
    db, doc, other, ana, ben, code = coded
    with db.transaction() as conn:
        audit.record(conn, "coding.add", ana, coding=1, text="Zoë 😀")
        audit.record(conn, "code.create", None, path="lock-in/cognitive")
        audit.record(conn, "coding.remove", ben, coding=1)
    got = audit.entries(db.conn, "coding.")
    assert [(c, a, p) for _, c, a, p in got] == [
        (ana, "coding.add", {"coding": 1, "text": "Zoë 😀"}), (ben, "coding.remove", {"coding": 1})]
    assert len(audit.entries(db.conn)) == 3
    assert "Zoë 😀" in db.conn.execute("SELECT payload FROM audit WHERE action = 'coding.add'").fetchone()[0]


def test_audit_is_rolled_back_with_its_change(coded):
    db, doc, other, ana, ben, code = coded
    with pytest.raises(RuntimeError):
        with db.transaction() as conn:
            cid = codings.insert(conn, doc, code, ana, 0, 3)
            audit.record(conn, "coding.add", ana, coding=cid)
            raise RuntimeError
    assert audit.entries(db.conn) == [] and codings.count(db.conn) == 0


def test_project_counts(coded):
    db, doc, other, ana, ben, code = coded
    with db.transaction() as conn:
        merged = codes.insert(conn, "old")
        codes.update(conn, merged, status="merged", merged_into=code)
        codings.insert(conn, doc, code, ana, 0, 3)
        cases.upsert(conn, "Ana", "informant")
    counts = project_counts.counts(db.conn)
    assert (counts.documents, counts.codes, counts.codings, counts.cases) == (2, 1, 1, 1)
    assert counts.coders == ["ana", "ben"]
    assert counts.stories == 0 and counts.tellings == 0
    assert counts.schema_version >= 1
