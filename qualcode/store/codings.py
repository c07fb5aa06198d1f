"""Codings: a coder's code on a half-open code-point span of a document."""

from __future__ import annotations

import sqlite3
from typing import Iterable, Sequence

from .models import Coding, CodingRow

_COLS = 'id, guid, document_id, code_id, coder_id, start, "end", memo, evidence, created_at'


def insert(conn: sqlite3.Connection, document_id: int, code_id: int, coder_id: int, start: int, end: int,
           memo: str | None = None, evidence: str = "unknown", guid: str | None = None) -> int:
    if guid:
        return conn.execute(
            'INSERT INTO coding(guid, document_id, code_id, coder_id, start, "end", memo, evidence) '
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (guid, document_id, code_id, coder_id, start, end, memo, evidence)
        ).lastrowid
    return conn.execute(
        'INSERT INTO coding(document_id, code_id, coder_id, start, "end", memo, evidence) VALUES (?, ?, ?, ?, ?, ?, ?)',
        (document_id, code_id, coder_id, start, end, memo, evidence),
    ).lastrowid


def insert_many(conn: sqlite3.Connection, rows: Iterable[Sequence]) -> int:
    """Rows of (document_id, code_id, coder_id, start, end, memo, evidence); returns how many."""
    cur = conn.executemany(
        'INSERT INTO coding(document_id, code_id, coder_id, start, "end", memo, evidence) VALUES (?, ?, ?, ?, ?, ?, ?)',
        rows,
    )
    return cur.rowcount


def get(conn: sqlite3.Connection, coding_id: int) -> Coding | None:
    row = conn.execute(f"SELECT {_COLS} FROM coding WHERE id = ?", (coding_id,)).fetchone()
    return Coding(*row) if row else None


def delete(conn: sqlite3.Connection, coding_id: int) -> None:
    conn.execute("DELETE FROM coding WHERE id = ?", (coding_id,))


def update_span(conn: sqlite3.Connection, coding_id: int, start: int, end: int) -> None:
    conn.execute('UPDATE coding SET start = ?, "end" = ? WHERE id = ?', (start, end, coding_id))


def update_fields(conn: sqlite3.Connection, coding_id: int, **fields) -> None:
    bad = set(fields) - {"memo", "evidence", "code_id"}
    if bad:
        raise ValueError(f"not a coding field: {sorted(bad)}")
    if fields:
        sets = ", ".join(f"{k} = ?" for k in fields)
        conn.execute(f"UPDATE coding SET {sets} WHERE id = ?", (*fields.values(), coding_id))


def for_document(conn: sqlite3.Connection, document_id: int) -> list[Coding]:
    return [Coding(*r) for r in conn.execute(
        f"SELECT {_COLS} FROM coding WHERE document_id = ? ORDER BY start, \"end\"", (document_id,))]


def rows(conn: sqlite3.Connection, coder_ids: Sequence[int] | None = None) -> list[CodingRow]:
    """Every coding with document and coder names and its text, in document order."""
    where, args = "", ()
    if coder_ids:
        where = f"WHERE c.coder_id IN ({','.join('?' * len(coder_ids))})"
        args = tuple(coder_ids)
    q = (
        'SELECT c.id, d.name, c.code_id, k.name, c.start, c."end", '
        'substr(d.text, c.start + 1, c."end" - c.start), c.memo, c.evidence '
        "FROM coding c JOIN document d ON d.id = c.document_id JOIN coder k ON k.id = c.coder_id "
        f'{where} ORDER BY d.name, c.start, c."end", c.id'
    )
    return [CodingRow(*r) for r in conn.execute(q, args)]


def count(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT count(*) FROM coding").fetchone()[0]
