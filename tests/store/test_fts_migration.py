"""Migration 3 (full-text index): a project made before it gets its documents indexed."""

from __future__ import annotations

import pytest

from qualcode.core import segmentation
from qualcode.core.text import sha256
from qualcode.store import database, documents, migrations, search

TEXTS = {"one": "Interviewer: Where?\n\nHalden: By the river, in a garage.\n",
         "two": "Varga: The river flooded 😀 twice.\n"}


def build_before_fts(monkeypatch, path):
    """A project at the schema before migration 3, with documents and paragraph segments."""
    older = [m for m in migrations.MIGRATIONS if m[1] != "full_text_search"]
    assert len(older) == len(migrations.MIGRATIONS) - 1
    with monkeypatch.context() as m:
        for module in (migrations, database):
            m.setattr(module, "MIGRATIONS", older)
            m.setattr(module, "SCHEMA_VERSION", older[-1][0])
        db = database.create(path)
        with db.transaction() as conn:
            for name, text in TEXTS.items():
                doc_id = documents.insert(conn, name=name, text=text, sha256=sha256(text))
                conn.executemany('INSERT INTO segment(document_id, kind, start, "end") VALUES (?, ?, ?, ?)',
                                 [(doc_id, "paragraph", s, e) for s, e in segmentation.paragraphs(text)])
        assert not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'text_fts'").fetchall()
        db.close()


def test_existing_documents_are_indexed_on_upgrade(monkeypatch, tmp_path):
    path = tmp_path / "old.qualcode"
    build_before_fts(monkeypatch, path)
    with database.open_db(path) as db:
        assert int(db.meta()["schema_version"]) == migrations.SCHEMA_VERSION
        rows = search.matching_paragraphs(db.conn, '"river"')
        want = []
        for name, text in sorted(TEXTS.items()):
            want += [(name, s) for s, e in segmentation.paragraphs(text) if "river" in text[s:e]]
        assert [(name, start) for _, name, _, start in rows] == want
        db.conn.execute("INSERT INTO text_fts(text_fts, rank) VALUES ('integrity-check', 1)")
        marked = dict(search.marked(db.conn, '"river"', [r[0] for r in rows]))
        assert sorted(marked.values()) == sorted(
            text[s:e].replace("river", f"{search.OPEN}river{search.CLOSE}")
            for text in TEXTS.values() for s, e in segmentation.paragraphs(text) if "river" in text[s:e])


def test_index_stays_in_step_with_every_kind_of_change(tmp_path):
    db = database.create(tmp_path / "p.qualcode")
    try:
        with db.transaction() as conn:
            ids = {}
            for name, text in TEXTS.items():
                ids[name] = documents.insert(conn, name=name, text=text, sha256=sha256(text))
                documents.insert_segments(conn, ids[name], "paragraph", segmentation.paragraphs(text))

        def check(query, expected_docs):
            db.conn.execute("INSERT INTO text_fts(text_fts, rank) VALUES ('integrity-check', 1)")
            assert sorted({r[1] for r in search.matching_paragraphs(db.conn, query)}) == expected_docs

        check('"river"', ["one", "two"])
        with db.transaction() as conn:  # an uncoded document's text may change; its segments follow
            conn.execute("UPDATE document SET text = ? WHERE id = ?", ("Varga: A lake flooded twice.\n", ids["two"]))
        check('"river"', ["one"])
        check('"lake"', ["two"])
        with db.transaction() as conn:
            conn.execute('UPDATE segment SET "end" = 6 WHERE document_id = ?', (ids["two"],))
        check('"lake"', [])
        with db.transaction() as conn:
            conn.execute("DELETE FROM segment WHERE document_id = ?", (ids["one"],))
        check('"river"', [])
        with db.transaction() as conn:
            conn.execute("DELETE FROM document")
        check('"varga"', [])
    finally:
        db.close()


def test_bad_fts_syntax_is_a_user_error(tmp_path):
    from qualcode.errors import InvalidInput

    with database.create(tmp_path / "p.qualcode") as db, pytest.raises(InvalidInput, match="cannot search"):
        search.matching_paragraphs(db.conn, "NEAR(")
