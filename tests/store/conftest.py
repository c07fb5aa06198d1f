"""Store fixtures: small projects written through the repositories, not the services."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest

from qualcode.core.text import sha256
from qualcode.store import codes, coders, codings, database, documents

DOC_TEXT = "Interviewer: Where did it start? 😀\n\nHalden: In 1958, with four machines."


@dataclass
class Seeded:
    path: Path
    doc_id: int
    code_id: int
    coder_id: int
    coding_id: int


def seed(db: database.Database) -> Seeded:
    """One document, coder, code and coding, committed."""
    with db.transaction() as conn:
        doc_id = documents.insert(conn, name="01_halden", text=DOC_TEXT, sha256=sha256(DOC_TEXT))
        coder_id = coders.ensure(conn, "ana")
        code_id = codes.insert(conn, "lock-in", definition="Being stuck with one buyer")
        coding_id = codings.insert(conn, doc_id, code_id, coder_id, 0, 11, memo="opening", evidence="witnessed")
    return Seeded(db.path, doc_id, code_id, coder_id, coding_id)


@pytest.fixture
def seeded_path(tmp_path) -> Seeded:
    """A closed project holding the seed data."""
    db = database.create(tmp_path / "seeded.qualcode")
    try:
        s = seed(db)
    finally:
        db.close()
    return s


@pytest.fixture
def seeded_db(tmp_path):
    """An open project holding the seed data; yields (db, Seeded)."""
    db = database.create(tmp_path / "seeded.qualcode")
    s = seed(db)
    yield db, s
    db.close()


def raw(path: Path) -> sqlite3.Connection:
    """A plain read-only sqlite3 connection, independent of QualCode's open logic."""
    return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)


def snapshot(path: Path) -> dict[str, list[tuple]]:
    """Every user table's rows, for before/after comparisons."""
    conn = raw(path)
    try:
        out = {}
        for t in ("coder", "code", "document", "coding", "segment", "speaker_turn", "case_"):
            out[t] = conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall()
        return out
    finally:
        conn.close()
